import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { isSecret, secret, type ProviderHostError } from "../../tools/provider-host/host";
import { startPluginWorld, type PluginWorld } from "./support";

const GET_ONE = "zstackvm:index:getVmInstance";
const GET_MANY = "zstackvm:index:getVmInstances";

describe("the native plugin's functions over gRPC (the VM lookups as invokes)", function () {
  this.timeout(60_000);
  let world: PluginWorld;
  before(async () => {
    world = await startPluginWorld();
  });
  after(() => world.close());

  it("getVmInstance by name and by uuid returns the VM's inventory", async () => {
    const byName = await world.plugin.invoke(GET_ONE, { name: "db-1" });
    assert.equal(byName.uuid, DEMO_VM_UUIDS["db-1"]);
    assert.equal(byName.state, world.sim.vms.get(DEMO_VM_UUIDS["db-1"])?.state);
    assert.ok(Array.isArray(byName.vmNics));
    const byUuid = await world.plugin.invoke(GET_ONE, { uuid: DEMO_VM_UUIDS["web-2"], timeoutSeconds: 30 });
    assert.equal(byUuid.name, "web-2");
  });

  it("getVmInstances filters, orders by name and reports the conditions sent", async () => {
    const running = await world.plugin.invoke(GET_MANY, { state: ["Running", "Paused"], nameRegex: "^web-" });
    assert.deepEqual(running.uuids, [DEMO_VM_UUIDS["web-1"], DEMO_VM_UUIDS["web-2"]]);
    assert.deepEqual(running.conditions, ["state?=Running,Paused"]);
    assert.equal((running.vmInstances as { name: string }[])[0]!.name, "web-1");
  });

  it("bad arguments and too many matches fail with the lookups' messages, no stack frames", async () => {
    await assert.rejects(world.plugin.invoke(GET_MANY, { state: "running" }), (error: ProviderHostError) => {
      assert.match(
        error.details,
        /^getVmInstances: invalid arguments:\n {2}- state: "running" is not allowed/,
      );
      assert.match(error.details, /did you mean "Running"\?/);
      assert.doesNotMatch(error.details, /\n\s+at /);
      return true;
    });
    await assert.rejects(world.plugin.invoke(GET_MANY, { limit: 1 }), /getVmInstances: 4 VMs matched/);
    await assert.rejects(
      world.plugin.invoke(GET_ONE, { name: "nope" }),
      /getVmInstance: no VM is named "nope"/,
    );
    await assert.rejects(
      world.plugin.invoke("zstackvm:index:getVm", {}),
      /has no function "zstackvm:index:getVm"/,
    );
  });

  it("a secret argument makes the result secret", async () => {
    const result = await world.plugin.invoke(GET_ONE, { name: secret("db-1") });
    assert.equal(isSecret(result.uuid), true);
    assert.equal(isSecret(result.state), true);
  });
});
