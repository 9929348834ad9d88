import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { hasNoUndefined, startWorld, type World } from "../support/world";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running
const BATCH = DEMO_VM_UUIDS["batch-1"]; // Stopped

const inputs = (vmUuid: string, clock: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  vmUuid,
  ...clock,
  timeoutSeconds: 30,
  onDelete: "restore",
  ...extra,
});

describe("VmClockTrack controller against the simulator", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  /**
   * Gives `vmUuid` its own values of the three settings, ZStack's defaults, as an administrator's
   * UpdateResourceConfig would: restore writes such values back (values the VM inherits it deletes instead).
   */
  const ownClock = (vmUuid: string) => {
    world.sim.resourceConfigs.set(vmUuid, "vm.clock.track", "host");
    world.sim.resourceConfigs.set(vmUuid, "vm.clock.sync.after.vm.resume", "false");
    world.sim.resourceConfigs.set(vmUuid, "vm.clock.sync.interval.in.seconds", "0");
  };

  const sent = () =>
    world.sim.log.entries
      .filter((entry) => entry.kind === "actionSubmit")
      .map((entry) => ({ action: entry.action, vmUuid: entry.vmUuid }));

  it("create sets the track with one action and reads all three values back", async () => {
    const { id, outs } = await world.clock.create(inputs(WEB, { track: "guest" }));
    assert.equal(id, WEB);
    assert.deepEqual([outs.track, outs.syncAfterVMResume, outs.intervalInSeconds], ["guest", false, 0]);
    assert.deepEqual(outs.declaredClock, {
      track: "guest",
      syncAfterVMResume: null,
      intervalInSeconds: null,
    });
    assert.deepEqual(outs.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: null });
    assert.equal(outs.state, "Running");
    assert.ok(hasNoUndefined(outs));
    assert.deepEqual(sent(), [{ action: "setVmClockTrack", vmUuid: WEB }]);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
  });

  it("create adopts a VM whose managed settings already match, without any action", async () => {
    world.sim.resourceConfigs.set(WEB, "vm.clock.track", "guest");
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "600");
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 600 }));
    assert.equal(outs.intervalInSeconds, 600);
    assert.deepEqual(outs.restoreTo, { track: "guest", syncAfterVMResume: null, intervalInSeconds: 600 });
    assert.deepEqual(sent(), []);
  });

  it("create sends only the settings the program sets, and works on a Stopped VM", async () => {
    const { outs } = await world.clock.create(inputs(BATCH, { track: "host", syncAfterVMResume: true }));
    assert.equal(outs.state, "Stopped");
    assert.equal(outs.syncAfterVMResume, true);
    assert.equal(world.sim.resourceConfigs.get(BATCH, "vm.clock.sync.after.vm.resume"), "true");
    assert.equal(world.sim.resourceConfigs.get(BATCH, "vm.clock.sync.interval.in.seconds"), "0");
    assert.deepEqual(sent(), [{ action: "setVmClockTrack", vmUuid: BATCH }]);
  });

  it("create fails clearly on a missing VM, before any action", async () => {
    await assert.rejects(
      world.clock.create(inputs("0000000000000000000000000000dead", { track: "guest" })),
      /VmClockTrack: VM 0000000000000000000000000000dead was not found/,
    );
    assert.deepEqual(sent(), []);
  });

  it("read shows a change made elsewhere as drift in outputs and inputs, for managed settings only", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 60 }));
    world.sim.resourceConfigs.set(WEB, "vm.clock.track", "host");
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.after.vm.resume", "true");
    const read = await world.clock.read(WEB, outs);
    assert.equal(read.props!.track, "host");
    assert.equal(read.props!.syncAfterVMResume, true);
    assert.deepEqual(read.inputs, {
      vmUuid: WEB,
      track: "host",
      intervalInSeconds: 60,
      timeoutSeconds: 30,
      onDelete: "restore",
    });
    const diff = await world.clock.diff(
      WEB,
      read.props,
      inputs(WEB, { track: "guest", intervalInSeconds: 60 }),
    );
    assert.equal(diff.changes, true);
  });

  it("update sends one action for a changed setting and records the pre-change value of a newly managed one", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest" }));
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "3600");
    const { outs: updated } = await world.clock.update(
      WEB,
      outs,
      inputs(WEB, { track: "guest", intervalInSeconds: 600 }),
    );
    assert.equal(updated!.intervalInSeconds, 600);
    assert.deepEqual(updated!.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: 3600 });
    assert.equal(sent().length, 2);
  });

  it("a timeoutSeconds or onDelete change sends nothing at all, even with unrefreshed drift", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest" }));
    world.sim.resourceConfigs.set(WEB, "vm.clock.track", "host"); // not refreshed
    const requests = world.sim.counters.count();
    const news = inputs(WEB, { track: "guest" }, { timeoutSeconds: 90, onDelete: "leave" });
    assert.equal((await world.clock.diff(WEB, outs, news)).changes, true);
    const { outs: updated } = await world.clock.update(WEB, outs, news);
    assert.deepEqual([updated!.timeoutSeconds, updated!.onDelete, updated!.track], [90, "leave", "guest"]);
    assert.deepEqual(updated!.restoreTo, outs.restoreTo);
    assert.ok(hasNoUndefined(updated));
    assert.equal(world.sim.counters.count(), requests, "no call to ZStack");
  });

  it("adding a setting whose live value already matches records it, so destroy restores what the program found", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest" }));
    const withInterval = inputs(WEB, { track: "guest", intervalInSeconds: 0 });
    const diff = await world.clock.diff(WEB, outs, withInterval);
    assert.equal(
      diff.changes,
      true,
      "a newly managed setting is a change even when its value already matches",
    );
    const { outs: added } = await world.clock.update(WEB, outs, withInterval);
    assert.deepEqual(added!.declaredClock, { track: "guest", syncAfterVMResume: null, intervalInSeconds: 0 });
    assert.deepEqual(added!.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
    assert.equal(sent().length, 1, "only create's action: the interval already matched");

    // Someone changes the interval; a refresh shows it, and an up converges it back.
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "600");
    const read = await world.clock.read(WEB, added!);
    const { outs: converged } = await world.clock.update(WEB, read.props, withInterval);
    assert.equal(converged!.intervalInSeconds, 0);
    await world.clock.delete(WEB, converged!);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
  });

  it("delete restores the values read before the first change; leave forgets", async () => {
    ownClock(WEB);
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 600 }));
    await world.clock.delete(WEB, outs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");

    const left = await world.clock.create(inputs(WEB, { track: "guest" }, { onDelete: "leave" }));
    await world.clock.delete(WEB, left.outs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
    assert.equal(sent().length, 3);
  });

  it("delete keeps a setting someone else changed since", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 600 }));
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "7200");
    await world.clock.delete(WEB, outs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "7200");
  });

  it("a setting dropped from the program returns to its pre-change value; preview shows it as an update", async () => {
    ownClock(WEB);
    const { outs } = await world.clock.create(
      inputs(WEB, { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 }),
    );
    assert.deepEqual(outs.restoreTo, { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 });
    const dropped = inputs(WEB, { track: "guest", intervalInSeconds: 600 });
    const diff = await world.clock.diff(WEB, outs, dropped);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    const { outs: updated } = await world.clock.update(WEB, outs, dropped);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "false");
    assert.equal(updated!.syncAfterVMResume, false);
    assert.deepEqual(updated!.declaredClock, {
      track: "guest",
      syncAfterVMResume: null,
      intervalInSeconds: 600,
    });
    assert.deepEqual(updated!.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
    // The settings still declared stay as set: one action carried the hand-back.
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "600");
    assert.equal(sent().length, 2);
    // Nothing left to do: the next preview is clean.
    assert.equal((await world.clock.diff(WEB, updated, dropped)).changes, false);
  });

  it("destroy returns every setting the stack ever changed, including ones dropped and re-declared", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", syncAfterVMResume: true }));
    const step2 = await world.clock.update(
      WEB,
      outs,
      inputs(WEB, { track: "guest", intervalInSeconds: 3600 }),
    );
    const step3 = await world.clock.update(
      WEB,
      step2.outs,
      inputs(WEB, { track: "guest", syncAfterVMResume: true, intervalInSeconds: 3600 }),
    );
    assert.deepEqual(step3.outs!.restoreTo, {
      track: "host",
      syncAfterVMResume: false,
      intervalInSeconds: 0,
    });
    await world.clock.delete(WEB, step3.outs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "false");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
  });

  it("a dropped setting someone else changed since is theirs to keep; with onDelete leave it is only forgotten", async () => {
    const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 600 }));
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "7200");
    const { outs: updated } = await world.clock.update(WEB, outs, inputs(WEB, { track: "guest" }));
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "7200");
    assert.equal(updated!.restoreTo.intervalInSeconds, null);

    const left = await world.clock.create(
      inputs(BATCH, { track: "guest", syncAfterVMResume: true }, { onDelete: "leave" }),
    );
    await world.clock.update(BATCH, left.outs, inputs(BATCH, { track: "guest" }, { onDelete: "leave" }));
    assert.equal(world.sim.resourceConfigs.get(BATCH, "vm.clock.sync.after.vm.resume"), "true");
  });

  it("an update cut short keeps the unfinished hand-back, and the next update completes it", async () => {
    ownClock(WEB);
    const { outs } = await world.clock.create(
      inputs(WEB, { track: "guest", syncAfterVMResume: true }, { timeoutSeconds: 30 }),
    );
    await world.close();
    // A new simulator with slow jobs and the same clock (configs live in the simulator, so set them again).
    world = await startWorld({ timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 2500 } });
    world.sim.resourceConfigs.set(WEB, "vm.clock.track", "guest");
    world.sim.resourceConfigs.set(WEB, "vm.clock.sync.after.vm.resume", "true");
    const dropped = inputs(WEB, { track: "guest" }, { timeoutSeconds: 1 });
    const error = await world.clock.update(WEB, outs, dropped).then(
      () => assert.fail("update should time out"),
      (caught: { properties: Record<string, unknown> }) => caught,
    );
    assert.deepEqual(error.properties.declaredClock, {
      track: "guest",
      syncAfterVMResume: true,
      intervalInSeconds: null,
    });
    assert.deepEqual(error.properties.restoreTo, {
      track: "host",
      syncAfterVMResume: false,
      intervalInSeconds: null,
    });
    const { outs: next } = await world.clock.update(WEB, error.properties, {
      ...dropped,
      timeoutSeconds: 30,
    });
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "false");
    assert.deepEqual(next!.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: null });
    assert.equal(
      world.sim.counters.acceptedActions(WEB, "setVmClockTrack"),
      1,
      "the update waited for the job",
    );
  });

  describe("own and inherited values", () => {
    const TRACK = "vm.clock.track";
    const SYNC = "vm.clock.sync.after.vm.resume";
    const INTERVAL = "vm.clock.sync.interval.in.seconds";
    const deletes = () =>
      world.sim.log.entries
        .filter((entry) => entry.method === "DELETE" && entry.kind === "resourceConfig")
        .map((entry) => entry.path.split("/").at(-2));

    it("create records whether each value was the VM's own; a static get records nothing", async () => {
      world.sim.resourceConfigs.set(WEB, SYNC, "false");
      const { outs } = await world.clock.create(inputs(WEB, { track: "guest", syncAfterVMResume: true }));
      assert.deepEqual(outs.restoreOrigin, {
        track: "inherited",
        syncAfterVMResume: "own",
        intervalInSeconds: null,
      });
      assert.equal((await world.clock.read(WEB, {})).props!.restoreOrigin, null);
    });

    it("track and sync both inherited: delete deletes the VM's values, and the VM follows the global default", async () => {
      const { outs } = await world.clock.create(inputs(WEB, { track: "guest", syncAfterVMResume: true }));
      assert.equal(
        world.sim.resourceConfigs.hasOwn(WEB, TRACK),
        true,
        "setVmClockTrack wrote the VM's own value",
      );
      await world.clock.delete(WEB, outs);
      assert.deepEqual(sent(), [{ action: "setVmClockTrack", vmUuid: WEB }], "no action to restore");
      assert.deepEqual(deletes(), [TRACK, SYNC]);
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, TRACK), false);
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, SYNC), false);
      world.sim.resourceConfigs.setGlobal(TRACK, "guest");
      assert.equal(
        world.sim.resourceConfigs.get(WEB, TRACK),
        "guest",
        "the VM inherits the new global value",
      );
    });

    it("track inherited, sync own: the action writes sync back, then track inherits again", async () => {
      world.sim.resourceConfigs.set(WEB, SYNC, "false");
      const { outs } = await world.clock.create(inputs(WEB, { track: "guest", syncAfterVMResume: true }));
      await world.clock.delete(WEB, outs);
      assert.equal(sent().length, 2, "create's action, and the restore of sync");
      assert.deepEqual(deletes(), [TRACK]);
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, TRACK), false);
      assert.equal(world.sim.resourceConfigs.get(WEB, TRACK), "host");
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, SYNC), true);
      assert.equal(world.sim.resourceConfigs.get(WEB, SYNC), "false");
    });

    it("track own, sync inherited: the action writes track back, then sync inherits again", async () => {
      world.sim.resourceConfigs.set(WEB, TRACK, "host");
      const { outs } = await world.clock.create(inputs(WEB, { track: "guest", syncAfterVMResume: true }));
      await world.clock.delete(WEB, outs);
      assert.equal(sent().length, 2);
      assert.deepEqual(deletes(), [SYNC]);
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, TRACK), true);
      assert.equal(world.sim.resourceConfigs.get(WEB, TRACK), "host");
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, SYNC), false);
    });

    it("an inherited setting someone changed since is theirs: kept, not deleted", async () => {
      const { outs } = await world.clock.create(inputs(WEB, { track: "guest", intervalInSeconds: 600 }));
      world.sim.resourceConfigs.set(WEB, INTERVAL, "7200");
      await world.clock.delete(WEB, outs);
      assert.deepEqual(deletes(), [TRACK]);
      assert.equal(world.sim.resourceConfigs.get(WEB, INTERVAL), "7200");
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, TRACK), false);
    });

    it("a setting dropped from the program that the VM inherited inherits again", async () => {
      const { outs } = await world.clock.create(
        inputs(WEB, { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 }),
      );
      const dropped = inputs(WEB, { track: "guest", intervalInSeconds: 600 });
      assert.equal((await world.clock.diff(WEB, outs, dropped)).changes, true);
      const { outs: updated } = await world.clock.update(WEB, outs, dropped);
      assert.deepEqual(deletes(), [SYNC]);
      assert.equal(sent().length, 1, "nothing else to set");
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, SYNC), false);
      assert.deepEqual(updated!.restoreOrigin, {
        track: "inherited",
        syncAfterVMResume: null,
        intervalInSeconds: "inherited",
      });
      assert.equal((await world.clock.diff(WEB, updated, dropped)).changes, false);
    });
  });

  it("read of a static get describes the VM and its clock by id", async () => {
    const read = await world.clock.read(WEB, {});
    assert.equal(read.id, WEB);
    assert.deepEqual(
      [read.props!.track, read.props!.syncAfterVMResume, read.props!.intervalInSeconds],
      ["host", false, 0],
    );
    assert.equal(read.inputs, undefined);
  });

  it("a setVmClockTrack that outlives timeoutSeconds leaves partial state, and the next update waits for that job", async () => {
    await world.close();
    world = await startWorld({ timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 2500 } });
    const declared = inputs(WEB, { track: "guest", intervalInSeconds: 600 }, { timeoutSeconds: 1 });
    const error = await world.clock.create({ ...declared, __provider: "provider-text" }).then(
      () => assert.fail("create should time out"),
      (caught: { id: string; properties: Record<string, unknown>; message: string }) => caught,
    );
    assert.equal(error.id, WEB);
    assert.match(error.message, /setVmClockTrack on VM .* was accepted by ZStack \(job [0-9a-f]{32}\)/);
    // The values as last read (the job has not finished) and what restore will set.
    assert.deepEqual([error.properties.track, error.properties.intervalInSeconds], ["host", 0]);
    assert.deepEqual(error.properties.restoreTo, {
      track: "host",
      syncAfterVMResume: null,
      intervalInSeconds: 0,
    });
    assert.equal((error.properties.pendingJob as { action: string }).action, "setVmClockTrack");
    assert.equal(error.properties.__provider, "provider-text");

    const { outs } = await world.clock.update(WEB, error.properties, { ...declared, timeoutSeconds: 30 });
    assert.deepEqual([outs!.track, outs!.intervalInSeconds], ["guest", 600]);
    assert.deepEqual(outs!.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
    assert.equal(outs!.pendingJob, null);
    assert.equal(
      world.sim.counters.acceptedActions(WEB, "setVmClockTrack"),
      1,
      "the update waited instead of resending",
    );
  });

  describe("a delete right after a create whose job outlived timeoutSeconds", () => {
    const declared = inputs(WEB, { track: "guest", intervalInSeconds: 600 }, { timeoutSeconds: 1 });
    const accepted = () => world.sim.counters.acceptedActions(WEB, "setVmClockTrack");

    /** The provider's warnings written while `run` runs. */
    async function warningsDuring<T>(run: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
      const warnings: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        if (String(chunk).includes("warning:")) warnings.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof process.stderr.write;
      try {
        return { result: await run(), warnings };
      } finally {
        process.stderr.write = write;
      }
    }

    /**
     * A create whose job the simulator holds past timeoutSeconds: its partial state, and the hold. The VM has its
     * own clock values unless `inherits`.
     */
    async function partialCreate(inherits = false) {
      if (!inherits) ownClock(WEB);
      const hold = world.sim.vms.hold(WEB);
      const error = await world.clock.create(declared).then(
        () => assert.fail("create should time out"),
        (caught: { properties: Record<string, unknown> }) => caught,
      );
      const pending = error.properties.pendingJob as { jobUuid: string; action: string };
      assert.equal(pending.action, "setVmClockTrack");
      return { props: error.properties, hold, jobUuid: pending.jobUuid };
    }

    /** Resolves once the job is polled again after now: the delete is waiting for it. */
    function polled(jobUuid: string) {
      const seen = world.sim.log.entries.length;
      return world.sim.log.waitFor(
        (entry) =>
          entry.kind === "jobPoll" &&
          entry.jobUuid === jobUuid &&
          world.sim.log.entries.indexOf(entry) >= seen,
      );
    }

    it("waits for the stack's own job, then restores what the stack found, without a warning", async () => {
      const { props, hold, jobUuid } = await partialCreate();
      const waiting = polled(jobUuid);
      const { warnings } = await warningsDuring(async () => {
        const deleting = world.clock.delete(WEB, props);
        // A delete that does not wait for the job ends by itself; the assertions below then say what it did.
        await Promise.race([waiting, deleting]);
        hold.release();
        await deleting;
      });
      assert.deepEqual(warnings, []);
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
      assert.equal(accepted(), 2, "the create's job, then the restore after it");
    });

    it("waits for the stack's own job, then deletes the values it wrote where the VM inherited", async () => {
      const { props, hold, jobUuid } = await partialCreate(true);
      const waiting = polled(jobUuid);
      const deleting = world.clock.delete(WEB, props);
      await Promise.race([waiting, deleting]);
      hold.release();
      await deleting;
      assert.equal(accepted(), 1, "no action to restore");
      const deleted = world.sim.log.entries.filter(
        (entry) => entry.method === "DELETE" && entry.kind === "resourceConfig",
      );
      assert.deepEqual(
        deleted.map((entry) => entry.path.split("/").at(-2)),
        ["vm.clock.track", "vm.clock.sync.interval.in.seconds"],
      );
      assert.ok(
        deleted.every((entry) => entry.receivedAt > world.sim.jobs.get(jobUuid)!.finishedAt!),
        "deleted after the create's job landed",
      );
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, "vm.clock.track"), false);
      assert.equal(world.sim.resourceConfigs.hasOwn(WEB, "vm.clock.sync.interval.in.seconds"), false);
    });

    it("fails, sending nothing, while the job still runs at its deadline; the next delete restores", async () => {
      const { props, hold } = await partialCreate();
      const error = await world.clock.delete(WEB, props).then(
        () => assert.fail("delete should fail while the job runs"),
        (caught: Error) => caught,
      );
      assert.match(error.message, /job [0-9a-f]{32} .* had not finished when timeoutSeconds \(1\) ran out/);
      assert.match(
        error.message,
        /run the command again to wait for the job and restore, or raise timeoutSeconds/,
      );
      assert.equal(accepted(), 1, "no restore behind the running job");
      hold.release();
      await world.clock.delete(WEB, props);
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
    });
  });
});
