import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

describe("the project's own install provides what cdktf plan/deploy need", () => {
  test("npm is allowed to run the install scripts of node-pty and esbuild (npm 11 blocks them otherwise)", () => {
    expect(pkg.allowScripts).toEqual({ esbuild: true, "@cdktf/node-pty-prebuilt-multiarch": true });
  });

  test("cdktf-cli's pseudo-terminal module loads and runs a command", async () => {
    // cdktf plan/deploy drive terraform through this native module.
    const pty = require("@cdktf/node-pty-prebuilt-multiarch");
    const output = await new Promise<string>((resolveOutput, reject) => {
      let text = "";
      const term = pty.spawn("/bin/sh", ["-c", "echo pty-ok"], { cols: 80, rows: 24, cwd: root, env: process.env });
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`pty did not exit; got ${JSON.stringify(text)}`));
      }, 10000);
      term.onData((chunk: string) => (text += chunk));
      term.onExit(() => {
        clearTimeout(timer);
        resolveOutput(text);
      });
    });
    expect(output).toContain("pty-ok");
  });

  test("the versions the project is built on are pinned exactly", () => {
    expect(pkg.dependencies).toMatchObject({ cdktf: "0.21.0", "@cdktf/provider-aws": "21.22.1" });
    expect(pkg.devDependencies).toMatchObject({ "cdktf-cli": "0.21.0" });
    for (const version of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(readFileSync(join(root, ".terraform-version"), "utf8").trim()).toMatch(/^1\.(1[1-9]|[2-9]\d)\.\d+$/);
  });
});
