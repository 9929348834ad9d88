/**
 * The YAML and Go language hosts the CLI workspace puts on PATH (tools/pulumi-cli/resolve.ts): a program of each
 * runtime, with nothing but an output, runs `pulumi up` through the resolved CLI on a local file backend. The
 * programs on the native provider build on this.
 */
import { strict as assert } from "node:assert";
import path from "node:path";

import { PulumiWorkspace } from "../../tools/pulumi-cli/workspace";

const FIXTURES = path.join(__dirname, "fixtures");

describe("language hosts: YAML and Go programs through the CLI", function () {
  let ws: PulumiWorkspace;

  before(async function () {
    this.timeout(60_000);
    ws = await PulumiWorkspace.create();
  });

  after(() => ws?.dispose());

  it("resolves a YAML and a Go host and puts their directories on every command's PATH", () => {
    const dirs = (ws.env()["PATH"] ?? "").split(path.delimiter);
    assert.deepEqual(ws.cli.languageHosts.map((h) => h.runtime).sort(), ["go", "yaml"]);
    for (const host of ws.cli.languageHosts) {
      assert.ok(
        dirs.includes(path.dirname(host.executable)),
        `${host.executable} is not on the workspace's PATH (${dirs.join(path.delimiter)})`,
      );
    }
  });

  it("runs a `runtime: yaml` program: up, then its output", async function () {
    this.timeout(120_000);
    const dir = ws.project(path.join(FIXTURES, "yaml-outputs"));
    await ws.initStack(dir, "dev");
    await ws.run(["up", "--yes", "--skip-preview"], { cwd: dir });
    assert.deepEqual(await ws.outputs(dir), { greeting: "hello from yaml" });
  });

  it("runs a `runtime: go` program on sdk/v3 v3.276.0: up, then its output", async function () {
    // The host compiles the program: minutes the first time the Go SDK is compiled on a machine, seconds after.
    this.timeout(15 * 60_000);
    const dir = ws.project(path.join(FIXTURES, "go-outputs"));
    await ws.initStack(dir, "dev");
    await ws.run(["up", "--yes", "--skip-preview"], { cwd: dir });
    assert.deepEqual(await ws.outputs(dir), { greeting: "hello from go" });
  });
});
