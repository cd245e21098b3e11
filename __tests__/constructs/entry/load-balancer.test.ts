// The HTTPS entry alone, with explicit props: GIVEN / WHEN / THEN.
import { LoadBalancer, LOGIN_RATE_LIMIT, TLS_POLICY } from "../../../src/constructs/entry/load-balancer";
import { AccessLogBucket } from "../../../src/constructs/shared/hardened-bucket";
import { all, only, ref, synthConstruct } from "../../helpers";

function synthEntry(deletionProtection: boolean) {
  return synthConstruct((scope) => {
    const logs = new AccessLogBucket(scope, "logs", {
      bucketName: "app-qa-logs-111122223333",
      accountId: "111122223333",
      region: "eu-west-1",
      retentionDays: 90,
    });
    new LoadBalancer(scope, "entry", {
      config: { certificate: { kind: "existing", arn: "arn:aws:acm:eu-west-1:111122223333:certificate/c" }, healthCheckPath: "/health", deletionProtection },
      namePrefix: "app-qa",
      names: { securityGroup: "app-qa-alb", loadBalancer: "app-qa-alb", targetGroup: "app-qa-tasks", webAcl: "app-qa-alb" },
      hostName: "qa.example.com",
      vpcId: "vpc-0123",
      vpcCidr: "10.1.0.0/16",
      publicSubnetIds: ["subnet-a", "subnet-b"],
      targetPort: 8080,
      accessLogBucket: logs,
    });
  }).json;
}

describe("LoadBalancer (construct alone)", () => {
  const json = synthEntry(true);

  test("HTTP only redirects to HTTPS; HTTPS uses the given certificate and TLS 1.2/1.3 and forwards to the target group", () => {
    const listeners = all(json, "aws_lb_listener");
    expect(listeners.find((l) => l.port === 80)!.default_action).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
    ]);
    expect(listeners.find((l) => l.port === 443)).toMatchObject({
      protocol: "HTTPS",
      ssl_policy: TLS_POLICY,
      certificate_arn: "arn:aws:acm:eu-west-1:111122223333:certificate/c",
      default_action: [{ type: "forward", target_group_arn: ref(json, "aws_lb_target_group", "arn") }],
    });
  });

  test("names come from props; the target group registers task IPs on the target port with the health check path", () => {
    expect(only(json, "aws_lb")).toMatchObject({ name: "app-qa-alb", enable_deletion_protection: true, drop_invalid_header_fields: true });
    expect(only(json, "aws_lb_target_group")).toMatchObject({
      name: "app-qa-tasks",
      target_type: "ip",
      port: 8080,
      health_check: { path: "/health", matcher: "200-399" },
    });
  });

  test("its security group talks only to the target port inside the VPC", () => {
    expect(only(json, "aws_vpc_security_group_egress_rule")).toMatchObject({ cidr_ipv4: "10.1.0.0/16", from_port: 8080, to_port: 8080, ip_protocol: "tcp" });
  });

  test("the web ACL blocks login floods first and is attached to the load balancer", () => {
    const acl = only(json, "aws_wafv2_web_acl");
    const rate = acl.rule.find((r: any) => r.statement.rate_based_statement);
    expect(rate.statement.rate_based_statement.limit).toBe(LOGIN_RATE_LIMIT);
    expect(only(json, "aws_wafv2_web_acl_association")).toEqual({
      resource_arn: ref(json, "aws_lb", "arn"),
      web_acl_arn: ref(json, "aws_wafv2_web_acl", "arn"),
    });
  });

  test("deletion protection follows the config (production requires it: src/config/rules/production.ts)", () => {
    expect(only(synthEntry(false), "aws_lb").enable_deletion_protection).toBe(false);
  });
});
