/**
 * Management node versions through the real Pulumi CLI: the preview of a VmClockTrack already in the stack fails when
 * the program adds a setting an older node lacks, naming it and both versions, and nothing is sent; and the node's
 * version is asked once per provider process.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { DECLARED_VMS_PROGRAM, declaring, type Declared } from "./declared-vms";
import { assertSucceeded, errorsOf, startCliWorld, type CliWorld } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];

const clock = (args: Record<string, unknown>): Declared => ({
  kind: "clock",
  name: "front-clock",
  args: { vmUuid: WEB1, ...args },
});

describe("cli: a 4.4.8 management node", function () {
  this.timeout(600_000);
  this.slow(30_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld({ version: "4.4.8" });
  });
  after(async () => {
    await world?.close();
  });

  it("preview fails when the program adds intervalInSeconds, which the node lacks; nothing is sent", async () => {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "old-node", {
      name: "old-node",
      config: declaring([clock({ track: "guest" })]),
    });
    assertSucceeded(await world.json(dir, ["up"]));
    const sent = world.sim.counters.acceptedActions(WEB1, "setVmClockTrack");

    await world.ws.setConfig(dir, declaring([clock({ track: "guest", intervalInSeconds: 600 })]));
    const preview = await world.json(dir, ["preview"]);
    assert.notEqual(preview.result, "succeeded");
    assert.match(
      errorsOf(preview),
      /management node runs version 4\.4\.8.*intervalInSeconds needs 4\.4\.12 or later.*Remove intervalInSeconds/,
    );
    assert.equal(world.sim.counters.acceptedActions(WEB1, "setVmClockTrack"), sent);
    assert.equal(world.sim.resourceConfigs.get(WEB1, "vm.clock.sync.interval.in.seconds"), "0");
  });
});

describe("cli: the node's version is asked once per provider process", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld();
  });
  after(async () => {
    await world?.close();
  });

  const asks = () => world.sim.log.entries.filter((entry) => entry.kind === "version").length;
  /** The version asks `run` causes. */
  async function asksDuring(run: () => Promise<unknown>): Promise<number> {
    const before = asks();
    await run();
    return asks() - before;
  }

  it("an up that creates, and an up --skip-preview that updates (diff and update), ask once; up with its preview twice", async () => {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "asks", {
      name: "asks",
      config: declaring([clock({ track: "guest" })]),
    });
    assert.equal(await asksDuring(async () => assertSucceeded(await world.json(dir, ["up"]))), 1);

    // One process runs the diff (which may act, so it checks the node) and the update: the second check is answered
    // from that process's first.
    await world.ws.setConfig(dir, declaring([clock({ track: "guest", intervalInSeconds: 600 })]));
    assert.equal(await asksDuring(async () => assertSucceeded(await world.json(dir, ["up"]))), 1);

    await world.ws.setConfig(dir, declaring([clock({ track: "guest", intervalInSeconds: 3600 })]));
    assert.equal(await asksDuring(async () => assertSucceeded(await world.json(dir, ["preview"]))), 1);
    // `pulumi up` without --skip-preview runs its preview and then its update in two provider processes: one ask each.
    assert.equal(await asksDuring(() => world.ws.run(["up", "--yes"], { cwd: dir })), 2);
    assert.equal(world.sim.resourceConfigs.get(WEB1, "vm.clock.sync.interval.in.seconds"), "3600");
  });
});
