import assert from "node:assert/strict";

import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import { urn, type ProviderHost, type ProviderHostError } from "../../tools/provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE, startConfiguredHost } from "../../tools/quickstart";
import { providerTextsByType } from "../support/mocks";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

describe("resources through the real dynamic-provider host (gRPC)", function () {
  this.timeout(60_000);
  let sim: Simulator;
  let host: ProviderHost;
  let texts: Record<string, string>;

  before(async () => {
    texts = await providerTextsByType();
  });

  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 } });
    host = await startConfiguredHost(sim);
  });

  afterEach(async () => {
    await host.close();
    await sim.close();
  });

  it("VmPauseState: check, create, diff, refresh after drift, update, delete in the engine's order", async () => {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const news = { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB, state: "Paused" };
    const checked = await host.check(resourceUrn, {}, news);
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.timeoutSeconds, 600);

    const created = await host.create(resourceUrn, checked.inputs);
    assert.equal(created.id, WEB);
    assert.equal(created.properties.state, "Paused");
    assert.equal(created.properties.initialState, "Running");
    assert.equal(created.properties.__provider, texts[PAUSE_TYPE]);

    const same = await host.diff(WEB, resourceUrn, created.properties, checked.inputs, checked.inputs);
    assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });

    await sim.vms.outOfBand(WEB, "resume");
    const refreshed = await host.read(WEB, resourceUrn, created.properties, checked.inputs);
    assert.equal(refreshed.id, WEB);
    assert.equal(refreshed.properties.state, "Running");
    assert.equal(refreshed.inputs?.state, "Running");
    assert.equal(refreshed.inputs?.__provider, texts[PAUSE_TYPE]);

    const drift = await host.diff(WEB, resourceUrn, refreshed.properties, refreshed.inputs!, checked.inputs);
    assert.equal(drift.changes, "some");
    assert.deepEqual(drift.replaces, []);

    const updated = await host.update(
      WEB,
      resourceUrn,
      refreshed.properties,
      checked.inputs,
      refreshed.inputs,
    );
    assert.equal(updated.properties.state, "Paused");
    assert.equal(updated.properties.name, "web-1");

    const other = await host.check(resourceUrn, checked.inputs, { ...news, vmUuid: DB });
    const replace = await host.diff(WEB, resourceUrn, updated.properties, checked.inputs, other.inputs);
    assert.deepEqual(replace.replaces, ["vmUuid"]);

    await host.delete(WEB, resourceUrn, updated.properties, checked.inputs);
    assert.equal(sim.vms.get(WEB)?.state, "Running");
    assert.equal(sim.counters.acceptedActions(WEB), 3); // pause, pause after drift, resume on delete
  });

  it("VmClockTrack: check failures, create, update in place, read, delete restoring", async () => {
    const resourceUrn = urn("dev", "quickstart", CLOCK_TYPE, "web-clock");
    const bad = await host.check(
      resourceUrn,
      {},
      { __provider: texts[CLOCK_TYPE]!, vmUuid: WEB, track: "Guest" },
    );
    assert.equal(bad.failures.length, 1);
    assert.equal(bad.failures[0]!.property, "track");
    assert.match(bad.failures[0]!.reason, /did you mean "guest"\?/);
    assert.equal(sim.counters.count(), 0, "check makes no network call");

    const checked = await host.check(
      resourceUrn,
      {},
      { __provider: texts[CLOCK_TYPE]!, vmUuid: WEB, track: "guest" },
    );
    const created = await host.create(resourceUrn, checked.inputs);
    assert.equal(created.properties.track, "guest");
    assert.deepEqual(created.properties.restoreTo, {
      track: "host",
      syncAfterVMResume: null,
      intervalInSeconds: null,
    });

    const wider = await host.check(resourceUrn, checked.inputs, {
      ...checked.inputs,
      intervalInSeconds: 600,
    });
    const diff = await host.diff(WEB, resourceUrn, created.properties, checked.inputs, wider.inputs);
    assert.equal(diff.changes, "some");
    const updated = await host.update(WEB, resourceUrn, created.properties, wider.inputs, checked.inputs);
    assert.equal(updated.properties.intervalInSeconds, 600);

    const read = await host.read(WEB, resourceUrn, updated.properties, wider.inputs);
    assert.equal(read.properties.intervalInSeconds, 600);
    assert.equal(read.inputs?.intervalInSeconds, 600);

    await host.delete(WEB, resourceUrn, updated.properties, wider.inputs);
    assert.equal(sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
    assert.equal(sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
  });

  it("a static get reads an existing VM through Read with only __provider", async () => {
    const read = await host.read(DB, urn("dev", "quickstart", PAUSE_TYPE, "db"), {
      __provider: texts[PAUSE_TYPE]!,
    });
    assert.equal(read.id, DB);
    assert.equal(read.properties.state, "Paused");
    assert.equal(read.properties.name, "db-1");
    // Every output the class declares has a value; what a get does not declare is null.
    assert.deepEqual(
      ["declaredState", "initialState", "timeoutSeconds", "onDelete", "pendingJob"].map(
        (key) => read.properties[key],
      ),
      [null, null, 600, "leave", null],
    );
  });

  it("an Update that changes only onDelete and timeoutSeconds sends nothing, even with unrefreshed drift", async () => {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const checked = await host.check(resourceUrn, {}, { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB });
    const created = await host.create(resourceUrn, checked.inputs);
    await sim.vms.outOfBand(WEB, "resume");
    const requests = sim.counters.count();
    const news = await host.check(resourceUrn, checked.inputs, {
      ...checked.inputs,
      onDelete: "leave",
      timeoutSeconds: 60,
    });
    const diff = await host.diff(WEB, resourceUrn, created.properties, checked.inputs, news.inputs);
    assert.equal(diff.changes, "some");
    const updated = await host.update(WEB, resourceUrn, created.properties, news.inputs, checked.inputs);
    assert.deepEqual([updated.properties.onDelete, updated.properties.timeoutSeconds], ["leave", 60]);
    assert.equal(updated.properties.__provider, texts[PAUSE_TYPE]);
    assert.equal(sim.counters.count(), requests, "no call to ZStack");
    assert.equal(sim.vms.get(WEB)?.state, "Running");
  });

  it("a missing VM on refresh reads back an empty id, and a create error carries the message", async () => {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "gone");
    const checked = await host.check(resourceUrn, {}, { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB });
    const created = await host.create(resourceUrn, checked.inputs);
    sim.vms.remove(WEB);
    const read = await host.read(WEB, resourceUrn, created.properties, checked.inputs);
    assert.equal(read.id, "");
    await assert.rejects(host.create(resourceUrn, checked.inputs), (error: ProviderHostError) => {
      assert.equal(error.code, 2);
      assert.match(error.details, /^VmPauseState: VM aaaa0000000000000000000000000001 was not found/);
      assert.equal(error.initFailed, false);
      return true;
    });
  });

  it("a timed-out accepted action comes back as ErrorResourceInitFailed, and Update finishes it", async () => {
    await sim.close();
    sim = await startSimulator({ timings: { pauseMs: 2500, resumeMs: 2500, clockTrackMs: 10 } });
    await host.close();
    host = await startConfiguredHost(sim);
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "slow");
    const checked = await host.check(
      resourceUrn,
      {},
      { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB, timeoutSeconds: 1 },
    );
    const failure = await host.create(resourceUrn, checked.inputs).then(
      () => assert.fail("create should fail to initialize"),
      (error: ProviderHostError) => error,
    );
    assert.equal(failure.initFailed, true);
    assert.equal(failure.id, WEB);
    assert.equal(failure.properties!.state, "Pausing");
    assert.equal(failure.properties!.__provider, texts[PAUSE_TYPE]);
    assert.match(failure.reasons![0]!, /was accepted by ZStack/);

    const again = await host.check(resourceUrn, checked.inputs, { ...checked.inputs, timeoutSeconds: 30 });
    const updated = await host.update(WEB, resourceUrn, failure.properties!, again.inputs, checked.inputs);
    assert.equal(updated.properties.state, "Paused");
    assert.equal(updated.properties.pendingJob, null);
    assert.equal(sim.counters.acceptedActions(WEB), 1);
  });

  it("never shows the password in the host's output, even with debug logging and failures", async () => {
    await host.close();
    host = await startConfiguredHost(sim, { PULUMI_ZSTACK_VM_DEBUG: "1", ZSTACK_DEBUG: "1" });
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const checked = await host.check(resourceUrn, {}, { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB });
    await host.create(resourceUrn, checked.inputs);
    await host.read("x", resourceUrn, { ...checked.inputs, vmUuid: "not-a-uuid" }).catch(() => undefined);
    assert.match(host.output(), /pulumi-zstack-vm|zstack/i, "debug logging produced output");
    assert.ok(!host.output().includes(sim.credentials.password));
  });
});
