import type { PolicyStatement } from "../shared/iam-policy";
import { DATABASE_ACCESS_TAG, type DeployScope, inRegion, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the network constructs needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts):
 * security groups and their rules, the database's ingress rule where allowed, and a new VPC.
 */

/** Security groups and rules; the database's ingress rule; a new VPC when the environment creates one. */
export function networkDeployStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  const ruleChanges = [
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    "ec2:ModifySecurityGroupRules",
  ];
  const statements: PolicyStatement[] = [
    { Sid: "SecurityGroupCreate", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: arn("ec2", "security-group/*"), Condition: creating },
    // The VPC a group is created in is not ours when the network is discovered; the group still is.
    { Sid: "SecurityGroupCreateInVpc", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: arn("ec2", "vpc/*"), Condition: inRegion(scope) },
    {
      Sid: "SecurityGroupsOfTheEnvironment",
      Effect: "Allow",
      Action: [
        ...ruleChanges,
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      ],
      Resource: arn("ec2", "security-group/*"),
      Condition: tagged,
    },
    // aws_vpc_security_group_*_rule resources are tagged on creation (a security-group-rule resource).
    {
      Sid: "SecurityGroupRuleCreate",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
      Resource: arn("ec2", "security-group-rule/*"),
      Condition: creating,
    },
    {
      Sid: "SecurityGroupRulesOfTheEnvironment",
      Effect: "Allow",
      Action: ["ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress"],
      Resource: arn("ec2", "security-group-rule/*"),
      Condition: tagged,
    },
    {
      Sid: "TagOnCreateOnly",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: { ...creating, "ForAnyValue:StringEquals": { "ec2:CreateAction": ec2CreateActions(scope) } },
    },
    { Sid: "TagsOfTheEnvironment", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: "*", Condition: tagged },
  ];
  if (scope.databaseAccess) {
    statements.push({
      Sid: "DatabaseIngressWhereAdministratorAllowed",
      Effect: "Allow",
      Action: ruleChanges,
      Resource: arn("ec2", "security-group/*"),
      Condition: { StringEquals: { [`aws:ResourceTag/${DATABASE_ACCESS_TAG}`]: scope.environment } },
    });
  }
  if (scope.createsNetwork) statements.push(...newNetworkStatements(scope));
  return statements;
}

/** A new VPC (network mode "new"): created with the environment's tag, changed only when it carries it. */
function newNetworkStatements(scope: DeployScope): PolicyStatement[] {
  const { creating, tagged } = scopeHelpers(scope);
  return [
    {
      Sid: "NetworkCreate",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:CreateSubnet",
        "ec2:CreateInternetGateway",
        "ec2:AllocateAddress",
        "ec2:CreateNatGateway",
        "ec2:CreateRouteTable",
        "ec2:CreateSecurityGroup",
      ],
      Resource: "*",
      Condition: creating,
    },
    {
      Sid: "NetworkOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:DeleteInternetGateway",
        "ec2:ReleaseAddress",
        "ec2:DisassociateAddress",
        "ec2:CreateNatGateway",
        "ec2:DeleteNatGateway",
        "ec2:CreateRouteTable",
        "ec2:DeleteRouteTable",
        "ec2:CreateRoute",
        "ec2:DeleteRoute",
        "ec2:ReplaceRoute",
        "ec2:AssociateRouteTable",
        "ec2:DisassociateRouteTable",
      ],
      Resource: "*",
      Condition: tagged,
    },
  ];
}

/** The EC2 creates whose tag-on-create the environment may do (ec2:CreateAction). */
function ec2CreateActions(scope: DeployScope): string[] {
  const base = ["CreateSecurityGroup", "CreateLaunchTemplate", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"];
  return scope.createsNetwork
    ? [...base, "CreateVpc", "CreateSubnet", "CreateInternetGateway", "AllocateAddress", "CreateNatGateway", "CreateRouteTable"]
    : base;
}
