/**
 * Restore to inheritance through the real Pulumi CLI: a VM that inherited the global clock track before the stack set
 * it inherits again after destroy (its own value deleted, not the global value of that day written back), so it
 * follows a later change of the global default; a value the VM had of its own is written back.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { DECLARED_VMS_PROGRAM, declaring, type Declared } from "./declared-vms";
import { assertSucceeded, startCliWorld, type CliWorld } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
const TRACK = "vm.clock.track";
const SYNC = "vm.clock.sync.after.vm.resume";

const clock = (name: string, vmUuid: string, args: Record<string, unknown>): Declared => ({
  kind: "clock",
  name,
  args: { vmUuid, ...args },
});

describe("cli: clock restore to inheritance", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld();
  });
  after(async () => {
    await world?.close();
  });

  it("destroy returns an inherited clock track to inheritance; the VM then follows the global default", async () => {
    const configs = world.sim.resourceConfigs;
    // web-2 has its own sync setting (an administrator's), and inherits its track like web-1.
    configs.set(WEB2, SYNC, "false");
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "inherit", {
      name: "inherit",
      config: declaring([
        clock("web1-clock", WEB1, { track: "guest" }),
        clock("web2-clock", WEB2, { track: "guest", syncAfterVMResume: true }),
      ]),
    });
    assert.equal(configs.hasOwn(WEB1, TRACK), false, "web-1 inherits the global clock track");

    assertSucceeded(await world.json(dir, ["up"]));
    assert.equal(configs.get(WEB1, TRACK), "guest");
    assert.equal(configs.hasOwn(WEB1, TRACK), true, "setVmClockTrack wrote web-1's own value");
    const state = await world.ws.exportState(dir);
    const origins = Object.fromEntries(
      (state.deployment.resources ?? [])
        .filter((resource) => resource.type.endsWith(":VmClockTrack"))
        .map((resource) => [resource.urn.split("::").at(-1), resource.outputs?.["restoreOrigin"]]),
    );
    assert.deepEqual(origins, {
      "web1-clock": { track: "inherited", syncAfterVMResume: null, intervalInSeconds: null },
      "web2-clock": { track: "inherited", syncAfterVMResume: "own", intervalInSeconds: null },
    });

    assertSucceeded(await world.json(dir, ["destroy"]));
    for (const vm of [WEB1, WEB2]) {
      assert.equal(configs.hasOwn(vm, TRACK), false, `${vm} inherits its clock track again`);
      assert.equal(configs.get(vm, TRACK), "host");
    }
    assert.equal(configs.hasOwn(WEB2, SYNC), true, "web-2's own sync value is written back");
    assert.equal(configs.get(WEB2, SYNC), "false");

    // An administrator changes the global default: both VMs follow it, as they did before the stack.
    configs.setGlobal(TRACK, "guest");
    assert.equal(configs.get(WEB1, TRACK), "guest");
    assert.equal(configs.get(WEB2, TRACK), "guest");
  });
});
