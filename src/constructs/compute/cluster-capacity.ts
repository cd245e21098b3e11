import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { AutoscalingGroup, AutoscalingGroupConfig } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsAutoscalingGroup } from "@cdktf/provider-aws/lib/data-aws-autoscaling-group";
import { DataAwsEc2InstanceType } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { CapacityConfig } from "../../config";
import type { ClusterRef } from "./cluster";
import { CpuTargetTracking } from "./cpu-target-tracking";
import { containerInstanceUserData } from "./container-instance-user-data";
import { serviceTrustPolicy } from "../shared/iam-policy";

/** The public SSM parameter holding the recommended ECS-optimized Amazon Linux 2023 ARM64 AMI id. */
export const ECS_AL2023_ARM64_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";

export interface ClusterCapacityProps {
  /** The cluster the instances register with (ECS_CLUSTER in /etc/ecs/ecs.config). */
  readonly cluster: ClusterRef;
  /** Instance type, AMI, sizes, scaling and refresh settings (config `capacity`). */
  readonly config: CapacityConfig;
  /** The launch template's name. @default none: an adopted template keeps its live name */
  readonly launchTemplateName?: string;
  /** The VPC of the instances' security group. */
  readonly vpcId: string;
  /** The private subnets the group launches instances in. */
  readonly subnetIds: string[];
  /** Names the spec does not give: the instance role, its profile and security group (src/config/environment-names.ts). */
  readonly names: { readonly instanceRole: string; readonly instanceProfile: string; readonly instanceSecurityGroup: string };
  /**
   * The CPU target-tracking policy's name, where new instances add serving capacity: a load balancer routes
   * to every daemon task. Without one, a second instance's task gets an address nothing routes to, so the
   * group gets no CPU policy and its headroom above minSize serves only the instance refresh.
   * @default no CPU policy
   */
  readonly scalingPolicyName?: string;
  /**
   * Set when the Auto Scaling group exists already and is adopted (imported) while this construct still
   * creates the capacity provider: ECS allows one capacity provider per group, and the console's cluster
   * wizard makes one on the group it creates. The capacity provider then carries a plan-time precondition
   * that the live group has none (no AmazonECSManaged tag, which associating a capacity provider adds,
   * unless this construct's own marker says the provider is ours), with `message` as the error.
   * @default no check (a new group has no capacity provider)
   */
  readonly adoptedGroup?: { readonly message: string };
  /**
   * The daemon task every instance must run (config `task.cpu`, `task.memory`): the launch template then
   * carries plan-time preconditions, read from EC2's own description of the instance type, that the type
   * exists, runs arm64 and has room for the task, and (with a CPU policy) that the CPU target is reachable.
   * @default no fit check
   */
  readonly daemonTask?: { readonly cpu: number; readonly memoryMiB: number };
  /**
   * Alarms that fail an instance refresh when they go off (1 to 10), e.g. new instances that never run their
   * daemon task: the refresh then stops, and rolls back, before it terminates the old instances that still do.
   * @default none: the refresh stops only on failed health checks
   */
  readonly refreshStopAlarmNames?: readonly string[];
}

/** ECS counts 1,024 CPU units per vCPU (task definition parameters, cpu). */
export const CPU_UNITS_PER_VCPU = 1024;
/**
 * Share of an instance's memory the ECS agent can register for tasks: the kernel and the OS keep part of it,
 * so an 8 GiB instance registers less than 8,192 MiB; 90 % is a safe floor across sizes
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html).
 */
export const REGISTRABLE_MEMORY_SHARE = 0.9;

/** The tag naming the capacity provider this project associated with a group (the adoption guard reads it). */
export const CAPACITY_PROVIDER_MARKER_TAG = "EcsCapacityProvider";
/** The tag associating a capacity provider adds to its Auto Scaling group (AWS provider docs, aws_ecs_capacity_provider). */
export const ECS_MANAGED_TAG = "AmazonECSManaged";

/**
 * The AWS-managed policies of the container instances' role: the ECS agent's needs follow new ECS features,
 * and AWS keeps them current. (The CI deploy role may attach exactly these.)
 */
export const INSTANCE_MANAGED_POLICIES = {
  ecs_agent: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
  ssm_session_manager: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
} as const;

