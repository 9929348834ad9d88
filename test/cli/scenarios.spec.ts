/**
 * What users do to a stack besides the happy path, through the real Pulumi CLI: replace, rename, two resources on
 * one VM, bad input, a timeout after ZStack accepted the action, the CLI killed mid-`up`, and the resource options.
 * The program (fixtures/declared-vms) declares what its `resources` config lists, so each scenario edits the
 * program the way a user would; every outcome is checked on the simulator's VMs and the actions it received.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS, VM_ACTION_NAMES, type ApiActionName } from "pulumi-zstack-vm/simulator";

import { DECLARED_VMS_PROGRAM, declaring, pause, type Declared } from "./declared-vms";
import { assertSucceeded, errorsOf, startCliWorld, stepOf, type CliWorld } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
/** A stack of the program in its own world, and the ways to change it. */
class Scenario {
  /** Actions accepted per VM and action before the scenario began, so that each counts only its own. */
  private readonly baseline: Map<string, number>;

  constructor(
    readonly world: CliWorld,
    readonly dir: string,
  ) {
    const sim = world.sim;
    this.baseline = new Map(
      [WEB1, WEB2].flatMap((uuid) =>
        VM_ACTION_NAMES.map((a) => [`${uuid}/${a}`, sim.counters.acceptedActions(uuid, a)] as const),
      ),
    );
  }

  static async start(world: CliWorld, stack: string, resources: readonly Declared[]): Promise<Scenario> {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, stack, { name: stack, config: declaring(resources) });
    return new Scenario(world, dir);
  }

  declare(resources: readonly Declared[]): Promise<void> {
    return this.world.ws.setConfig(this.dir, declaring(resources));
  }

  state(uuid: string): string | undefined {
    return this.world.sim.vms.get(uuid)?.state;
  }

  actions(uuid: string, action: ApiActionName): number {
    return (
      this.world.sim.counters.acceptedActions(uuid, action) - (this.baseline.get(`${uuid}/${action}`) ?? 0)
    );
  }
}

