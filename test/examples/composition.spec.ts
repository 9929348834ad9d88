/**
 * examples/composition through the engine harness against the simulator: the platform stack (dependsOn ordering
 * checked in the simulator's request log, VM outputs feeding a @pulumi/random resource) and the app stack in
 * consumer/ reading the platform's outputs through a StackReference, including a change that crosses stacks.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { EngineHarness } from "../../tools/harness/engine";
import { assertSucceeded, exampleDir, opsOf, startExampleWorld, stepOf, type ExampleWorld } from "./support";

const platformDir = exampleDir("composition");
const appDir = path.join(platformDir, "consumer");
const DB = DEMO_VM_UUIDS["db-1"];
const STANDBY = DEMO_VM_UUIDS["web-2"];
const WEB = DEMO_VM_UUIDS["web-1"];
const PLATFORM_STACK = "organization/vm-platform/dev";

describe("examples: composition", function () {
  this.timeout(120_000);
  this.slow(10_000);
  let world: ExampleWorld;
  const platform = (config: Record<string, string> = {}) => world.harness(platformDir, "dev", config);
  /** The app stack, allowed to read the platform stack's state as `organization/vm-platform/dev`. */
  const app = (): EngineHarness =>
    new EngineHarness({
      projectDir: appDir,
      stack: "dev",
      statePath: world.statePath("vm-app", "dev"),
      config: { ...world.sim.stackConfig(), "vm-app:platformStack": PLATFORM_STACK },
      secretsPassphrase: "example-tests",
      stackReferences: { [PLATFORM_STACK]: { statePath: world.statePath("vm-platform", "dev") } },
    });
  const submits = (): string[] =>
    world.sim.log.entries
      .filter((e) => e.kind === "actionSubmit")
      .map((e) => `${e.action} ${world.sim.vms.get(e.vmUuid ?? "")?.name}`);

  before(async () => {
    world = await startExampleWorld();
  });
  after(async () => {
    await world.close();
  });

  it("platform preview: the other provider's resource is planned (simulated), nothing sent to ZStack", async () => {
    const r = await platform().preview();
    assertSucceeded(r);
    const pet = stepOf(r, "db-placement");
    assert.equal(pet.type, "random:index/randomPet:RandomPet");
    assert.equal(pet.op, "create");
    assert.equal(pet.simulated, true);
    assert.equal(world.sim.counters.count(), 0);
  });

  it("platform up: clock before resume before standby pause (dependsOn); VM outputs feed the RandomPet", async () => {
    const r = await platform().up();
    assertSucceeded(r);
    assert.deepEqual(submits(), ["setVmClockTrack db-1", "resumeVmInstance db-1", "pauseVmInstance web-2"]);
    assert.equal(world.sim.vms.get(DB)?.state, "Running");
    assert.equal(world.sim.vms.get(STANDBY)?.state, "Paused");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.sync.after.vm.resume"), "true");

    const db = world.sim.vms.get(DB);
    const ip = db?.vmNics[0]?.ip;
    assert.ok(db?.hostUuid && ip);
    // The dynamic resources' outputs became the other provider's inputs.
    assert.deepEqual(stepOf(r, "db-placement").outputs?.keepers, { hostUuid: db.hostUuid, ip });
    const deps = world.harness(platformDir, "dev").state().resources;
    const urnOf = (name: string) => deps.find((x) => x.name === name)?.urn;
    assert.ok(
      deps.find((x) => x.name === "standby-paused")?.dependencies.includes(urnOf("db-running") ?? "-"),
    );
    assert.ok(deps.find((x) => x.name === "db-running")?.dependencies.includes(urnOf("db-clock") ?? "-"));

    assert.deepEqual(r.outputs, {
      dbVmUuid: DB,
      dbIpAddress: ip,
      dbHostUuid: db.hostUuid,
      dbState: "Running",
      clockTrack: "guest",
      clockSyncAfterResume: true,
      standbyState: "Paused",
      dbPlacement: "db-placement-simulated-id",
    });
  });

  it("app up: the StackReference reads the platform's outputs; web-1 follows its clock policy", async () => {
    const r = await app().up();
    assertSucceeded(r);
    const ref = stepOf(r, "platform");
    assert.equal(ref.type, "pulumi:pulumi:StackReference");
    assert.equal(ref.op, "read");
    assert.equal(stepOf(r, "web-clock").op, "create");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "true");
    assert.equal(r.outputs.databaseUrl, `postgres://${world.sim.vms.get(DB)?.vmNics[0]?.ip}:5432/app`);
    assert.equal(world.sim.counters.acceptedActions(WEB), 1);
  });

  it("a platform change reaches the app stack through its outputs: the app's preview shows it", async () => {
    const r = await platform({ "vm-platform:syncAfterResume": "false" }).up();
    assertSucceeded(r);
    assert.deepEqual(opsOf(r), {
      "vm-platform-dev": "same",
      "db-clock": "update",
      "db-running": "same",
      "standby-paused": "same",
      "db-placement": "same",
    });
    assert.equal(r.outputs.clockSyncAfterResume, false);

    const before = world.sim.counters.acceptedActions();
    const p = await app().preview();
    assertSucceeded(p);
    assert.deepEqual(stepOf(p, "web-clock").diffs, [{ key: "syncAfterVMResume", old: true, new: false }]);
    assert.equal(world.sim.counters.acceptedActions(), before);

    const u = await app().up();
    assertSucceeded(u);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.after.vm.resume"), "false");
  });

  it("destroying both stacks restores every VM; the app's reference is only forgotten", async () => {
    const a = await app().destroy();
    assertSucceeded(a);
    assert.equal(
      a.steps.some((s) => s.name === "platform"),
      false,
      "a read resource is not deleted",
    );
    const p = await platform({ "vm-platform:syncAfterResume": "false" }).destroy();
    assertSucceeded(p);
    // Reverse dependency order: the standby is resumed before db-1 is paused again, and db-1's clock restored last.
    assert.deepEqual(submits().slice(-3), [
      "resumeVmInstance web-2",
      "pauseVmInstance db-1",
      "setVmClockTrack db-1",
    ]);
    assert.equal(world.sim.vms.get(DB)?.state, "Paused");
    assert.equal(world.sim.vms.get(STANDBY)?.state, "Running");
    for (const uuid of [DB, WEB]) {
      assert.equal(world.sim.resourceConfigs.get(uuid, "vm.clock.track"), "host");
      assert.equal(world.sim.resourceConfigs.get(uuid, "vm.clock.sync.after.vm.resume"), "false");
    }
  });
});
