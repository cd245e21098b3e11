import { Construct } from "constructs";
import { IResolvable, TerraformIterator, Token } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import type { EnvironmentConfig } from "../../config";
import type { AccessLogBucket } from "../shared/hardened-bucket";
import { acceptFinding } from "../shared/policy-exceptions";

type LoadBalancerConfig = NonNullable<EnvironmentConfig["loadBalancer"]>;

export interface LoadBalancerProps {
  /** Certificate, health check, deletion protection and DNS settings (config `loadBalancer`). */
  readonly config: LoadBalancerConfig;
  /** `<project>-<environment>`, in the security group's description. */
  readonly namePrefix: string;
  /** Names of the security group, load balancer, target group and web ACL (src/config/environment-names.ts). */
  readonly names: { readonly securityGroup: string; readonly loadBalancer: string; readonly targetGroup: string; readonly webAcl: string };
  /** The site's host name: the certificate's domain and the alias record's name. */
  readonly hostName: string;
  /** The VPC of the load balancer, its security group and target group. */
  readonly vpcId: string;
  /** The VPC's CIDR block: the load balancer talks to nothing outside it. */
  readonly vpcCidr: string;
  /** The public subnets the load balancer lives in (one per zone). */
  readonly publicSubnetIds: string[];
  /** The container port the target group forwards to. */
  readonly targetPort: number;
  /** Bucket for the load balancer's access logs (SSE-S3, with the ELB delivery policy). */
  readonly accessLogBucket: AccessLogBucket;
}

/** TLS 1.3 and 1.2 only (Elastic Load Balancing security policies). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The site's public entry point: an internet-facing Application Load Balancer in the public subnets
 * (awsvpc tasks on EC2 get no public IP), HTTP redirected to HTTPS, HTTPS with an ACM certificate, a target
 * group of type ip for the task ENIs, a WAF web ACL with AWS managed rules, and an optional alias record.
 */
export class LoadBalancer extends Construct {
  readonly securityGroupId: string;
  readonly targetGroupArn: string;
  readonly dnsName: string;
  /** The load balancer's ARN suffix: its LoadBalancer dimension in AWS/ApplicationELB metrics. */
  readonly loadBalancerArnSuffix: string;
  /** The target group's ARN suffix: its TargetGroup dimension in AWS/ApplicationELB metrics. */
  readonly targetGroupArnSuffix: string;
  /** The HTTPS listener; the service depends on it so the target group is attached before tasks register. */
  readonly httpsListener: LbListener;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { config } = props;

    const group = this.securityGroup(props);
    this.securityGroupId = group.id;

    const lb = new Lb(this, "load_balancer", {
      name: props.names.loadBalancer,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [group.id],
      subnets: props.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: config.deletionProtection,
      accessLogs: { bucket: props.accessLogBucket.bucketName, prefix: "alb", enabled: true },
      // ELB checks that it may write to the bucket when access logs are turned on.
      dependsOn: [props.accessLogBucket.policy],
    });
    if (!config.deletionProtection) {
      acceptFinding(lb, "CKV_AWS_150", "Deletion protection is this non-production environment's configured choice (production requires it).");
    }
    this.dnsName = lb.dnsName;
    this.loadBalancerArnSuffix = lb.arnSuffix;

    const targets = new LbTargetGroup(this, "target_group", {
      name: props.names.targetGroup,
      // awsvpc tasks register by ENI IP address, not by instance.
      targetType: "ip",
      port: props.targetPort,
      protocol: "HTTP",
      vpcId: props.vpcId,
      deregistrationDelay: "30",
      healthCheck: {
        path: config.healthCheckPath,
        // WordPress answers with 200, or 301/302 to the canonical URL: all mean it is up.
        matcher: "200-399",
        interval: 30,
        timeout: 10,
        healthyThreshold: 2,
        unhealthyThreshold: 5,
      },
    });
    this.targetGroupArn = targets.arn;
    this.targetGroupArnSuffix = targets.arnSuffix;

    const certificateArn = this.certificate(props);

    new LbListener(this, "http_listener", {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    this.httpsListener = new LbListener(this, "https_listener", {
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: TLS_POLICY,
      certificateArn,
      defaultAction: [{ type: "forward", targetGroupArn: targets.arn }],
    });

    this.webAcl(props, lb.arn);
    acceptFinding(
      lb,
      "CKV2_AWS_76",
      "Log4j is covered by AWSManagedRulesKnownBadInputsRuleSet; the check also wants AnonymousIpList, which would block store owners on VPNs.",
    );

    if (config.aliasHostedZoneId) {
      new Route53Record(this, "alias", {
        zoneId: config.aliasHostedZoneId,
        name: props.hostName,
        type: "A",
        alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true },
      });
    }
  }

  /** HTTP (for the redirect) and HTTPS from anywhere; out only to the tasks' port inside the VPC. */
  private securityGroup(props: LoadBalancerProps): SecurityGroup {
    const group = new SecurityGroup(this, "security_group", {
      name: props.names.securityGroup,
      description: `Load balancer ${props.namePrefix}: HTTP and HTTPS from anywhere, port ${props.targetPort} to the tasks`,
      vpcId: props.vpcId,
      tags: { Name: props.names.securityGroup },
    });
    const http = new VpcSecurityGroupIngressRule(this, "http_from_anywhere", {
      securityGroupId: group.id,
      cidrIpv4: "0.0.0.0/0",
      fromPort: 80,
      toPort: 80,
      ipProtocol: "tcp",
      description: "HTTP, answered only with a redirect to HTTPS",
    });
    acceptFinding(http, "CKV_AWS_260", "Port 80 is open only so that the HTTP listener can redirect browsers to HTTPS; it forwards nothing.");
    new VpcSecurityGroupIngressRule(this, "https_from_anywhere", {
      securityGroupId: group.id,
      cidrIpv4: "0.0.0.0/0",
      fromPort: 443,
      toPort: 443,
      ipProtocol: "tcp",
      description: "HTTPS: the public site",
    });
    new VpcSecurityGroupEgressRule(this, "to_tasks_in_vpc", {
      securityGroupId: group.id,
      cidrIpv4: props.vpcCidr,
      fromPort: props.targetPort,
      toPort: props.targetPort,
      ipProtocol: "tcp",
      description: "To the task ENIs (their group admits only this load balancer)",
    });
    return group;
  }

