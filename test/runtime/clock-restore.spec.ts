// The restore rules of VmClockTrack, as pure functions: no simulator, no runtime.
import assert from "node:assert/strict";

import {
  deleteTarget,
  handBacks,
  handBackTarget,
  handedOver,
  nothingDeclared,
  restoreOrigins,
  restoreValues,
  withPendingHandBacks,
  type ClockRecord,
} from "../../provider/src/runtime/clock-restore";
import type {
  ClockOrigins,
  ClockReading,
  ClockValues,
  ManagedClock,
  ManagedOrigins,
} from "../../provider/src/runtime/clock-values";

const BEFORE: ClockValues = { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 };
const DECLARED: ManagedClock = { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 };
const OWN: ClockOrigins = { track: "own", syncAfterVMResume: "own", intervalInSeconds: "own" };
const INHERITED: ClockOrigins = {
  track: "inherited",
  syncAfterVMResume: "inherited",
  intervalInSeconds: "inherited",
};

/** The clock as read: `values`, each the VM's own unless `origins` says otherwise. */
const reading = (values: ClockValues, origins: Partial<ClockOrigins> = {}): ClockReading => ({
  values,
  origins: { ...OWN, ...origins },
});

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
    const plan = handBackTarget(
      dropped,
      ["syncAfterVMResume", "intervalInSeconds"],
      record,
      reading(current),
    );
    assert.deepEqual(plan.target, { track: "guest", syncAfterVMResume: false, intervalInSeconds: null });
    assert.deepEqual(plan.changedElsewhere, ["intervalInSeconds"]);
    assert.deepEqual(plan.inherit, []);
  });

  it("handBackTarget: a setting already back at its recorded value needs nothing", () => {
    const current: ClockValues = { track: "guest", syncAfterVMResume: false, intervalInSeconds: 0 };
    const plan = handBackTarget(
      dropped,
      ["syncAfterVMResume", "intervalInSeconds"],
      record,
      reading(current),
    );
    assert.deepEqual(plan, { target: dropped, inherit: [], changedElsewhere: [] });
  });

  it("withPendingHandBacks: a cut-short update keeps declaring and recording what it has not handed back", () => {
    const outputs = {
      declaredClock: dropped,
      restoreTo: { ...record.restoreTo, intervalInSeconds: null },
      restoreOrigin: {
        track: "inherited",
        syncAfterVMResume: "own",
        intervalInSeconds: null,
      } as ManagedOrigins,
    };
    const kept = withPendingHandBacks(outputs, ["intervalInSeconds"], {
      ...record,
      restoreOrigin: { track: "inherited", syncAfterVMResume: "own", intervalInSeconds: "inherited" },
    });
    assert.equal(kept.declaredClock.intervalInSeconds, 600);
    assert.equal(kept.restoreTo.intervalInSeconds, 0);
    assert.equal(kept.restoreOrigin.intervalInSeconds, "inherited");
    assert.equal(kept.declaredClock.syncAfterVMResume, null);
    assert.equal(
      withPendingHandBacks(outputs, ["intervalInSeconds"], record).restoreOrigin.intervalInSeconds,
      "own",
      "a record without origins restores by writing back",
    );
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
    const plan = deleteTarget(reading(current), DECLARED, record);
    assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
    assert.deepEqual(plan.changedElsewhere, ["syncAfterVMResume"]);
    assert.deepEqual(plan.inherit, []);
  });

  it("deleteTarget: track, which the API requires, keeps its current value where it is not restored", () => {
    const current: ClockValues = { track: "host", syncAfterVMResume: true, intervalInSeconds: 600 };
    const plan = deleteTarget(reading(current), { ...DECLARED, track: null }, record);
    assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 });
    assert.deepEqual(plan.changedElsewhere, []);
  });

  describe("own and inherited values", () => {
    const FOUND: ClockValues = { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 };
    /** What a resource declaring DECLARED records when it found FOUND with these origins. */
    const recorded = (origins: Partial<ClockOrigins>): ClockRecord => ({
      declaredClock: DECLARED,
      restoreTo: FOUND,
      restoreOrigin: restoreOrigins(DECLARED, { ...OWN, ...origins }, undefined),
    });
    // After the stack's setVmClockTrack, every setting it sent is the VM's own and holds the declared value.
    const AS_SET = reading({ track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 });

    it("restoreOrigins: records the origin found with each managed value, none for unmanaged settings", () => {
      assert.deepEqual(
        restoreOrigins(
          { ...DECLARED, intervalInSeconds: null },
          { ...INHERITED, syncAfterVMResume: "own" },
          undefined,
        ),
        { track: "inherited", syncAfterVMResume: "own", intervalInSeconds: null },
      );
    });

    it("restoreOrigins: keeps what an earlier change recorded; a record without origins counts as own", () => {
      const previous: ClockRecord = {
        declaredClock: { track: "guest", syncAfterVMResume: null, intervalInSeconds: null },
        restoreTo: { track: "host", syncAfterVMResume: null, intervalInSeconds: null },
        restoreOrigin: { track: "inherited", syncAfterVMResume: null, intervalInSeconds: null },
      };
      // Now every setting reads as the VM's own (the stack wrote track); sync and interval are newly managed.
      assert.deepEqual(restoreOrigins(DECLARED, { ...OWN, intervalInSeconds: "inherited" }, previous), {
        track: "inherited",
        syncAfterVMResume: "own",
        intervalInSeconds: "inherited",
      });
      const { restoreOrigin: _none, ...old } = previous;
      assert.deepEqual(restoreOrigins(DECLARED, INHERITED, old), {
        track: "own",
        syncAfterVMResume: "inherited",
        intervalInSeconds: "inherited",
      });
    });

    it("deleteTarget, track and sync both inherited: no action, the VM's own values are deleted", () => {
      const plan = deleteTarget(AS_SET, DECLARED, recorded(INHERITED));
      assert.deepEqual(plan.inherit, ["track", "syncAfterVMResume", "intervalInSeconds"]);
      assert.deepEqual(plan.target, { track: "guest", syncAfterVMResume: null, intervalInSeconds: null });
      assert.deepEqual(plan.changedElsewhere, []);
    });

    it("deleteTarget, track and sync both own: the values are written back, nothing deleted", () => {
      const plan = deleteTarget(AS_SET, DECLARED, recorded(OWN));
      assert.deepEqual(plan, { target: FOUND, inherit: [], changedElsewhere: [] });
    });

    it("deleteTarget, track inherited and sync own: the action writes sync back, then track is deleted", () => {
      const plan = deleteTarget(AS_SET, DECLARED, recorded({ track: "inherited" }));
      assert.deepEqual(plan.target, { track: "guest", syncAfterVMResume: false, intervalInSeconds: 0 });
      assert.deepEqual(plan.inherit, ["track"]);
    });

    it("deleteTarget, track own and sync inherited: the action writes track back, then sync is deleted", () => {
      const plan = deleteTarget(AS_SET, DECLARED, recorded({ syncAfterVMResume: "inherited" }));
      assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: null, intervalInSeconds: 0 });
      assert.deepEqual(plan.inherit, ["syncAfterVMResume"]);
    });

    it("deleteTarget: an inherited setting someone changed since is theirs: kept, reported, not deleted", () => {
      const current = reading({ track: "host", syncAfterVMResume: true, intervalInSeconds: 600 });
      const plan = deleteTarget(current, DECLARED, recorded(INHERITED));
      assert.deepEqual(plan.changedElsewhere, ["track"]);
      assert.deepEqual(plan.inherit, ["syncAfterVMResume", "intervalInSeconds"]);
    });

    it("deleteTarget: an inherited setting that inherits again already needs nothing and is not reported", () => {
      // An earlier delete's deleteResourceConfig landed (the global value is host): nothing left to do.
      const current = reading(FOUND, INHERITED);
      assert.deepEqual(deleteTarget(current, DECLARED, recorded(INHERITED)), {
        target: { track: "host", syncAfterVMResume: null, intervalInSeconds: null },
        inherit: [],
        changedElsewhere: [],
      });
    });

    it("deleteTarget: a track it does not restore but carries in the action keeps inheriting", () => {
      // Another resource declares track now (handed over), which the VM inherits; sync is written back.
      const current = reading(
        { track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 },
        { track: "inherited" },
      );
      const plan = deleteTarget(current, { ...DECLARED, track: null }, recorded(OWN));
      assert.deepEqual(plan.target, { track: "guest", syncAfterVMResume: false, intervalInSeconds: 0 });
      assert.deepEqual(plan.inherit, ["track"]);
      // With nothing to write back, no action is sent and track is left alone.
      const nothing = deleteTarget(
        current,
        { track: null, syncAfterVMResume: null, intervalInSeconds: 600 },
        recorded(INHERITED),
      );
      assert.deepEqual(nothing.inherit, ["intervalInSeconds"]);
      assert.equal(nothing.target.track, "guest");
    });

    it("deleteTarget: a record without origins writes every value back, even where the VM inherits now", () => {
      const { restoreOrigin: _none, ...old } = recorded(INHERITED);
      const plan = deleteTarget(reading(AS_SET.values, INHERITED), DECLARED, old);
      assert.deepEqual(plan, { target: FOUND, inherit: [], changedElsewhere: [] });
    });

    it("handBackTarget: a dropped setting found inherited is deleted, unless changed since or inheriting already", () => {
      const previous = recorded(INHERITED);
      const drop: ManagedClock = { track: "guest", syncAfterVMResume: null, intervalInSeconds: null };
      const keys = ["syncAfterVMResume", "intervalInSeconds"] as const;
      assert.deepEqual(handBackTarget(drop, keys, previous, AS_SET), {
        target: drop,
        inherit: ["syncAfterVMResume", "intervalInSeconds"],
        changedElsewhere: [],
      });
      const changed = reading({ track: "guest", syncAfterVMResume: true, intervalInSeconds: 60 });
      assert.deepEqual(handBackTarget(drop, keys, previous, changed).changedElsewhere, ["intervalInSeconds"]);
      const inheriting = reading(AS_SET.values, { intervalInSeconds: "inherited" });
      assert.deepEqual(handBackTarget(drop, keys, previous, inheriting).inherit, ["syncAfterVMResume"]);
    });

    it("handBackTarget: a dropped inherited setting the update's action sends is deleted after it", () => {
      // track changes with the update, so the action is sent; the dropped sync, found inherited, is deleted after.
      const previous = recorded({ syncAfterVMResume: "inherited" });
      const plan = handBackTarget(
        { track: "host", syncAfterVMResume: null, intervalInSeconds: 600 },
        ["syncAfterVMResume"],
        previous,
        AS_SET,
      );
      assert.deepEqual(plan.target, { track: "host", syncAfterVMResume: null, intervalInSeconds: 600 });
      assert.deepEqual(plan.inherit, ["syncAfterVMResume"]);
    });
  });
});
