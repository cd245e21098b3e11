import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { loadEnvironments, validateEnvironment } from "../../src/config";
import { awsLbName } from "../../src/config";
import { LOGIN_RATE_LIMIT, TLS_POLICY } from "../../src/constructs/entry/load-balancer";
import { PlatformStack } from "../../src/stacks/platform-stack";
import {
  addressNamed,
  all,
  expectConfigError,
  named,
  only,
  problemsOf,
  productionRaw,
  ref,
  refNamed,
  stagingRaw,
  synthApp,
  SynthesizedApp,
  TerraformJson,
} from "../helpers";

function synthEnv(raw: unknown, repositoryTags?: string[]): { synth: string; json: TerraformJson } {
  const stack = new PlatformStack(Testing.app() as App, "test", validateEnvironment(raw), { repositoryTags });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) };
}

describe("production environment", () => {
  const env = validateEnvironment(productionRaw());
  const { json } = synthEnv(productionRaw());

  test("is valid, marked production, with debugging off", () => {
    expect(env.production).toBe(true);
    expect(env.wordpress.debug).toBe(false);
    expect(env.wordpress.configExtra).not.toMatch(/display_errors|WP_DEBUG_DISPLAY/);
    const container = JSON.parse(only(json, "aws_ecs_task_definition").container_definitions)[0];
    expect(container.environment.map((e: { name: string }) => e.name)).not.toContain("WORDPRESS_DEBUG");
  });

  test("derives its names from the naming helper", () => {
    expect(only(json, "aws_ecs_cluster").name).toBe("myslp-production-cluster");
    expect(only(json, "aws_ecs_service").name).toBe("myslp-production-service");
    expect(only(json, "aws_ecs_task_definition").family).toBe("slp_saas_production");
    expect(only(json, "aws_autoscaling_group").name).toBe("myslp-production-ecs");
    expect(only(json, "aws_launch_template").name).toBe("myslp-production-ecs-arm64");
    expect(only(json, "aws_codepipeline").name).toBe("myslp-production-image");
  });

  test("keeps its own state key in the shared state bucket", () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "myslp-terraform-state-744590032041-us-east-1",
        key: "myslp/production/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("runs its own tag from its own repository (no staging principal can write it), and its pipeline pushes there", () => {
    const container = JSON.parse(only(json, "aws_ecs_task_definition").container_definitions)[0];
    const repository = only(json, "aws_ecr_repository");
    expect(container.image).toBe(`744590032041.dkr.ecr.us-east-1.amazonaws.com/${repository.name}:production`);
    expect(repository.name).toBe(`${env.project}-production-aarch64`);
    expect(repository.name).not.toBe(validateEnvironment(stagingRaw()).imageRepository.name);
    expect(json.data.aws_ecr_repository).toBeUndefined();
    expect(JSON.parse(only(json, "aws_codebuild_project").source.buildspec).env.variables.MOVING_TAG).toBe("production");
    const build = Object.values(json.resource.aws_iam_role_policy).find((p) => String(p.role).includes("build_role"))!;
    const push = JSON.parse(build.policy as string).Statement.find((st: any) => [st.Action].flat().includes("ecr:PutImage"));
    expect(push.Resource).toBe(ref(json, "aws_ecr_repository", "arn"));
  });

  test("has no adoption imports", () => {
    expect(json.import).toBeUndefined();
  });
});

