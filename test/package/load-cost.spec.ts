/**
 * What loading the package costs a command: the program loads `pulumi-zstack-vm` and the provider host loads
 * `pulumi-zstack-vm/runtime` on every `pulumi` command, most of which (a preview, a program that only declares
 * resources) send no request. undici, the largest dependency, is loaded with the first client, not with the package.
 * Run in fresh Node processes, so that nothing this test process loaded counts.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `body` in a fresh Node process and returns what it prints: the number of undici modules loaded by then. */
async function undiciModulesAfter(body: string): Promise<number> {
  const script = `${body}\nprocess.stdout.write(String(Object.keys(require.cache).filter((m) => m.includes("/node_modules/undici/")).length));`;
  const { stdout } = await run(process.execPath, ["-e", script], { cwd: __dirname });
  return Number(stdout);
}

describe("package: load cost", function () {
  this.timeout(60_000);

  it("loads no undici with the program's entry point or the provider host's runtime", async () => {
    assert.equal(
      await undiciModulesAfter(
        `require("pulumi-zstack-vm"); require("pulumi-zstack-vm/runtime").provider("VmPauseState");`,
      ),
      0,
    );
  });

  it("loads undici with the first client", async () => {
    const made = await undiciModulesAfter(
      `const { ZStackClient } = require("pulumi-zstack-vm/zstack");\n` +
        `new ZStackClient({ scheme: "http", host: "127.0.0.1", port: 1, ` +
        `credentials: { kind: "account", accountName: "admin", password: "x" } });`,
    );
    assert.ok(made > 0, "a client's pool is an undici Pool");
  });
});
