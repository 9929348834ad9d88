import assert from "node:assert/strict";

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { configure, dispatch, UNKNOWN } from "pulumi-zstack-vm/runtime";
import { startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

const VM = "0123456789abcdef0123456789abcdef";
const pause = dispatch("VmPauseState");
const clock = dispatch("VmClockTrack");

describe("runtime check", () => {
  it("fills VmPauseState defaults and keeps only declared inputs", async () => {
    const result = await pause.check!({}, { vmUuid: VM, __provider: "text" });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, {
      vmUuid: VM,
      state: "Paused",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
  });

  it("fills VmClockTrack defaults but leaves optional clock settings unset", async () => {
    const result = await clock.check!({}, { vmUuid: VM, track: "guest" });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, { vmUuid: VM, track: "guest", timeoutSeconds: 600, onDelete: "restore" });
  });

  it("accepts the preview unknown sentinel in any input, including required ones", async () => {
    const result = await clock.check!(
      {},
      { vmUuid: UNKNOWN, track: UNKNOWN, intervalInSeconds: UNKNOWN, syncAfterVMResume: UNKNOWN },
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs!.vmUuid, UNKNOWN);
    assert.equal(result.inputs!.intervalInSeconds, UNKNOWN);
  });

  it("names the property, the value and the allowed values, with a case hint", async () => {
    const result = await pause.check!({}, { vmUuid: VM, state: "paused" });
    assert.deepEqual(result.failures, [
      {
        property: "state",
        reason:
          'state: "paused" is not allowed; expected one of "Paused", "Running" (case-sensitive) ' +
          '(did you mean "Paused"? values are case-sensitive)',
      },
    ]);
  });

  it("rejects an interval outside ZStack's set and a string that looks like a number", async () => {
    const result = await clock.check!({}, { vmUuid: VM, track: "host", intervalInSeconds: 30 });
    assert.match(
      result.failures![0]!.reason,
      /^intervalInSeconds: 30 is not allowed; expected one of 0, 60, 600/,
    );
    const text = await clock.check!({}, { vmUuid: VM, track: "host", intervalInSeconds: "600" });
    assert.match(
      text.failures![0]!.reason,
      /"600" is not allowed.*\(a number, not the string "600": write 600 without quotes\)/,
    );
  });

  it('says a boolean is expected, not a string, for syncAfterVMResume: "true"', async () => {
    for (const text of ["true", "False", " TRUE "]) {
      const result = await clock.check!({}, { vmUuid: VM, track: "host", syncAfterVMResume: text });
      const reason = result.failures![0]!.reason;
      assert.match(reason, /^syncAfterVMResume: ".*" is not allowed; expected true or false/);
      assert.match(reason, /\(a boolean, not the string ".*": write (true|false) without quotes\)$/);
      assert.doesNotMatch(reason, /did you mean|case-sensitive/);
    }
  });

  it("rejects unknown keys instead of dropping them", async () => {
    const result = await pause.check!({}, { vmUuid: VM, timeoutSecond: 60 });
    assert.deepEqual(result.failures, [
      {
        property: "timeoutSecond",
        reason:
          "timeoutSecond: unknown property (value 60); allowed properties are vmUuid, state, timeoutSeconds, onDelete",
      },
    ]);
  });

  it("reports every failure at once, including a missing required input", async () => {
    const result = await clock.check!({}, { vmUuid: "3F2A", syncAfterVMResume: "yes", timeoutSeconds: -5 });
    assert.deepEqual(
      result.failures!.map((failure) => failure.property),
      ["vmUuid", "track", "syncAfterVMResume", "timeoutSeconds"],
    );
    assert.match(result.failures![1]!.reason, /^track: missing; expected one of "guest", "host"/);
  });
});

describe("runtime diff", () => {
  // A VmClockTrack diff asks the management node's version (a field it lacks fails the preview): a node that has them.
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
    const values = sim.stackConfig();
    await configure({ config: { get: (key: string) => values[key] } } as unknown as dynamic.ConfigureRequest);
  });
  after(async () => {
    await sim.close();
  });

  const olds = {
    vmUuid: VM,
    state: "Paused",
    declaredState: "Paused",
    timeoutSeconds: 600,
    onDelete: "restore",
    pendingJob: null,
  };

  it("reports no change for unchanged inputs, whatever __provider holds", async () => {
    const news = {
      vmUuid: VM,
      state: "Paused",
      timeoutSeconds: 600,
      onDelete: "restore",
      __provider: "other",
    };
    assert.deepEqual(await pause.diff!(VM, { ...olds, __provider: "old" }, news), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("replaces on vmUuid, updates in place otherwise", async () => {
    const other = "fedcba9876543210fedcba9876543210";
    const replaced = await pause.diff!(VM, olds, {
      vmUuid: other,
      state: "Paused",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.deepEqual(replaced.replaces, ["vmUuid"]);
    const updated = await pause.diff!(VM, olds, {
      vmUuid: VM,
      state: "Running",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.deepEqual([updated.changes, updated.replaces], [true, []]);
    const timeout = await pause.diff!(VM, olds, {
      vmUuid: VM,
      state: "Paused",
      timeoutSeconds: 60,
      onDelete: "restore",
    });
    assert.equal(timeout.changes, true);
  });

  it("sees drift: the declared state against the actual state a refresh stored", async () => {
    const drifted = { ...olds, state: "Running" };
    const result = await pause.diff!(VM, drifted, {
      vmUuid: VM,
      state: "Paused",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.equal(result.changes, true);
  });

  it("treats unknown inputs as possible changes, and an unknown vmUuid as a possible replace", async () => {
    const result = await pause.diff!(VM, olds, {
      vmUuid: UNKNOWN,
      state: UNKNOWN,
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.deepEqual([result.changes, result.replaces], [true, ["vmUuid"]]);
  });

  it("compares only the clock settings the program sets", async () => {
    const clockOlds = {
      vmUuid: VM,
      track: "guest",
      syncAfterVMResume: true,
      intervalInSeconds: 60,
      timeoutSeconds: 600,
      onDelete: "restore",
      declaredClock: { track: "guest", syncAfterVMResume: null, intervalInSeconds: null },
      restoreTo: { track: "host", syncAfterVMResume: null, intervalInSeconds: null },
      pendingJob: null,
    };
    const same = await clock.diff!(VM, clockOlds, {
      vmUuid: VM,
      track: "guest",
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.equal(same.changes, false);
    const interval = await clock.diff!(VM, clockOlds, {
      vmUuid: VM,
      track: "guest",
      intervalInSeconds: 600,
      timeoutSeconds: 600,
      onDelete: "restore",
    });
    assert.equal(interval.changes, true);
  });
});
