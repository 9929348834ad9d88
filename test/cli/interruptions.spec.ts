/**
 * Runs that do not end cleanly, through the real Pulumi CLI, with the job held by the simulator until the
 * interruption has happened: a `timeoutSeconds` that runs out after ZStack accepted the action (then an `up` or a
 * `destroy` at once), and the CLI interrupted by SIGINT and killed by SIGKILL in the middle of an `up`. Each time the
 * documented recovery converges the VM and no action is sent twice.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { DECLARED_VMS_PROGRAM, declaring, pause, type Declared } from "./declared-vms";
import { assertSucceeded, errorsOf, printed, startCliWorld, type CliWorld } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];

describe("cli: interrupted runs", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: CliWorld;

  beforeEach(async () => {
    world = await startCliWorld();
  });
  afterEach(async () => {
    await world?.close();
  });

  const stack = (name: string, extra: Record<string, unknown> = {}) =>
    world.stack(DECLARED_VMS_PROGRAM, name, { name, config: declaring([pause("front", WEB1, extra)]) });
  const pauses = () => world.sim.counters.acceptedActions(WEB1, "pauseVmInstance");
  const untilAccepted = () =>
    world.sim.log.waitFor((e) => e.kind === "actionSubmit" && e.vmUuid === WEB1 && e.status === 202);
  const untilPaused = () => world.sim.vms.reaches(WEB1, "Paused");

  it("a timeout after ZStack accepted the pause keeps partial state; the next up waits for that job, sending nothing", async () => {
    const dir = await stack("timeout", { timeoutSeconds: 1 });
    const pausing = world.sim.vms.hold(WEB1); // the accepted pause runs on after the up has given up
    const failed = await world.json(dir, ["up"]);
    assert.equal(failed.result, "failed");
    assert.match(errorsOf(failed), /timeoutSeconds/);
    const saved = (await world.ws.exportState(dir)).deployment.resources?.find((r) =>
      r.urn.endsWith("::front"),
    );
    assert.ok(saved, "the resource is kept as partial state");
    assert.ok((saved.initErrors ?? []).length > 0, "with its init error");
    assert.equal(pauses(), 1);
    pausing.release();

    await world.ws.setConfig(dir, declaring([pause("front", WEB1)]));
    assertSucceeded(await world.json(dir, ["up"]));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Paused");
    assert.equal(pauses(), 1, "the accepted job was awaited, not sent again");
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Running");
  });

  it("SIGINT in the middle of an up: the CLI finishes the operation in flight; the next up has nothing to send", async () => {
    const dir = await stack("sigint");
    const pausing = world.sim.vms.hold(WEB1); // in flight until the CLI has taken the SIGINT
    const running = world.ws.start(["up", "--yes", "--skip-preview"], { cwd: dir });
    await untilAccepted();
    running.child.kill("SIGINT");
    await printed(running, "received; cancelling");
    pausing.release();
    const ended = await running.done;
    assert.notEqual(ended.code, 0, "an interrupted up reports failure");
    await untilPaused();

    const converge = await world.json(dir, ["up"]);
    assertSucceeded(converge);
    assert.equal(world.sim.vms.get(WEB1)?.state, "Paused");
    assert.equal(pauses(), 1, "no action sent twice");
    const state = await world.ws.exportState(dir);
    assert.deepEqual(state.deployment.pending_operations ?? [], []);
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Running");
  });

  it("SIGKILL in the middle of an up: cancel, refresh --clear-pending-creates, then up adopts the VM with no second action", async () => {
    const dir = await stack("sigkill");
    const pausing = world.sim.vms.hold(WEB1); // in flight when the CLI is killed
    const running = world.ws.start(["up", "--yes", "--skip-preview"], { cwd: dir });
    await untilAccepted();
    running.child.kill("SIGKILL");
    await running.done;
    pausing.release();
    const pending = (await world.ws.exportState(dir)).deployment.pending_operations ?? [];
    assert.deepEqual(
      pending.map((p) => [p.type, p.resource.urn.split("::").at(-1)]),
      [["creating", "front"]],
      "the checkpoint records the create that was in flight",
    );

    // The recovery the docs describe (provider/docs/pulumi-semantics.md, "Failed and interrupted runs"): the killed CLI left its
    // lock, which `pulumi cancel` removes; then the pending create is dropped and the VM adopted again.
    await world.ws.run(["cancel", "--yes"], { cwd: dir });
    assertSucceeded(await world.json(dir, ["refresh", "--clear-pending-creates"]));
    const converge = await world.json(dir, ["up"]);
    assertSucceeded(converge);
    await untilPaused();
    assert.equal(world.sim.vms.get(WEB1)?.state, "Paused");
    assert.equal(pauses(), 1, "no action sent twice: the create adopted the VM paused by the killed run");
    // What the killed create found (Running) died with it: the adopting create found the VM Paused, so that is
    // what destroy hands back (documented next to the recovery).
    assert.equal((await world.ws.outputs(dir))["states"] !== undefined, true);
    const adopted = (await world.ws.exportState(dir)).deployment.resources?.find((r) =>
      r.urn.endsWith("::front"),
    );
    assert.equal(adopted?.outputs?.["initialState"], "Paused");
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Paused");
  });

  it("destroy right after a clock create whose job outlived timeoutSeconds waits for that job, then restores", async () => {
    const clock = {
      kind: "clock",
      name: "front-clock",
      args: { vmUuid: WEB1, track: "guest", timeoutSeconds: 1 },
    };
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "clock-pending", {
      name: "clock-pending",
      config: declaring([clock as Declared]),
    });
    const setting = world.sim.vms.hold(WEB1); // the accepted setVmClockTrack runs on after the up has given up
    const failed = await world.json(dir, ["up"]);
    assert.equal(failed.result, "failed");
    assert.match(
      errorsOf(failed),
      /setVmClockTrack on VM .* had not finished when timeoutSeconds \(1\) ran out/,
    );
    // The job lands while the destroy waits for it.
    const polls = world.sim.log.entries.length;
    void world.sim.log
      .waitFor((e) => e.kind === "jobPoll" && world.sim.log.entries.indexOf(e) >= polls)
      .then(() => setting.release());

    const destroyed = await world.json(dir, ["destroy"]);
    assertSucceeded(destroyed);
    assert.doesNotMatch(
      [...destroyed.diagnostics.map((d) => d.message), destroyed.stderr].join("\n"),
      /changed since it was set/,
    );
    assert.equal(
      world.sim.resourceConfigs.get(WEB1, "vm.clock.track"),
      "host",
      "restored after the job landed",
    );
    assert.equal(world.sim.counters.acceptedActions(WEB1, "setVmClockTrack"), 1, "the create's job");
    // web-1 inherited its track: the restore after the job deletes the value the job wrote.
    const restore = world.sim.log.entries.find((e) => e.kind === "resourceConfig" && e.method === "DELETE");
    assert.ok(restore, "the restore deleted web-1's own track");
    const job = world.sim.log.entries.find((e) => e.action === "setVmClockTrack")?.jobUuid ?? "";
    assert.ok(restore.receivedAt > world.sim.jobs.get(job)!.finishedAt!, "after the job landed");
    assert.equal(world.sim.resourceConfigs.hasOwn(WEB1, "vm.clock.track"), false);
  });
});
