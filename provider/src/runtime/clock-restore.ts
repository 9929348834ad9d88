/**
 * The restore rules of `VmClockTrack`, as pure functions of what the resource recorded and what it reads: what
 * delete returns to, which settings an update hands back when the program stops declaring them, and what a delete
 * or hand-back leaves alone because someone else changed it since. They send nothing and log nothing; the
 * controller (`vm-clock-track.ts`) reads the VM, acts on what these return and reports what they kept.
 *
 * Restore returns each setting exactly as it was found: a value the VM had of its own is written back; a value it
 * inherited from the global default is returned by deleting the VM's own value (which `setVmClockTrack` wrote), so
 * that the VM follows the global default again rather than being pinned to what it was that day.
 */
import {
  CLOCK_KEYS,
  OPTIONAL_KEYS,
  differing,
  type ClockOrigins,
  type ClockPlan,
  type ClockReading,
  type ClockValues,
  type ConfigOrigin,
  type ManagedClock,
  type ManagedOrigins,
  type OptionalKey,
  type PartialClock,
} from "./clock-values";

/** What a resource records of its declaration: the values the program declares and what restore returns to. */
export interface ClockRecord {
  /** The values the program declares (`null` where it leaves a setting alone). */
  readonly declaredClock: ManagedClock;
  /** The pre-change value of every setting the stack changed and has not handed back yet. */
  readonly restoreTo: ManagedClock;
  /**
   * Whether each value of `restoreTo` was the VM's own or inherited when found. Absent from state written before it
   * was recorded: every recorded value then counts as the VM's own, and restore writes it back, as it did then.
   */
  readonly restoreOrigin?: ManagedOrigins | null;
}

/** A {@link ClockPlan}, and the settings left alone because they changed since the stack set them. */
export interface RestorePlan extends ClockPlan {
  readonly changedElsewhere: readonly (keyof ClockValues)[];
}

/**
 * What restore will set: the pre-change value of every managed setting. A setting managed before keeps the value
 * recorded then (`previous`); one the program starts managing now records its value `before` the change; one it
 * stopped managing is dropped (the update that drops it hands it back first, see {@link handBacks}).
 */
export function restoreValues(
  declared: ManagedClock,
  before: ClockValues,
  previous: ManagedClock | undefined,
): ManagedClock {
  const pick = <K extends keyof ClockValues>(key: K): ClockValues[K] | null =>
    declared[key] === null ? null : ((previous?.[key] ?? before[key]) as ClockValues[K]);
  return {
    track: pick("track") ?? before.track,
    syncAfterVMResume: pick("syncAfterVMResume"),
    intervalInSeconds: pick("intervalInSeconds"),
  };
}

/**
 * Whether restore writes back or deletes each value {@link restoreValues} records: the origin found with the value
 * (`found`, read with `before`), or for a value an earlier change recorded, the origin recorded then.
 */
export function restoreOrigins(
  declared: ManagedClock,
  found: ClockOrigins,
  previous: ClockRecord | undefined,
): ManagedOrigins {
  const pick = (key: keyof ClockValues): ConfigOrigin | null => {
    if (declared[key] === null) return null;
    return previous !== undefined && previous.restoreTo[key] !== null
      ? recordedOrigin(previous, key)
      : found[key];
  };
  return {
    track: pick("track") ?? found.track,
    syncAfterVMResume: pick("syncAfterVMResume"),
    intervalInSeconds: pick("intervalInSeconds"),
  };
}

/** The recorded origin of a recorded value; `own` in state that did not record origins (see {@link ClockRecord}). */
function recordedOrigin(record: ClockRecord, key: keyof ClockValues): ConfigOrigin {
  return record.restoreOrigin?.[key] ?? "own";
}

/**
 * Of the settings that are to end up inherited (`inheritAfter`), those whose VM value must be deleted once `target`
 * is set on the clock `current`: one the VM has its own value of, and one the `setVmClockTrack` writes as the VM's
 * own (`track` always, an optional setting when the target sends it), if that action is sent at all.
 */
function deletions(
  current: ClockReading,
  target: ManagedClock,
  inheritAfter: readonly (keyof ClockValues)[],
): (keyof ClockValues)[] {
  const sets = differing(current.values, target).length > 0;
  return inheritAfter.filter((key) => current.origins[key] === "own" || (sets && target[key] !== null));
}

/**
 * The settings the program stopped declaring that an update hands back: each was declared before and has a
 * recorded pre-change value. With `onDelete: "leave"` nothing is handed back, as on delete: the settings are left as
 * they are and forgotten.
 */
export function handBacks(
  declared: ManagedClock,
  onDelete: "restore" | "leave",
  previous: ClockRecord | undefined,
): OptionalKey[] {
  if (previous === undefined || onDelete === "leave") return [];
  return OPTIONAL_KEYS.filter(
    (key) =>
      declared[key] === null && previous.declaredClock[key] !== null && previous.restoreTo[key] !== null,
  );
}

