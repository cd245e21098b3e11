import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsDbSubnetGroup } from "@cdktf/provider-aws/lib/data-aws-db-subnet-group";
import { DataAwsRdsCluster } from "@cdktf/provider-aws/lib/data-aws-rds-cluster";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { NetworkConfig } from "../../config";

/** A new VPC's subnets of each tier: public cidrsubnet(vpc, 4, i), private cidrsubnet(vpc, 4, i + 8), one per zone. */
export const MAX_NEW_VPC_ZONES = 8;
/** The bits added to the VPC's prefix for each subnet. */
export const SUBNET_NEWBITS = 4;

export interface NetworkProps {
  /** How to find or build the VPC (explicit ids, discovery through the database cluster, or a new VPC). */
  readonly config: NetworkConfig;
  /** Prefix for the Name tags of resources this construct creates (new-VPC mode only). */
  readonly namePrefix: string;
}

/**
 * The VPC wiring the platform runs in. It never invents ids: it takes them from config, discovers them
 * through the database cluster, or creates a VPC. Exposes what the capacity and the service need.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Subnets for the container instances and the awsvpc task ENIs (private: tasks get no public IP on EC2). */
  readonly privateSubnetIds: string[];
  /** Public subnets for the load balancer: created, given by id, or found by tag. */
  readonly publicSubnetIds?: string[];
  /** The database's security groups, where known (explicit id, or the discovered cluster's groups). */
  readonly databaseSecurityGroupIds?: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { config } = props;
    switch (config.mode) {
      case "explicit": {
        const vpc = new DataAwsVpc(this, "vpc", { id: config.vpcId });
        this.vpcId = config.vpcId;
        this.vpcCidr = vpc.cidrBlock;
        this.privateSubnetIds = [...config.subnetIds];
        this.publicSubnetIds = config.publicSubnetIds ? [...config.publicSubnetIds] : undefined;
        this.databaseSecurityGroupIds = config.databaseSecurityGroupId ? [config.databaseSecurityGroupId] : undefined;
        break;
      }
      case "discover": {
        // The database cluster the task talks to sits in our VPC: its DB subnet group names the VPC.
        const database = new DataAwsRdsCluster(this, "database_cluster", {
          clusterIdentifier: config.databaseClusterIdentifier,
        });
        const subnetGroup = new DataAwsDbSubnetGroup(this, "database_subnet_group", {
          name: database.dbSubnetGroupName,
        });
        const vpc = new DataAwsVpc(this, "vpc", { id: subnetGroup.vpcId });
        const subnets = new DataAwsSubnets(this, "private_subnets", {
          filter: [
            { name: "vpc-id", values: [subnetGroup.vpcId] },
            { name: `tag:${config.subnetTagFilter.key}`, values: [...config.subnetTagFilter.values] },
          ],
        });
        this.vpcId = subnetGroup.vpcId;
        this.vpcCidr = vpc.cidrBlock;
        this.privateSubnetIds = subnets.ids;
        if (config.publicSubnetTagFilter) {
          this.publicSubnetIds = new DataAwsSubnets(this, "public_subnets", {
            filter: [
              { name: "vpc-id", values: [subnetGroup.vpcId] },
              { name: `tag:${config.publicSubnetTagFilter.key}`, values: [...config.publicSubnetTagFilter.values] },
            ],
          }).ids;
        }
        this.databaseSecurityGroupIds = database.vpcSecurityGroupIds;
        break;
      }
      case "new": {
        const created = this.createVpc(config, props.namePrefix);
        this.vpcId = created.vpcId;
        this.vpcCidr = created.vpcCidr;
        this.privateSubnetIds = created.privateSubnetIds;
        this.publicSubnetIds = created.publicSubnetIds;
        this.databaseSecurityGroupIds = config.databaseSecurityGroupId ? [config.databaseSecurityGroupId] : undefined;
        break;
      }
    }
  }

  /**
   * What a new VPC's layout can honour: CreateVpc and CreateSubnet accept /16 to /28
   * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html); each subnet is SUBNET_NEWBITS
   * smaller than the VPC, and 16 subnets (8 public, 8 private) must not overlap.
   */
  static checkNewVpc(config: { readonly cidr: string; readonly availabilityZones: readonly string[] }, id = "network"): void {
    const prefix = Number(config.cidr.split("/")[1]);
    if (prefix < 16 || prefix > 28) {
      throw new Error(`${id}.cidr: must be a /16 to /28 block: CreateVpc accepts no other sizes (got ${config.cidr})`);
    }
    if (prefix + SUBNET_NEWBITS > 28) {
      throw new Error(
        `${id}.cidr: must be /16 to /${28 - SUBNET_NEWBITS}: each subnet is ${SUBNET_NEWBITS} bits smaller (/${prefix + SUBNET_NEWBITS}), and CreateSubnet accepts at most /28 (got ${config.cidr})`,
      );
    }
    if (config.availabilityZones.length > MAX_NEW_VPC_ZONES) {
      throw new Error(
        `${id}.availabilityZones: must list at most ${MAX_NEW_VPC_ZONES} zones: the VPC is cut into 16 subnets, ${MAX_NEW_VPC_ZONES} public and ${MAX_NEW_VPC_ZONES} private, and more would overlap (got ${config.availabilityZones.length})`,
      );
    }
  }

  private createVpc(config: Extract<NetworkConfig, { mode: "new" }>, namePrefix: string) {
    Network.checkNewVpc(config, this.node.id);
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: config.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${namePrefix}-vpc` },
    });
    const internetGateway = new InternetGateway(this, "internet_gateway", {
      vpcId: vpc.id,
      tags: { Name: `${namePrefix}-igw` },
    });
    const publicRoutes = new RouteTable(this, "public_routes", {
      vpcId: vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
      tags: { Name: `${namePrefix}-public` },
    });

    const publicSubnetIds: string[] = [];
    const privateSubnetIds: string[] = [];
    const natGatewayIds: string[] = [];
    // /20s out of the VPC block: public subnets take indexes 0..n-1, private ones 8..8+n-1.
    config.availabilityZones.forEach((zone, index) => {
      const publicSubnet = new Subnet(this, `public_${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: Fn.cidrsubnet(vpc.cidrBlock, SUBNET_NEWBITS, index),
        // Only the load balancer and NAT gateways live here; instances never get a public IP.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${namePrefix}-public-${zone}`, Tier: "public" },
      });
      new RouteTableAssociation(this, `public_${zone}_routes`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      publicSubnetIds.push(publicSubnet.id);

      if (config.natGatewayPerZone || index === 0) {
        const eip = new Eip(this, `nat_${zone}_ip`, { domain: "vpc", tags: { Name: `${namePrefix}-nat-${zone}` } });
        const nat = new NatGateway(this, `nat_${zone}`, {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          tags: { Name: `${namePrefix}-nat-${zone}` },
          dependsOn: [internetGateway],
        });
        natGatewayIds.push(nat.id);
      }

      const privateSubnet = new Subnet(this, `private_${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: Fn.cidrsubnet(vpc.cidrBlock, SUBNET_NEWBITS, index + MAX_NEW_VPC_ZONES),
        tags: { Name: `${namePrefix}-private-${zone}`, Tier: "private" },
      });
      const privateRoutes = new RouteTable(this, `private_${zone}_routes`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGatewayIds[natGatewayIds.length - 1] }],
        tags: { Name: `${namePrefix}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private_${zone}_routes_association`, {
        subnetId: privateSubnet.id,
        routeTableId: privateRoutes.id,
      });
      privateSubnetIds.push(privateSubnet.id);
    });

    return { vpcId: vpc.id, vpcCidr: vpc.cidrBlock, publicSubnetIds, privateSubnetIds };
  }
}