/**
 * How an instance refresh replaces instances: launch the new instance first and keep every old one until the
 * new one is in service and warmed up (min healthy 100%, max healthy 200% of the desired capacity), because
 * draining an instance stops its daemon task at once (ECS developer guide, "Draining Amazon ECS container
 * instances"). Protected instances are replaced too (the provider's default, Ignore, would skip them all;
 * console-built ECS groups protect their instances from scale-in).
 * Reference: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export const INSTANCE_REFRESH = {
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  scaleInProtectedInstances: "Refresh",
  // A refresh that fails, or during which a stop alarm goes off, rolls the group back to the previous launch
  // template version. Supported because the group names a template version number (not $Latest or
  // $Default) and the template holds an AMI id, not an SSM parameter reference (RefreshPreferences API,
  // AutoRollback: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
  autoRollback: true,
} as const;

/**
 * EC2 capacity for the cluster: a launch template of ECS-optimized Graviton instances, the Auto Scaling group
 * that runs them (scaled on CPU where it may grow, refreshed whenever the launch template changes), and an
 * ECS capacity provider on that group attached to the cluster (managed draining, no managed scaling).
 */
export class ClusterCapacity extends Construct {
  readonly autoScalingGroupName: string;
  readonly capacityProviderName: string;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly capacityProvider: EcsCapacityProvider;
  readonly clusterCapacityProviders: EcsClusterCapacityProviders;
  /** The CPU target-tracking policy, where maxSize > minSize. */
  readonly cpuScaling?: CpuTargetTracking;

  constructor(scope: Construct, id: string, props: ClusterCapacityProps) {
    super(scope, id);
    const { config } = props;

    ClusterCapacity.checkSizes(config, id);
    const { instanceProfile, instanceSecurityGroup } = this.instanceIdentity(props);
    const launchTemplate = this.template(props, instanceProfile.arn, instanceSecurityGroup.id);
    this.launchTemplate = launchTemplate;

    const stopOn = props.refreshStopAlarmNames ?? [];
    if (stopOn.length > 10) throw new Error(`refreshStopAlarmNames: at most 10 alarms (RefreshPreferences AlarmSpecification), got ${stopOn.length}`);
    const refreshPreferences: NonNullable<AutoscalingGroupConfig["instanceRefresh"]>["preferences"] = {
      ...INSTANCE_REFRESH,
      // The refresh waits this long on each new instance before it terminates an old one.
      instanceWarmup: String(config.instanceWarmupSeconds),
      ...(stopOn.length > 0 ? { alarmSpecification: { alarms: [...stopOn] } } : {}),
    };
    const group = new AutoscalingGroup(this, "auto_scaling_group", {
      name: config.autoScalingGroupName,
      minSize: config.minSize,
      maxSize: config.maxSize,
      desiredCapacity: config.desiredCapacity,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "EC2",
      // The template's latest version (not "$Latest"): a new AMI, pinned or from SSM, makes a new version, so
      // the group's launch_template changes and Terraform starts the instance refresh below.
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      instanceRefresh: { strategy: "Rolling", preferences: refreshPreferences },
      // No scale-in protection: nothing would lift it (ECS managed termination protection needs managed
      // scaling, which is off), so the CPU policy could never scale in.
      protectFromScaleIn: false,
      tag: [
        // Required on a group used by an ECS capacity provider (terraform-provider-aws #12582).
        { key: ECS_MANAGED_TAG, value: "", propagateAtLaunch: true },
        { key: "Name", value: `${props.cluster.name}-instance`, propagateAtLaunch: true },
        // On an adopted group, the marker that the capacity provider on it is this stack's (the guard below).
        ...(props.adoptedGroup ? [{ key: CAPACITY_PROVIDER_MARKER_TAG, value: config.capacityProviderName, propagateAtLaunch: false }] : []),
      ],
      lifecycle: {
        // desiredCapacity is the starting size only: the CPU policy moves it, and Terraform must not pull it
        // back on every apply (nor show it as a change in every plan).
        ignoreChanges: ["desired_capacity"],
      },
    });
    this.autoScalingGroup = group;
    this.autoScalingGroupName = group.name;

    if (props.scalingPolicyName) {
      this.cpuScaling = new CpuTargetTracking(this, "cpu_scaling", {
        name: props.scalingPolicyName,
        autoScalingGroupName: group.name,
        targetPercent: config.cpuTargetPercent,
        instanceWarmupSeconds: config.instanceWarmupSeconds,
      });
    }

    const capacityProvider = new EcsCapacityProvider(this, "capacity_provider", {
      name: config.capacityProviderName,
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        // Managed termination protection guards only instances running non-daemon tasks, works only with
        // managed scaling ("managed scaling must also be used", AutoScalingGroupProvider API) and is the
        // classic cause of stuck destroys (terraform-provider-aws #18849).
        managedTerminationProtection: "DISABLED",
        // Drains tasks off an instance before Auto Scaling terminates it (scale-in, instance refresh).
        managedDraining: "ENABLED",
        // Off: capacity-provider scaling counts only instances running non-daemon tasks ("a container
        // instance is considered empty even when daemon tasks are running"), so with the DAEMON service alone
        // it would hold the group at minSize. The CPU target-tracking policy scales the group instead
        // (API ManagedScaling: with scaling disabled "the user must manage the scaling").
        managedScaling: { status: "DISABLED" },
      },
      lifecycle: props.adoptedGroup
        ? { precondition: [this.noOtherCapacityProvider(config.autoScalingGroupName, config.capacityProviderName, props.adoptedGroup.message)] }
        : undefined,
    });
    this.capacityProvider = capacityProvider;
    this.capacityProviderName = capacityProvider.name;

