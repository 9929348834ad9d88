/**
 * Moving a stack from the dynamic resources to the zstackvm plugin without touching a VM, through the real Pulumi
 * CLI, as examples/yaml-two-endpoints/README.md ("Moving a stack from the dynamic resources") describes it: a
 * TypeScript program's dynamic VmPauseState keeps web-1 Paused; `pulumi state delete` forgets it (a delete through
 * the engine would resume the VM); the program, now YAML on the plugin, adopts the VM with the `import` resource
 * option. The VM receives no action from the first up's pause to the end.
 */
import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { namePluginInProject, providerConfig } from "../../tools/pulumi-cli/plugin-project";
import { startPluginWorld, type PluginWorld } from "../support/plugin-world";

import { DECLARED_VMS_PROGRAM, declaring, pause } from "./declared-vms";
import { assertSucceeded, opsOf, stepOf } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];

/** The same project (its name is the stack's), now a YAML program on the plugin that adopts web-1. */
const PLUGIN_PROGRAM = `name: declared-vms
runtime: yaml
resources:
  web:
    type: zstackvm:index:VmPauseState
    properties:
      vmUuid: ${WEB1}
      state: Paused
    options:
      import: ${WEB1}
`;

describe("cli: moving a stack from the dynamic resources to the plugin", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: PluginWorld;

  before(async () => {
    world = await startPluginWorld({ env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
  });
  after(async () => {
    await world?.close();
  });

  it("state delete of the dynamic resource, then the import option: the VM receives no action", async () => {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "dev", {
      name: "migrate",
      namePlugin: false,
      config: { ...providerConfig(world.a, "zstack"), ...declaring([pause("web", WEB1)]) },
    });
    assertSucceeded(await world.json(dir, ["up"]));
    assert.equal(world.a.vms.get(WEB1)?.state, "Paused");
    const pauses = () => world.a.counters.acceptedActions(WEB1, "pauseVmInstance");
    const actions = () => world.a.counters.acceptedActions();
    assert.equal(pauses(), 1);
    const dynamic = (await world.ws.exportState(dir)).deployment.resources?.find((r) =>
      r.urn.endsWith("::web"),
    );
    assert.ok(dynamic, "the dynamic resource is in the state");
    assert.equal(dynamic.outputs?.["initialState"], "Running");

    await world.ws.run(["state", "delete", dynamic.urn, "--yes"], { cwd: dir });
    writeFileSync(path.join(dir, "Pulumi.yaml"), PLUGIN_PROGRAM);
    namePluginInProject(dir);
    const preview = await world.json(dir, ["preview"]);
    assertSucceeded(preview);
    assert.equal(stepOf(preview, "web").op, "import");
    const up = await world.json(dir, ["up"]);
    assertSucceeded(up);
    assert.equal(stepOf(up, "web").op, "import");
    assert.equal(actions(), 1, "the move sent no action");

    const resources = (await world.ws.exportState(dir)).deployment.resources ?? [];
    const adopted = resources.find((r) => r.urn.endsWith("::web"));
    assert.equal(adopted?.type, "zstackvm:index:VmPauseState");
    assert.equal(adopted?.id, WEB1);
    assert.equal(
      adopted?.outputs?.["initialState"],
      "Paused",
      "the plugin resource records the VM as it found it",
    );
    assert.ok(
      !resources.some((r) => r.type.startsWith("pulumi-nodejs:dynamic")),
      "no dynamic resource is left",
    );

    const again = await world.json(dir, ["preview"]);
    assertSucceeded(again);
    assert.deepEqual(
      Object.values(opsOf(again)).filter((op) => op !== "same"),
      [],
      JSON.stringify(opsOf(again)),
    );
    // The VM stays as the move found it: destroy gives back the state recorded at the import.
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.a.vms.get(WEB1)?.state, "Paused");
    assert.equal(actions(), 1, "no action from the first up's pause to the end");
  });
});
