// ESLint (flat config): a small rule set that catches real mistakes, not style (Prettier owns style).
// Type-aware rules (floating promises) read tsconfig.json through the project service.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// Node's globals for the CommonJS scripts (spelt out rather than another dependency).
const NODE_GLOBALS = Object.fromEntries(
  [
    "require",
    "module",
    "exports",
    "process",
    "__dirname",
    "__filename",
    "console",
    "Buffer",
    "URL",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "fetch",
  ].map((name) => [name, "readonly"]),
);

export default defineConfig(
  { ignores: ["node_modules/", "cdktf.out/", ".build/", ".gen/", ".venv/", "coverage/", "bench/.template/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error: synth would pass with half a stack.
      "@typescript-eslint/no-floating-promises": "error",
      // Tests and JSON walkers use `any` on purpose (synthesized JSON has no static type).
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    rules: {
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      eqeqeq: ["error", "always"],
      // A style rule (an escaped "/" in a character class is harmless); Prettier-era noise, not a mistake.
      "no-useless-escape": "off",
      // The barrel loads all 2,200 provider modules (10x slower synth and tests): deep imports only.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@cdktf/provider-aws(/lib(/index(\\.js)?)?)?$",
              message: "The barrel loads every provider module: import @cdktf/provider-aws/lib/<resource> instead.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs", "**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: NODE_GLOBALS },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
