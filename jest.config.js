/**
 * Like the cdktf init template (__tests__/, setup.js), but transpile-only with esbuild
 * (scripts/jest-esbuild-transform.cjs): `npm test` type-checks once with `tsc --noEmit`.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": "<rootDir>/scripts/jest-esbuild-transform.cjs" },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  // cdktf, constructs, the provider bindings, zod and the IAM evaluator load once per worker, not once per
  // test file (scripts/jest-shared-runtime.cjs): 22 s -> 15 s here. They cannot be jest.mock()ed.
  runtime: "<rootDir>/scripts/jest-shared-runtime.cjs",
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.cjs"],
  // Jest's default is one worker fewer than the cores: on a 2-core machine a single worker, 27 s here
  // against 12 s with both cores busy (the suites are CPU-bound synths).
  maxWorkers: "100%",
};
