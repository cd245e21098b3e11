/*
 * moto, the local AWS endpoint of the integration tier and the diff-vs-plan check: installed pinned into
 * .venv/moto (tools/moto-requirements.txt), started on a free port of 127.0.0.1 with its log in the caller's
 * work folder, and stopped when the process exits, whatever the outcome.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");
const { offlineOverride } = require("./engine.cjs");
const { root, ensureVenv } = require("./tools.cjs");

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Resolves once `url` answers, rejects after `seconds`. */
function waitUntilUp(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      http
        .get(url, (res) => {
          res.resume();
          resolve();
        })
        .on("error", () => (Date.now() > deadline ? reject(new Error(`moto did not answer on ${url} within ${seconds} s`)) : setTimeout(attempt, 250)));
    };
    attempt();
  });
}

/**
 * Installs (if needed) and starts moto for `accountId`, logging to <workRoot>/moto.log. Returns its endpoint,
 * the virtualenv (for boto3 scripts), `ready` (await it inside the caller's error handling) and `stop`.
 */
async function startMoto(workRoot, accountId) {
  const tool = ensureVenv("moto", path.join(root, "tools", "moto-requirements.txt"), "moto_server");
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  fs.mkdirSync(workRoot, { recursive: true });
  const log = fs.openSync(path.join(workRoot, "moto.log"), "w");
  const server = spawn(tool.bin("moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", log, log],
    env: { ...process.env, MOTO_ACCOUNT_ID: accountId, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  const stop = () => server.exitCode === null && server.kill();
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
  return { endpoint, tool, stop, ready: waitUntilUp(`${endpoint}/moto-api/`, 30) };
}

/** The AWS provider pointed at moto: every service's endpoint, path-style S3 (offline keys and local state). */
function motoProviderOverride(provider, endpoint) {
  const services = ["autoscaling", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "ecs", "elbv2", "iam", "kms", "s3", "secretsmanager", "sns", "ssm", "sts"];
  return offlineOverride(provider, { s3_use_path_style: true, endpoints: [Object.fromEntries(services.map((s) => [s, endpoint]))] });
}

module.exports = { startMoto, motoProviderOverride };
