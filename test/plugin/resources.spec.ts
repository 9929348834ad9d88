import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { isSecret, secret, UNKNOWN, type ProviderHostError } from "../../tools/provider-host/host";
import { CLOCK, PAUSE, startPluginWorld, urnOf, type PluginWorld } from "./support";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
const BATCH = DEMO_VM_UUIDS["batch-1"];
const MISSING = "0".repeat(32);

describe("the native plugin's resources over gRPC (the engine's calls, against the simulator)", function () {
  this.timeout(60_000);
  let world: PluginWorld;
  beforeEach(async () => {
    world = await startPluginWorld();
  });
  afterEach(() => world.close());

  it("VmPauseState: check, create, diff, refresh after drift, update, replace, delete restoring", async () => {
    const { plugin, sim } = world;
    const urn = urnOf(PAUSE, "web");
    const checked = await plugin.check(urn, {}, { vmUuid: WEB, state: "Paused" });
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inputs, {
      vmUuid: WEB,
      state: "Paused",
      timeoutSeconds: 600,
      onDelete: "restore",
    });

    const created = await plugin.create(urn, checked.inputs);
    assert.equal(created.id, WEB);
    assert.equal(created.properties.state, "Paused");
    assert.equal(created.properties.initialState, "Running");
    assert.equal(created.properties.declaredState, "Paused");
    assert.equal(created.properties.name, "web-1");
    assert.equal("__provider" in created.properties, false);
    assert.equal(sim.vms.get(WEB)?.state, "Paused");

    const same = await plugin.diff(WEB, urn, created.properties, checked.inputs, checked.inputs);
    assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });

    await sim.vms.outOfBand(WEB, "resume");
    const refreshed = await plugin.read(WEB, urn, created.properties, checked.inputs);
    assert.equal(refreshed.properties.state, "Running");
    assert.deepEqual(refreshed.inputs, {
      vmUuid: WEB,
      state: "Running",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    const drift = await plugin.diff(WEB, urn, refreshed.properties, refreshed.inputs!, checked.inputs);
    assert.deepEqual(drift, { changes: "some", replaces: [], deleteBeforeReplace: false });

    const updated = await plugin.update(WEB, urn, refreshed.properties, checked.inputs, refreshed.inputs);
    assert.equal(updated.properties.state, "Paused");
    assert.equal(sim.vms.get(WEB)?.state, "Paused");

    const other = await plugin.check(urn, checked.inputs, { vmUuid: DB, state: "Paused" });
    const replace = await plugin.diff(WEB, urn, updated.properties, checked.inputs, other.inputs);
    assert.deepEqual(replace.replaces, ["vmUuid"]);

    await plugin.delete(WEB, urn, updated.properties);
    assert.equal(sim.vms.get(WEB)?.state, "Running");
  });

  it("VmClockTrack: create, refresh after drift, update, delete restoring the clock as found", async () => {
    const { plugin, sim } = world;
    const urn = urnOf(CLOCK, "db-clock");
    const checked = await plugin.check(urn, {}, { vmUuid: DB, track: "guest", intervalInSeconds: 600 });
    assert.deepEqual(checked.failures, []);
    const created = await plugin.create(urn, checked.inputs);
    assert.equal(created.properties.track, "guest");
    assert.equal(created.properties.intervalInSeconds, 600);
    assert.deepEqual(created.properties.restoreTo, {
      track: "host",
      syncAfterVMResume: null,
      intervalInSeconds: 0,
    });
    assert.equal(sim.resourceConfigs.get(DB, "vm.clock.track"), "guest");

    sim.resourceConfigs.set(DB, "vm.clock.track", "host");
    const refreshed = await plugin.read(DB, urn, created.properties, checked.inputs);
    assert.equal(refreshed.inputs?.track, "host");
    const drift = await plugin.diff(DB, urn, refreshed.properties, refreshed.inputs!, checked.inputs);
    assert.equal(drift.changes, "some");
    const updated = await plugin.update(DB, urn, refreshed.properties, checked.inputs, refreshed.inputs);
    assert.equal(updated.properties.track, "guest");

    await plugin.delete(DB, urn, updated.properties);
    assert.equal(sim.resourceConfigs.get(DB, "vm.clock.track"), "host");
    assert.equal(sim.resourceConfigs.get(DB, "vm.clock.sync.interval.in.seconds"), "0");
  });

  it("check: failures name the property, the value and what is allowed; unknowns pass in preview", async () => {
    const { plugin } = world;
    const bad = await plugin.check(urnOf(PAUSE, "bad"), {}, { vmUuid: "3f2a", state: "paused" });
    assert.deepEqual(
      bad.failures.map((failure) => failure.property),
      ["vmUuid", "state"],
    );
    assert.match(bad.failures[1]!.reason, /did you mean "Paused"\?/);
    const preview = await plugin.check(urnOf(CLOCK, "later"), {}, { vmUuid: UNKNOWN, track: UNKNOWN });
    assert.deepEqual(preview.failures, []);
    assert.equal(preview.inputs.vmUuid, UNKNOWN);
    const diff = await plugin.diff(WEB, urnOf(CLOCK, "later"), { vmUuid: WEB }, {}, preview.inputs);
    assert.deepEqual(diff.replaces, ["vmUuid"]);
  });

  it("a secret input stays secret in the checked inputs and the outputs", async () => {
    const { plugin } = world;
    const urn = urnOf(PAUSE, "secret-uuid");
    const checked = await plugin.check(urn, {}, { vmUuid: secret(WEB2), state: "Running" });
    assert.equal(isSecret(checked.inputs.vmUuid), true);
    const created = await plugin.create(urn, checked.inputs);
    assert.equal(isSecret(created.properties.vmUuid), true);
    assert.equal(isSecret(created.properties.declaredState), false);
  });

  describe("import: Read with the VM uuid and no state", () => {
    it("VmPauseState: inputs {vmUuid, state} and the outputs a create that found the VM so records; no action", async () => {
      const { plugin, sim } = world;
      const urn = urnOf(PAUSE, "imported");
      const read = await plugin.read(WEB, urn, {}, {});
      assert.equal(read.id, WEB);
      assert.deepEqual(read.inputs, { vmUuid: WEB, state: "Running" });
      assert.equal(read.properties.state, "Running");
      assert.equal(read.properties.declaredState, "Running");
      assert.equal(read.properties.initialState, "Running");
      assert.equal(read.properties.onDelete, "restore");
      assert.equal(read.properties.timeoutSeconds, 600);
      assert.equal(read.properties.pendingJob, null);
      assert.equal(sim.counters.acceptedActions(WEB), 0);

      // The engine's import: Check(read inputs, read inputs), then Diff against the outputs read: no change.
      const checked = await plugin.check(urn, read.inputs!, read.inputs!);
      assert.deepEqual(checked.failures, []);
      const diff = await plugin.diff(WEB, urn, read.properties, read.inputs!, checked.inputs);
      assert.equal(diff.changes, "none");

      // The engine stores the inputs the import read, without Check's defaults: a refresh keeps that shape, so it
      // reports no change; a drift still shows.
      const refreshed = await plugin.read(WEB, urn, read.properties, read.inputs!);
      assert.deepEqual(refreshed.inputs, read.inputs);
      const afterRefresh = await plugin.diff(WEB, urn, refreshed.properties, read.inputs!, refreshed.inputs!);
      assert.equal(afterRefresh.changes, "none", "an input left out holds its default");
      await sim.vms.outOfBand(WEB, "pause");
      const drifted = await plugin.read(WEB, urn, read.properties, read.inputs!);
      assert.deepEqual(drifted.inputs, { vmUuid: WEB, state: "Paused" });
      await sim.vms.outOfBand(WEB, "resume");

      // Deleting the imported resource restores nothing it did not change.
      await plugin.delete(WEB, urn, read.properties);
      assert.equal(sim.counters.acceptedActions(WEB), 0);
      assert.equal(sim.vms.get(WEB)?.state, "Running");
    });

    it("VmClockTrack: inputs {vmUuid, track} and each sync setting the VM has its own value of", async () => {
      const { plugin, sim } = world;
      sim.resourceConfigs.set(DB, "vm.clock.track", "guest");
      sim.resourceConfigs.set(DB, "vm.clock.sync.after.vm.resume", "true");
      const urn = urnOf(CLOCK, "imported");
      const read = await plugin.read(DB, urn, {}, {});
      // The interval inherits the global default: left undeclared, so a program that leaves it out previews no change.
      assert.deepEqual(read.inputs, { vmUuid: DB, track: "guest", syncAfterVMResume: true });
      assert.deepEqual(read.properties.declaredClock, {
        track: "guest",
        syncAfterVMResume: true,
        intervalInSeconds: null,
      });
      assert.deepEqual(read.properties.restoreTo, read.properties.declaredClock);
      assert.deepEqual(read.properties.restoreOrigin, {
        track: "own",
        syncAfterVMResume: "own",
        intervalInSeconds: null,
      });
      const checked = await plugin.check(urn, read.inputs!, read.inputs!);
      const diff = await plugin.diff(DB, urn, read.properties, read.inputs!, checked.inputs);
      assert.equal(diff.changes, "none");
      await plugin.delete(DB, urn, read.properties);
      assert.equal(sim.counters.acceptedActions(DB), 0);
      assert.equal(sim.resourceConfigs.get(DB, "vm.clock.track"), "guest");
      assert.equal(sim.resourceConfigs.hasOwn(DB, "vm.clock.sync.after.vm.resume"), true);
      assert.equal(sim.resourceConfigs.hasOwn(DB, "vm.clock.sync.interval.in.seconds"), false);
    });

    it("VmClockTrack on a node before 4.4.12: track only", async () => {
      await world.close();
      world = await startPluginWorld({ version: "4.1.0" });
      const read = await world.plugin.read(DB, urnOf(CLOCK, "old-node"), {}, {});
      assert.deepEqual(read.inputs, { vmUuid: DB, track: "host" });
      assert.deepEqual(read.properties.declaredClock, {
        track: "host",
        syncAfterVMResume: null,
        intervalInSeconds: null,
      });
    });

    it("an unknown VM and a Stopped VM are errors naming the uuid, the state and what is allowed", async () => {
      const { plugin, sim } = world;
      await assert.rejects(plugin.read(MISSING, urnOf(PAUSE, "gone"), {}, {}), (error: ProviderHostError) => {
        assert.match(error.details, new RegExp(`VmPauseState: VM ${MISSING} was not found`));
        assert.doesNotMatch(error.details, /\n\s+at /);
        return true;
      });
      await assert.rejects(
        plugin.read(MISSING, urnOf(CLOCK, "gone"), {}, {}),
        /VmClockTrack: VM 0{32} was not found/,
      );
      assert.equal(sim.vms.get(BATCH)?.state, "Stopped");
      await assert.rejects(
        plugin.read(BATCH, urnOf(PAUSE, "stopped"), {}, {}),
        (error: ProviderHostError) => {
          assert.match(error.details, new RegExp(`VM ${BATCH} is Stopped, so it cannot be imported`));
          assert.match(error.details, /"Running" or "Paused"/);
          assert.match(error.details, /StartVmInstance/);
          return true;
        },
      );
      assert.equal(sim.counters.acceptedActions(), 0);
    });
  });

  it("a refresh of a VM that is gone drops the resource (empty id)", async () => {
    const { plugin, sim } = world;
    const urn = urnOf(PAUSE, "dropped");
    const created = await plugin.create(urn, {
      vmUuid: DB,
      state: "Running",
      timeoutSeconds: 600,
      onDelete: "leave",
    });
    sim.vms.remove(DB);
    const read = await plugin.read(DB, urn, created.properties, {});
    assert.equal(read.id, "");
  });
});
