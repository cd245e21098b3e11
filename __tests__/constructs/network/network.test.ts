import { DataAwsDbSubnetGroup } from "@cdktf/provider-aws/lib/data-aws-db-subnet-group";
import { DataAwsRdsCluster } from "@cdktf/provider-aws/lib/data-aws-rds-cluster";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { EnvironmentInput } from "../../../src/config";
import { Network } from "../../../src/constructs/network/network";
import { all, named, NEW_VPC_NETWORK, only, ref, refNamed, stagingConfig, synthConstruct, synthPlatform } from "../../helpers";

const explicitNetwork = {
  mode: "explicit",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
  databaseSecurityGroupId: "sg-0123456789abcdef0",
  httpSource: { kind: "cidrs", cidrs: ["10.1.0.0/16"] },
} satisfies EnvironmentInput["network"];

describe("discovery (the staging default)", () => {
  const { synth, json } = synthPlatform();

  test("finds the VPC through the spec's database cluster and its DB subnet group", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsRdsCluster, { cluster_identifier: "slp-staging-2023-aug-cluster-cluster" });
    expect(synth).toHaveDataSourceWithProperties(DataAwsDbSubnetGroup, { name: ref(json, "aws_rds_cluster", "db_subnet_group_name", "data") });
    for (const group of all(json, "aws_security_group")) {
      expect(group.vpc_id).toBe(ref(json, "aws_db_subnet_group", "vpc_id", "data"));
    }
  });

  test("picks the subnets by the configured tag filter inside that VPC", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsSubnets, {
      filter: [
        { name: "vpc-id", values: [ref(json, "aws_db_subnet_group", "vpc_id", "data")] },
        { name: "tag:Name", values: ["*private*"] },
      ],
    });
    expect(only(json, "aws_ecs_service").network_configuration.subnets).toBe(ref(json, "aws_subnets", "ids", "data"));
  });

  test("opens the database's own security groups to the task group on 3306", () => {
    const rule = named(json, "aws_vpc_security_group_ingress_rule", "database_from_task");
    expect(rule).toMatchObject({
      for_each: `\${toset(tolist(data.aws_rds_cluster.${Object.keys(json.data.aws_rds_cluster)[0]}.vpc_security_group_ids))}`,
      security_group_id: "${each.value}",
      referenced_security_group_id: refNamed(json, "aws_security_group", "task_security_group", "id"),
      from_port: 3306,
      to_port: 3306,
      ip_protocol: "tcp",
    });
  });

  test("opens port 80 of the task only to the VPC's CIDR block", () => {
    const http = all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 80);
    expect(http).toEqual([expect.objectContaining({ cidr_ipv4: ref(json, "aws_vpc", "cidr_block", "data"), from_port: 80, to_port: 80, ip_protocol: "tcp" })]);
  });

  test("creates no VPC or subnet", () => {
    expect(synth).not.toHaveResource(Vpc);
    expect(synth).not.toHaveResource(Subnet);
  });
});

describe("explicit ids", () => {
  const { synth, json } = synthPlatform(stagingConfig((r) => (r.network = explicitNetwork)));

  test("uses the given VPC and subnets for instances and tasks", () => {
    expect(synth).toHaveResourceWithProperties(SecurityGroup, { name: "myslp-staging-task", vpc_id: "vpc-0123456789abcdef0" });
    expect(only(json, "aws_autoscaling_group").vpc_zone_identifier).toEqual(explicitNetwork.subnetIds);
    expect(only(json, "aws_ecs_service").network_configuration.subnets).toEqual(explicitNetwork.subnetIds);
    expect(json.data.aws_rds_cluster).toBeUndefined();
  });

  test("admits port 80 only from the configured CIDR blocks", () => {
    const http = all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 80);
    expect(http).toEqual([expect.objectContaining({ cidr_ipv4: "10.1.0.0/16" })]);
  });

  test("opens the configured database group", () => {
    expect(named(json, "aws_vpc_security_group_ingress_rule", "database_from_task").for_each).toBe('${toset(["sg-0123456789abcdef0"])}');
  });

  test("admits port 80 from a source security group when configured", () => {
    const j = synthPlatform(
      stagingConfig((r) => (r.network = { ...explicitNetwork, httpSource: { kind: "security-group", securityGroupId: "sg-0aaaaaaaaaaaaaaaa" } })),
    ).json;
    const http = all(j, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 80);
    expect(http).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-0aaaaaaaaaaaaaaaa" })]);
  });

  test("leaves the database's security group alone when database access is off", () => {
    const j = synthPlatform(stagingConfig((r) => (r.network = explicitNetwork) && (r.wordpress.database.allowTaskAccess = false))).json;
    expect(all(j, "aws_vpc_security_group_ingress_rule").filter((r) => r.from_port === 3306)).toEqual([]);
  });
});

describe("a new VPC", () => {
  const network = NEW_VPC_NETWORK;
  const { synth, json } = synthPlatform(stagingConfig((r) => (r.network = network)));

  test("creates public and private subnets in every zone", () => {
    expect(synth).toHaveResourceWithProperties(Vpc, { cidr_block: "10.20.0.0/16", enable_dns_hostnames: true });
    const subnets = all(json, "aws_subnet");
    expect(subnets.map((s) => [s.availability_zone, s.tags.Tier]).sort()).toEqual([
      ["us-east-1a", "private"],
      ["us-east-1a", "public"],
      ["us-east-1b", "private"],
      ["us-east-1b", "public"],
    ]);
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  test("routes private subnets through one NAT gateway, or one per zone when asked", () => {
    expect(all(json, "aws_nat_gateway")).toHaveLength(1);
    // The network alone is enough to count gateways.
    const config = stagingConfig((r) => (r.network = { ...network, natGatewayPerZone: true })).network;
    const perZone = synthConstruct((scope) => new Network(scope, "network", { config, namePrefix: "myslp-staging" }));
    expect(perZone.synth).toHaveResource(NatGateway);
    expect(all(perZone.json, "aws_nat_gateway")).toHaveLength(2);
  });

  test("runs instances and tasks in the private subnets", () => {
    const privateIds = Object.entries(json.resource.aws_subnet)
      .filter(([, s]) => (s as any).tags.Tier === "private")
      .map(([id]) => `\${aws_subnet.${id}.id}`);
    expect(only(json, "aws_autoscaling_group").vpc_zone_identifier).toEqual(privateIds);
    expect(only(json, "aws_ecs_service").network_configuration.subnets).toEqual(privateIds);
  });
});
