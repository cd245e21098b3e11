import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
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
import { containerInstanceUserData } from "./container-instance-user-data";
import { serviceTrustPolicy } from "../shared/iam-policy";

/** The public SSM parameter holding the recommended ECS-optimized Amazon Linux 2023 ARM64 AMI id. */
export const ECS_AL2023_ARM64_AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id";

export interface ClusterCapacityProps {
  readonly clusterName: string;
  readonly config: CapacityConfig;
  /** The launch template's name; undefined keeps an adopted template's live name. */
  readonly launchTemplateName?: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** Prefix for names the spec does not give (role, instance profile, security group). */
  readonly namePrefix: string;
}

/**
 * EC2 capacity for the cluster: a launch template of ECS-optimized Graviton instances, the Auto Scaling group
 * that runs them, and an ECS capacity provider on that group attached to the cluster.
 */
export class ClusterCapacity extends Construct {
  readonly autoScalingGroupName: string;
  readonly capacityProviderName: string;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly capacityProvider: EcsCapacityProvider;
  readonly clusterCapacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: ClusterCapacityProps) {
    super(scope, id);
    const { config } = props;

    // The ECS agent's permissions (register, poll, pull images) plus Session Manager instead of SSH.
    const instanceRole = new IamRole(this, "instance_role", {
      name: `${props.namePrefix}-ecs-instance`,
      description: "ECS container instances: ECS agent and SSM Session Manager",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    // AWS-managed policies: the ECS agent's needs follow new ECS features, and AWS keeps them current.
    const managedPolicies = {
      ecs_agent: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
      ssm_session_manager: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    };
    for (const [purpose, policyArn] of Object.entries(managedPolicies)) {
      new IamRolePolicyAttachment(this, `instance_role_${purpose}`, { role: instanceRole.name, policyArn });
    }
    const instanceProfile = new IamInstanceProfile(this, "instance_profile", {
      name: `${props.namePrefix}-ecs-instance`,
      role: instanceRole.name,
    });

    // Instances accept no inbound traffic at all (no SSH: Session Manager goes out over 443).
    const instanceSecurityGroup = new SecurityGroup(this, "instance_security_group", {
      name: `${props.namePrefix}-ecs-instances`,
      description: "ECS container instances: no inbound, outbound for the ECS agent, ECR and SSM",
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-ecs-instances` },
    });
    new VpcSecurityGroupEgressRule(this, "instance_outbound", {
      securityGroupId: instanceSecurityGroup.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "-1",
      description: "Outbound: ECS and SSM endpoints, ECR, OS updates",
    });

    const imageId =
      config.ami.source === "pinned"
        ? config.ami.id
        : new DataAwsSsmParameter(this, "ecs_optimized_ami", { name: ECS_AL2023_ARM64_AMI_PARAMETER }).insecureValue;

    const launchTemplate = new LaunchTemplate(this, "launch_template", {
      name: props.launchTemplateName,
      description: `ECS-optimized AL2023 ARM64 instances for cluster ${props.clusterName}`,
      imageId,
      instanceType: config.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: "true",
      iamInstanceProfile: { arn: instanceProfile.arn },
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
          securityGroups: [instanceSecurityGroup.id],
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
      userData: Fn.base64encode(
        containerInstanceUserData({ clusterName: props.clusterName, reservedMemoryMiB: config.reservedMemoryMiB }),
      ),
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${props.clusterName}-instance` } },
        { resourceType: "volume", tags: { Name: `${props.clusterName}-instance` } },
      ],
    });
    this.launchTemplate = launchTemplate;

    const group = new AutoscalingGroup(this, "auto_scaling_group", {
      name: config.autoScalingGroupName,
      minSize: config.minSize,
      maxSize: config.maxSize,
      desiredCapacity: config.desiredCapacity,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "EC2",
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      // Scale-in protection is what managed termination protection relies on; both follow the config.
      protectFromScaleIn: config.managedTerminationProtection,
      tag: [
        // Required on a group used by an ECS capacity provider (terraform-provider-aws #12582).
        { key: "AmazonECSManaged", value: "", propagateAtLaunch: true },
        { key: "Name", value: `${props.clusterName}-instance`, propagateAtLaunch: true },
      ],
      lifecycle: {
        // ECS managed scaling moves desired capacity; Terraform must not pull it back on every apply.
        ignoreChanges: ["desired_capacity"],
      },
    });
    this.autoScalingGroup = group;
    this.autoScalingGroupName = group.name;

    const capacityProvider = new EcsCapacityProvider(this, "capacity_provider", {
      name: config.capacityProviderName,
      autoScalingGroupProvider: {
        autoScalingGroupArn: group.arn,
        // Managed termination protection guards only instances running non-daemon tasks and is the classic
        // cause of stuck destroys (terraform-provider-aws #18849), so it is off unless config asks.
        managedTerminationProtection: config.managedTerminationProtection ? "ENABLED" : "DISABLED",
        // Drains tasks off an instance before Auto Scaling terminates it.
        managedDraining: "ENABLED",
        managedScaling: {
          status: "ENABLED",
          targetCapacity: config.targetCapacityPercent,
          minimumScalingStepSize: 1,
          maximumScalingStepSize: 1,
        },
      },
    });
    this.capacityProvider = capacityProvider;
    this.capacityProviderName = capacityProvider.name;

    this.clusterCapacityProviders = new EcsClusterCapacityProviders(this, "cluster_capacity_providers", {
      clusterName: props.clusterName,
      capacityProviders: [capacityProvider.name],
      defaultCapacityProviderStrategy: [{ capacityProvider: capacityProvider.name, weight: 1, base: 0 }],
    });
  }
}
