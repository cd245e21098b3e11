import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { all, named, only, policy, ref, refNamed, stagingConfig, synthPlatform } from "../../helpers";

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
      { associate_public_ip_address: "false", delete_on_termination: "true", security_groups: [refNamed(json, "aws_security_group", "instance_security_group", "id")] },
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

  test("leaves desired capacity to ECS managed scaling", () => {
    expect(only(json, "aws_autoscaling_group").lifecycle).toMatchObject({ ignore_changes: ["desired_capacity"] });
  });
});

describe("capacity provider", () => {
  test("uses the group with managed scaling and draining, without termination protection", () => {
    expect(synth).toHaveResourceWithProperties(EcsCapacityProvider, {
      name: "myslp-staging-arm64",
      auto_scaling_group_provider: {
        auto_scaling_group_arn: ref(json, "aws_autoscaling_group", "arn"),
        managed_draining: "ENABLED",
        managed_termination_protection: "DISABLED",
        managed_scaling: { status: "ENABLED", target_capacity: 100, minimum_scaling_step_size: 1, maximum_scaling_step_size: 1 },
      },
    });
  });

  test("turns on termination protection with scale-in protection when config asks", () => {
    const j = synthPlatform(stagingConfig((r) => (r.capacity.managedTerminationProtection = true))).json;
    expect(only(j, "aws_ecs_capacity_provider").auto_scaling_group_provider.managed_termination_protection).toBe("ENABLED");
    expect(only(j, "aws_autoscaling_group").protect_from_scale_in).toBe(true);
  });

  test("is the cluster's capacity", () => {
    expect(synth).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      cluster_name: ref(json, "aws_ecs_cluster", "name"),
      capacity_providers: [ref(json, "aws_ecs_capacity_provider", "name")],
      default_capacity_provider_strategy: [{ capacity_provider: ref(json, "aws_ecs_capacity_provider", "name"), weight: 1, base: 0 }],
    });
  });
});