  /** The WAF web ACL in front of the load balancer: a login rate limit and AWS managed rule groups. */
  private webAcl(props: LoadBalancerProps, loadBalancerArn: string): void {
    const waf = new Wafv2WebAcl(this, "web_acl", {
      name: props.names.webAcl,
      description: `AWS managed rules in front of ${props.hostName}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      // About 1,340 WCUs of the 1,500 a web ACL includes (Common 700, SQLi 200, KnownBadInputs 200, WordPress
      // 100, PHP 100, IP reputation 25, the rate rule a few): https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
      rule: [
        loginRateRule(0),
        managedRule("common", 1, "AWSManagedRulesCommonRuleSet"),
        managedRule("known-bad-inputs", 2, "AWSManagedRulesKnownBadInputsRuleSet"),
        managedRule("wordpress", 3, "AWSManagedRulesWordPressRuleSet"),
        managedRule("php", 4, "AWSManagedRulesPHPRuleSet"),
        managedRule("ip-reputation", 5, "AWSManagedRulesAmazonIpReputationList"),
        // Count first: store owners save HTML and shortcodes through wp-admin, which SQL-injection signatures
        // can match; read the rule's sampled requests for two weeks, then block (countOnly: false).
        managedRule("sql-injection", 6, "AWSManagedRulesSQLiRuleSet", { countOnly: true }),
      ],
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: props.names.webAcl, sampledRequestsEnabled: true },
    });
    acceptFinding(waf, "CKV2_AWS_31", "The load balancer's access logs already record every request; WAF samples and metrics cover rule hits.");
    new Wafv2WebAclAssociation(this, "web_acl_association", { resourceArn: loadBalancerArn, webAclArn: waf.arn });
  }

  /** The listener's certificate: an existing one, or a new DNS-validated one. */
  private certificate(props: LoadBalancerProps): string {
    const { certificate } = props.config;
    if (certificate.kind === "existing") return certificate.arn;
    const cert = new AcmCertificate(this, "certificate", {
      domainName: props.hostName,
      validationMethod: "DNS",
      lifecycle: { createBeforeDestroy: true },
    });
    // With a Route 53 zone, the validation records are ours; otherwise whoever runs the DNS adds the record
    // from the stack output, and the apply waits for the certificate to be issued.
    let validationRecordFqdns: string[] | undefined;
    if (certificate.hostedZoneId) {
      const options = TerraformIterator.fromComplexList(cert.domainValidationOptions, "domain_name");
      const records = new Route53Record(this, "certificate_validation_record", {
        forEach: options,
        zoneId: certificate.hostedZoneId,
        name: options.getString("resource_record_name"),
        type: options.getString("resource_record_type"),
        records: [options.getString("resource_record_value")],
        ttl: 300,
        allowOverwrite: true,
      });
      validationRecordFqdns = Token.asList(`\${[for record in aws_route53_record.${records.friendlyUniqueId} : record.fqdn]}`);
    } else {
      this.certificateValidationRecords = cert.domainValidationOptions;
    }
    const validation = new AcmCertificateValidation(this, "certificate_validation", {
      certificateArn: cert.arn,
      validationRecordFqdns,
    });
    return validation.certificateArn;
  }

  /** The DNS records that prove the certificate's domain, when no Route 53 zone is configured to hold them. */
  certificateValidationRecords?: IResolvable;
}

/** Requests per IP in five minutes to the login and XML-RPC endpoints before the IP is blocked there. */
export const LOGIN_RATE_LIMIT = 100;

/**
 * Blocks an IP that sends more than LOGIN_RATE_LIMIT requests in five minutes to wp-login.php or xmlrpc.php,
 * WordPress's password-guessing targets (the rate is counted only on requests matching the scope-down
 * statement). https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
function loginRateRule(priority: number) {
  const pathEndsWith = (path: string) => ({
    byte_match_statement: {
      field_to_match: { uri_path: {} },
      positional_constraint: "ENDS_WITH",
      search_string: path,
      text_transformation: [{ priority: 0, type: "LOWERCASE" }],
    },
  });
  return {
    name: "login-rate",
    priority,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: LOGIN_RATE_LIMIT,
        aggregate_key_type: "IP",
        scope_down_statement: { or_statement: { statement: [pathEndsWith("/wp-login.php"), pathEndsWith("/xmlrpc.php")] } },
      },
    },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "login-rate", sampledRequestsEnabled: true },
  };
}

function managedRule(name: string, priority: number, ruleSet: string, options: { countOnly?: boolean } = {}) {
  return {
    name,
    priority,
    overrideAction: options.countOnly ? { count: {} } : { none: {} },
    // The provider types this nested statement loosely (any), so cdktf passes it through as written:
    // the keys must already be Terraform's snake_case.
    statement: { managed_rule_group_statement: { name: ruleSet, vendor_name: "AWS" } },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  };
}
