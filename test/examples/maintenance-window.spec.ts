/**
 * examples/maintenance-window through the engine harness against the simulator: the component pauses the listed
 * VMs after setting their clock track (dependsOn order checked in the simulator's log), `maintenance:active false`
 * ends the window (VMs resumed, clocks kept), destroy restores everything, and a config mistake fails clearly.
 */
import { strict as assert } from "node:assert";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { assertSucceeded, exampleDir, opsOf, startExampleWorld, stepOf, type ExampleWorld } from "./support";

const projectDir = exampleDir("maintenance-window");
const WEB1 = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];
const VMS = JSON.stringify([WEB1, DB]);

describe("examples: maintenance-window", function () {
  this.timeout(120_000);
  this.slow(10_000);
  let world: ExampleWorld;
  const stack = (config: Record<string, string> = {}) =>
    world.harness(projectDir, "dev", { "maintenance:vmUuids": VMS, ...config });
  const clockOf = (uuid: string) => [
    world.sim.resourceConfigs.get(uuid, "vm.clock.track"),
    world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"),
  ];

  before(async () => {
    world = await startExampleWorld();
  });
  after(async () => {
    await world.close();
  });

  it("opens the window: clock track guest with sync after resume, then the VMs paused", async () => {
    // web-1 is Running and db-1 already Paused: only web-1 needs a pause.
    const r = await stack().up();
    assertSucceeded(r);
    const component = stepOf(r, "mw");
    assert.equal(component.type, "zstack-examples:index:MaintenanceWindow");
    for (const uuid of [WEB1, DB]) {
      for (const suffix of ["clock", "pause"]) {
        const s = stepOf(r, `mw-${uuid}-${suffix}`);
        assert.equal(s.op, "create");
        assert.equal(s.parent, component.urn, "the VM resources are children of the component");
      }
      assert.equal(world.sim.vms.get(uuid)?.state, "Paused");
      assert.deepEqual(clockOf(uuid), ["guest", "true"]);
      assert.equal(world.sim.counters.acceptedActions(uuid, "setVmClockTrack"), 1);
    }
    assert.equal(world.sim.counters.acceptedActions(WEB1, "pauseVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DB, "pauseVmInstance"), 0, "db-1 was already Paused");
    assert.equal(world.sim.counters.acceptedActions(), 3);

    // dependsOn: web-1's clock was set (job submitted) before its pause was submitted.
    const submits = world.sim.log.entries.filter((e) => e.kind === "actionSubmit" && e.vmUuid === WEB1);
    assert.deepEqual(
      submits.map((e) => e.action),
      ["setVmClockTrack", "pauseVmInstance"],
    );

    assert.equal(r.outputs.active, true);
    assert.equal(r.outputs.summary, "maintenance window open (maintenance): web-1 (Paused), db-1 (Paused)");
    assert.deepEqual(r.outputs.vms, [
      { uuid: WEB1, name: "web-1", state: "Paused", clockTrack: "guest", syncAfterVMResume: true },
      { uuid: DB, name: "db-1", state: "Paused", clockTrack: "guest", syncAfterVMResume: true },
    ]);
  });

  it("`maintenance:active false` previews one resume per VM and sends nothing", async () => {
    const before = world.sim.counters.count();
    const p = await stack({ "maintenance:active": "false" }).preview();
    assertSucceeded(p);
    for (const uuid of [WEB1, DB]) {
      const s = stepOf(p, `mw-${uuid}-pause`);
      assert.equal(s.op, "update");
      assert.deepEqual(s.diffs, [{ key: "state", old: "Paused", new: "Running" }]);
      assert.equal(stepOf(p, `mw-${uuid}-clock`).op, "same");
    }
    assert.equal(world.sim.counters.count(), before);
  });

  it("up with `maintenance:active false` ends the window: VMs resumed, clock settings kept", async () => {
    const r = await stack({ "maintenance:active": "false" }).up();
    assertSucceeded(r);
    for (const uuid of [WEB1, DB]) {
      assert.equal(world.sim.vms.get(uuid)?.state, "Running");
      assert.equal(world.sim.counters.acceptedActions(uuid, "resumeVmInstance"), 1);
      assert.deepEqual(clockOf(uuid), ["guest", "true"]);
    }
    assert.equal(world.sim.counters.acceptedActions(), 5);
    assert.equal(r.outputs.active, false);
    assert.equal(r.outputs.summary, "maintenance window closed: web-1 (Running), db-1 (Running)");
  });

  it("destroy gives each VM back its state and clock settings from before the window", async () => {
    const r = await stack({ "maintenance:active": "false" }).destroy();
    assertSucceeded(r);
    assert.equal(Object.values(opsOf(r)).filter((op) => op === "delete").length, 6);
    // The pause resources go first (they depend on the clock resources).
    const names = r.steps.map((s) => s.name);
    assert.ok(names.indexOf(`mw-${DB}-pause`) < names.indexOf(`mw-${DB}-clock`), names.join(", "));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Running", "web-1 was Running before the window");
    assert.equal(world.sim.vms.get(DB)?.state, "Paused", "db-1 was Paused before the window");
    for (const uuid of [WEB1, DB]) assert.deepEqual(clockOf(uuid), ["host", "false"]);
  });

  it("a VM list that is not a list fails the preview with a clear message and no stack trace", async () => {
    const p = await stack({ "maintenance:vmUuids": JSON.stringify(WEB1) }).preview();
    assert.equal(p.status, "failed");
    const text = p.lines.join("\n");
    assert.match(text, /MaintenanceWindow: vmUuids must be a non-empty list of VM uuids/);
    assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(text), text);
  });
});
