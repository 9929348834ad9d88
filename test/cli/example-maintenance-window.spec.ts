/**
 * examples/maintenance-window through the real Pulumi CLI against the simulator: the window opens (each VM's clock
 * track set before its pause, checked in the simulator's request log; the VM resources children of the component),
 * `maintenance:active false` previews and applies one resume per VM, destroy gives each VM back its state and clock
 * settings, and a VM list that is not a list fails the preview clearly.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS, type ApiActionName } from "pulumi-zstack-vm/simulator";

import { changedKeys } from "../../tools/pulumi-cli/events";

import {
  assertSucceeded,
  errorsOf,
  exampleDir,
  opsOf,
  startCliWorld,
  stepOf,
  type CliWorld,
} from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];
const COMPONENT_TYPE = "zstack-examples:index:MaintenanceWindow";

describe("cli: examples/maintenance-window", function () {
  this.timeout(300_000);
  this.slow(20_000);
  let world: CliWorld;
  let dir: string;
  const clockOf = (uuid: string) => [
    world.sim.resourceConfigs.get(uuid, "vm.clock.track"),
    world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"),
  ];
  const accepted = (uuid?: string, action?: ApiActionName) =>
    world.sim.counters.acceptedActions(uuid, action);

  before(async () => {
    world = await startCliWorld();
    // As the README sets it, reason included; a JSON list is what `config set --path 'vmUuids[0]'` stores too.
    dir = await world.stack(exampleDir("maintenance-window"), "dev", {
      config: { "maintenance:vmUuids": JSON.stringify([WEB1, DB]), "maintenance:reason": "kernel upgrade" },
    });
  });
  after(async () => {
    await world?.close();
  });

  it("up opens the window: clock track guest with sync after resume, then web-1 paused (db-1 already was)", async () => {
    const r = await world.json(dir, ["up"]);
    assertSucceeded(r);
    assert.equal(stepOf(r, "mw").op, "create");
    for (const uuid of [WEB1, DB]) {
      for (const suffix of ["clock", "pause"]) assert.equal(stepOf(r, `mw-${uuid}-${suffix}`).op, "create");
      assert.equal(world.sim.vms.get(uuid)?.state, "Paused");
      assert.deepEqual(clockOf(uuid), ["guest", "true"]);
      assert.equal(accepted(uuid, "setVmClockTrack"), 1);
    }
    assert.equal(accepted(WEB1, "pauseVmInstance"), 1);
    assert.equal(accepted(DB, "pauseVmInstance"), 0, "db-1 was already Paused");
    assert.equal(accepted(), 3);

    // dependsOn: web-1's clock was set (its job accepted) before its pause was submitted.
    const submits = world.sim.log.entries.filter((e) => e.kind === "actionSubmit" && e.vmUuid === WEB1);
    assert.deepEqual(
      submits.map((e) => e.action),
      ["setVmClockTrack", "pauseVmInstance"],
    );

    // The VM resources are the component's children in the checkpoint, and each pause depends on its clock.
    const resources = (await world.ws.exportState(dir)).deployment.resources ?? [];
    const component = resources.find((x) => x.type === COMPONENT_TYPE);
    assert.ok(component, resources.map((x) => x.type).join(", "));
    const byName = (name: string) => resources.find((x) => x.urn.endsWith(`::${name}`));
    for (const uuid of [WEB1, DB]) {
      assert.equal(byName(`mw-${uuid}-pause`)?.parent, component.urn);
      assert.equal(byName(`mw-${uuid}-clock`)?.parent, component.urn);
      assert.ok(byName(`mw-${uuid}-pause`)?.dependencies?.includes(byName(`mw-${uuid}-clock`)?.urn ?? "-"));
    }

    assert.deepEqual(await world.ws.outputs(dir), {
      active: true,
      summary: "maintenance window open (kernel upgrade): web-1 (Paused), db-1 (Paused)",
      vms: [
        { uuid: WEB1, name: "web-1", state: "Paused", clockTrack: "guest", syncAfterVMResume: true },
        { uuid: DB, name: "db-1", state: "Paused", clockTrack: "guest", syncAfterVMResume: true },
      ],
    });
  });

  it("`maintenance:active false` previews one resume per VM, clocks untouched, and sends nothing", async () => {
    await world.ws.setConfig(dir, { "maintenance:active": "false" });
    const before = world.sim.counters.count();
    const p = await world.json(dir, ["preview", "--diff"]);
    assertSucceeded(p);
    for (const uuid of [WEB1, DB]) {
      const s = stepOf(p, `mw-${uuid}-pause`);
      assert.equal(s.op, "update");
      assert.deepEqual(changedKeys(s, "inputs"), ["state"]);
      assert.equal(s.oldInputs?.["state"], "Paused");
      assert.equal(s.newInputs?.["state"], "Running");
      // `preview --json` lists only the steps with changes: the clock resources have none.
      assert.ok(!p.steps.some((x) => x.name === `mw-${uuid}-clock`), JSON.stringify(opsOf(p)));
    }
    assert.equal(world.sim.counters.count(), before, "a preview must not call ZStack");
  });

  it("up with `maintenance:active false` ends the window: both VMs resumed, clock settings kept", async () => {
    const r = await world.json(dir, ["up"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { same: 4, update: 2 });
    for (const uuid of [WEB1, DB]) {
      assert.equal(world.sim.vms.get(uuid)?.state, "Running");
      assert.equal(accepted(uuid, "resumeVmInstance"), 1);
      assert.deepEqual(clockOf(uuid), ["guest", "true"]);
    }
    assert.equal(accepted(), 5);
    const outputs = await world.ws.outputs(dir);
    assert.equal(outputs["active"], false);
    assert.equal(outputs["summary"], "maintenance window closed: web-1 (Running), db-1 (Running)");
  });

  it("destroy gives each VM back its state and clock settings from before the window", async () => {
    const r = await world.json(dir, ["destroy"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { delete: 6 });
    // The pause resources go first (they depend on the clock resources): db-1 is paused again before its clock
    // settings are restored.
    // db-1 inherited both clock settings: they return to inheritance (its own values deleted).
    const dbSubmits = world.sim.log.entries
      .filter(
        (e) =>
          (e.kind === "actionSubmit" || (e.kind === "resourceConfig" && e.method === "DELETE")) &&
          e.vmUuid === DB,
      )
      .map((e) => e.action);
    assert.deepEqual(dbSubmits.slice(-3), [
      "pauseVmInstance",
      "deleteResourceConfig",
      "deleteResourceConfig",
    ]);
    assert.equal(world.sim.vms.get(WEB1)?.state, "Running", "web-1 was Running before the window");
    assert.equal(world.sim.vms.get(DB)?.state, "Paused", "db-1 was Paused before the window");
    for (const uuid of [WEB1, DB]) {
      assert.deepEqual(clockOf(uuid), ["host", "false"]);
      assert.equal(world.sim.resourceConfigs.hasOwn(uuid, "vm.clock.track"), false, "inherited again");
    }
    assert.equal(accepted(WEB1, "resumeVmInstance"), 1, "web-1 was already Running: no second resume");
    assert.deepEqual((await world.ws.exportState(dir)).deployment.resources ?? [], []);
  });

  it("a VM list that is not a list fails the preview with a clear message, no stack trace, nothing sent", async () => {
    await world.ws.setConfig(dir, { "maintenance:vmUuids": JSON.stringify(WEB1) });
    const before = world.sim.counters.count();
    const p = await world.json(dir, ["preview"]);
    assert.equal(p.result, "failed");
    const message = errorsOf(p);
    assert.match(message, /MaintenanceWindow: vmUuids must be a non-empty list of VM uuids/);
    assert.match(message, /pulumi config set --path 'maintenance:vmUuids\[0\]'/);
    assert.doesNotMatch(message, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace:\n${message}`);
    assert.equal(world.sim.counters.count(), before);
  });
});
