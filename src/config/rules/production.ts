/*
 * Production policy (docs/configuration.md, Production): rules that cannot be switched off by accident.
 *
 * Decision: the `production` flag stays explicit, and an environment whose name says production (production,
 * prod, prd, or one of them as a hyphen-separated part: prod-eu, eu-production) without `production: true`
 * is an error. A flag derived silently from the name would make `production: false` in such a file mean
 * nothing; an error makes the operator state it.
 */
import type { EnvironmentShape } from "../shape";
import type { Issue } from "./aws";

/** True when an environment name reads as a production environment. */
export function soundsLikeProduction(name: string): boolean {
  return name.split("-").some((part) => part === "production" || part === "prod" || part === "prd");
}

/**
 * PHP that would display errors: ini_set / @ini_set / \ini_set of display_errors or display_startup_errors,
 * or define of WP_DEBUG_DISPLAY or WP_DEBUG (WordPress shows errors when WP_DEBUG is on and WP_DEBUG_DISPLAY is
 * left at its default, true: https://developer.wordpress.org/advanced-administration/debug/debug-wordpress/).
 * PHP function names are case-insensitive and quotes may be single or double, so both are matched in any case.
 */
const SETTING =
  /(?:@\s*)?\\?\b(ini_set|define)\s*\(\s*(['"])\s*(display_errors|display_startup_errors|wp_debug_display|wp_debug)\s*\2\s*,\s*((?:'[^']*'|"[^"]*"|[^,)'"])*)/gi;

/** Values PHP and WordPress read as off; anything else (1, true, On, yes, stderr, an expression) counts as on. */
const OFF = new Set(["0", "false", "off", "no", "none", "null", ""]);

/** The first setting in `php` that turns error display on, as written, or undefined. */
export function displaysErrors(php: string): string | undefined {
  for (const match of php.matchAll(SETTING)) {
    const value = match[4]
      .trim()
      .replace(/^(['"])(.*)\1$/s, "$2")
      .trim()
      .toLowerCase();
    if (!OFF.has(value)) return match[0].trim();
  }
  return undefined;
}

type ProductionRuleEnvironment = EnvironmentShape;

export function checkProductionRules(env: ProductionRuleEnvironment, issue: Issue): void {
  if (!env.production) {
    if (soundsLikeProduction(env.name)) {
      issue(
        ["production"],
        `must be true for an environment named "${env.name}": a production name without the flag would switch the production rules off`,
        env.production,
      );
    }
    return;
  }
  if (env.task.logRetentionDays < 365) issue(["task", "logRetentionDays"], "must be at least 365 in a production environment", env.task.logRetentionDays);
  if (env.pipeline && env.pipeline.build.logRetentionDays < 365) {
    issue(["pipeline", "build", "logRetentionDays"], "must be at least 365 in a production environment", env.pipeline.build.logRetentionDays);
  }
  if (env.wordpress.debug) issue(["wordpress", "debug"], "must be false in a production environment", true);
  const shown = displaysErrors(env.wordpress.configExtra);
  if (shown !== undefined) {
    issue(
      ["wordpress", "configExtra"],
      `must not display errors in a production environment (found ${JSON.stringify(shown.slice(0, 80))}; set it to 0/false or leave it out)`,
      shown,
    );
  }
  if (env.loadBalancer && !env.loadBalancer.deletionProtection) {
    issue(["loadBalancer", "deletionProtection"], "must be true in a production environment", false);
  }
}
