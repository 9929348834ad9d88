import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { urn, type PropertyMap, type ProviderHostError } from "../../tools/provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE } from "../../tools/quickstart";
import { useHostWorld } from "../support/host-world";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running

/**
 * The engine sequences of one deployment, sent the way the Pulumi CLI sends them to the one dynamic-provider host
 * process it starts per command (a new host is the next command). What the provider can know of a resource is only
 * what the host hands it: no URN reaches create or delete.
 */
describe("per-VM coordination through the real dynamic-provider host (gRPC)", function () {
  this.timeout(60_000);
  const world = useHostWorld();

  /** The next `pulumi` command: the CLI starts a new host. */
  const nextCommand = () => world.nextCommand();

  const pauseUrn = (name: string) => urn("dev", "quickstart", PAUSE_TYPE, name);
  const clockUrn = (name: string) => urn("dev", "quickstart", CLOCK_TYPE, name);

  async function checked(resourceUrn: string, type: string, news: PropertyMap): Promise<PropertyMap> {
    const result = await world.host.check(resourceUrn, {}, { __provider: world.texts[type]!, ...news });
    assert.deepEqual(result.failures, []);
    return result.inputs;
  }

  it("pulumi up --replace: create the replacement, delete the old; the VM stays Paused and nothing is sent", async () => {
    const inputs = await checked(pauseUrn("web"), PAUSE_TYPE, { vmUuid: WEB, state: "Paused" });
    const old = await world.host.create(pauseUrn("web"), inputs);
    assert.equal(old.properties.initialState, "Running");
    await nextCommand();
    const again = await checked(pauseUrn("web"), PAUSE_TYPE, { vmUuid: WEB, state: "Paused" });
    await world.host.diff(WEB, pauseUrn("web"), old.properties, inputs, again);
    const replacement = await world.host.create(pauseUrn("web"), again);
    await world.host.delete(WEB, pauseUrn("web"), old.properties, inputs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(replacement.properties.state, "Paused");
    assert.equal(world.sim.counters.acceptedActions(WEB), 1, "only the first command's pause");
  });

  it("a rename without an alias: create under the new name, delete the old; the clock stays as declared", async () => {
    const declared = { vmUuid: WEB, track: "guest", intervalInSeconds: 600 };
    const inputs = await checked(clockUrn("old"), CLOCK_TYPE, declared);
    const old = await world.host.create(clockUrn("old"), inputs);
    await nextCommand();
    await world.host.create(clockUrn("new"), await checked(clockUrn("new"), CLOCK_TYPE, declared));
    await world.host.delete(WEB, clockUrn("old"), old.properties, inputs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "600");
    assert.equal(world.sim.counters.acceptedActions(WEB, "setVmClockTrack"), 1);
  });

  it("a plain destroy in a new command still restores", async () => {
    const inputs = await checked(pauseUrn("web"), PAUSE_TYPE, { vmUuid: WEB, state: "Paused" });
    const created = await world.host.create(pauseUrn("web"), inputs);
    await nextCommand();
    await world.host.delete(WEB, pauseUrn("web"), created.properties, inputs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("two resources declaring opposite states of one VM: the second create fails, naming both", async () => {
    await world.host.create(
      pauseUrn("a"),
      await checked(pauseUrn("a"), PAUSE_TYPE, { vmUuid: WEB, state: "Paused" }),
    );
    const other = await checked(pauseUrn("b"), PAUSE_TYPE, { vmUuid: WEB, state: "Running" });
    await assert.rejects(world.host.create(pauseUrn("b"), other), (error: ProviderHostError) => {
      assert.equal(error.initFailed, false);
      assert.match(
        error.details,
        /^VmPauseState: two resources of this deployment declare state of VM \w+: this one "Running" and another VmPauseState \(a resource created in this run\) "Paused"\./,
      );
      return true;
    });
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
  });

  it("50 concurrent Create calls on one VM send one pause", async () => {
    const inputs = await checked(pauseUrn("web"), PAUSE_TYPE, { vmUuid: WEB, state: "Paused" });
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => world.host.create(pauseUrn(`web-${i}`), inputs)),
    );
    assert.equal(world.sim.counters.count("actionSubmit"), 1);
    assert.ok(created.every((c) => c.properties.initialState === "Running"));
  });
});
