/**
 * examples/composition through the real Pulumi CLI against the simulator: the platform stack (dependsOn ordering
 * checked in the simulator's request log; db-1's outputs feeding a second dynamic provider's resource, a placement
 * file rewritten when db-1 moves) and the app stack in consumer/, which runs its own program (its own package.json)
 * and reads the platform's outputs through a StackReference to `organization/vm-platform/dev` in the same backend.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS, type VmInstanceInventory } from "pulumi-zstack-vm/simulator";

import { changedKeys } from "../../tools/pulumi-cli/events";

import { assertSucceeded, exampleDir, opsOf, startCliWorld, stepOf, type CliWorld } from "./support";

const DB = DEMO_VM_UUIDS["db-1"];
const STANDBY = DEMO_VM_UUIDS["web-2"];
const WEB = DEMO_VM_UUIDS["web-1"];
const PLATFORM_STACK = "organization/vm-platform/dev";
const CLOCK_KEYS = [
  "vm.clock.track",
  "vm.clock.sync.after.vm.resume",
  "vm.clock.sync.interval.in.seconds",
] as const;

describe("cli: examples/composition", function () {
  this.timeout(300_000);
  this.slow(20_000);
  let world: CliWorld;
  let platform: string;
  let app: string;
  let placementFile: string;
  // VM actions and resource-config deletes (how a restore returns a setting the VM inherited), in order.
  const submits = (): string[] =>
    world.sim.log.entries
      .filter((e) => e.kind === "actionSubmit" || (e.kind === "resourceConfig" && e.method === "DELETE"))
      .map((e) => `${e.action} ${world.sim.vms.get(e.vmUuid ?? "")?.name}`);
  const record = () => JSON.parse(readFileSync(placementFile, "utf8")) as Record<string, unknown>;
  const dbPlacement = (vm: VmInstanceInventory | undefined) => ({
    hostUuid: vm?.hostUuid,
    ip: vm?.vmNics[0]?.ip,
  });

  before(async () => {
    world = await startCliWorld();
    // The whole example is copied, consumer/ included, as a user's checkout would hold it.
    platform = await world.stack(exampleDir("composition"), "dev");
    app = path.join(platform, "consumer");
    placementFile = path.join(platform, "db-placement.json");
  });
  after(async () => {
    await world?.close();
  });

  it("platform preview plans the placement record with the VM resources; nothing sent, no file written", async () => {
    const p = await world.json(platform, ["preview"]);
    assertSucceeded(p);
    assert.deepEqual(opsOf(p), {
      "vm-platform-dev": "create",
      "db-clock": "create",
      "db-running": "create",
      "standby-paused": "create",
      "db-placement": "create",
    });
    assert.equal(world.sim.counters.count("actionSubmit"), 0);
    assert.equal(existsSync(placementFile), false, "a preview creates nothing");
  });

  it("platform up: clock before resume before standby pause (dependsOn); db-1's outputs written to the record", async () => {
    const r = await world.json(platform, ["up"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { create: 5 });
    assert.deepEqual(submits(), ["setVmClockTrack db-1", "resumeVmInstance db-1", "pauseVmInstance web-2"]);
    assert.equal(world.sim.vms.get(DB)?.state, "Running");
    assert.equal(world.sim.vms.get(STANDBY)?.state, "Paused");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.sync.after.vm.resume"), "true");

    const db = world.sim.vms.get(DB);
    const { hostUuid, ip } = dbPlacement(db);
    assert.ok(hostUuid && ip);
    // The VM resource's outputs became the other provider's inputs, and its create wrote them.
    assert.deepEqual(record(), {
      vmUuid: DB,
      hostUuid,
      ip,
      revision: 1,
      placement: `${DB} on host ${hostUuid} at ${ip}`,
    });

    const resources = (await world.ws.exportState(platform)).deployment.resources ?? [];
    const byName = (name: string) => resources.find((x) => x.urn.endsWith(`::${name}`));
    assert.ok(byName("standby-paused")?.dependencies?.includes(byName("db-running")?.urn ?? "-"));
    assert.ok(byName("db-running")?.dependencies?.includes(byName("db-clock")?.urn ?? "-"));
    assert.ok(byName("db-placement")?.dependencies?.includes(byName("db-running")?.urn ?? "-"));

    assert.deepEqual(await world.ws.outputs(platform), {
      dbVmUuid: DB,
      dbIpAddress: ip,
      dbHostUuid: hostUuid,
      dbState: "Running",
      clockTrack: "guest",
      clockSyncAfterResume: true,
      standbyState: "Paused",
      dbPlacement: `${DB} on host ${hostUuid} at ${ip}`,
      dbPlacementFile: placementFile,
      dbPlacementRevision: 1,
    });
  });

  it("app up runs consumer/index.ts: the StackReference reads the platform's outputs; web-1 follows its clock policy", async () => {
    await world.ws.initStack(app, "dev", { ...world.zstackConfig(), "vm-app:platformStack": PLATFORM_STACK });
    const r = await world.json(app, ["up"]);
    assertSucceeded(r);
    // The consumer's own resources (not the platform program's, which a sub-project without its own package.json
    // would run).
    // The StackReference is read, not created: it stays the platform's.
    assert.deepEqual(opsOf(r), { "vm-app-dev": "create", platform: "read", "web-clock": "create" });
    assert.equal(stepOf(r, "platform").urn.split("::")[2], "pulumi:pulumi:StackReference");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "true");
    assert.equal(world.sim.counters.acceptedActions(WEB), 1);
    assert.deepEqual(await world.ws.outputs(app), {
      databaseUrl: `postgres://${world.sim.vms.get(DB)?.vmNics[0]?.ip}:5432/app`,
      webClockTrack: "guest",
      webSyncAfterResume: true,
    });
  });

  it("a change of the platform's clock policy reaches the app stack: its preview shows it, its up applies it", async () => {
    await world.ws.setConfig(platform, { "vm-platform:syncAfterResume": "false" });
    const r = await world.json(platform, ["up"]);
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), {
      "vm-platform-dev": "same",
      "db-clock": "update",
      "db-running": "same",
      "standby-paused": "same",
      "db-placement": "same",
    });
    assert.equal((await world.ws.outputs(platform))["clockSyncAfterResume"], false);

    const before = world.sim.counters.acceptedActions();
    const p = await world.json(app, ["preview", "--diff"]);
    assertSucceeded(p);
    const planned = stepOf(p, "web-clock");
    assert.equal(planned.op, "update");
    assert.deepEqual(changedKeys(planned, "inputs"), ["syncAfterVMResume"]);
    assert.equal(planned.newInputs?.["syncAfterVMResume"], false);
    assert.equal(world.sim.counters.acceptedActions(), before, "a preview sends nothing");

    const u = await world.json(app, ["up"]);
    assertSucceeded(u);
    assert.equal(stepOf(u, "web-clock").op, "update");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "false");
    assert.equal((await world.ws.outputs(app))["webSyncAfterResume"], false);
  });

  it("db-1 moves to another host: `up --refresh` rewrites the placement record, and only it", async () => {
    // The simulator has no migration API: the VM is re-registered with another host, its clock settings kept, as
    // ZStack would show db-1 after a live migration by another client.
    const before = world.sim.vms.get(DB)!;
    const clock = CLOCK_KEYS.map((k) => [k, world.sim.resourceConfigs.get(DB, k)] as const);
    const otherHost = world.sim.vms
      .list()
      .find((vm) => vm.hostUuid && vm.hostUuid !== before.hostUuid)?.hostUuid;
    assert.ok(otherHost, "the demo VMs run on more than one host");
    world.sim.vms.remove(DB);
    world.sim.vms.add({ ...before, hostUuid: otherHost, lastHostUuid: otherHost });
    for (const [k, v] of clock) world.sim.resourceConfigs.set(DB, k, v);
    const accepted = world.sim.counters.acceptedActions();

    const r = await world.json(platform, ["up", "--refresh"]);
    assertSucceeded(r);
    // Each resource's refresh step, then its step of the up.
    const ops = (name: string) => r.steps.filter((s) => s.name === name).map((s) => s.op);
    assert.deepEqual(ops("db-placement"), ["refresh", "update"]);
    for (const name of ["db-clock", "db-running", "standby-paused"]) {
      assert.deepEqual(ops(name), ["refresh", "same"], name);
    }
    assert.equal(world.sim.counters.acceptedActions(), accepted, "a move of db-1 needs no VM action");
    assert.deepEqual(
      { hostUuid: record()["hostUuid"], ip: record()["ip"], revision: record()["revision"] },
      { ...dbPlacement(world.sim.vms.get(DB)), revision: 2 },
    );
    assert.equal(record()["hostUuid"], otherHost);
    const outputs = await world.ws.outputs(platform);
    assert.equal(outputs["dbHostUuid"], otherHost);
    assert.equal(outputs["dbPlacementRevision"], 2);
  });

  it("destroying both stacks restores every VM and removes the record; the app's reference is only forgotten", async () => {
    const a = await world.json(app, ["destroy"]);
    assertSucceeded(a);
    // A read resource is discarded from the app's state, never deleted.
    assert.deepEqual(opsOf(a), { "vm-app-dev": "delete", platform: "discard", "web-clock": "delete" });
    const p = await world.json(platform, ["destroy"]);
    assertSucceeded(p);
    // Reverse dependency order: the standby is resumed before db-1 is paused again, and db-1's clock restored last:
    // db-1 inherited its three clock settings, so each returns to inheritance (its own value deleted).
    assert.deepEqual(submits().slice(-5), [
      "resumeVmInstance web-2",
      "pauseVmInstance db-1",
      "deleteResourceConfig db-1",
      "deleteResourceConfig db-1",
      "deleteResourceConfig db-1",
    ]);
    assert.equal(world.sim.vms.get(DB)?.state, "Paused");
    assert.equal(world.sim.vms.get(STANDBY)?.state, "Running");
    for (const uuid of [DB, WEB]) {
      assert.equal(world.sim.resourceConfigs.get(uuid, "vm.clock.track"), "host");
      assert.equal(world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"), "false");
      assert.equal(world.sim.resourceConfigs.hasOwn(uuid, "vm.clock.track"), false, "inherited again");
    }
    assert.equal(existsSync(placementFile), false, "the record's delete removed the file");
  });
});