describe("shared image repository", () => {
  test("the owning stack keeps every environment's tag mutable and protected from expiry", () => {
    const { json } = synthEnv(stagingRaw(), ["staging", "production"]);
    const repository = only(json, "aws_ecr_repository");
    expect(repository.image_tag_mutability_exclusion_filter).toEqual([
      { filter: "staging", filter_type: "WILDCARD" },
      { filter: "production", filter_type: "WILDCARD" },
    ]);
    const rules = JSON.parse(only(json, "aws_ecr_lifecycle_policy").policy).rules;
    expect(rules.slice(0, 2).map((r: any) => r.selection.tagPatternList)).toEqual([["staging"], ["production"]]);
  });

  test("the app passes the tags of every environment sharing the repository, even when only its owner is synthesized", () => {
    const sharing = productionRaw();
    sharing.imageRepository = { ...sharing.imageRepository, name: "myslp2024-aarch64", manage: false, encryption: "AES256" };
    sharing.task.image = sharing.task.image.replace("myslp-production-aarch64", "myslp2024-aarch64");
    const app = synthApp({ environments: [stagingRaw(), sharing], only: ["staging"] });
    expect(app.stacks).toEqual(["myslp-ci-identities-744590032041", "myslp-staging", "myslp-state-bootstrap-744590032041-us-east-1"]);
    const repository = Object.values<any>(app.json("myslp-staging").resource.aws_ecr_repository)[0];
    expect(repository.image_tag_mutability_exclusion_filter.map((f: any) => f.filter)).toEqual(["staging", "production"]);
    app.remove();
  });

  test("staging's repository keeps only staging's tag now that production has its own", () => {
    const app = synthApp({ only: ["staging"] });
    const repository = Object.values<any>(app.json("myslp-staging").resource.aws_ecr_repository)[0];
    expect(repository.image_tag_mutability_exclusion_filter.map((f: any) => f.filter)).toEqual(["staging"]);
    app.remove();
  });

  test("exactly one environment must manage a repository", () => {
    const both = productionRaw();
    both.imageRepository.name = "myslp2024-aarch64";
    both.task.image = both.task.image.replace("myslp-production-aarch64", "myslp2024-aarch64");
    expect(() => loadEnvironments([stagingRaw(), both])).toThrow(
      "imageRepository.manage: repository 744590032041/us-east-1/myslp2024-aarch64 must be managed by exactly one environment, but staging and production do",
    );
    const none = stagingRaw();
    none.imageRepository.manage = false;
    const sharing = productionRaw();
    sharing.imageRepository = { ...sharing.imageRepository, name: "myslp2024-aarch64", manage: false };
    sharing.task.image = sharing.task.image.replace("myslp-production-aarch64", "myslp2024-aarch64");
    expect(() => loadEnvironments([none, sharing])).toThrow("but none does");
  });
});