/**
 * What an update does when the clock is `current`: sets the declared values, and returns each setting handed back
 * as it was found (its value written back, or the VM's own value deleted where it inherited), but only while it
 * still holds what the stack set (a later change by someone else is theirs to keep, as on delete: reported in
 * `changedElsewhere`). A setting found inherited that inherits again already needs nothing.
 */
export function handBackTarget(
  declared: ManagedClock,
  keys: readonly OptionalKey[],
  previous: ClockRecord,
  current: ClockReading,
): RestorePlan {
  const target: { -readonly [K in keyof ManagedClock]: ManagedClock[K] } = { ...declared };
  const inheritAfter: OptionalKey[] = [];
  const changedElsewhere: OptionalKey[] = [];
  for (const key of keys) {
    const restore = previous.restoreTo[key];
    if (restore === null) continue;
    const inherits = recordedOrigin(previous, key) === "inherited";
    if (inherits ? current.origins[key] === "inherited" : current.values[key] === restore) continue;
    if (current.values[key] !== previous.declaredClock[key]) changedElsewhere.push(key);
    else if (inherits) inheritAfter.push(key);
    else (target as Record<OptionalKey, unknown>)[key] = restore;
  }
  return { target, inherit: deletions(current, target, inheritAfter), changedElsewhere };
}

/**
 * The record an update leaves when cut short: a setting whose hand-back did not complete stays declared and
 * recorded as before, so that the next update (or delete) still returns it.
 */
export function withPendingHandBacks<
  Outputs extends ClockRecord & { readonly restoreOrigin: ManagedOrigins },
>(outputs: Outputs, keys: readonly OptionalKey[], previous: ClockRecord | undefined): Outputs {
  if (keys.length === 0 || previous === undefined) return outputs;
  const declaredClock = { ...outputs.declaredClock };
  const restoreTo = { ...outputs.restoreTo };
  const restoreOrigin: { -readonly [K in keyof ManagedOrigins]: ManagedOrigins[K] } = {
    ...outputs.restoreOrigin,
  };
  for (const key of keys) {
    (declaredClock as { [K in OptionalKey]: unknown })[key] = previous.declaredClock[key];
    (restoreTo as { [K in OptionalKey]: unknown })[key] = previous.restoreTo[key];
    restoreOrigin[key] = previous.restoreTo[key] === null ? null : recordedOrigin(previous, key);
  }
  return { ...outputs, declaredClock, restoreTo, restoreOrigin };
}

/**
 * The declared settings of a deleted resource without those another resource declares now (`heldElsewhere`): the
 * replacement after `--replace`, the new name after a rename without an alias. Those are that resource's to keep.
 */
export function handedOver(
  declared: ManagedClock,
  heldElsewhere: (key: keyof ClockValues) => boolean,
): PartialClock {
  const mine = <K extends keyof ClockValues>(key: K): ManagedClock[K] | null =>
    heldElsewhere(key) ? null : declared[key];
  return {
    track: mine("track"),
    syncAfterVMResume: mine("syncAfterVMResume"),
    intervalInSeconds: mine("intervalInSeconds"),
  };
}

/**
 * What a delete does when the clock is `current`: returns each setting the resource still declares (`declared`, see
 * {@link handedOver}) and that still holds what the stack set to how it was found: the recorded value written back
 * where the VM had its own (`restoreTo`), the VM's own value deleted where it inherited (`restoreOrigin`). A setting
 * changed since by someone else is theirs to keep, and reported in `changedElsewhere`; one found inherited that
 * inherits again already is restored. `track`, which the API requires, keeps its current value where it is not
 * written back, and keeps inheriting if it does.
 */
export function deleteTarget(
  current: ClockReading,
  declared: PartialClock,
  record: ClockRecord,
): RestorePlan {
  const { values, origins } = current;
  const inherits = (key: keyof ClockValues) => recordedOrigin(record, key) === "inherited";
  const still = (key: keyof ClockValues) => declared[key] !== null && values[key] === declared[key];
  const back = (key: keyof ClockValues) => still(key) && !inherits(key);
  const target: ManagedClock = {
    track: back("track") ? record.restoreTo.track : values.track,
    syncAfterVMResume: back("syncAfterVMResume") ? record.restoreTo.syncAfterVMResume : null,
    intervalInSeconds: back("intervalInSeconds") ? record.restoreTo.intervalInSeconds : null,
  };
  const inheritAfter = CLOCK_KEYS.filter(
    (key) =>
      (still(key) && inherits(key)) || (key === "track" && !back(key) && origins.track === "inherited"),
  );
  return {
    target,
    inherit: deletions(current, target, inheritAfter),
    changedElsewhere: differing(values, declared).filter(
      (key) => !(inherits(key) && origins[key] === "inherited"),
    ),
  };
}

/** True when a delete has nothing of its own left to restore: every setting is declared by another resource. */
export function nothingDeclared(declared: PartialClock): boolean {
  return CLOCK_KEYS.every((key) => declared[key] === null);
}
