// Conformance: the node's version (APIGetVersionMsg) and the setVmClockTrack fields each version knows
// (provider/docs/zstack-behaviour.md#server-versions).

import assert from "node:assert/strict";
import { DEFAULT_ZSTACK_VERSION, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, rawCall, runAction, submitAction } from "../support/zstack-raw-http";

const WEB_1 = "aaaa0000000000000000000000000001";
const FULL_CLOCK = { setVmClockTrack: { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 } };

function getVersion(sim: Simulator) {
  return rawCall(sim.url, "PUT", "/v1/management-nodes/actions", { body: { getVersion: {} } });
}

describe("simulator: server versions", () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  it(`answers getVersion with 200 {"version"}, without Authorization, as ${DEFAULT_ZSTACK_VERSION} by default`, async () => {
    sim = await startSimulator();
    const res = await getVersion(sim);
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { version: DEFAULT_ZSTACK_VERSION });
    assert.equal(sim.counters.count("version"), 1);
  });

  it("reports the configured version", async () => {
    sim = await startSimulator({ version: "4.4.8" });
    assert.deepEqual(json(await getVersion(sim)), { version: "4.4.8" });
  });

  it("refuses a version that is not dotted numbers", async () => {
    await assert.rejects(startSimulator({ version: "v4" }), /dotted numbers such as 4\.8\.0, got "v4"/);
  });

  it("before 4.1.0 has no setVmClockTrack: 400, the body doesn't contain action mapping to the URL", async () => {
    sim = await startSimulator({ version: "4.0.0" });
    const session = await login(sim.url);
    const res = await submitAction(sim.url, session, WEB_1, FULL_CLOCK);
    assert.equal(res.status, 400);
    assert.equal(
      res.text,
      `the body doesn't contain action mapping to the URL[/v1/vm-instances/${WEB_1}/actions]`,
    );
    assert.equal(sim.resourceConfigs.hasOwn(WEB_1, "vm.clock.track"), false);
  });

  for (const version of ["4.1.0", "4.4.8"]) {
    it(`${version} accepts setVmClockTrack but applies only track`, async () => {
      sim = await startSimulator({ version, timings: { clockTrackMs: 5 } });
      const session = await login(sim.url);
      assert.equal((await runAction(sim.url, session, WEB_1, FULL_CLOCK)).status, 200);
      assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.track"), "guest");
      assert.equal(sim.resourceConfigs.hasOwn(WEB_1, "vm.clock.sync.after.vm.resume"), false);
      assert.equal(sim.resourceConfigs.hasOwn(WEB_1, "vm.clock.sync.interval.in.seconds"), false);
    });
  }

  it("before 4.4.12 does not even type-check the sync fields (Gson drops them unread)", async () => {
    sim = await startSimulator({ version: "4.4.8", timings: { clockTrackMs: 5 } });
    const session = await login(sim.url);
    const res = await runAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "host", intervalInSeconds: "abc" },
    });
    assert.equal(res.status, 200);
  });

  for (const version of ["4.4.12", "4.8.0", "5.0.0"]) {
    it(`${version} applies every setVmClockTrack field`, async () => {
      sim = await startSimulator({ version, timings: { clockTrackMs: 5 } });
      const session = await login(sim.url);
      assert.equal((await runAction(sim.url, session, WEB_1, FULL_CLOCK)).status, 200);
      assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.track"), "guest");
      assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.sync.after.vm.resume"), "true");
      assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.sync.interval.in.seconds"), "600");
    });
  }
});
