/**
 * The three clock settings of a VM, as `setVmClockTrack` sets them and ZStack stores them in the VM's resource
 * configurations, and the plain operations on them that convergence and restore share.
 */
import type { ClockTrackParams } from "../zstack";

/** Where the VM keeps its clock track: the guest's own clock or the host's. */
export type ClockTrack = "guest" | "host";

/**
 * The intervals ZStack accepts for periodic clock sync, in seconds; 0 disables it (zstackio/zstack
 * `header/src/main/java/org/zstack/header/vm/APISetVmClockTrackMsg.java`, `intervalInSeconds` `validValues`, and
 * `compute/src/main/java/org/zstack/compute/vm/VmGlobalConfig.java`, `VM_CLOCK_SYNC_INTERVAL_IN_SECONDS`).
 */
export const CLOCK_SYNC_INTERVALS = [0, 60, 600, 1800, 3600, 7200, 21600, 43200, 86400] as const;

/** The three clock settings of a VM, as ZStack stores them in its resource configurations. */
export interface ClockValues {
  readonly track: ClockTrack;
  readonly syncAfterVMResume: boolean;
  readonly intervalInSeconds: number;
}

/** Clock settings a resource manages: `null` for an optional one the program does not set. */
export interface ManagedClock {
  readonly track: ClockTrack;
  readonly syncAfterVMResume: boolean | null;
  readonly intervalInSeconds: number | null;
}

/**
 * Where a VM's value of a setting comes from: a resource configuration of its own (what `setVmClockTrack` writes),
 * or the global value (`VmGlobalConfig`) it inherits, which follows later changes of that global value.
 */
export type ConfigOrigin = "own" | "inherited";

/** The origin of each of the three settings. */
export type ClockOrigins = { readonly [K in keyof ClockValues]: ConfigOrigin };

/** The three settings as read: their values and where each comes from. */
export interface ClockReading {
  readonly values: ClockValues;
  readonly origins: ClockOrigins;
}

/**
 * How restore returns each setting of a {@link ManagedClock}: `own` writes the recorded value back, `inherited`
 * deletes the VM's own value so that it inherits the global one again; `null` where nothing is recorded.
 */
export interface ManagedOrigins {
  readonly track: ConfigOrigin;
  readonly syncAfterVMResume: ConfigOrigin | null;
  readonly intervalInSeconds: ConfigOrigin | null;
}

/**
 * What bringing a VM's clock somewhere takes: a `setVmClockTrack` to `target` when a setting differs from it, then
 * the deletion of the VM's own value of each setting in `inherit` (after the action, which writes `track` and the
 * optional settings it sends as the VM's own).
 */
export interface ClockPlan {
  readonly target: ManagedClock;
  readonly inherit: readonly (keyof ClockValues)[];
}

/** Clock settings some of which may be nobody's to touch (`null`), `track` included. */
export type PartialClock = { readonly [K in keyof ClockValues]: ClockValues[K] | null };

/** The three settings, in the order messages list them. */
export const CLOCK_KEYS = ["track", "syncAfterVMResume", "intervalInSeconds"] as const;

/** The optional settings; `track` is required, so a program cannot stop declaring it. */
export const OPTIONAL_KEYS = ["syncAfterVMResume", "intervalInSeconds"] as const;

/** One of {@link OPTIONAL_KEYS}. */
export type OptionalKey = (typeof OPTIONAL_KEYS)[number];

/** The managed settings whose current value differs from the declared one. */
export function differing(current: ClockValues, declared: PartialClock): (keyof ClockValues)[] {
  return CLOCK_KEYS.filter((key) => declared[key] !== null && declared[key] !== current[key]);
}

/** The `setVmClockTrack` parameters: `track` (which the API requires) and only the optional settings given. */
export function paramsOf(target: ManagedClock): ClockTrackParams {
  return {
    track: target.track,
    ...(target.syncAfterVMResume !== null ? { syncAfterVMResume: target.syncAfterVMResume } : {}),
    ...(target.intervalInSeconds !== null ? { intervalInSeconds: target.intervalInSeconds } : {}),
  };
}