    this.clusterCapacityProviders = new EcsClusterCapacityProviders(this, "cluster_capacity_providers", {
      clusterName: props.cluster.name,
      capacityProviders: [capacityProvider.name],
      defaultCapacityProviderStrategy: [{ capacityProvider: capacityProvider.name, weight: 1, base: 0 }],
    });
  }

  /** The instances' role (ECS agent, Session Manager), its instance profile, and a security group with no ingress. */
  private instanceIdentity(props: ClusterCapacityProps): { instanceProfile: IamInstanceProfile; instanceSecurityGroup: SecurityGroup } {
    // The ECS agent's permissions (register, poll, pull images) plus Session Manager instead of SSH.
    const instanceRole = new IamRole(this, "instance_role", {
      name: props.names.instanceRole,
      description: "ECS container instances: ECS agent and SSM Session Manager",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    for (const [purpose, policyArn] of Object.entries(INSTANCE_MANAGED_POLICIES)) {
      new IamRolePolicyAttachment(this, `instance_role_${purpose}`, { role: instanceRole.name, policyArn });
    }
    const instanceProfile = new IamInstanceProfile(this, "instance_profile", {
      name: props.names.instanceProfile,
      role: instanceRole.name,
    });

    // Instances accept no inbound traffic at all (no SSH: Session Manager goes out over 443).
    const instanceSecurityGroup = new SecurityGroup(this, "instance_security_group", {
      name: props.names.instanceSecurityGroup,
      description: "ECS container instances: no inbound, outbound for the ECS agent, ECR and SSM",
      vpcId: props.vpcId,
      tags: { Name: props.names.instanceSecurityGroup },
    });
    new VpcSecurityGroupEgressRule(this, "instance_outbound", {
      securityGroupId: instanceSecurityGroup.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "-1",
      description: "Outbound: ECS and SSM endpoints, ECR, OS updates",
    });
    return { instanceProfile, instanceSecurityGroup };
  }

  /** The launch template: ECS-optimized AL2023 ARM64, IMDSv2, encrypted gp3, no public IP, the ECS user data. */
  private template(props: ClusterCapacityProps, instanceProfileArn: string, securityGroupId: string): LaunchTemplate {
    const { config } = props;
    const imageId =
      config.ami.source === "pinned"
        ? config.ami.id
        : new DataAwsSsmParameter(this, "ecs_optimized_ami", { name: ECS_AL2023_ARM64_AMI_PARAMETER }).insecureValue;

    return new LaunchTemplate(this, "launch_template", {
      lifecycle: props.daemonTask ? { precondition: this.instanceFits(props, props.daemonTask) } : undefined,
      name: props.launchTemplateName,
      description: `ECS-optimized AL2023 ARM64 instances for cluster ${props.cluster.name}`,
      imageId,
      instanceType: config.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: "true",
      iamInstanceProfile: { arn: instanceProfileArn },
      // IMDSv2 only; hop limit 1 keeps containers on bridge networks away from instance credentials.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      monitoring: { enabled: true },
      networkInterfaces: [
        {
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [securityGroupId],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: config.rootVolumeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      userData: Fn.base64encode(containerInstanceUserData({ clusterName: props.cluster.name, reservedMemoryMiB: config.reservedMemoryMiB })),
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.cluster.name}-instance` } },
        { resourceType: "volume", tags: { Name: `${props.cluster.name}-instance` } },
      ],
    });
  }

  /**
   * The group's sizes, checked before anything is built: min <= desired <= max, and room above minSize for
   * an instance refresh, which launches each new instance before it terminates an old one (min healthy 100 %).
   */
  static checkSizes(config: Pick<CapacityConfig, "minSize" | "desiredCapacity" | "maxSize">, id = "capacity"): void {
    const { minSize, desiredCapacity, maxSize } = config;
    if (minSize > maxSize) throw new Error(`${id}.minSize: must be <= ${id}.maxSize (${maxSize}) (got ${minSize})`);
    if (maxSize === minSize) {
      throw new Error(
        `${id}.maxSize: must be above ${id}.minSize (${minSize}): an instance refresh launches a new instance before it terminates an old one (got ${maxSize})`,
      );
    }
    if (desiredCapacity < minSize || desiredCapacity > maxSize) {
      throw new Error(`${id}.desiredCapacity: must be between ${id}.minSize (${minSize}) and ${id}.maxSize (${maxSize}) (got ${desiredCapacity})`);
    }
  }

  /**
   * Plan-time preconditions from EC2's description of the instance type (DescribeInstanceTypes): AWS keeps
   * the list of types, their architectures, vCPUs and memory current, so no table here goes stale. A type that
   * does not exist fails the data source's read with EC2's InvalidInstanceType error.
   */
  private instanceFits(props: ClusterCapacityProps, task: { readonly cpu: number; readonly memoryMiB: number }) {
    const { instanceType, reservedMemoryMiB, cpuTargetPercent } = props.config;
    const type = new DataAwsEc2InstanceType(this, "instance_type", { instanceType });
    const cpuUnits = `${type.fqn}.default_vcpus * ${CPU_UNITS_PER_VCPU}`;
    const taskMemory = `floor(${type.fqn}.memory_size * ${REGISTRABLE_MEMORY_SHARE}) - ${reservedMemoryMiB}`;
    const checks = [
      {
        condition: `\${contains(${type.fqn}.supported_architectures, "arm64")}`,
        errorMessage: `${this.node.id}.instanceType: ${instanceType} does not run arm64 (EC2 lists \${join(", ", ${type.fqn}.supported_architectures)}); the task and its image are ARM64`,
      },
      {
        condition: `\${${task.cpu} <= ${cpuUnits}}`,
        errorMessage: `task.cpu: ${task.cpu} CPU units do not fit on ${instanceType} (${this.node.id}.instanceType): it has \${${cpuUnits}} (vCPUs x 1024)`,
      },
      {
        condition: `\${${task.memoryMiB} <= ${taskMemory}}`,
        errorMessage: `task.memory: ${task.memoryMiB} MiB do not fit on ${instanceType} (${this.node.id}.instanceType): \${${taskMemory}} MiB are left for tasks (90 % of \${${type.fqn}.memory_size} MiB for the OS, minus ${this.node.id}.reservedMemoryMiB ${reservedMemoryMiB})`,
      },
    ];
    if (props.scalingPolicyName) {
      // On EC2 the task's cpu is a CFS quota: one daemon task per instance keeps the instance's average CPU near
      // task.cpu / instance CPU, so a target at or above that never scales out (re:Post "How is CPU allocated
      // to ECS tasks on EC2").
      const ceiling = `floor(${task.cpu} * 100 / (${cpuUnits}))`;
      checks.push({
        condition: `\${${cpuTargetPercent} < ${ceiling}}`,
        errorMessage: `${this.node.id}.cpuTargetPercent: ${cpuTargetPercent} is never reached: the daemon task (task.cpu ${task.cpu}) caps ${instanceType}'s average CPU near \${${ceiling}} %, so the group would never scale out; set it below that`,
      });
    }
    return checks;
  }

  /**
   * A plan-time check that an adopted group has no capacity provider but ours: ECS refuses a second one ("The
   * specified Auto Scaling group ARN is already being used by another capacity provider",
   * aws/containers-roadmap#632), and Terraform would update the group (and start its instance refresh) before
   * it creates the capacity provider, so the failure would come after changes. Read when planning, so the
   * plan stops before any change.
   */
  private noOtherCapacityProvider(groupName: string, ours: string, message: string) {
    const live = new DataAwsAutoscalingGroup(this, "adopted_group", { name: groupName });
    const keys = `[for t in ${live.fqn}.tag : t.key]`;
    const pairs = `[for t in ${live.fqn}.tag : "\${t.key}=\${t.value}"]`;
    return {
      condition: `\${!contains(${keys}, "${ECS_MANAGED_TAG}") || contains(${pairs}, "${CAPACITY_PROVIDER_MARKER_TAG}=${ours}")}`,
      errorMessage: message,
    };
  }
}
