/**
 * The quickstart stack (root Pulumi.yaml and index.ts) through the real Pulumi CLI against the simulator: the life of
 * one stack, command by command, checked on the simulator (VM states, clock settings, actions received) and in the
 * engine's own report (`--json`).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { changedKeys } from "../../tools/pulumi-cli/events";

import {
  assertSucceeded,
  errorsOf,
  opsOf,
  QUICKSTART_FILES,
  REPO_ROOT,
  startCliWorld,
  stepOf,
  type CliWorld,
} from "./support";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

describe("cli: quickstart stack", function () {
  this.timeout(300_000);
  this.slow(20_000);
  let world: CliWorld;
  let dir: string;
  const clock = (uuid: string) => ({
    track: world.sim.resourceConfigs.get(uuid, "vm.clock.track"),
    sync: world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"),
    interval: world.sim.resourceConfigs.get(uuid, "vm.clock.sync.interval.in.seconds"),
  });
  const accepted = () => world.sim.counters.acceptedActions();

  before(async () => {
    world = await startCliWorld();
    dir = await world.stack(REPO_ROOT, "dev", { files: QUICKSTART_FILES, name: "quickstart" });
  });
  after(async () => {
    await world?.close();
  });

  it("preview plans three creates and sends nothing to ZStack", async () => {
    const r = await world.json(dir, ["preview"]);
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), { "quickstart-dev": "create", "web-paused": "create", "db-clock": "create" });
    assert.equal(world.sim.counters.count(), 0, "a preview must not call ZStack");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("up pauses web-1 and sets db-1's clock track: exactly one action each", async () => {
    const r = await world.json(dir, ["up"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { create: 3 });
    assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 1);
    assert.equal(accepted(), 2);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.deepEqual(clock(DB), { track: "guest", sync: "true", interval: "600" });
    assert.deepEqual(await world.ws.outputs(dir), {
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
  });

  it("the state holds the account password only encrypted", async () => {
    const state = JSON.stringify(await world.ws.exportState(dir));
    assert.ok(
      !state.includes(world.sim.credentials.password),
      "the password appears in plain text in the state",
    );
    assert.match(state, /"secrets_providers"/);
    const { readdirSync } = await import("node:fs");
    const stacksDir = `${world.ws.backendDir}/.pulumi/stacks/quickstart`;
    for (const f of readdirSync(stacksDir)) {
      assert.ok(
        !readFileSync(`${stacksDir}/${f}`, "utf8").includes(`"${world.sim.credentials.password}"`),
        f,
      );
    }
  });

  it("the state records where the program declares each resource: its own line, not this package's", async () => {
    const program = readFileSync(`${REPO_ROOT}/index.ts`, "utf8").split("\n");
    const lineOf = (text: string) => program.findIndex((line) => line.includes(text)) + 1;
    const positions = Object.fromEntries(
      ((await world.ws.exportState(dir)).deployment.resources ?? [])
        .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))
        .map((r) => [r.urn.split("::").pop(), r.sourcePosition]),
    );
    assert.deepEqual(positions, {
      "web-paused": `project:///index.ts#${lineOf('new VmPauseState("web-paused"')},13`,
      "db-clock": `project:///index.ts#${lineOf('new VmClockTrack("db-clock"')},12`,
    });
  });

  it("an unchanged program previews as unchanged, with no call to ZStack", async () => {
    const before = world.sim.counters.count();
    const r = await world.json(dir, ["preview", "--expect-no-changes"]);
    assertSucceeded(r);
    assert.ok(
      r.steps.every((s) => s.op === "same"),
      JSON.stringify(opsOf(r)),
    );
    assert.equal(world.sim.counters.count(), before);
  });

  it("refresh after an out-of-band resume shows the drift without acting", async () => {
    await world.sim.vms.outOfBand(WEB, "resume");
    const r = await world.json(dir, ["refresh"]);
    assertSucceeded(r);
    const drift = stepOf(r, "web-paused");
    assert.equal(drift.op, "update", "the real CLI reports a refresh with changes as an update");
    assert.equal(drift.oldOutputs?.["state"], "Paused");
    assert.equal(drift.newOutputs?.["state"], "Running");
    assert.equal(stepOf(r, "db-clock").op, "same", "output-only fields changing is no drift");
    assert.equal(accepted(), 2, "refresh only reads");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("the next preview shows the convergence and up pauses the VM again with exactly one action", async () => {
    const p = await world.json(dir, ["preview", "--diff"]);
    assertSucceeded(p);
    const planned = stepOf(p, "web-paused");
    assert.equal(planned.op, "update");
    // The refresh stored the actual state as the input too, so the engine shows ~state: "Running" => "Paused".
    assert.deepEqual(changedKeys(planned, "inputs"), ["state"]);
    assert.equal(planned.oldInputs?.["state"], "Running");
    // `preview --json` lists only steps with changes (and the stack): db-clock has none.
    assert.ok(!p.steps.some((s) => s.name === "db-clock"), JSON.stringify(opsOf(p)));

    const r = await world.json(dir, ["up"]);
    assertSucceeded(r);
    assert.equal(stepOf(r, "web-paused").op, "update");
    assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 2);
    assert.equal(accepted(), 3);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
  });

  it("a new sync interval in config updates db-1's clock in place", async () => {
    await world.ws.setConfig(dir, { syncIntervalSeconds: "3600" });
    const p = await world.json(dir, ["preview"]);
    assertSucceeded(p);
    assert.equal(stepOf(p, "db-clock").op, "update");
    assert.deepEqual(changedKeys(stepOf(p, "db-clock"), "inputs"), ["intervalInSeconds"]);
    assert.equal(accepted(), 3);

    const r = await world.json(dir, ["up"]);
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), { "quickstart-dev": "same", "web-paused": "same", "db-clock": "update" });
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 2);
    assert.deepEqual(clock(DB), { track: "guest", sync: "true", interval: "3600" });
    const outputs = await world.ws.outputs(dir);
    assert.equal(outputs["clockIntervalSeconds"], 3600);
    assert.deepEqual(outputs["clockRestoreTo"], {
      track: "host",
      syncAfterVMResume: false,
      intervalInSeconds: 0,
    });
  });

  it("an interval ZStack does not accept fails the preview in check, naming the property and the allowed values", async () => {
    await world.ws.setConfig(dir, { syncIntervalSeconds: "30" });
    const before = world.sim.counters.count();
    const p = await world.json(dir, ["preview"]);
    assert.equal(p.result, "failed");
    const message = errorsOf(p);
    assert.match(message, /intervalInSeconds/);
    assert.match(message, /30/);
    assert.match(message, /0, 60, 600, 1800, 3600/);
    assert.doesNotMatch(message, /^\s+at /m, "no stack trace");
    assert.equal(world.sim.counters.count(), before);
    await world.ws.setConfig(dir, { syncIntervalSeconds: "3600" });
  });

  it("destroy restores both VMs as they were found and empties the stack", async () => {
    const r = await world.json(dir, ["destroy"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { delete: 3 });
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.deepEqual(clock(DB), { track: "host", sync: "false", interval: "0" });
    assert.equal(world.sim.counters.acceptedActions(WEB, "resumeVmInstance"), 1);
    // Set, then updated; db-1 inherited its three clock settings, so destroy deletes its own values of them.
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 2);
    assert.equal(world.sim.counters.acceptedActions(DB, "deleteResourceConfig"), 3);
    assert.deepEqual((await world.ws.exportState(dir)).deployment.resources ?? [], []);
  });
});
