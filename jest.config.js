/**
 * Like the cdktf init template (ts-jest, __tests__/, setup.js), but transpile-only: tsconfig's
 * isolatedModules makes ts-jest skip type-checking, which `npm test` does once with `tsc --noEmit`.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.cjs"],
};
