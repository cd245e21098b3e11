"use strict";
/*
 * jest's module runtime, with the heavy third-party packages (cdktf, constructs, the provider bindings, zod,
 * typescript, yaml, the IAM evaluator) loaded once per worker instead of once per test file. jest gives every test file a
 * fresh module registry, so each file re-evaluated those packages (~0.4 s of every file). Our own sources
 * and the tests still load fresh for each file; these packages keep no state a test depends on.
 * cdktf's jest matchers read `global.expect`: the worker's global gets the running file's `expect`.
 */
const Runtime = require("jest-runtime").default;
const { skipTokenCreationTraces } = require("./lib/token-traces.cjs");

const SHARED = /^(cdktf|constructs|zod|typescript|yaml|@cdktf\/provider-aws|@cloud-copilot\/iam-simulate|@cloud-copilot\/iam-data)(\/|$)/;

class SharedPackagesRuntime extends Runtime {
  requireModuleOrMock(from, moduleName) {
    if (SHARED.test(moduleName)) {
      globalThis.expect = this._environment.global.expect;
      // cdktf runs in the worker's own context, so its token traces are taken with the worker's Error,
      // whose formatter jest replaces (source-map-support) for every test file.
      skipTokenCreationTraces();
      return require(moduleName);
    }
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = SharedPackagesRuntime;