describe("HTTPS entry point (production)", () => {
  const { synth, json } = synthEnv(productionRaw());
  const lb = only(json, "aws_lb");
  const albGroup = refNamed(json, "aws_security_group", "entry_security_group", "id");

  test("is an internet-facing ALB in the public subnets, dropping invalid headers, logging access", () => {
    expect(synth).toHaveResourceWithProperties(Lb, {
      load_balancer_type: "application",
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      security_groups: [albGroup],
    });
    const publicSubnets = Object.keys(json.data.aws_subnets).filter((k) => k.includes("public_subnets"));
    expect(publicSubnets).toHaveLength(1);
    expect(lb.subnets).toBe(`\${data.aws_subnets.${publicSubnets[0]}.ids}`);
    expect((json.data.aws_subnets[publicSubnets[0]] as any).filter[1]).toEqual({ name: "tag:Name", values: ["*public*"] });
    expect(lb.access_logs).toEqual({ bucket: refNamed(json, "aws_s3_bucket", "access_logs", "bucket"), prefix: "alb", enabled: true });
  });

  test("redirects HTTP to HTTPS", () => {
    expect(synth).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
  });

  test("serves HTTPS with the validated certificate and a TLS 1.2+ policy, forwarding to the tasks", () => {
    expect(synth).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      ssl_policy: TLS_POLICY,
      certificate_arn: ref(json, "aws_acm_certificate_validation", "certificate_arn"),
      default_action: [{ type: "forward", target_group_arn: ref(json, "aws_lb_target_group", "arn") }],
    });
    expect(only(json, "aws_acm_certificate")).toMatchObject({ domain_name: "dashboard.storelocatorplus.com", validation_method: "DNS" });
  });

  test("targets task ENIs (type ip) on port 80 with a WordPress-friendly health check", () => {
    expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
      target_type: "ip",
      port: 80,
      protocol: "HTTP",
      health_check: expect.objectContaining({ path: "/", matcher: "200-399" }),
    });
  });

  test("registers the service's container with the target group", () => {
    const service = only(json, "aws_ecs_service");
    expect(service.load_balancer).toEqual([{ target_group_arn: ref(json, "aws_lb_target_group", "arn"), container_name: "slp_saas", container_port: 80 }]);
    expect(service.depends_on).toEqual([addressNamed(json, "aws_lb_listener", "https_listener")]);
  });

  test("the load balancer talks only to addresses inside the VPC, on the task port", () => {
    const egress = all(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === albGroup);
    expect(egress).toEqual([
      expect.objectContaining({ cidr_ipv4: ref(json, "aws_vpc", "cidr_block", "data"), from_port: 80, to_port: 80, ip_protocol: "tcp" }),
    ]);
  });

  test("keeps load balancer names within 32 characters, and two long names with one beginning apart", () => {
    expect(awsLbName("myslp-production-alb")).toBe("myslp-production-alb");
    const east = awsLbName("myslp-platform-saas-production-east-alb");
    const eu = awsLbName("myslp-platform-saas-production-eu-alb");
    for (const name of [east, eu]) expect(name).toMatch(/^myslp-platform-saas-produ-[0-9a-f]{6}$/);
    expect(east).not.toBe(eu);
    // A cut that ends at a hyphen drops it before the hash (no "--").
    expect(awsLbName("myslp-production-environ-east-alb")).toMatch(/^myslp-production-environ-[0-9a-f]{6}$/);
  });

  test("the task admits port 80 only from the load balancer's security group", () => {
    const toTask = all(json, "aws_vpc_security_group_ingress_rule").filter(
      (r) => r.security_group_id === refNamed(json, "aws_security_group", "task_security_group", "id") && r.from_port === 80,
    );
    expect(toTask).toEqual([expect.objectContaining({ referenced_security_group_id: albGroup, from_port: 80, to_port: 80 })]);
    expect(toTask[0].cidr_ipv4).toBeUndefined();
  });

  test("puts a WAF web ACL with AWS managed rules in front", () => {
    const acl = only(json, "aws_wafv2_web_acl");
    const managed = acl.rule.filter((r: any) => r.statement.managed_rule_group_statement);
    expect(managed.map((r: any) => [r.statement.managed_rule_group_statement.name, Object.keys(r.override_action)[0]])).toEqual([
      ["AWSManagedRulesCommonRuleSet", "none"],
      ["AWSManagedRulesKnownBadInputsRuleSet", "none"],
      ["AWSManagedRulesWordPressRuleSet", "none"],
      ["AWSManagedRulesPHPRuleSet", "none"],
      ["AWSManagedRulesAmazonIpReputationList", "none"],
      // Counted first: saved wp-admin content can match SQL-injection signatures (load-balancer.ts).
      ["AWSManagedRulesSQLiRuleSet", "count"],
    ]);
    const priorities = acl.rule.map((r: any) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(only(json, "aws_wafv2_web_acl_association")).toEqual({
      resource_arn: ref(json, "aws_lb", "arn"),
      web_acl_arn: ref(json, "aws_wafv2_web_acl", "arn"),
    });
  });

  test("blocks an IP that floods wp-login.php or xmlrpc.php (rate-based rule, checked first)", () => {
    const acl = only(json, "aws_wafv2_web_acl");
    const rate = acl.rule.find((r: any) => r.statement.rate_based_statement);
    expect(rate.priority).toBe(Math.min(...acl.rule.map((r: any) => r.priority)));
    expect(rate.action).toEqual({ block: {} });
    const statement = rate.statement.rate_based_statement;
    expect(statement).toMatchObject({ aggregate_key_type: "IP", limit: LOGIN_RATE_LIMIT });
    const paths = statement.scope_down_statement.or_statement.statement.map((s: any) => s.byte_match_statement);
    expect(paths.map((p: any) => [p.search_string, p.positional_constraint, Object.keys(p.field_to_match)[0]])).toEqual([
      ["/wp-login.php", "ENDS_WITH", "uri_path"],
      ["/xmlrpc.php", "ENDS_WITH", "uri_path"],
    ]);
  });

  test("outputs the certificate's DNS validation records when no Route 53 zone holds them", () => {
    expect(json.output?.certificate_validation_records.value).toBe(`\${tolist(${ref(json, "aws_acm_certificate", "domain_validation_options").slice(2, -1)})}`);
  });

  test("validates through Route 53 and adds an alias record when zones are configured", () => {
    const raw = productionRaw();
    raw.loadBalancer.certificate = { kind: "create", hostedZoneId: "Z0123456789ABCDEFGHIJ" };
    raw.loadBalancer.aliasHostedZoneId = "Z0123456789ABCDEFGHIJ";
    const j = synthEnv(raw).json;
    const records = Object.entries<any>(j.resource.aws_route53_record);
    const validation = records.find(([id]) => id.includes("certificate_validation_record"))![1];
    expect(validation.for_each).toMatch(/domain_validation_options/);
    expect(validation.zone_id).toBe("Z0123456789ABCDEFGHIJ");
    const alias = records.find(([id]) => id.includes("alias"))![1];
    expect(alias).toMatchObject({
      name: "dashboard.storelocatorplus.com",
      type: "A",
      alias: { name: ref(j, "aws_lb", "dns_name"), zone_id: ref(j, "aws_lb", "zone_id"), evaluate_target_health: true },
    });
    expect(only(j, "aws_acm_certificate_validation").validation_record_fqdns).toMatch(/^\$\{\[for record in aws_route53_record\.\w+ : record\.fqdn\]\}$/);
    expect(j.output?.certificate_validation_records).toBeUndefined();
  });

  test("uses an existing certificate by ARN", () => {
    const raw = productionRaw();
    const arn = "arn:aws:acm:us-east-1:744590032041:certificate/0123abcd-0123-4567-89ab-0123456789ab";
    raw.loadBalancer.certificate = { kind: "existing", arn };
    const j = synthEnv(raw).json;
    expect(j.resource.aws_acm_certificate).toBeUndefined();
    expect(named(j, "aws_lb_listener", "https_listener").certificate_arn).toBe(arn);
  });

  test("is off in staging: no load balancer, port 80 from the VPC only", () => {
    const staging = synthEnv(stagingRaw()).json;
    expect(staging.resource.aws_lb).toBeUndefined();
    expect(only(staging, "aws_ecs_service").load_balancer).toBeUndefined();
  });
});

