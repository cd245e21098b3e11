// Whole-environment facts: the cluster and capacity of staging (the spec's) and production.
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { ALARM_DEFAULTS, minimumInstanceWarmupSeconds, validateEnvironment } from "../../src/config";
import { all, named, only, policy, productionEnvironment, productionRaw, ref, refNamed, stagingConfig, synthPlatform, TerraformJson } from "../helpers";

/** The production environment's stack, synthesized. */
function synthProduction(): TerraformJson {
  return synthPlatform(productionEnvironment()).json;
}

const { synth, json } = synthPlatform();
const launchTemplate = only(json, "aws_launch_template");

/** The user data script: `${base64encode("<script>")}` with the HCL string escapes undone. */
function userDataScript(template: Record<string, any>): string {
  const match = /^\$\{base64encode\((".*")\)\}$/s.exec(template.user_data);
  if (!match) throw new Error(`user_data is not a base64encode() of a literal: ${template.user_data}`);
  return JSON.parse(match[1]);
}

describe("ECS cluster", () => {
  test("is named as in the spec, with Container Insights", () => {
    expect(synth).toHaveResourceWithProperties(EcsCluster, {
      name: "myslp-staging-cluster",
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
  });
});

describe("launch template", () => {
  test("runs c6g.xlarge Graviton instances", () => {
    expect(synth).toHaveResourceWithProperties(LaunchTemplate, { instance_type: "c6g.xlarge" });
  });

  test("takes the ECS-optimized AL2023 ARM64 AMI from the public SSM parameter by default", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" });
    expect(launchTemplate.image_id).toBe(ref(json, "aws_ssm_parameter", "insecure_value", "data"));
  });

  test("can pin the spec's AMI instead", () => {
    const pinned = synthPlatform(stagingConfig((r) => (r.capacity.ami = { source: "pinned", id: "ami-05a490ca1a643e9ea" }))).json;
    expect(only(pinned, "aws_launch_template").image_id).toBe("ami-05a490ca1a643e9ea");
    expect(pinned.data.aws_ssm_parameter).toBeUndefined();
  });

  test("requires IMDSv2 with a hop limit that keeps containers out", () => {
    expect(launchTemplate.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
  });

  test("encrypts the root volume", () => {
    expect(launchTemplate.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_size: 30, volume_type: "gp3", delete_on_termination: "true" } },
    ]);
  });

  test("gives instances no public IP and a security group without ingress", () => {
    expect(launchTemplate.network_interfaces).toEqual([
      {
        associate_public_ip_address: "false",
        delete_on_termination: "true",
        security_groups: [refNamed(json, "aws_security_group", "instance_security_group", "id")],
      },
    ]);
    const instanceGroup = refNamed(json, "aws_security_group", "instance_security_group", "id");
    const ingress = all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === instanceGroup);
    expect(ingress).toEqual([]);
    expect(JSON.stringify(json.resource.aws_security_group)).not.toMatch(/"ingress"/);
  });

  test("uses an instance profile whose role has the ECS agent and SSM policies", () => {
    expect(launchTemplate.iam_instance_profile).toEqual({ arn: ref(json, "aws_iam_instance_profile", "arn") });
    const role = refNamed(json, "aws_iam_role", "instance_role", "name");
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role,
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    });
    expect(synth).toHaveResourceWithProperties(IamRolePolicyAttachment, { role, policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    expect(policy(named(json, "aws_iam_role", "instance_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
  });
});

describe("user data", () => {
  const script = userDataScript(launchTemplate);
  const clusterName = ref(json, "aws_ecs_cluster", "name");

  test("writes the cluster name to /etc/ecs/ecs.config", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("cat >> /etc/ecs/ecs.config <<'ECS_CONFIG'\n");
    expect(script).toContain(`\nECS_CLUSTER=${clusterName}\n`);
    // The reference resolves to the spec's cluster name.
    expect(clusterName).toMatch(/^\$\{aws_ecs_cluster\./);
    expect(only(json, "aws_ecs_cluster").name).toBe("myslp-staging-cluster");
  });

  test("blocks task access to instance metadata and privileged containers", () => {
    expect(script).toContain("\nECS_AWSVPC_BLOCK_IMDS=true\n");
    expect(script).toContain("\nECS_DISABLE_PRIVILEGED=true\n");
    expect(script).toContain("\nECS_RESERVED_MEMORY=256\n");
  });

  test("closes its here-document", () => {
    expect(script.trimEnd().endsWith("\nECS_CONFIG")).toBe(true);
  });
});

describe("Auto Scaling group", () => {
  test("keeps the console group's name, min 1, and max/desired from config", () => {
    expect(synth).toHaveResourceWithProperties(AutoscalingGroup, {
      name: "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-ECSAutoScalingGroup-zoFBNbZvjeFk",
      min_size: 1,
      max_size: 2,
      desired_capacity: 1,
      protect_from_scale_in: false,
    });
  });

  test("launches from the template's latest version into the private subnets", () => {
    const group = only(json, "aws_autoscaling_group");
    expect(group.launch_template).toEqual({ id: ref(json, "aws_launch_template", "id"), version: ref(json, "aws_launch_template", "latest_version") });
    expect(group.vpc_zone_identifier).toBe(ref(json, "aws_subnets", "ids", "data"));
  });

  test("carries the AmazonECSManaged tag a capacity provider needs", () => {
    expect(only(json, "aws_autoscaling_group").tag).toContainEqual({ key: "AmazonECSManaged", value: "", propagate_at_launch: true });
  });

  test("leaves desired capacity to the CPU policy, so plans stay clean after it scales", () => {
    expect(only(json, "aws_autoscaling_group").lifecycle).toMatchObject({ ignore_changes: ["desired_capacity"] });
  });

  test("protects no instance from scale-in (nothing would lift it without managed scaling)", () => {
    expect(only(json, "aws_autoscaling_group").protect_from_scale_in).toBe(false);
  });
});

describe("capacity provider", () => {
  test("uses the group with managed draining, without managed scaling (it ignores daemon tasks) or termination protection", () => {
    const provider = only(json, "aws_ecs_capacity_provider");
    expect(provider.name).toBe("myslp-staging-arm64");
    expect(provider.auto_scaling_group_provider).toEqual({
      auto_scaling_group_arn: ref(json, "aws_autoscaling_group", "arn"),
      managed_draining: "ENABLED",
      managed_termination_protection: "DISABLED",
      managed_scaling: { status: "DISABLED" },
    });
  });

  test("is the cluster's capacity", () => {
    expect(synth).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      cluster_name: ref(json, "aws_ecs_cluster", "name"),
      capacity_providers: [ref(json, "aws_ecs_capacity_provider", "name")],
      default_capacity_provider_strategy: [{ capacity_provider: ref(json, "aws_ecs_capacity_provider", "name"), weight: 1, base: 0 }],
    });
  });
});

