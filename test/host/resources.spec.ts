import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { urn, type ProviderHostError } from "../../tools/provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE } from "../../tools/quickstart";
import { useHostWorld } from "../support/host-world";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

describe("resources through the real dynamic-provider host (gRPC)", function () {
  this.timeout(60_000);
  const world = useHostWorld();

  it("VmPauseState: check, create, diff, refresh after drift, update, delete in the engine's order", async () => {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const news = { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB, state: "Paused" };
    const checked = await world.host.check(resourceUrn, {}, news);
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.timeoutSeconds, 600);

    const created = await world.host.create(resourceUrn, checked.inputs);
    assert.equal(created.id, WEB);
    assert.equal(created.properties.state, "Paused");
    assert.equal(created.properties.initialState, "Running");
    assert.equal(created.properties.__provider, world.texts[PAUSE_TYPE]);

    const same = await world.host.diff(WEB, resourceUrn, created.properties, checked.inputs, checked.inputs);
    assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });

    await world.sim.vms.outOfBand(WEB, "resume");
    const refreshed = await world.host.read(WEB, resourceUrn, created.properties, checked.inputs);
    assert.equal(refreshed.id, WEB);
    assert.equal(refreshed.properties.state, "Running");
    assert.equal(refreshed.inputs?.state, "Running");
    assert.equal(refreshed.inputs?.__provider, world.texts[PAUSE_TYPE]);

    const drift = await world.host.diff(
      WEB,
      resourceUrn,
      refreshed.properties,
      refreshed.inputs!,
      checked.inputs,
    );
    assert.equal(drift.changes, "some");
    assert.deepEqual(drift.replaces, []);

    const updated = await world.host.update(
      WEB,
      resourceUrn,
      refreshed.properties,
      checked.inputs,
      refreshed.inputs,
    );
    assert.equal(updated.properties.state, "Paused");
    assert.equal(updated.properties.name, "web-1");

    const other = await world.host.check(resourceUrn, checked.inputs, { ...news, vmUuid: DB });
    const replace = await world.host.diff(WEB, resourceUrn, updated.properties, checked.inputs, other.inputs);
    assert.deepEqual(replace.replaces, ["vmUuid"]);

    await world.host.delete(WEB, resourceUrn, updated.properties, checked.inputs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.equal(world.sim.counters.acceptedActions(WEB), 3); // pause, pause after drift, resume on delete
  });

  it("VmClockTrack: check failures, create, update in place, read, delete restoring", async () => {
    const resourceUrn = urn("dev", "quickstart", CLOCK_TYPE, "web-clock");
    const bad = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[CLOCK_TYPE]!, vmUuid: WEB, track: "Guest" },
    );
    assert.equal(bad.failures.length, 1);
    assert.equal(bad.failures[0]!.property, "track");
    assert.match(bad.failures[0]!.reason, /did you mean "guest"\?/);
    assert.equal(world.sim.counters.count(), 0, "check makes no network call");

    const checked = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[CLOCK_TYPE]!, vmUuid: WEB, track: "guest" },
    );
    const created = await world.host.create(resourceUrn, checked.inputs);
    assert.equal(created.properties.track, "guest");
    assert.deepEqual(created.properties.restoreTo, {
      track: "host",
      syncAfterVMResume: null,
      intervalInSeconds: null,
    });

    const wider = await world.host.check(resourceUrn, checked.inputs, {
      ...checked.inputs,
      intervalInSeconds: 600,
    });
    const diff = await world.host.diff(WEB, resourceUrn, created.properties, checked.inputs, wider.inputs);
    assert.equal(diff.changes, "some");
    const updated = await world.host.update(
      WEB,
      resourceUrn,
      created.properties,
      wider.inputs,
      checked.inputs,
    );
    assert.equal(updated.properties.intervalInSeconds, 600);

    const read = await world.host.read(WEB, resourceUrn, updated.properties, wider.inputs);
    assert.equal(read.properties.intervalInSeconds, 600);
    assert.equal(read.inputs?.intervalInSeconds, 600);

    await world.host.delete(WEB, resourceUrn, updated.properties, wider.inputs);
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.track"), "host");
    assert.equal(world.sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "0");
  });

  it("a static get reads an existing VM through Read with only __provider", async () => {
    const read = await world.host.read(DB, urn("dev", "quickstart", PAUSE_TYPE, "db"), {
      __provider: world.texts[PAUSE_TYPE]!,
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
    const checked = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB },
    );
    const created = await world.host.create(resourceUrn, checked.inputs);
    await world.sim.vms.outOfBand(WEB, "resume");
    const requests = world.sim.counters.count();
    const news = await world.host.check(resourceUrn, checked.inputs, {
      ...checked.inputs,
      onDelete: "leave",
      timeoutSeconds: 60,
    });
    const diff = await world.host.diff(WEB, resourceUrn, created.properties, checked.inputs, news.inputs);
    assert.equal(diff.changes, "some");
    const updated = await world.host.update(
      WEB,
      resourceUrn,
      created.properties,
      news.inputs,
      checked.inputs,
    );
    assert.deepEqual([updated.properties.onDelete, updated.properties.timeoutSeconds], ["leave", 60]);
    assert.equal(updated.properties.__provider, world.texts[PAUSE_TYPE]);
    assert.equal(world.sim.counters.count(), requests, "no call to ZStack");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("a missing VM on refresh reads back an empty id, and a create error carries the message", async () => {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "gone");
    const checked = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB },
    );
    const created = await world.host.create(resourceUrn, checked.inputs);
    world.sim.vms.remove(WEB);
    const read = await world.host.read(WEB, resourceUrn, created.properties, checked.inputs);
    assert.equal(read.id, "");
    await assert.rejects(world.host.create(resourceUrn, checked.inputs), (error: ProviderHostError) => {
      assert.equal(error.code, 2);
      assert.match(error.details, /^VmPauseState: VM aaaa0000000000000000000000000001 was not found/);
      assert.equal(error.initFailed, false);
      return true;
    });
  });

  it("a timed-out accepted action comes back as ErrorResourceInitFailed, and Update finishes it", async () => {
    await world.restart({ simulator: { timings: { pauseMs: 2500, resumeMs: 2500, clockTrackMs: 10 } } });
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "slow");
    const checked = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB, timeoutSeconds: 1 },
    );
    const failure = await world.host.create(resourceUrn, checked.inputs).then(
      () => assert.fail("create should fail to initialize"),
      (error: ProviderHostError) => error,
    );
    assert.equal(failure.initFailed, true);
    assert.equal(failure.id, WEB);
    assert.equal(failure.properties!.state, "Pausing");
    assert.equal(failure.properties!.__provider, world.texts[PAUSE_TYPE]);
    assert.match(failure.reasons![0]!, /was accepted by ZStack/);

    const again = await world.host.check(resourceUrn, checked.inputs, {
      ...checked.inputs,
      timeoutSeconds: 30,
    });
    const updated = await world.host.update(
      WEB,
      resourceUrn,
      failure.properties!,
      again.inputs,
      checked.inputs,
    );
    assert.equal(updated.properties.state, "Paused");
    assert.equal(updated.properties.pendingJob, null);
    assert.equal(world.sim.counters.acceptedActions(WEB), 1);
  });

  it("never shows the password in the host's output, even with debug logging and failures", async () => {
    await world.restart({ env: { PULUMI_ZSTACK_VM_DEBUG: "1", ZSTACK_DEBUG: "1" } });
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const checked = await world.host.check(
      resourceUrn,
      {},
      { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB },
    );
    await world.host.create(resourceUrn, checked.inputs);
    await world.host
      .read("x", resourceUrn, { ...checked.inputs, vmUuid: "not-a-uuid" })
      .catch(() => undefined);
    assert.match(world.host.output(), /pulumi-zstack-vm|zstack/i, "debug logging produced output");
    assert.ok(!world.host.output().includes(world.sim.credentials.password));
  });
});
