import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { startWorld, type World } from "../support/world";

/**
 * The runtime is a versioned protocol: stacks keep outputs written by every earlier version, and refresh, update
 * and delete run today's code on them. Each release records its state here (fixtures/state-v<version>.json, from a
 * real create against the simulator); every recorded version must stay readable, convergent and restorable.
 */
const FIXTURES = path.join(__dirname, "fixtures");
const recorded = readdirSync(FIXTURES).filter((name) => /^state-v.+\.json$/.test(name));

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

describe("state written by earlier versions", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it("has at least the current version recorded", () => {
    const version = require("pulumi-zstack-vm/package.json").version as string;
    assert.ok(recorded.includes(`state-v${version}.json`), `record fixtures/state-v${version}.json`);
  });

  for (const file of recorded) {
    const state = JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8"));

    it(`${file}: VmPauseState refresh, diff, update and delete accept it`, async () => {
      // The simulator starts fresh (web-1 Running), so the recorded Paused state is drift to converge.
      const read = await world.pause.read(WEB, state.VmPauseState);
      assert.equal(read.props!.state, "Running");
      const inputs = { vmUuid: WEB, state: "Paused", timeoutSeconds: 60, onDelete: "restore" };
      assert.equal((await world.pause.diff(WEB, read.props, inputs)).changes, true);
      const { outs } = await world.pause.update(WEB, read.props, inputs);
      assert.equal(outs!.state, "Paused");
      await world.pause.delete(WEB, outs);
      assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    });

    it(`${file}: VmClockTrack refresh, diff, update and delete accept it`, async () => {
      const read = await world.clock.read(DB, state.VmClockTrack);
      assert.equal(read.props!.track, "host");
      const inputs = {
        vmUuid: DB,
        track: "guest",
        intervalInSeconds: 600,
        timeoutSeconds: 60,
        onDelete: "restore",
      };
      assert.equal((await world.clock.diff(DB, read.props, inputs)).changes, true);
      const { outs } = await world.clock.update(DB, read.props, inputs);
      assert.equal(outs!.track, "guest");
      await world.clock.delete(DB, outs);
      assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "host");
      assert.equal(
        world.sim.resourceConfigs.hasOwn(DB, "vm.clock.track"),
        true,
        "written back, as when recorded",
      );
    });

    it(`${file}: a VmClockTrack delete returns each recorded value as recorded (own when no origin is)`, async () => {
      const recordedState = state.VmClockTrack;
      // The VM as the stack left it: the declared values set.
      world.sim.resourceConfigs.set(DB, "vm.clock.track", "guest");
      world.sim.resourceConfigs.set(DB, "vm.clock.sync.interval.in.seconds", "600");
      await world.clock.delete(DB, recordedState);
      for (const [key, name, value] of [
        ["track", "vm.clock.track", "host"],
        ["intervalInSeconds", "vm.clock.sync.interval.in.seconds", "0"],
      ] as const) {
        assert.equal(recordedState.restoreTo[key], key === "track" ? value : Number(value));
        const own = (recordedState.restoreOrigin?.[key] ?? "own") === "own";
        assert.equal(world.sim.resourceConfigs.hasOwn(DB, name), own, `${name} is the VM's own: ${own}`);
        if (own) assert.equal(world.sim.resourceConfigs.get(DB, name), value);
      }
    });
  }
});
