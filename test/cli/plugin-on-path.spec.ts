/**
 * The zstackvm plugin found on PATH as an npm `bin`, as users get it from `npm install -g pulumi-zstack-vm` or a
 * project's `node_modules/.bin`: examples/yaml-two-endpoints, whose Pulumi.yaml names no plugin path, through the
 * real Pulumi CLI on two simulators, with the workspace's `node_modules/.bin` on PATH and automatic plugin
 * acquisition disabled (the CLI would otherwise try to download a plugin it does not find installed). The tarball
 * installed with `pulumi plugin install --file` is the YAML story's (yaml-two-endpoints.spec.ts).
 */
import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { startPluginWorld, type PluginWorld } from "../support/plugin-world";

import { assertSucceeded, REPO_ROOT } from "./support";
import { YAML_TWO_ENDPOINTS } from "./yaml-program";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];

describe("cli: the plugin as an npm bin on PATH", function () {
  this.timeout(600_000);
  this.slow(30_000);
  let world: PluginWorld;

  before(async () => {
    world = await startPluginWorld();
  });
  after(async () => {
    await world?.close();
  });

  it("node_modules/.bin on PATH with PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: up and destroy on both endpoints", async () => {
    const bin = path.join(REPO_ROOT, "node_modules", ".bin");
    assert.ok(existsSync(path.join(bin, "pulumi-resource-zstackvm")), "npm linked the package's plugin bin");
    assert.equal(world.ws.env()["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"], "true");
    const env = { PATH: `${bin}${path.delimiter}${world.ws.env()["PATH"]}` };
    const dir = await world.stack(YAML_TWO_ENDPOINTS, "dev", { namePlugin: false });

    const up = await world.json(dir, ["up"], { env });
    assertSucceeded(up);
    assert.match(up.stdout + up.stderr, /using pulumi-resource-zstackvm from \$PATH/);
    assert.equal(world.a.vms.get(WEB1)?.state, "Paused");
    assert.equal(world.b.vms.get(WEB2)?.state, "Paused");
    assertSucceeded(await world.json(dir, ["destroy"], { env }));
    assert.equal(world.a.vms.get(WEB1)?.state, "Running");
    assert.equal(world.b.vms.get(WEB2)?.state, "Running");
  });
});
