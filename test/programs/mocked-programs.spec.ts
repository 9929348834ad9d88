import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { closeAllClients } from "pulumi-zstack-vm/zstack";

import { BridgeMocks } from "../../tools/harness/bridge";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

/** The value an Output resolves to in a program, and whether it is known (unknowns exist only during preview). */
function observe<T>(output: pulumi.Output<T>): Promise<{ known: boolean; value: T | undefined }> {
  // Output internals: isKnown/promise are what `apply` uses; reading them shows preview unknowns as such.
  const internals = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
  return Promise.all([internals.isKnown, internals.promise()]).then(([known, value]) => ({ known, value }));
}

/** A small program as a user would write it: pause one VM, set another's clock, compose an output. */
function program(vmUuid: pulumi.Input<string>) {
  const paused = new VmPauseState("web-paused", { vmUuid, state: "Paused" });
  const clock = new VmClockTrack(
    "db-clock",
    { vmUuid: DB, track: "guest", intervalInSeconds: 600 },
    { dependsOn: [paused] },
  );
  const summary = pulumi.interpolate`${paused.name} is ${paused.state} on ${paused.lastHostUuid}; db clock ${clock.track}`;
  return { paused, clock, summary };
}

describe("programs under setMocks, bridged to the real provider", function () {
  this.timeout(30_000);
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 } });
  });

  afterEach(async () => {
    await closeAllClients();
    await sim.close();
  });

  it("on up, the program sees the outputs the provider returned", async () => {
    const mocks = new BridgeMocks({ config: sim.stackConfig(), project: "quickstart" });
    pulumi.runtime.setMocks(mocks, "quickstart", "dev", false);
    const { paused, clock, summary } = program(WEB);
    const text = await observe(summary);
    assert.equal(text.known, true);
    assert.match(text.value!, /^web-1 is Paused on [0-9a-f]{32}; db clock guest$/);
    assert.deepEqual((await observe(paused.initialState)).value, "Running");
    assert.equal((await observe(paused.vmNics)).value!.length > 0, true);
    assert.deepEqual((await observe(clock.restoreTo)).value, {
      track: "host",
      syncAfterVMResume: null,
      intervalInSeconds: 0,
    });
    assert.equal(sim.vms.get(WEB)?.state, "Paused");
    assert.deepEqual(
      mocks.resources.map((resource) => [resource.name, resource.op]),
      [
        ["web-paused", "create"],
        ["db-clock", "create"],
      ],
    );
  });

  it("during preview, input-named outputs show the declared values and output-only keys are unknown; nothing is sent", async () => {
    const mocks = new BridgeMocks({ config: sim.stackConfig(), project: "quickstart", preview: true });
    pulumi.runtime.setMocks(mocks, "quickstart", "dev", true);
    const { paused, summary } = program(WEB);
    assert.deepEqual(await observe(paused.state), { known: true, value: "Paused" });
    assert.deepEqual(await observe(paused.vmUuid), { known: true, value: WEB });
    assert.equal((await observe(paused.lastHostUuid)).known, false);
    assert.equal((await observe(summary)).known, false);
    assert.equal(sim.counters.count(), 0);
    assert.equal(sim.vms.get(WEB)?.state, "Running");
  });

  it("during preview, an input that is another resource's unknown output passes check as unknown", async () => {
    const mocks = new BridgeMocks({ config: sim.stackConfig(), project: "quickstart", preview: true });
    pulumi.runtime.setMocks(mocks, "quickstart", "dev", true);
    const upstream = new VmPauseState("upstream", { vmUuid: DB, state: "Paused" });
    const downstream = new VmPauseState("downstream", { vmUuid: upstream.lastHostUuid.apply(() => WEB) });
    assert.equal((await observe(downstream.vmUuid)).known, false);
    const bridged = mocks.resources.find((resource) => resource.name === "downstream");
    assert.equal(bridged?.op, "preview");
  });

  it("a check failure reaches the program as an error naming the property", async () => {
    const mocks = new BridgeMocks({ config: sim.stackConfig(), project: "quickstart" });
    pulumi.runtime.setMocks(mocks, "quickstart", "dev", false);
    const bad = new VmPauseState("bad", { vmUuid: WEB, state: "paused" as "Paused" });
    await assert.rejects(observe(bad.state), /state: "paused" is not allowed/);
    assert.equal(sim.counters.count(), 0);
  });

  it("VmPauseState.get and VmClockTrack.get read an existing VM", async () => {
    const mocks = new BridgeMocks({ config: sim.stackConfig(), project: "quickstart" });
    pulumi.runtime.setMocks(mocks, "quickstart", "dev", false);
    const db = VmPauseState.get("db", DB);
    const clock = VmClockTrack.get("db-clock", DB);
    assert.equal((await observe(db.state)).value, "Paused");
    assert.equal((await observe(db.name)).value, "db-1");
    assert.equal((await observe(clock.track)).value, "host");
    assert.equal(sim.counters.count("actionSubmit"), 0);
  });
});
