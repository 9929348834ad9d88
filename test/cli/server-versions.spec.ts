/**
 * A management node older than the settings a program declares, through the real Pulumi CLI: the preview of a
 * VmClockTrack already in the stack fails when the program adds a setting the node lacks, naming it and both
 * versions, and nothing is sent.
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