describe("cli: scenarios", function () {
  this.timeout(600_000);
  this.slow(30_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld();
  });
  after(async () => {
    await world?.close();
  });
  afterEach(async () => {
    // Each scenario starts from the demo VMs as seeded: web-1 and web-2 Running.
    for (const uuid of [WEB1, WEB2]) {
      if (world.sim.vms.get(uuid)?.state === "Paused") await world.sim.vms.outOfBand(uuid, "resume");
    }
  });

  it("a vmUuid change replaces: the new VM is paused, then the old one is restored (+-1 to replace)", async () => {
    const s = await Scenario.start(world, "replace-vm", [pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    assert.equal(s.state(WEB1), "Paused");

    await s.declare([pause("front", WEB2)]);
    const preview = await world.ws.run(["preview", "--diff"], { cwd: s.dir });
    assert.match(preview.stdout, /\+-1 to replace/);
    assert.match(preview.stdout, /\+-\s*pulumi-nodejs:dynamic\/zstack:VmPauseState: \(replace\)/);
    const up = await world.json(s.dir, ["up"]);
    assertSucceeded(up);
    assert.equal(up.changes["replace"], 1, JSON.stringify(up.changes));
    assert.equal(s.state(WEB2), "Paused");
    assert.equal(s.state(WEB1), "Running", "the old VM is handed back as it was found");
    assertSucceeded(await world.json(s.dir, ["destroy"]));
    assert.equal(s.state(WEB2), "Running");
  });

  it("`pulumi up --replace` leaves the VM in the declared state", async () => {
    const s = await Scenario.start(world, "forced-replace", [pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    const urn = (await world.ws.exportState(s.dir)).deployment.resources!.find((r) =>
      r.urn.endsWith("::front"),
    )!.urn;
    const pausesBefore = s.actions(WEB1, "pauseVmInstance");
    const up = await world.json(s.dir, ["up", "--replace", urn]);
    assertSucceeded(up);
    assert.equal(up.changes["replace"], 1, JSON.stringify(up.changes));
    assert.equal(
      s.state(WEB1),
      "Paused",
      "the old resource's delete must not undo what its replacement declared",
    );
    assert.equal(s.actions(WEB1, "resumeVmInstance"), 0);
    assert.equal(s.actions(WEB1, "pauseVmInstance"), pausesBefore);
    assertSucceeded(await world.json(s.dir, ["destroy"]));
  });

  it("a rename without an alias leaves the VM in the declared state; with an alias it is a no-op", async () => {
    const s = await Scenario.start(world, "rename", [pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    const sent = world.sim.counters.acceptedActions();

    await s.declare([pause("front-renamed", WEB1)]);
    const renamed = await world.json(s.dir, ["up"]);
    assertSucceeded(renamed);
    assert.deepEqual(
      { create: renamed.changes["create"], delete: renamed.changes["delete"] },
      { create: 1, delete: 1 },
    );
    assert.equal(s.state(WEB1), "Paused");
    assert.equal(
      world.sim.counters.acceptedActions(),
      sent,
      "nothing to send: the VM already is as declared",
    );

    await s.declare([pause("front", WEB1, {}, { aliases: ["front-renamed"] })]);
    const aliased = await world.json(s.dir, ["up"]);
    assertSucceeded(aliased);
    assert.equal(stepOf(aliased, "front").op, "same");
    assert.equal(world.sim.counters.acceptedActions(), sent);
    assertSucceeded(await world.json(s.dir, ["destroy"]));
  });

  it("a VmPauseState and a VmClockTrack on the same VM converge in one up and both restore on destroy", async () => {
    const s = await Scenario.start(world, "same-vm", [
      pause("front", WEB1),
      { kind: "clock", name: "front-clock", args: { vmUuid: WEB1, track: "guest", intervalInSeconds: 60 } },
    ]);
    const up = await world.json(s.dir, ["up"]);
    assertSucceeded(up);
    assert.equal(s.state(WEB1), "Paused");
    assert.equal(world.sim.resourceConfigs.get(WEB1, "vm.clock.track"), "guest");
    assert.equal(s.actions(WEB1, "pauseVmInstance"), 1);
    assert.equal(s.actions(WEB1, "setVmClockTrack"), 1);
    assertSucceeded(await world.json(s.dir, ["destroy"]));
    assert.equal(s.state(WEB1), "Running");
    assert.equal(world.sim.resourceConfigs.get(WEB1, "vm.clock.track"), "host");
  });

  it("two resources declaring opposite states of one VM: the up fails the second, naming both", async () => {
    const s = await Scenario.start(world, "conflict", [
      pause("front", WEB1),
      pause("front-too", WEB1, { state: "Running" }),
    ]);
    const up = await world.json(s.dir, ["up"]);
    assert.equal(up.result, "failed");
    assert.match(errorsOf(up), /two resources of this deployment declare state of VM/);
    assert.ok(s.actions(WEB1, "pauseVmInstance") + s.actions(WEB1, "resumeVmInstance") <= 1, "no flapping");
    await s.declare([pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    assert.equal(s.state(WEB1), "Paused");
    assertSucceeded(await world.json(s.dir, ["destroy"]));
  });

  it("changing only onDelete records it and sends nothing, even with drift not yet refreshed", async () => {
    const s = await Scenario.start(world, "bookkeeping", [pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    await world.sim.vms.outOfBand(WEB1, "resume");
    await s.declare([pause("front", WEB1, { onDelete: "leave" })]);
    const up = await world.json(s.dir, ["up"]);
    assertSucceeded(up);
    assert.equal(stepOf(up, "front").op, "update");
    assert.equal(s.actions(WEB1, "pauseVmInstance"), 1, "the update sent nothing");
    assert.equal(s.state(WEB1), "Running");
    assertSucceeded(await world.json(s.dir, ["destroy"]));
    assert.equal(s.state(WEB1), "Running", "onDelete: leave");
  });

  it("a bad input fails the preview with the property, the value and what is allowed; nothing is sent", async () => {
    const before = world.sim.counters.count();
    const s = await Scenario.start(world, "bad-input", [pause("front", WEB1, { state: "Stopped" })]);
    const preview = await world.json(s.dir, ["preview"]);
    assert.equal(preview.result, "failed");
    const message = errorsOf(preview);
    assert.match(message, /state/);
    assert.match(message, /"Stopped"/);
    assert.match(message, /"Paused".*"Running"|"Running".*"Paused"/);
    assert.equal(world.sim.counters.count(), before);
  });

  it("protect refuses destroy and leaves the VM; retainOnDelete forgets it without restoring", async () => {
    const s = await Scenario.start(world, "options", [pause("front", WEB1, {}, { protect: true })]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    const refused = await world.json(s.dir, ["destroy"]);
    assert.equal(refused.result, "failed");
    assert.match(errorsOf(refused), /protect/);
    assert.equal(s.state(WEB1), "Paused");

    await s.declare([pause("front", WEB1, {}, { retainOnDelete: true })]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    assertSucceeded(await world.json(s.dir, ["destroy"]));
    assert.equal(s.state(WEB1), "Paused", "retainOnDelete skips Delete, so nothing is restored");
    assert.equal(s.actions(WEB1, "resumeVmInstance"), 0);
  });

  it("ignoreChanges on state keeps a change of the program from being applied", async () => {
    const s = await Scenario.start(world, "ignore", [pause("front", WEB1)]);
    assertSucceeded(await world.json(s.dir, ["up"]));
    await s.declare([pause("front", WEB1, { state: "Running" }, { ignoreChanges: ["state"] })]);
    const up = await world.json(s.dir, ["up"]);
    assertSucceeded(up);
    assert.equal(stepOf(up, "front").op, "same");
    assert.equal(s.state(WEB1), "Paused");
    assertSucceeded(await world.json(s.dir, ["destroy"]));
    assert.equal(s.state(WEB1), "Running");
  });

  it("the import option fails with our message pointing to adoption; nothing is sent", async () => {
    const before = world.sim.counters.count();
    const s = await Scenario.start(world, "import", [pause("front", WEB1, {}, { import: WEB1 })]);
    const preview = await world.json(s.dir, ["preview"]);
    assert.equal(preview.result, "failed");
    const message = `${errorsOf(preview)}\n${preview.diagnostics.map((d) => d.message).join("\n")}`;
    assert.match(message, /import option/);
    assert.match(message, /adopts the VM/);
    assert.doesNotMatch(message, /code must be a string/);
    assert.equal(world.sim.counters.count(), before);
  });
});
