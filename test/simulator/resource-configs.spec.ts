// Conformance: a VM's own resource configs versus the inherited global value, GetResourceConfig's
// effectiveConfigs and DeleteResourceConfig (provider/docs/zstack-behaviour.md#resource-configurations).

import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, pollJob, rawCall, runAction } from "../support/zstack-raw-http";

const WEB_1 = "aaaa0000000000000000000000000001";
const TRACK = `/v1/resource-configurations/${WEB_1}/vm/vm.clock.track`;

interface ConfigReply {
  readonly value: string;
  readonly effectiveConfigs: readonly { readonly resourceUuid: string; readonly value: string }[];
}

describe("simulator: resource configurations, own and inherited", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({
      globalConfigs: { "vm.clock.track": "guest" },
      timings: { clockTrackMs: 5 },
    });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  const read = async (): Promise<ConfigReply> =>
    json<ConfigReply>(await rawCall(sim.url, "GET", TRACK, { session }));

  it("a VM without its own value reads the configured global value with no effective configs", async () => {
    assert.deepEqual(await read(), { value: "guest", effectiveConfigs: [] });
    sim.resourceConfigs.setGlobal("vm.clock.track", "host");
    assert.deepEqual(await read(), { value: "host", effectiveConfigs: [] });
  });

  it("setVmClockTrack writes the VM's own value, listed in effectiveConfigs", async () => {
    assert.equal(
      (await runAction(sim.url, session, WEB_1, { setVmClockTrack: { track: "host" } })).status,
      200,
    );
    const reply = await read();
    assert.equal(reply.value, "host");
    assert.equal(reply.effectiveConfigs.length, 1);
    assert.equal(reply.effectiveConfigs[0]?.resourceUuid, WEB_1);
    assert.equal(reply.effectiveConfigs[0]?.value, "host");
    // The global value no longer reaches this VM.
    sim.resourceConfigs.setGlobal("vm.clock.track", "guest");
    assert.equal((await read()).value, "host");
  });

  it("DeleteResourceConfig is async (202 + job) and makes the VM inherit the global value again", async () => {
    sim.resourceConfigs.set(WEB_1, "vm.clock.track", "host");
    const accepted = await rawCall(
      sim.url,
      "DELETE",
      `/v1/resource-configurations/vm/vm.clock.track/${WEB_1}`,
      {
        session,
      },
    );
    assert.equal(accepted.status, 202);
    assert.equal((await pollJob(json<{ location: string }>(accepted).location)).status, 200);
    assert.deepEqual(await read(), { value: "guest", effectiveConfigs: [] });
    assert.equal(sim.resourceConfigs.hasOwn(WEB_1, "vm.clock.track"), false);
  });

  it("refuses a global value outside the valid values", async () => {
    await assert.rejects(
      startSimulator({ globalConfigs: { "vm.clock.sync.interval.in.seconds": "5" } }),
      /valid value for resource config\[category:vm, name:vm.clock.sync.interval.in.seconds\]/,
    );
  });
});