describe("instance refresh (AMI patching without a gap)", () => {
  const tasksAlarmName = refNamed(json, "aws_cloudwatch_metric_alarm", "daemon_tasks_missing", "alarm_name");

  test("launches each replacement before it terminates the old instance, replacing protected instances too", () => {
    expect(only(json, "aws_autoscaling_group").instance_refresh).toEqual({
      strategy: "Rolling",
      preferences: {
        min_healthy_percentage: 100,
        max_healthy_percentage: 200,
        instance_warmup: String(minimumInstanceWarmupSeconds(ALARM_DEFAULTS.taskShortfallMinutes)),
        scale_in_protected_instances: "Refresh",
        alarm_specification: { alarms: [tasksAlarmName] },
        // Rolls back to the previous template version when the refresh fails or its alarm goes off.
        auto_rollback: true,
      },
    });
  });

  test("rollback is possible: the group names a template version number, and the template an AMI id (not $Latest, not an SSM reference)", () => {
    const group = only(json, "aws_autoscaling_group");
    expect(group.launch_template.version).toBe(ref(json, "aws_launch_template", "latest_version"));
    expect(only(json, "aws_launch_template").image_id).not.toMatch(/^resolve:ssm:/);
  });

  test("waits the configured warm-up on each new instance", () => {
    const j = synthPlatform(stagingConfig((r) => (r.capacity.instanceWarmupSeconds = 900))).json;
    expect(only(j, "aws_autoscaling_group").instance_refresh.preferences.instance_warmup).toBe("900");
  });

  test("stops when the tasks alarm (and, behind a load balancer, the unhealthy-targets alarm) goes off", () => {
    const production = synthProduction();
    expect(only(production, "aws_autoscaling_group").instance_refresh.preferences.alarm_specification.alarms).toEqual([
      refNamed(production, "aws_cloudwatch_metric_alarm", "daemon_tasks_missing", "alarm_name"),
      refNamed(production, "aws_cloudwatch_metric_alarm", "unhealthy_targets", "alarm_name"),
    ]);
  });

  test("a pinned AMI still reaches the instances: a new id is a new template version, which the group follows", () => {
    const [a, b] = ["ami-05a490ca1a643e9ea", "ami-0123456789abcdef0"].map(
      (id) => synthPlatform(stagingConfig((r) => (r.capacity.ami = { source: "pinned", id }))).json,
    );
    expect(only(a, "aws_launch_template").image_id).toBe("ami-05a490ca1a643e9ea");
    expect(only(b, "aws_launch_template").image_id).toBe("ami-0123456789abcdef0");
    for (const j of [a, b]) {
      expect(only(j, "aws_launch_template").update_default_version).toBe(true);
      expect(only(j, "aws_autoscaling_group").launch_template.version).toBe(ref(j, "aws_launch_template", "latest_version"));
      expect(only(j, "aws_autoscaling_group").instance_refresh.preferences.min_healthy_percentage).toBe(100);
    }
  });
});

