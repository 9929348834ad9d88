/**
 * The restore rules of `VmClockTrack`, as pure functions of what the resource recorded and what it reads: what
 * delete returns to, which settings an update hands back when the program stops declaring them, and what a delete
 * or hand-back leaves alone because someone else changed it since. They send nothing and log nothing; the
 * controller (`vm-clock-track.ts`) reads the VM, acts on what these return and reports what they kept.
 */
import {
  CLOCK_KEYS,
  OPTIONAL_KEYS,
  differing,
  type ClockValues,
  type ManagedClock,
  type OptionalKey,
  type PartialClock,
} from "./clock-values";

/** What a resource records of its declaration: the values the program declares and what restore returns to. */
export interface ClockRecord {
  /** The values the program declares (`null` where it leaves a setting alone). */
  readonly declaredClock: ManagedClock;
  /** The pre-change value of every setting the stack changed and has not handed back yet. */
  readonly restoreTo: ManagedClock;
}

/** A target of `setVmClockTrack`, and the settings left alone because they changed since the stack set them. */
export interface RestorePlan {
  readonly target: ManagedClock;
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
 * The values an update sets when the clock is `current`: the declared ones, and for each setting handed back its
 * pre-change value, but only while it still holds what the stack set (a later change by someone else is theirs to
 * keep, as on delete: reported in `changedElsewhere`).
 */
export function handBackTarget(
  declared: ManagedClock,
  keys: readonly OptionalKey[],
  previous: ClockRecord,
  current: ClockValues,
): RestorePlan {
  const target: { -readonly [K in keyof ManagedClock]: ManagedClock[K] } = { ...declared };
  const changedElsewhere: OptionalKey[] = [];
  for (const key of keys) {
    const restore = previous.restoreTo[key];
    if (restore === null || current[key] === restore) continue;
    if (current[key] === previous.declaredClock[key]) (target as Record<OptionalKey, unknown>)[key] = restore;
    else changedElsewhere.push(key);
  }
  return { target, changedElsewhere };
}

/**
 * The record an update leaves when cut short: a setting whose hand-back did not complete stays declared and
 * recorded as before, so that the next update (or delete) still returns it.
 */
export function withPendingHandBacks<Outputs extends ClockRecord>(
  outputs: Outputs,
  keys: readonly OptionalKey[],
  previous: ClockRecord | undefined,
): Outputs {
  if (keys.length === 0 || previous === undefined) return outputs;
  const declaredClock = { ...outputs.declaredClock };
  const restoreTo = { ...outputs.restoreTo };
  for (const key of keys) {
    (declaredClock as { [K in OptionalKey]: unknown })[key] = previous.declaredClock[key];
    (restoreTo as { [K in OptionalKey]: unknown })[key] = previous.restoreTo[key];
  }
  return { ...outputs, declaredClock, restoreTo };
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
 * What a delete sets when the clock is `current`: the recorded value of each setting the resource still declares
 * (`declared`, see {@link handedOver}) and that still holds what the stack set; a setting changed since by someone
 * else is theirs to keep, and reported in `changedElsewhere`. `track`, which the API requires, keeps its current
 * value where it is not restored.
 */
export function deleteTarget(
  current: ClockValues,
  declared: PartialClock,
  restoreTo: ManagedClock,
): RestorePlan {
  const still = (key: keyof ClockValues) => declared[key] !== null && current[key] === declared[key];
  return {
    target: {
      track: still("track") ? restoreTo.track : current.track,
      syncAfterVMResume: still("syncAfterVMResume") ? restoreTo.syncAfterVMResume : null,
      intervalInSeconds: still("intervalInSeconds") ? restoreTo.intervalInSeconds : null,
    },
    changedElsewhere: differing(current, declared),
  };
}

/** True when a delete has nothing of its own left to restore: every setting is declared by another resource. */
export function nothingDeclared(declared: PartialClock): boolean {
  return CLOCK_KEYS.every((key) => declared[key] === null);
}