describe("load balancer validation", () => {
  const cases: [string, (r: any) => void, string, string][] = [
    [
      "a load balancer with a CIDR source for the task",
      (r) => (r.network.httpSource = { kind: "vpc" }),
      "network.httpSource.kind",
      'must be "load-balancer" when loadBalancer is set',
    ],
    ["a load-balancer source without a load balancer", (r) => delete r.loadBalancer, "network.httpSource.kind", "there is no loadBalancer section"],
    [
      "a load balancer without public subnets",
      (r) => delete r.network.publicSubnetTagFilter,
      "network.publicSubnetTagFilter",
      "is required when loadBalancer is set",
    ],
    [
      "no deletion protection in production",
      (r) => (r.loadBalancer.deletionProtection = false),
      "loadBalancer.deletionProtection",
      "must be true in a production environment",
    ],
    [
      "a malformed certificate ARN",
      (r) => (r.loadBalancer.certificate = { kind: "existing", arn: "arn:aws:acm:x" }),
      "loadBalancer.certificate.arn",
      "ACM certificate ARN",
    ],
    ["a malformed hosted zone id", (r) => (r.loadBalancer.aliasHostedZoneId = "zone-1"), "loadBalancer.aliasHostedZoneId", "Route 53 hosted zone id"],
  ];
  expectConfigError(
    cases.map(([label, change, field, says]) => ({
      case: `rejects ${label}`,
      input: () => {
        const raw = productionRaw();
        change(raw);
        return raw;
      },
      field,
      says,
    })),
  );
});