describe("CPU scaling (the capacity provider does not scale a daemon)", () => {
  test("behind a load balancer, a group that may grow tracks the configured average CPU", () => {
    const production = synthProduction();
    expect(only(production, "aws_autoscaling_policy")).toMatchObject({
      name: "myslp-production-instance-cpu-target",
      autoscaling_group_name: ref(production, "aws_autoscaling_group", "name"),
      policy_type: "TargetTrackingScaling",
      estimated_instance_warmup: minimumInstanceWarmupSeconds(ALARM_DEFAULTS.taskShortfallMinutes),
      target_tracking_configuration: {
        predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" },
        target_value: 60,
      },
    });
  });

  test("the target comes from config", () => {
    const raw = productionRaw();
    raw.capacity.cpuTargetPercent = 70;
    const j = synthPlatform(validateEnvironment(raw)).json;
    expect(only(j, "aws_autoscaling_policy").target_tracking_configuration.target_value).toBe(70);
  });

  test("without a load balancer there is no policy: a second instance's task would get an address nothing routes to", () => {
    expect(only(json, "aws_autoscaling_group").max_size).toBeGreaterThan(only(json, "aws_autoscaling_group").min_size);
    expect(json.resource.aws_autoscaling_policy).toBeUndefined();
  });

  test("production scales between 2 and 4 instances", () => {
    const production = synthProduction();
    expect(only(production, "aws_autoscaling_group")).toMatchObject({ min_size: 2, max_size: 4, desired_capacity: 2 });
    expect(only(production, "aws_autoscaling_policy").autoscaling_group_name).toBe(ref(production, "aws_autoscaling_group", "name"));
  });
});

describe("taking over a console-built group (ECS allows one capacity provider per group)", () => {
  test("adopting the group but not its capacity provider: the new one carries a plan-time check of the live group, naming the fix", () => {
    const capacityProvider = only(json, "aws_ecs_capacity_provider");
    const [check] = capacityProvider.lifecycle.precondition;
    const group = only(json, "aws_autoscaling_group", "data");
    expect(group.name).toBe(only(json, "aws_autoscaling_group").name);
    const live = ref(json, "aws_autoscaling_group", "tag", "data").slice(2, -1); // data.aws_autoscaling_group.<id>.tag
    expect(check.condition).toBe(
      `\${!contains([for t in ${live} : t.key], "AmazonECSManaged") || contains([for t in ${live} : "\${t.key}=\${t.value}"], "EcsCapacityProvider=${capacityProvider.name}")}`,
    );
    expect(check.error_message).toMatch(/adopt\.capacityProvider/);
    expect(check.error_message).toMatch(/docs\/adopting-staging\.md, step 2/);
    expect(check.error_message).not.toMatch(/\$\{/);
    // The marker that lets the check pass once the provider on the group is ours.
    expect(only(json, "aws_autoscaling_group").tag).toContainEqual({ key: "EcsCapacityProvider", value: capacityProvider.name, propagate_at_launch: false });
  });

  test("adopting the capacity provider too: no check and no marker (nothing new is put on the group)", () => {
    const j = synthPlatform(
      stagingConfig((r) => {
        r.adopt = { ...r.adopt!, capacityProvider: "console-capacity-provider" };
        r.capacity.capacityProviderName = "console-capacity-provider";
      }),
    ).json;
    expect(only(j, "aws_ecs_capacity_provider").lifecycle.precondition).toBeUndefined();
    expect(j.data.aws_autoscaling_group).toBeUndefined();
    expect(only(j, "aws_autoscaling_group").tag.map((t: any) => t.key)).not.toContain("EcsCapacityProvider");
  });

  test("a group this stack creates: no check (it has no capacity provider but ours)", () => {
    const production = synthProduction();
    expect(only(production, "aws_ecs_capacity_provider").lifecycle).toBeUndefined();
    expect(production.data.aws_autoscaling_group).toBeUndefined();
  });
});
