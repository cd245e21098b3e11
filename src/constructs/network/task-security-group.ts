import { Construct } from "constructs";
import { TerraformIterator } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { HttpSource } from "../../config";
import { acceptFinding } from "../shared/policy-exceptions";

export interface TaskSecurityGroupProps {
  /** The security group's name. */
  readonly name: string;
  /** The VPC of the tasks' ENIs. */
  readonly vpcId: string;
  /** The VPC's CIDR block, used when `httpSource.kind` is "vpc". */
  readonly vpcCidr: string;
  /** Who may reach the container port. */
  readonly httpSource: HttpSource;
  /** The load balancer's security group, for `httpSource.kind` "load-balancer". @default none */
  readonly loadBalancerSecurityGroupId?: string;
  /** The port the container listens on (HTTP). */
  readonly containerPort: number;
  /**
   * The database's security groups that get an ingress rule from this group on `databasePort`. They are
   * not ours (the database predates this stack), so the caller decides whether to touch them.
   * @default none: no database rule
   */
  readonly databaseSecurityGroupIds?: string[];
  /** The database's port, opened on its security groups. */
  readonly databasePort: number;
}

/**
 * The awsvpc task's security group: the container port open only to the configured source, outbound open
 * (image pulls from ECR, Secrets Manager, the database, WordPress updates), and the path to the database.
 */
export class TaskSecurityGroup extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: TaskSecurityGroupProps) {
    super(scope, id);
    const group = new SecurityGroup(this, "group", {
      name: props.name,
      description: `ECS task ${props.name}: port ${props.containerPort} from the configured source only`,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.securityGroupId = group.id;

    const port = { fromPort: props.containerPort, toPort: props.containerPort, ipProtocol: "tcp" };
    const source = props.httpSource;
    if (source.kind === "security-group" || source.kind === "load-balancer") {
      const from = source.kind === "security-group" ? source.securityGroupId : props.loadBalancerSecurityGroupId;
      if (!from) throw new Error(`TaskSecurityGroup ${props.name}: httpSource "load-balancer" needs loadBalancerSecurityGroupId`);
      const rule = new VpcSecurityGroupIngressRule(this, "http_from_source_group", {
        securityGroupId: group.id,
        referencedSecurityGroupId: from,
        description: source.kind === "load-balancer" ? "Container port from the load balancer only" : "Container port from the configured security group",
        ...port,
      });
      acceptFinding(
        rule,
        "CKV_AWS_260",
        "The source is one security group (referenced_security_group_id), not 0.0.0.0/0; checkov flags any port-80 rule without a CIDR.",
      );
    } else {
      const cidrs = source.kind === "vpc" ? [props.vpcCidr] : source.cidrs;
      cidrs.forEach((cidr, index) => {
        new VpcSecurityGroupIngressRule(this, `http_from_cidr_${index}`, {
          securityGroupId: group.id,
          cidrIpv4: cidr,
          description: source.kind === "vpc" ? "Container port from inside the VPC" : "Container port from a configured CIDR block",
          ...port,
        });
      });
    }

    new VpcSecurityGroupEgressRule(this, "all_outbound", {
      securityGroupId: group.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "-1",
      description: "Outbound: ECR, Secrets Manager, CloudWatch Logs, the database, WordPress updates",
    });

    if (props.databaseSecurityGroupIds) {
      // One rule per database security group; for_each also covers groups only known at plan time (discovery).
      const databaseGroups = TerraformIterator.fromList(props.databaseSecurityGroupIds);
      new VpcSecurityGroupIngressRule(this, "database_from_task", {
        forEach: databaseGroups,
        securityGroupId: databaseGroups.value,
        referencedSecurityGroupId: group.id,
        fromPort: props.databasePort,
        toPort: props.databasePort,
        ipProtocol: "tcp",
        description: `MySQL from ECS task group ${props.name}`,
      });
    }
  }
}
