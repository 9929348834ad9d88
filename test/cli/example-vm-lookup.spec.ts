/**
 * examples/vm-lookup through the real Pulumi CLI against the simulator, seeded with the demo VMs plus one Running VM
 * in a second cluster: the program's lookups select the pausable VMs of web-1's cluster, `preview` plans them and
 * sends no action, `up` pauses them, closing the window (`vm-lookup:active false`) deletes the resources and so gives
 * each VM back as it was found, and a name that matches no VM fails the preview before anything is sent. The
 * password shows neither in what the CLI prints nor in the exported state.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { assertSucceeded, errorsOf, exampleDir, opsOf, startCliWorld, type CliWorld } from "./support";

const OTHER_CLUSTER = "0c000000000000000000000000000002";
const WINDOW = ["db-1", "web-1", "web-2"] as const;
const pauseName = (vm: (typeof WINDOW)[number]) => `pause-${DEMO_VM_UUIDS[vm]}`;

describe("cli: examples/vm-lookup", function () {
  this.timeout(300_000);
  this.slow(20_000);
  let world: CliWorld;
  let dir: string;
  let otherUuid: string;
  let cluster: string;
  /** Everything the CLI printed in this suite, for the password check. */
  const printed: string[] = [];
  const run = async (args: readonly string[]) => {
    const r = await world.json(dir, args);
    printed.push(r.stdout, r.stderr);
    return r;
  };
  const submits = () => world.sim.counters.count("actionSubmit");
  const state = (uuid: string) => world.sim.vms.get(uuid)?.state;

  before(async () => {
    world = await startCliWorld();
    otherUuid = world.sim.vms.add({ name: "other-1", clusterUuid: OTHER_CLUSTER, state: "Running" }).uuid;
    cluster = world.sim.vms.get(DEMO_VM_UUIDS["web-1"])!.clusterUuid!;
    assert.notEqual(cluster, OTHER_CLUSTER);
    dir = await world.stack(exampleDir("vm-lookup"), "dev");
  });
  after(async () => {
    await world?.close();
  });

  it("preview plans one VmPauseState per pausable VM of web-1's cluster and submits no action", async () => {
    const p = await run(["preview"]);
    assertSucceeded(p);
    assert.deepEqual(opsOf(p), {
      "vm-lookup-dev": "create",
      ...Object.fromEntries(WINDOW.map((vm) => [pauseName(vm), "create"])),
    });
    assert.equal(submits(), 0, "the lookups only read");
    assert.ok(world.sim.counters.count("vmQuery") > 0, "the program's lookups queried ZStack");
    assert.equal(state(DEMO_VM_UUIDS["web-1"]), "Running");
  });

  it("up pauses web-1 and web-2, adopts the Paused db-1, leaves batch-1 and the other cluster alone", async () => {
    const r = await run(["up"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { create: 4 });
    for (const vm of WINDOW) assert.equal(state(DEMO_VM_UUIDS[vm]), "Paused", vm);
    assert.equal(world.sim.counters.acceptedActions(DEMO_VM_UUIDS["web-1"], "pauseVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DEMO_VM_UUIDS["web-2"], "pauseVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(), 2, "db-1 was already Paused");
    assert.equal(state(DEMO_VM_UUIDS["batch-1"]), "Stopped");
    assert.equal(state(otherUuid), "Running");

    const outputs = await world.ws.outputs(dir);
    assert.equal(outputs["cluster"], cluster);
    assert.equal(outputs["active"], true);
    assert.equal(
      outputs["summary"],
      `maintenance window open on cluster ${cluster}: db-1 (Paused), web-1 (Paused), web-2 (Paused)`,
    );
    assert.deepEqual(
      outputs["vms"],
      WINDOW.map((name) => ({ uuid: DEMO_VM_UUIDS[name], name, state: "Paused" })),
    );
  });

  it("a second preview finds the same three VMs: no changes", async () => {
    const before = submits();
    const p = await run(["preview", "--expect-no-changes"]);
    assertSucceeded(p);
    assert.ok(
      p.steps.every((s) => s.op === "same"),
      JSON.stringify(opsOf(p)),
    );
    assert.equal(submits(), before);
  });

  it("`vm-lookup:active false` previews three deletes, and up resumes web-1 and web-2 while db-1 stays Paused", async () => {
    await world.ws.run(["config", "set", "vm-lookup:active", "false"], { cwd: dir });
    const before = submits();
    const p = await run(["preview"]);
    assertSucceeded(p);
    assert.deepEqual(opsOf(p), {
      "vm-lookup-dev": "same",
      ...Object.fromEntries(WINDOW.map((vm) => [pauseName(vm), "delete"])),
    });
    assert.equal(submits(), before, "a preview submits nothing");

    const r = await run(["up"]);
    assertSucceeded(r);
    assert.deepEqual(r.changes, { same: 1, delete: 3 });
    assert.equal(state(DEMO_VM_UUIDS["web-1"]), "Running");
    assert.equal(state(DEMO_VM_UUIDS["web-2"]), "Running");
    assert.equal(state(DEMO_VM_UUIDS["db-1"]), "Paused", "given back as it was found");
    assert.equal(world.sim.counters.acceptedActions(DEMO_VM_UUIDS["web-1"], "resumeVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(DEMO_VM_UUIDS["web-2"], "resumeVmInstance"), 1);
    assert.equal(world.sim.counters.acceptedActions(), 4, "nothing sent for db-1");
    assert.equal(state(otherUuid), "Running");
    const outputs = await world.ws.outputs(dir);
    assert.equal(outputs["summary"], `maintenance window closed on cluster ${cluster}`);
    assert.deepEqual(outputs["vms"], []);
  });

  // Slow (about two minutes here): with the pinned CLI, any program whose exported async function rejects takes that
  // long to fail, lookups or not (seen with a program that only throws after a timer).
  it("`vm-lookup:clusterOf web-9` fails the preview with the lookup's message, nothing sent", async () => {
    await world.ws.setConfig(dir, { "vm-lookup:clusterOf": "web-9", "vm-lookup:active": "true" });
    const before = submits();
    const p = await run(["preview"]);
    assert.equal(p.result, "failed");
    assert.match(errorsOf(p), /no VM is named "web-9"/);
    assert.equal(submits(), before);
  });

  it("the password appears neither in the CLI's output nor in `pulumi stack export`", async () => {
    const password = world.sim.credentials.password;
    assert.ok(printed.length >= 10 && printed.join("").length > 0);
    for (const text of printed) assert.ok(!text.includes(password), "the password was printed");
    const exported = JSON.stringify(await world.ws.exportState(dir));
    assert.ok(!exported.includes(password), "the password is in the exported state");
  });
});
