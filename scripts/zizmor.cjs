#!/usr/bin/env node
/*
 * Workflow audit: zizmor over .github/workflows (`npm run lint:workflows`, part of `npm test`).
 *
 * The workflows hold the keys to production (OIDC roles that plan and deploy, a token that comments on pull
 * requests), so they get a security linter like the Terraform gets checkov: zizmor flags actions not pinned to a
 * commit, checkouts that leave the token in .git/config, `${{ }}` expanded into shell scripts (template
 * injection), broad permissions, cache poisoning, `secrets: inherit`, writes to $GITHUB_ENV, and more.
 *
 * - Installs zizmor (tools/zizmor-requirements.txt, pinned) into .venv/zizmor when missing or changed.
 * - --offline: only the audits that need no network (zizmor otherwise asks the GitHub API, e.g. whether a pinned
 *   commit belongs to the action's repository); there is no network here and none in CI, and a lint must not
 *   depend on it. The pinned SHAs are checked by their tag comments and Dependabot instead (docs/ci-and-deploy.md).
 * - --strict-collection: a workflow zizmor cannot parse fails the run (by default it is skipped with a warning,
 *   and a skipped file would pass as clean).
 * - Fails on any finding at severity low or above, when zizmor cannot run, and when it did not report auditing
 *   every workflow file (an audit that saw nothing proves nothing).
 */
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const { root, ensureVenv } = require("./lib/tools.cjs");

// zizmor's exit codes: 0 no findings; 11-14 the highest severity found (informational..high); anything else is
// a failure to run (1 error, 2 bad arguments, 3 no inputs collected).
const FINDINGS_EXIT = new Set([10, 11, 12, 13, 14]);

function main() {
  const zizmor = ensureVenv("zizmor", path.join(root, "tools", "zizmor-requirements.txt"), "zizmor").bin("zizmor");
  const version = execFileSync(zizmor, ["--version"], { encoding: "utf8" }).trim();
  const dir = path.join(".github", "workflows");
  const workflows = fs
    .readdirSync(path.join(root, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  const run = spawnSync(zizmor, ["--offline", "--strict-collection", "--min-severity", "low", "--no-progress", "--color", "never", dir], {
    cwd: root,
    encoding: "utf8",
    // The level of zizmor's own log lines, which name each audited file (read below); RUST_LOG from the caller
    // could silence them.
    env: { ...process.env, RUST_LOG: "info" },
  });
  if (run.error) throw run.error;

  const audited = new Set([...run.stderr.matchAll(/completed (\S+)/g)].map((m) => path.basename(m[1])));
  const missed = workflows.filter((f) => !audited.has(f));
  const findings = FINDINGS_EXIT.has(run.status);
  const ok = run.status === 0 && missed.length === 0;

  if (!ok) {
    process.stdout.write(run.stdout);
    // zizmor's log lines are noise when it ran; its errors are the point when it did not.
    if (!findings) process.stderr.write(run.stderr);
  }
  // When zizmor failed, nothing was audited and its error says why; otherwise a file it skipped is named here.
  if (run.status === 0 || findings) for (const f of missed) console.log(`NOT AUDITED: ${dir}/${f} (zizmor did not report auditing it)`);
  if (findings) console.log(`lint:workflows: FAILED, zizmor reported findings (exit ${run.status}); fix them: https://docs.zizmor.sh/audits/`);
  else if (run.status !== 0) console.log(`lint:workflows: FAILED, zizmor could not run (exit ${run.status})`);
  else if (ok) console.log(`lint:workflows: ${version}, ${workflows.length} workflows audited offline, no findings at severity low or above`);
  process.exit(ok ? 0 : 1);
}

main();
