// The restore rules of VmClockTrack, as pure functions: no simulator, no runtime.
import assert from "node:assert/strict";

import {
  deleteTarget,
  handBacks,
  handBackTarget,
  handedOver,
  nothingDeclared,
  restoreValues,
  withPendingHandBacks,
  type ClockRecord,
} from "../../provider/src/runtime/clock-restore";
import type { ClockValues, ManagedClock } from "../../provider/src/runtime/clock-values";

const BEFORE: ClockValues = { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 };
const DECLARED: ManagedClock = { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 };

describe("VmClockTrack restore rules", () => {
  it("restoreValues: records the value before the change of each managed setting, none for unmanaged ones", () => {
    assert.deepEqual(restoreValues({ ...DECLARED, intervalInSeconds: null }, BEFORE, undefined), {
      track: "host",
      syncAfterVMResume: false,
      intervalInSeconds: null,
    });
  });

  it("restoreValues: keeps what an earlier change recorded, and records a newly managed setting now", () => {
    const previous: ManagedClock = { track: "host", syncAfterVMResume: null, intervalInSeconds: null };
    const now: ClockValues = { track: "guest", syncAfterVMResume: true, intervalInSeconds: 60 };
    assert.deepEqual(restoreValues(DECLARED, now, previous), {
      track: "host",
      syncAfterVMResume: true,
      intervalInSeconds: 60,
    });
  });

  const record: ClockRecord = {
    declaredClock: DECLARED,
    restoreTo: { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 },
  };
  const dropped: ManagedClock = { track: "guest", syncAfterVMResume: null, intervalInSeconds: null };

  it("handBacks: the optional settings the program stopped declaring, unless onDelete is leave", () => {
    assert.deepEqual(handBacks(dropped, "restore", record), ["syncAfterVMResume", "intervalInSeconds"]);
    assert.deepEqual(handBacks(dropped, "leave", record), []);
    assert.deepEqual(handBacks(dropped, "restore", undefined), [], "a create hands nothing back");
    assert.deepEqual(handBacks(DECLARED, "restore", record), []);
  });

  it("handBackTarget: restores a setting still as the stack set it; one changed since is kept and reported", () => {
    const current: ClockValues = { track: "guest", syncAfterVMResume: true, intervalInSeconds: 3600 };
    const plan = handBackTarget(dropped, ["syncAfterVMResume", "intervalInSeconds"], record, current);
    assert.deepEqual(plan.target, { track: "guest", syncAfterVMResume: false, intervalInSeconds: null });
    assert.deepEqual(plan.changedElsewhere, ["intervalInSeconds"]);
  });

  it("handBackTarget: a setting already back at its recorded value needs nothing", () => {
    const current: ClockValues = { track: "guest", syncAfterVMResume: false, intervalInSeconds: 0 };
    const plan = handBackTarget(dropped, ["syncAfterVMResume", "intervalInSeconds"], record, current);
    assert.deepEqual(plan, { target: dropped, changedElsewhere: [] });
  });

  it("withPendingHandBacks: a cut-short update keeps declaring and recording what it has not handed back", () => {
    const outputs = { declaredClock: dropped, restoreTo: { ...record.restoreTo, intervalInSeconds: null } };
    const kept = withPendingHandBacks(outputs, ["intervalInSeconds"], record);
    assert.equal(kept.declaredClock.intervalInSeconds, 600);
    assert.equal(kept.restoreTo.intervalInSeconds, 0);
    assert.equal(kept.declaredClock.syncAfterVMResume, null);
    assert.equal(withPendingHandBacks(outputs, [], record), outputs);
  });

  it("handedOver and nothingDeclared: settings another resource declares now are not this delete's", () => {
    const declared = handedOver(DECLARED, (key) => key === "track");
    assert.deepEqual(declared, { track: null, syncAfterVMResume: true, intervalInSeconds: 600 });
    assert.equal(nothingDeclared(declared), false);
    assert.equal(nothingDeclared(handedOver(DECLARED, () => true)), true);
  });

  it("deleteTarget: restores what still holds the declared value, keeps the rest, and names it", () => {
    const current: ClockValues = { track: "guest", syncAfterVMResume: false, intervalInSeconds: 600 };
    const plan = deleteTarget(current, DECLARED, record.restoreTo);
    assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
    assert.deepEqual(plan.changedElsewhere, ["syncAfterVMResume"]);
  });

  it("deleteTarget: track, which the API requires, keeps its current value where it is not restored", () => {
    const current: ClockValues = { track: "host", syncAfterVMResume: true, intervalInSeconds: 600 };
    const plan = deleteTarget(current, { ...DECLARED, track: null }, record.restoreTo);
    assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 });
    assert.deepEqual(plan.changedElsewhere, []);
  });
});
