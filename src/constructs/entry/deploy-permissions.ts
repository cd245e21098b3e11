import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the public entry needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts): the load
 * balancer, its listeners and target group, the certificate, the WAF web ACL and the DNS records.
 */

/** The load balancer, listeners, target group, certificate, web ACL and records. */
export function entryDeployStatements(scope: DeployScope): PolicyStatement[] {
  if (!scope.loadBalancer) return [];
  const { arn, creating, tagged } = scopeHelpers(scope);
  const elb = ["loadbalancer/app/*", "targetgroup/*", "listener/app/*", "listener-rule/app/*"].map((r) => arn("elasticloadbalancing", r));
  const statements: PolicyStatement[] = [
    {
      Sid: "PublicEntryCreate",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:AddTags",
        "acm:RequestCertificate",
        "acm:AddTagsToCertificate",
        "wafv2:CreateWebACL",
        "wafv2:TagResource",
      ],
      Resource: [...elb, arn("acm", "certificate/*"), arn("wafv2", "regional/webacl/*"), arn("wafv2", "regional/managedruleset/*")],
      Condition: creating,
    },
    {
      Sid: "PublicEntryOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "acm:DeleteCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "wafv2:UpdateWebACL",
        "wafv2:DeleteWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:TagResource",
        "wafv2:UntagResource",
      ],
      Resource: [...elb, arn("acm", "certificate/*"), arn("wafv2", "regional/webacl/*")],
      Condition: tagged,
    },
    // A web ACL references AWS's managed rule groups (no tags of ours); creating or updating it names them.
    {
      Sid: "WafManagedRuleGroups",
      Effect: "Allow",
      Action: ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"],
      Resource: arn("wafv2", "regional/managedruleset/*"),
    },
  ];
  if (scope.loadBalancer.hostedZoneIds.length > 0) {
    statements.push({
      Sid: "DnsRecords",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
      Resource: [...scope.loadBalancer.hostedZoneIds.map((z) => `arn:aws:route53:::hostedzone/${z}`), "arn:aws:route53:::change/*"],
    });
  }
  return statements;
}
