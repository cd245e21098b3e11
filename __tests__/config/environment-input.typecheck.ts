/*
 * Type tests, checked by `tsc --noEmit` (the first step of `npm test`), not run by jest. Each
 * `@ts-expect-error` must stay an error: if the environment files' `satisfies EnvironmentInput` stopped
 * catching a misspelt or mistyped key, the directive would be unused and tsc would fail.
 */
import type { EnvironmentInput } from "../../src/config";
import { staging } from "../../src/config/staging";

export const typedEnvironmentFiles = [
  {
    ...staging,
    cluster: {
      name: "myslp-staging-cluster",
      // @ts-expect-error a misspelt key (containerInsights) is a compile error, with a suggestion
      containerInsight: "enabled",
    },
  } satisfies EnvironmentInput,
  {
    ...staging,
    // @ts-expect-error a number where a string belongs
    region: 1,
  } satisfies EnvironmentInput,
  {
    ...staging,
    // @ts-expect-error a value outside an enum (ENABLED is not one of enabled, enhanced, disabled)
    cluster: { name: "myslp-staging-cluster", containerInsights: "ENABLED" },
  } satisfies EnvironmentInput,
  {
    ...staging,
    // @ts-expect-error a key the schema does not have at the top level
    clutser: { name: "myslp-staging-cluster" },
  } satisfies EnvironmentInput,
];
