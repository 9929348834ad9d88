import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { urn, type PropertyMap } from "../../tools/provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE } from "../../tools/quickstart";
import { useHostWorld } from "../support/host-world";

/**
 * Stacks written by 0.1.0 hold its serialized shim text (2.6 KB, `test/serialization/golden/v0.1.0`) in every
 * resource's inputs and outputs, and keep it in the outputs until an update rewrites them (a same step keeps old
 * outputs). So that text must keep working through the real host with today's runtime: refresh, the first `up`
 * after the upgrade (new text in the inputs), and destroy with the old text still in the outputs.
 */
const LEGACY = path.join(__dirname, "..", "serialization", "golden", "v0.1.0");
const FIXTURE = JSON.parse(
  readFileSync(path.join(__dirname, "..", "runtime", "fixtures", "state-v0.1.0.json"), "utf8"),
) as Record<string, PropertyMap>;
const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

function legacyText(kind: string): string {
  return readFileSync(path.join(LEGACY, `${kind}.provider.js`), "utf8");
}

describe("state written by 0.1.0 through the real dynamic-provider host", function () {
  this.timeout(60_000);
  const world = useHostWorld();

  it("VmPauseState: refresh, update to the new text, destroy with the old text in the outputs", async () => {
    const old = legacyText("VmPauseState");
    assert.notEqual(old, world.texts[PAUSE_TYPE]);
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const oldInputs = {
      __provider: old,
      vmUuid: WEB,
      state: "Paused",
      timeoutSeconds: 60,
      onDelete: "restore",
    };
    const oldOutputs = { ...FIXTURE["VmPauseState"], __provider: old };

    // The simulator starts with web-1 Running: the recorded Paused state is drift.
    const refreshed = await world.host.read(WEB, resourceUrn, oldOutputs, oldInputs);
    assert.equal(refreshed.properties.state, "Running");
    assert.equal(refreshed.properties.__provider, old);

    const checked = await world.host.check(resourceUrn, refreshed.inputs!, {
      ...oldInputs,
      __provider: world.texts[PAUSE_TYPE]!,
    });
    const diff = await world.host.diff(
      WEB,
      resourceUrn,
      refreshed.properties,
      refreshed.inputs!,
      checked.inputs,
    );
    assert.equal(diff.changes, "some");
    assert.deepEqual(diff.replaces, []);
    const updated = await world.host.update(
      WEB,
      resourceUrn,
      refreshed.properties,
      checked.inputs,
      refreshed.inputs,
    );
    assert.equal(updated.properties.state, "Paused");
    assert.equal(updated.properties.__provider, world.texts[PAUSE_TYPE]);

    // A same step after an upgrade keeps the old outputs, text included: destroy then runs the 0.1.0 text.
    await world.host.delete(WEB, resourceUrn, { ...updated.properties, __provider: old }, checked.inputs);
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
  });

  it("VmClockTrack: refresh, update to the new text, destroy with the old text in the outputs", async () => {
    const old = legacyText("VmClockTrack");
    const resourceUrn = urn("dev", "quickstart", CLOCK_TYPE, "db-clock");
    const oldInputs = {
      __provider: old,
      vmUuid: DB,
      track: "guest",
      timeoutSeconds: 60,
      onDelete: "restore",
    };
    const oldOutputs = { ...FIXTURE["VmClockTrack"], __provider: old };

    const refreshed = await world.host.read(DB, resourceUrn, oldOutputs, oldInputs);
    assert.equal(refreshed.properties.track, "host");

    const news = { ...oldInputs, intervalInSeconds: 600, __provider: world.texts[CLOCK_TYPE]! };
    const checked = await world.host.check(resourceUrn, refreshed.inputs!, news);
    const diff = await world.host.diff(
      DB,
      resourceUrn,
      refreshed.properties,
      refreshed.inputs!,
      checked.inputs,
    );
    assert.equal(diff.changes, "some");
    const updated = await world.host.update(
      DB,
      resourceUrn,
      refreshed.properties,
      checked.inputs,
      refreshed.inputs,
    );
    assert.equal(updated.properties.track, "guest");
    assert.equal(updated.properties.__provider, world.texts[CLOCK_TYPE]);

    await world.host.delete(DB, resourceUrn, { ...updated.properties, __provider: old }, checked.inputs);
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "host");
  });
});
