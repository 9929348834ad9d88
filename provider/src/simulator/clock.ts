// One clock for the log and job records: epoch milliseconds with sub-millisecond resolution, so that the
// benchmark can compare server-side job durations with client-side latencies precisely. Session expiry and job
// records take theirs from the simulator's options, so that a test can replace it with a manual one.

import { performance } from "node:perf_hooks";

/** A time source: now, in epoch milliseconds (a fractional part allowed). */
export type Clock = () => number;

/** Now, in epoch milliseconds with a fractional part. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A clock that moves only when told to (see {@link manualClock}). */
export interface ManualClock {
  /** The clock itself, for `startSimulator({ clock })`. */
  readonly now: Clock;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

/**
 * A clock that stands still until advanced: a test of session expiry or job retention moves it past the timeout
 * instead of sleeping through it, so a slow machine cannot make a session expire early.
 */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      if (!(ms >= 0)) throw new RangeError(`a clock only moves forward, not by ${ms} ms`);
      current += ms;
    },
  };
}
