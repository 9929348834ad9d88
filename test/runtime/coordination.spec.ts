import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { startWorld, type World } from "../support/world";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running
const WEB2 = DEMO_VM_UUIDS["web-2"]; // Running

const pauseInputs = (vmUuid: string, state = "Paused") => ({
  vmUuid,
  state,
  timeoutSeconds: 30,
  onDelete: "restore",
});
const clockInputs = (clock: Record<string, unknown>, vmUuid = WEB) => ({
  vmUuid,
  ...clock,
  timeoutSeconds: 30,
  onDelete: "restore",
});

/**
 * One provider process serves one deployment. The runtime coordinates what the resources of that process do to one
 * VM: conflicting declarations fail, a delete does not undo what a live resource declares (replace, rename), and
 * concurrent operations share one action. Each `pulumi` command is a new process; a test models the next command
 * with a new world (a fresh simulator and no claims, as in a new host process) set up with the VM as the last one
 * left it.
 */
describe("per-process, per-VM coordination", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  /** The next `pulumi` command: a new process, with the VMs as this one left them. */
  async function nextCommand(): Promise<void> {
    const vms = [WEB, WEB2].map((uuid) => [uuid, world.sim.vms.get(uuid)!.state] as const);
    const names = [
      "vm.clock.track",
      "vm.clock.sync.after.vm.resume",
      "vm.clock.sync.interval.in.seconds",
    ] as const;
    const configs = names.map((name) => [name, world.sim.resourceConfigs.get(WEB, name)] as const);
    await world.close();
    world = await startWorld();
    for (const [uuid, state] of vms) world.sim.vms.setState(uuid, state);
    for (const [name, value] of configs)
      if (value !== undefined) world.sim.resourceConfigs.set(WEB, name, value);
  }

  const submits = () => world.sim.counters.count("actionSubmit");

  describe("conflicting declarations", () => {
    it("a second create declaring the opposite state of one VM fails, naming both, before any call", async () => {
      await world.pause.create(pauseInputs(WEB, "Paused"));
      const before = world.sim.counters.count();
      await assert.rejects(world.pause.create(pauseInputs(WEB, "Running")), (error: Error) => {
        assert.equal(
          error.message,
          `VmPauseState: two resources of this deployment declare state of VM ${WEB}: this one "Running" and ` +
            `another VmPauseState (a resource created in this run) "Paused". Each would undo the other on every ` +
            "`pulumi up`. Keep one resource per VM and state, or make both declare the same value.",
        );
        return true;
      });
      assert.equal(world.sim.counters.count(), before, "no call to ZStack");
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    });

    it("two resources already in the stack that flap: the second one's diff fails, so the preview shows it", async () => {
      const { outs: paused } = await world.pause.create(pauseInputs(WEB, "Paused"));
      // A second resource on the same VM declaring Running, as an earlier run without this check left it.
      const running = { ...paused, declaredState: "Running", initialState: "Paused" };
      await nextCommand();
      assert.equal((await world.pause.diff(WEB, paused, pauseInputs(WEB, "Paused"))).changes, false);
      await assert.rejects(world.pause.diff(WEB, running, pauseInputs(WEB, "Running")), (error: Error) => {
        assert.match(
          error.message,
          /declare state of VM \w+: this one "Running" and another VmPauseState \(a resource already in the stack\) "Paused"/,
        );
        return true;
      });
    });

    it("pulumi up --refresh: the refresh's diffs (old inputs holding a refreshed actual state) declare nothing", async () => {
      const { outs: a } = await world.pause.create(pauseInputs(WEB, "Paused"));
      const b = { ...a, timeoutSeconds: 60 }; // a second resource declaring the same state, with its own record
      await nextCommand();
      await world.sim.vms.outOfBand(WEB, "resume");
      // Refresh: read, then diff with the inputs an earlier refresh stored (the actual state, Running).
      for (const outs of [a, b]) {
        const read = await world.pause.read(WEB, outs);
        await world.pause.diff(WEB, read.props, {
          ...pauseInputs(WEB, "Running"),
          timeoutSeconds: outs.timeoutSeconds,
        });
      }
      // The up: the program declares Paused for both; no conflict with what the refresh saw.
      const updates = [a, b].map(async (outs) => {
        const news = { ...pauseInputs(WEB, "Paused"), timeoutSeconds: outs.timeoutSeconds };
        const read = await world.pause.read(WEB, outs);
        await world.pause.diff(WEB, read.props, news);
        return world.pause.update(WEB, read.props, news);
      });
      for (const { outs } of await Promise.all(updates)) assert.equal(outs!.state, "Paused");
    });

    it("clock settings conflict per setting: the same track twice is fine, two intervals are not", async () => {
      await world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 600 }));
      await world.clock.create(clockInputs({ track: "guest", syncAfterVMResume: true }));
      await assert.rejects(
        world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 60 })),
        (error: Error) => {
          assert.match(
            error.message,
            /^VmClockTrack: two resources of this deployment declare intervalInSeconds of VM \w+: this one 60 and another VmClockTrack \(a resource created in this run\) 600\./,
          );
          return true;
        },
      );
    });

    it("the same VM under the two kinds is no conflict", async () => {
      await world.pause.create(pauseInputs(WEB, "Paused"));
      const { outs } = await world.clock.create(clockInputs({ track: "guest" }));
      assert.equal(outs.track, "guest");
    });
  });

  describe("concurrent operations on one VM share one action", () => {
    it("50 concurrent creates pausing one VM send one pause, and all record the state they found", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => world.pause.create(pauseInputs(WEB, "Paused"))),
      );
      assert.equal(submits(), 1);
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
      assert.deepEqual(new Set(results.map((r) => r.outs.initialState)), new Set(["Running"]));
      // Destroying them all resumes the VM once.
      await Promise.all(results.map((r) => world.pause.delete(WEB, r.outs)));
      assert.equal(world.sim.vms.get(WEB)?.state, "Running");
      assert.equal(submits(), 2);
    });

    it("20 concurrent creates setting one VM's clock send one setVmClockTrack", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 600 })),
        ),
      );
      assert.equal(submits(), 1);
      for (const { outs } of results) {
        assert.deepEqual(outs.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
      }
    });
  });

  describe("a delete does not undo what a live resource of the same process declares", () => {
    it("pulumi up --replace (create new, then delete old) leaves the VM as declared", async () => {
      const { outs: old } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await nextCommand();
      // The engine diffs the old resource, creates the replacement, then deletes the old one.
      await world.pause.diff(WEB, old, pauseInputs(WEB, "Paused"));
      const { outs: replacement } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await world.pause.delete(WEB, old);
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
      assert.equal(replacement.initialState, "Paused");
      assert.equal(submits(), 0);
    });

    it("a rename without an alias (create the new name, delete the old, no diff of it) leaves the VM as declared", async () => {
      const { outs: old } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await nextCommand();
      await world.pause.create(pauseInputs(WEB, "Paused"));
      await world.pause.delete(WEB, old);
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
      assert.equal(submits(), 0);
    });

    it("a resource removed while another one on the same VM stays: its delete leaves the VM to the other", async () => {
      const { outs: staying } = await world.pause.create(pauseInputs(WEB, "Paused"));
      const removed = { ...staying, timeoutSeconds: 60 }; // a second resource with its own record
      await nextCommand();
      await world.pause.diff(WEB, staying, pauseInputs(WEB, "Paused"));
      await world.pause.delete(WEB, removed);
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    });

    it("deleteBeforeReplace (delete old, then create new) restores, then converges again from the true state", async () => {
      const { outs: old } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await nextCommand();
      await world.pause.diff(WEB, old, pauseInputs(WEB, "Paused"));
      await world.pause.delete(WEB, old);
      assert.equal(world.sim.vms.get(WEB)?.state, "Running");
      const { outs: replacement } = await world.pause.create(pauseInputs(WEB, "Paused"));
      assert.equal(replacement.initialState, "Running", "a later destroy still restores what the VM was");
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    });

    it("a vmUuid change releases the old VM: it is restored", async () => {
      const { outs: old } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await nextCommand();
      const diff = await world.pause.diff(WEB, old, pauseInputs(WEB2, "Paused"));
      assert.deepEqual(diff.replaces, ["vmUuid"]);
      await world.pause.create(pauseInputs(WEB2, "Paused"));
      await world.pause.delete(WEB, old);
      assert.equal(world.sim.vms.get(WEB)?.state, "Running");
      assert.equal(world.sim.vms.get(WEB2)?.state, "Paused");
    });

    it("a plain destroy (no program, so no diff and no create) restores", async () => {
      const { outs } = await world.pause.create(pauseInputs(WEB, "Paused"));
      await nextCommand();
      await world.pause.delete(WEB, outs);
      assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    });

    it("VmClockTrack: a replacement keeps the settings it declares; settings only the old one declared are restored", async () => {
      // The VM's own interval (an administrator's), which restore writes back (an inherited one it would delete).
      world.sim.resourceConfigs.set(WEB, "vm.clock.sync.interval.in.seconds", "0");
      const { outs: old } = await world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 600 }));
      await nextCommand();
      // Renamed, and the new resource no longer sets the interval.
      await world.clock.create(clockInputs({ track: "guest" }));
      const sentBefore = submits();
      await world.clock.delete(WEB, old);
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest", "the new resource's track");
      assert.equal(
        world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"),
        "0",
        "the old resource's own setting is restored",
      );
      assert.equal(submits() - sentBefore, 1);

      await nextCommand();
      const { outs: plain } = await world.clock.create(
        clockInputs({ track: "guest", intervalInSeconds: 600 }),
      );
      await nextCommand();
      await world.clock.delete(WEB, plain);
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
    });

    it("VmClockTrack: --replace with the same settings sends nothing on delete", async () => {
      const { outs: old } = await world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 600 }));
      await nextCommand();
      await world.clock.diff(WEB, old, clockInputs({ track: "guest", intervalInSeconds: 600 }));
      await world.clock.create(clockInputs({ track: "guest", intervalInSeconds: 600 }));
      await world.clock.delete(WEB, old);
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
      assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "600");
      assert.equal(submits(), 0);
    });
  });

  it("a new process inherits no claims, even on an endpoint (a port handed out again) an earlier one used", async () => {
    const { port } = world.sim.endpoint;
    await world.pause.create({ ...pauseInputs(WEB, "Paused"), timeoutSeconds: 60 }); // left in the stack
    await world.close();
    world = await startWorld({ port });
    const { outs } = await world.pause.create(pauseInputs(WEB, "Paused"));
    await world.close();
    world = await startWorld({ port });
    world.sim.vms.setState(WEB, "Paused");
    await world.pause.delete(WEB, outs);
    assert.equal(
      world.sim.vms.get(WEB)?.state,
      "Running",
      "restored: no live claim of this process on the VM",
    );
  });
});