describe("Terraform Cloud backend", () => {
  const { json } = synthEnv(
    (() => {
      const raw = stagingRaw();
      raw.state = { backend: "cloud", organization: "storelocatorplus", workspace: "myslp-staging" };
      return raw;
    })(),
  );

  test("emits a cloud block with the configured organization and workspace, and no S3 backend", () => {
    expect(json.terraform.cloud).toEqual({ organization: "storelocatorplus", workspaces: { name: "myslp-staging" } });
    expect(json.terraform.backend).toBeUndefined();
  });

  test("an environment on Terraform Cloud needs no state bucket", () => {
    const raw = stagingRaw();
    raw.state = { backend: "cloud", organization: "storelocatorplus", workspace: "myslp-staging" };
    const prod = productionRaw();
    prod.state = { backend: "cloud", organization: "storelocatorplus", workspace: "myslp-production" };
    const app = synthApp({ environments: [raw, prod] });
    expect(app.stacks).toEqual(["myslp-ci-identities-744590032041", "myslp-production", "myslp-staging"]);
    app.remove();
  });

  test("rejects a malformed workspace name", () => {
    const raw = stagingRaw();
    raw.state = { backend: "cloud", organization: "storelocatorplus", workspace: "my workspace" };
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^state\.workspace: must be a Terraform Cloud workspace name/)]);
  });
});

describe("outputs", () => {
  test("staging outputs what operators look up", () => {
    const { json } = synthEnv(stagingRaw());
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      "alarm_topic_arn",
      "cluster_name",
      "dashboard_name",
      "image_repository_url",
      "log_group",
      "pipeline_name",
      "service_name",
      "source_connection_arn",
      "task_family",
    ]);
    expect(json.output!.cluster_name.value).toBe(ref(json, "aws_ecs_cluster", "name"));
    expect(json.output!.image_repository_url.value).toBe(ref(json, "aws_ecr_repository", "repository_url"));
    expect(json.output!.log_group.value).toBe(refNamed(json, "aws_cloudwatch_log_group", "task_log_group", "name"));
    expect(json.output!.alarm_topic_arn.value).toBe(ref(json, "aws_sns_topic", "arn"));
    expect(json.output!.dashboard_name.value).toBe(ref(json, "aws_cloudwatch_dashboard", "dashboard_name"));
  });

  test("production adds the load balancer's DNS name", () => {
    const { json } = synthEnv(productionRaw());
    expect(json.output!.load_balancer_dns_name.value).toBe(ref(json, "aws_lb", "dns_name"));
    expect(json.output!.pipeline_name.value).toBe(ref(json, "aws_codepipeline", "name"));
  });
});

describe("determinism", () => {
  test("two synths of the same commit are byte-identical", () => {
    const apps = [synthApp(), synthApp()];
    const read = (app: SynthesizedApp) => app.stacks.map((stack) => [stack, readFileSync(join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8")]);
    const [first, second] = apps.map(read);
    expect(first.length).toBe(4);
    expect(second).toEqual(first);
    expect(readFileSync(join(apps[0].outdir, "manifest.json"), "utf8")).toBe(readFileSync(join(apps[1].outdir, "manifest.json"), "utf8"));
    for (const app of apps) app.remove();
  });
});
