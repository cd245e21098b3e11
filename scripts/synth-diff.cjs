#!/usr/bin/env node
/*
 * npm run diff -- [--json] [--out FILE] [--max-chars N] [--title TEXT] <base cdktf.out> <head cdktf.out>
 *
 * Semantic diff of two synth outputs, with what Terraform will plan for it: creates, updates, replacements (and
 * their cascade through references), moves, renames, ignored attributes and destroys (see scripts/lib/synth-diff.cjs
 * for what it compares and the report shape, docs/reviewing-changes.md for how to read it; checked against a real
 * plan by `npm run test:diff-vs-plan`). Prints Markdown (or, with --json, the report as JSON) to stdout, or to FILE
 * with --out.
 *
 * Exit code: 0 no change, 1 changes (flagged or not), 2 usage or input error (message on stderr).
 * Use `npm run --silent diff -- ...` to keep npm's own banner out of stdout.
 */
"use strict";
const fs = require("node:fs");
const { diffSynth, renderMarkdown, hasChanges, SynthDiffInputError } = require("./lib/synth-diff.cjs");

const USAGE = "usage: npm run diff -- [--json] [--out FILE] [--max-chars N] [--title TEXT] <base cdktf.out> <head cdktf.out>";

function parseArgs(argv) {
  const options = { json: false, out: null, maxChars: undefined, title: undefined, dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new SynthDiffInputError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--json") options.json = true;
    else if (arg === "--out") options.out = value();
    else if (arg === "--title") options.title = value();
    else if (arg === "--max-chars") {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1000) throw new SynthDiffInputError(`--max-chars must be a whole number of at least 1000, got ${argv[i]}`);
      options.maxChars = n;
    } else if (arg === "-h" || arg === "--help") options.help = true;
    else if (arg.startsWith("-")) throw new SynthDiffInputError(`unknown option ${arg}`);
    else options.dirs.push(arg);
  }
  if (!options.help && options.dirs.length !== 2) throw new SynthDiffInputError(`expected two folders (base and head), got ${options.dirs.length}`);
  return options;
}

function main(argv) {
  let options;
  try {
    options = parseArgs(argv);
    if (options.help) {
      process.stdout.write(`${USAGE}\nExit code: 0 no change, 1 changes, 2 usage or input error.\n`);
      return 0;
    }
    const report = diffSynth(options.dirs[0], options.dirs[1]);
    const text = options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report, { maxChars: options.maxChars, title: options.title });
    if (options.out) fs.writeFileSync(options.out, text);
    else process.stdout.write(text);
    return hasChanges(report) ? 1 : 0;
  } catch (error) {
    if (!(error instanceof SynthDiffInputError)) throw error;
    process.stderr.write(`synth-diff: ${error.message}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
