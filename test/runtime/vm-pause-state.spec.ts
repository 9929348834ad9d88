import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { hasNoUndefined, startWorld, type World } from "../support/world";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running
const DB = DEMO_VM_UUIDS["db-1"]; // Paused
const BATCH = DEMO_VM_UUIDS["batch-1"]; // Stopped
const MISSING = "0000000000000000000000000000dead";

const inputs = (vmUuid: string, state = "Paused", extra: Record<string, unknown> = {}) => ({
  vmUuid,
  state,
  timeoutSeconds: 30,
  onDelete: "restore",
  ...extra,
});

describe("VmPauseState controller against the simulator", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  const accepted = (vmUuid: string) => world.sim.counters.acceptedActions(vmUuid);

  it("create pauses a Running VM with one action and returns the complete inventory", async () => {
    const { id, outs } = await world.pause.create(inputs(WEB));
    assert.equal(id, WEB);
    assert.equal(outs.state, "Paused");
    assert.equal(outs.initialState, "Running");
    assert.equal(outs.declaredState, "Paused");
    assert.equal(outs.uuid, WEB);
    assert.equal(outs.name, "web-1");
    assert.ok(Array.isArray(outs.vmNics) && outs.vmNics.length > 0);
    assert.ok(Array.isArray(outs.allVolumes) && outs.allVolumes.length > 0);
    assert.equal(outs.pendingJob, null);
    assert.ok(hasNoUndefined(outs), "outputs hold undefined");
    assert.equal(accepted(WEB), 1);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
  });

  it("create adopts a VM already in the declared state without any action", async () => {
    const { outs } = await world.pause.create(inputs(DB));
    assert.equal(outs.state, "Paused");
    assert.equal(outs.initialState, "Paused");
    assert.equal(world.sim.counters.count("actionSubmit"), 0);
  });

  it("create waits out a transitional state before deciding", async () => {
    const pausing = world.sim.vms.hold(WEB); // another client: Running -> Pausing (until released) -> Paused
    const other = world.sim.vms.outOfBand(WEB, "pause");
    await pausing.held;
    assert.equal(world.sim.vms.get(WEB)?.state, "Pausing");
    const creating = world.pause.create(inputs(WEB, "Running"));
    // The create has read the VM in Pausing before the other client's pause ends.
    await world.sim.log.waitFor((e) => e.kind === "vmQuery" && e.vmUuid === WEB);
    pausing.release();
    const { outs } = await creating;
    assert.equal(outs.state, "Running");
    // It saw Paused after the wait, so it resumed once: the adopted state is the settled one.
    assert.equal(outs.initialState, "Paused");
    assert.equal(accepted(WEB), 1);
    assert.equal((await other).state, "Paused");
  });

  it("a VM still transitional when timeoutSeconds runs out gives the documented error, not a client timeout", async () => {
    for (const state of ["Migrating", "Starting"] as const) {
      world.sim.vms.setState(WEB, state);
      world.sim.log.clear();
      await assert.rejects(
        world.pause.create(inputs(WEB, "Paused", { timeoutSeconds: 1 })),
        (error: Error) => {
          assert.equal(
            error.message,
            `VmPauseState: VM ${WEB} was still ${state} when timeoutSeconds (1) ran out, so nothing was changed. ` +
              "Run `pulumi up` again once the VM has settled, or raise timeoutSeconds.",
          );
          return true;
        },
      );
      // Measured on the simulator, between the create's own reads: the machine's load before and after is no part of it.
      const reads = world.sim.log.entries.filter((e) => e.kind === "vmQuery");
      const span = reads.at(-1)!.receivedAt - reads[0]!.receivedAt;
      assert.ok(span < 1500, `the wait is bounded by timeoutSeconds: the reads spanned ${span} ms`);
    }
    assert.equal(world.sim.counters.count("actionSubmit"), 0);
  });

  it("create fails clearly, before any action, on a Stopped VM and on a missing one", async () => {
    await assert.rejects(world.pause.create(inputs(BATCH)), (error: Error) => {
      assert.match(
        error.message,
        /VM aaaa0000000000000000000000000004 is Stopped, so it cannot be made Paused/,
      );
      assert.match(error.message, /start the VM first/);
      return true;
    });
    await assert.rejects(
      world.pause.create(inputs(MISSING)),
      /VM 0000000000000000000000000000dead was not found/,
    );
    assert.equal(world.sim.counters.count("actionSubmit"), 0);
  });

  it("read reports out-of-band drift in outputs and inputs; update converges it with one action", async () => {
    const { outs } = await world.pause.create(inputs(WEB));
    await world.sim.vms.outOfBand(WEB, "resume");
    const read = await world.pause.read(WEB, outs);
    assert.equal(read.id, WEB);
    assert.equal(read.props!.state, "Running");
    assert.equal(read.props!.declaredState, "Paused");
    assert.deepEqual(read.inputs, { vmUuid: WEB, state: "Running", timeoutSeconds: 30, onDelete: "restore" });
    const diff = await world.pause.diff(WEB, read.props, inputs(WEB));
    assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    const { outs: updated } = await world.pause.update(WEB, read.props, inputs(WEB));
    assert.equal(updated!.state, "Paused");
    assert.equal(updated!.initialState, "Running");
    assert.equal(accepted(WEB), 2);
  });

  it("read returns an empty id when the VM is gone", async () => {
    const { outs } = await world.pause.create(inputs(WEB));
    world.sim.vms.remove(WEB);
    assert.deepEqual(await world.pause.read(WEB, outs), { id: "" });
  });

  it("read of a static get (no stored inputs) describes the VM by its id", async () => {
    const read = await world.pause.read(DB, {});
    assert.equal(read.id, DB);
    assert.equal(read.props!.state, "Paused");
    assert.equal(read.props!.name, "db-1");
    assert.equal(read.inputs, undefined);
  });

  it("update of timeoutSeconds or onDelete only records them, and returns complete outputs", async () => {
    const { outs } = await world.pause.create(inputs(WEB));
    const before = world.sim.counters.count("actionSubmit");
    const { outs: updated } = await world.pause.update(
      WEB,
      outs,
      inputs(WEB, "Paused", { timeoutSeconds: 90, onDelete: "leave" }),
    );
    assert.equal(updated!.timeoutSeconds, 90);
    assert.equal(updated!.onDelete, "leave");
    assert.equal(updated!.name, "web-1");
    assert.ok(hasNoUndefined(updated));
    assert.equal(world.sim.counters.count("actionSubmit"), before);
  });

  it("a timeoutSeconds or onDelete change sends nothing at all, even with unrefreshed drift or a Stopped VM", async () => {
    const { outs } = await world.pause.create(inputs(WEB));
    await world.sim.vms.outOfBand(WEB, "resume"); // not refreshed: the stored state still says Paused
    const requests = world.sim.counters.count();
    const news = inputs(WEB, "Paused", { onDelete: "leave" });
    const diff = await world.pause.diff(WEB, outs, news);
    assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    const { outs: left } = await world.pause.update(WEB, outs, news);
    assert.equal(left!.onDelete, "leave");
    assert.equal(left!.state, "Paused", "the state as last read, not read again");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running", "the drift is the next refresh's to show");
    assert.ok(hasNoUndefined(left));

    world.sim.vms.setState(WEB, "Stopped");
    const { outs: slower } = await world.pause.update(
      WEB,
      left,
      inputs(WEB, "Paused", { timeoutSeconds: 90 }),
    );
    assert.equal(slower!.timeoutSeconds, 90);
    assert.equal(world.sim.counters.count(), requests, "no call to ZStack");
  });

  it("delete restores the adopted state, or leaves the VM as onDelete says", async () => {
    const restored = await world.pause.create(inputs(WEB));
    const readsBefore = world.sim.counters.count("vmQuery");
    await world.pause.delete(WEB, restored.outs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.equal(accepted(WEB), 2);
    assert.equal(
      world.sim.counters.count("vmQuery") - readsBefore,
      1,
      "delete reads the VM once, then resumes it",
    );

    const web2 = DEMO_VM_UUIDS["web-2"];
    const left = await world.pause.create(inputs(web2, "Paused", { onDelete: "leave" }));
    await world.pause.delete(web2, left.outs);
    assert.equal(world.sim.vms.get(web2)?.state, "Paused");
    assert.equal(accepted(web2), 1);
  });

  it("a delete that finds the VM still transitional advises running the destroy again, and carries no stack frame", async () => {
    const { outs } = await world.pause.create(inputs(WEB, "Paused", { timeoutSeconds: 1 }));
    world.sim.vms.setState(WEB, "Migrating");
    await assert.rejects(world.pause.delete(WEB, outs), (error: Error) => {
      assert.equal(
        error.message,
        `VmPauseState: VM ${WEB} was still Migrating when timeoutSeconds (1) ran out, so nothing was changed. ` +
          "Run `pulumi destroy` (or the `pulumi up` that removes or replaces this resource) again once the VM has " +
          "settled, or raise timeoutSeconds and run `pulumi up` before the destroy.",
      );
      // The dynamic-provider host prints `stack` beside the message: a user-facing error's is its header alone.
      assert.equal(error.stack, `ProviderError: ${error.message}`);
      return true;
    });
    assert.equal(accepted(WEB), 1, "nothing was sent after the pause");
  });

  it("delete leaves a VM that someone else moved out of the declared state, and forgets a gone VM", async () => {
    const { outs } = await world.pause.create(inputs(WEB));
    world.sim.vms.setState(WEB, "Stopped");
    await world.pause.delete(WEB, outs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Stopped");
    world.sim.vms.remove(WEB);
    await world.pause.delete(WEB, outs);
    assert.equal(accepted(WEB), 1);
  });

  it("a lost race (someone else paused first) counts as success when the VM ends up declared", async () => {
    world.sim.faults.inject({ on: "actionSubmit", vmUuid: WEB, fault: { kind: "delay", ms: 150 } });
    const creating = world.pause.create(inputs(WEB));
    // Our GET is done and our submit is held; another client pauses the VM now.
    await world.sim.log.waitFor((e) => e.kind === "vmQuery" && e.vmUuid === WEB);
    const other = world.sim.vms.outOfBand(WEB, "pause");
    const { outs } = await creating;
    await other;
    assert.equal(outs.state, "Paused");
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(accepted(WEB), 1, "our one pause was accepted and failed with VM.1012; nothing was resent");
  });

  it("an accepted action that outlives timeoutSeconds leaves partial state, and the next update resumes the job", async () => {
    const pausing = world.sim.vms.hold(WEB); // the accepted pause runs until the create has given up
    const provider = "provider-text";
    const error = await world.pause
      .create({ ...inputs(WEB, "Paused", { timeoutSeconds: 1 }), __provider: provider })
      .then(
        () => assert.fail("create should time out"),
        (caught: { id: string; properties: Record<string, unknown>; reasons: string[]; message: string }) =>
          caught,
      );
    assert.equal(error.id, WEB);
    assert.match(
      error.message,
      /pauseVmInstance on VM .* was accepted by ZStack \(job [0-9a-f]{32}\) but had not finished/,
    );
    assert.equal(error.properties.state, "Pausing");
    assert.equal(error.properties.initialState, "Running");
    assert.equal(error.properties.__provider, provider);
    const pending = error.properties.pendingJob as { jobUuid: string; action: string };
    assert.equal(pending.action, "pauseVmInstance");
    assert.deepEqual(error.reasons, [error.message]);

    const diff = await world.pause.diff(WEB, error.properties, inputs(WEB));
    assert.equal(diff.changes, true);
    pausing.release();
    const { outs } = await world.pause.update(WEB, error.properties, inputs(WEB));
    assert.equal(outs!.state, "Paused");
    assert.equal(outs!.pendingJob, null);
    assert.equal(accepted(WEB), 1, "the update waited for the accepted job instead of pausing again");
  });

  it("a submit that got no answer is reported as of unknown outcome, not as accepted; the next update finds out", async () => {
    // The deadline must leave room for the login and the read before the submit, even on a loaded machine (a create
    // whose deadline passes before anything is sent fails without a partial state, correctly, but that is not what
    // this tests); the delayed answer comes well after it.
    const timeoutSeconds = 5;
    const faults = [
      { kind: "reset", when: "beforeAccept" },
      { kind: "delay", ms: timeoutSeconds * 1000 + 2000 },
    ] as const;
    await world.pause.read(WEB, inputs(WEB)); // logged in and connected before the first create

    for (const fault of faults) {
      world.sim.faults.clear();
      world.sim.vms.setState(WEB, "Running");
      world.sim.faults.inject({ on: "actionSubmit", vmUuid: WEB, times: Infinity, fault });
      const error = await world.pause
        .create({ ...inputs(WEB, "Paused", { timeoutSeconds }), __provider: "text" })
        .then(
          () => assert.fail("create should fail"),
          (caught: { properties?: Record<string, unknown>; message: string }) => caught,
        );
      assert.ok(error.properties, `${fault.kind}: no partial state recorded: ${error.message}`);
      const job = (error.properties.pendingJob as { jobUuid: string }).jobUuid;
      assert.match(
        error.message,
        new RegExp(
          `^VmPauseState: pauseVmInstance on VM ${WEB} was sent to ZStack \\(job ${job}\\), but no answer ` +
            `confirmed it .*, so whether ZStack accepted it is unknown; the VM is Running\\.`,
        ),
        `${fault.kind}: ${error.message}`,
      );
      assert.match(error.message, new RegExp(`run \`pulumi up\` again to learn the outcome of job ${job}`));
      assert.doesNotMatch(error.message, /was accepted by ZStack/);

      world.sim.faults.clear();
      // A delayed submit is still processed when it arrives: wait until the simulator has handled it.
      await world.sim.log.waitFor((e) => e.kind === "actionSubmit" && e.fault === fault.kind);
      const { outs } = await world.pause.update(WEB, error.properties, inputs(WEB));
      assert.equal(outs!.state, "Paused");
      assert.equal(outs!.pendingJob, null);
    }
  });
});
