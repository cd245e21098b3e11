"use strict";
/**
 * cdktf records where every token was created (Error.captureStackTrace on a plain object, with an unlimited
 * stack depth) and formats each of those traces at once, ~45 ms per synth here, for a message it shows only
 * if a token can never be resolved. Those plain-object traces get an empty stack; real errors keep their
 * format (the previous formatter's, e.g. jest's source-mapped one). Used by scripts/run-app.cjs and by
 * scripts/jest-shared-runtime.cjs (half of the unit tests' time went to these traces). MYSLP_TOKEN_TRACES=1 keeps every
 * trace for debugging such a token.
 */
function skipTokenCreationTraces() {
  if (process.env.MYSLP_TOKEN_TRACES === "1" || Error.prepareStackTrace?.[SKIPS]) return;
  const previous = Error.prepareStackTrace;
  const standard = (error, frames) => [`${error}`, ...frames.map((frame) => `    at ${frame}`)].join("\n");
  const prepare = (error, frames) => (error instanceof Error ? (previous ?? standard)(error, frames) : "");
  prepare[SKIPS] = true;
  Error.prepareStackTrace = prepare;
}

/** Marks our formatter, so that applying it again (after another tool replaced it) never wraps it twice. */
const SKIPS = Symbol("skips token traces");

module.exports = { skipTokenCreationTraces };
