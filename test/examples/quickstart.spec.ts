/**
 * The quickstart stack (root Pulumi.yaml and index.ts) through the engine harness against the simulator: the life
 * of one stack, command by command, with the outcome checked on the simulator (VM states, clock settings, accepted
 * actions) and in the harness results (steps, outputs).
 */
import { strict as assert } from "node:assert";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { UNKNOWN } from "../../tools/provider-host/properties";
import { assertSucceeded, opsOf, REPO_ROOT, startExampleWorld, stepOf, type ExampleWorld } from "./support";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

describe("examples: quickstart (root stack)", function () {
  this.timeout(120_000);
  this.slow(10_000);
  let world: ExampleWorld;
  const stack = (config: Record<string, string> = {}) => world.harness(REPO_ROOT, "dev", config);
  const clock = (uuid: string) => ({
    track: world.sim.resourceConfigs.get(uuid, "vm.clock.track"),
    sync: world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"),
    interval: world.sim.resourceConfigs.get(uuid, "vm.clock.sync.interval.in.seconds"),
  });
  const accepted = () => world.sim.counters.acceptedActions();

  before(async () => {
    world = await startExampleWorld();
  });
  after(async () => {
    await world.close();
  });

  it("preview plans three creates and sends nothing to ZStack", async () => {
    const r = await stack().preview();
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), {
      "quickstart-dev": "create",
      "web-paused": "create",
      "db-clock": "create",
    });
    assert.equal(world.sim.counters.count(), 0, "a preview must not call ZStack");
    // Input-derived outputs are known in a preview; what only ZStack knows is not.
    assert.equal(r.outputs.clockTrack, "guest");
    assert.equal(r.outputs.clockIntervalSeconds, 600);
    assert.equal(r.outputs.pausedVmName, UNKNOWN);
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("up pauses web-1 and sets db-1's clock track: exactly one action each", async () => {
    const r = await stack().up();
    assertSucceeded(r);
    assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 1);
    assert.equal(accepted(), 2);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(
      world.sim.vms.get(DB)?.state,
      "Paused",
      "db-1 is only clock-tracked, its state is untouched",
    );
    assert.deepEqual(clock(DB), { track: "guest", sync: "true", interval: "600" });
    assert.deepEqual(r.outputs, {
      pausedVmName: "web-1",
      pausedVmState: "Paused",
      pausedVmHostUuid: world.sim.vms.get(WEB)?.hostUuid,
      pausedVmRestoreTo: "Running",
      clockVmName: "db-1",
      clockTrack: "guest",
      clockSyncAfterResume: true,
      clockIntervalSeconds: 600,
      clockRestoreTo: { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 },
    });
    assert.deepEqual(r.secretOutputs, []);
  });

  it("an unchanged program previews as unchanged, with no call to ZStack", async () => {
    const before = world.sim.counters.count();
    const r = await stack().preview();
    assertSucceeded(r);
    assert.ok(
      r.steps.every((s) => s.op === "same"),
      JSON.stringify(opsOf(r)),
    );
    assert.equal(world.sim.counters.count(), before);
  });

  it("refresh after an out-of-band resume shows the drift without acting", async () => {
    await world.sim.vms.outOfBand(WEB, "resume");
    const r = await stack().refresh();
    assertSucceeded(r);
    const drift = stepOf(r, "web-paused");
    assert.equal(drift.op, "refresh");
    assert.deepEqual(
      drift.diffs.find((d) => d.key === "state"),
      { key: "state", old: "Paused", new: "Running" },
    );
    assert.equal(stepOf(r, "db-clock").op, "same");
    assert.ok(
      r.lines.some((l) => l.includes('~ state: "Paused" => "Running"')),
      r.lines.join("\n"),
    );
    assert.equal(accepted(), 2, "refresh only reads");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("the next preview shows the convergence and up pauses the VM again with one action", async () => {
    const p = await stack().preview();
    assertSucceeded(p);
    const planned = stepOf(p, "web-paused");
    assert.equal(planned.op, "update");
    assert.deepEqual(planned.diffs, [{ key: "state", old: "Running", new: "Paused" }]);
    assert.equal(stepOf(p, "db-clock").op, "same");

    const r = await stack().up();
    assertSucceeded(r);
    assert.equal(stepOf(r, "web-paused").op, "update");
    assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 2);
    assert.equal(accepted(), 3);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(r.outputs.pausedVmState, "Paused");
  });

  it("a new sync interval in config updates db-1's clock in place", async () => {
    const p = await stack({ syncIntervalSeconds: "3600" }).preview();
    assertSucceeded(p);
    assert.deepEqual(stepOf(p, "db-clock").diffs, [{ key: "intervalInSeconds", old: 600, new: 3600 }]);
    assert.equal(accepted(), 3);

    const r = await stack({ syncIntervalSeconds: "3600" }).up();
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), { "quickstart-dev": "same", "web-paused": "same", "db-clock": "update" });
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 2);
    assert.equal(accepted(), 4);
    assert.deepEqual(clock(DB), { track: "guest", sync: "true", interval: "3600" });
    assert.equal(r.outputs.clockIntervalSeconds, 3600);
    // restoreTo still holds the values from before the stack first changed the VM.
    assert.deepEqual(r.outputs.clockRestoreTo, {
      track: "host",
      syncAfterVMResume: false,
      intervalInSeconds: 0,
    });
  });

  it("an interval ZStack does not accept fails the preview in check, naming the allowed values", async () => {
    const before = world.sim.counters.count();
    const p = await stack({ syncIntervalSeconds: "30" }).preview();
    assert.equal(p.status, "failed");
    const message = p.diagnostics.map((d) => d.message).join("\n");
    assert.match(message, /intervalInSeconds/);
    assert.match(message, /0, 60, 600, 1800, 3600/);
    assert.ok(!p.lines.some((l) => /^\s+at /.test(l)), "no stack trace in the output");
    assert.equal(world.sim.counters.count(), before);
  });

  it("destroy restores both VMs as they were found and empties the state", async () => {
    const h = stack({ syncIntervalSeconds: "3600" });
    const r = await h.destroy();
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), { "quickstart-dev": "delete", "web-paused": "delete", "db-clock": "delete" });
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.deepEqual(clock(DB), { track: "host", sync: "false", interval: "0" });
    assert.equal(world.sim.counters.acceptedActions(WEB, "resumeVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 3);
    assert.equal(accepted(), 6);
    assert.deepEqual(h.state().resources, []);
  });
});
