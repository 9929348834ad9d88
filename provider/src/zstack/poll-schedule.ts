/**
 * When to poll an async job (`GET /v1/api-jobs/<uuid>`).
 *
 * {@link PollSchedule} is a strategy interface (in the spirit of smithy's retry strategies): the job waiter asks it
 * for a {@link PollPlan} per job, asks the plan for the delay before each poll, and reports the outcome back so that
 * the schedule can learn.
 *
 * The default, {@link AdaptivePollSchedule}, learns how long recent successful jobs of the same action on the same
 * endpoint took (median of a short window, robust to outliers) and puts the first poll just before the expected
 * completion, then polls in short steps that grow geometrically to a cap. With nothing learned it starts short and
 * grows ×1.5 to a cap. Failed jobs are not learned: a rejected pause answers in milliseconds and would teach the
 * schedule that pauses are instant.
 */

/** What a plan is for: the action and the endpoint. */
export interface PollContext {
  /** The action name (e.g. `pauseVmInstance`). */
  readonly action: string;
  /** The endpoint key (no secrets). */
  readonly endpointKey: string;
}

/** What the waiter observed about one finished job, in ms since the submit was sent. */
export interface JobObservation {
  /** When the last "still running" (202) answer arrived, if there was one. */
  readonly lastRunningMs: number | undefined;
  /** When the final answer (200/503) arrived. */
  readonly completedMs: number;
  /** How many polls it took. */
  readonly polls: number;
  /** Whether the job succeeded (200). */
  readonly succeeded: boolean;
}

/** The delays of one job's polls. */
export interface PollPlan {
  /**
   * The delay in ms before poll number `pollIndex` (0 for the first poll).
   * @param elapsedMs ms since the submit was sent
   */
  nextDelay(pollIndex: number, elapsedMs: number): number;
}

/** Strategy interface: plans polls and learns from outcomes. */
export interface PollSchedule {
  /** A plan for one job. */
  plan(context: PollContext): PollPlan;
  /** Reports how a job went (called once per finished job). */
  record(context: PollContext, observation: JobObservation): void;
}

/** Options of {@link AdaptivePollSchedule}; all in ms unless noted. */
export interface AdaptivePollScheduleOptions {
  /** First delay when nothing is learned (default 50). */
  readonly initialMs?: number;
  /** Growth factor of successive delays (default 1.5). */
  readonly factor?: number;
  /** Cap of any delay between polls (default 2000). */
  readonly maxMs?: number;
  /** Smallest delay (default 5). */
  readonly minMs?: number;
  /** First poll at `lead × expected` (fraction, default 0.92). */
  readonly lead?: number;
  /** Step after the first learned poll = `stepFraction × expected` (default 0.04) … */
  readonly stepFraction?: number;
  /** … clamped to at least this (default 15) … */
  readonly minStepMs?: number;
  /** … and at most this (default 100). */
  readonly maxStepMs?: number;
  /** How many recent jobs per action and endpoint are remembered (default 9). */
  readonly window?: number;
  /** When the first poll already found the job done, the job took at most that long: learn this fraction of it (default 0.85), so the next first poll comes earlier. */
  readonly overshootShrink?: number;
}

/** Adaptive, learning poll schedule (the default). See the module comment. */
export class AdaptivePollSchedule implements PollSchedule {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly minMs: number;
  readonly lead: number;
  readonly stepFraction: number;
  readonly minStepMs: number;
  readonly maxStepMs: number;
  readonly window: number;
  readonly overshootShrink: number;
  private readonly history = new Map<string, number[]>();

  /** See {@link AdaptivePollScheduleOptions} for the defaults. */
  constructor(options: AdaptivePollScheduleOptions = {}) {
    this.initialMs = options.initialMs ?? 50;
    this.factor = options.factor ?? 1.5;
    this.maxMs = options.maxMs ?? 2000;
    this.minMs = options.minMs ?? 5;
    this.lead = options.lead ?? 0.92;
    this.stepFraction = options.stepFraction ?? 0.04;
    this.minStepMs = options.minStepMs ?? 15;
    this.maxStepMs = options.maxStepMs ?? 100;
    this.window = options.window ?? 9;
    this.overshootShrink = options.overshootShrink ?? 0.85;
  }

  private static key(context: PollContext): string {
    return `${context.endpointKey}#${context.action}`;
  }

  /** The expected job duration (ms since submit) learned for this action and endpoint, if any. */
  expected(context: PollContext): number | undefined {
    const samples = this.history.get(AdaptivePollSchedule.key(context));
    if (!samples || samples.length === 0) return undefined;
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Forgets everything learned. */
  reset(): void {
    this.history.clear();
  }

  plan(context: PollContext): PollPlan {
    const expected = this.expected(context);
    const clamp = (ms: number) => Math.max(this.minMs, Math.min(this.maxMs, ms));
    if (expected === undefined) {
      // Nothing learned: initial, ×factor, … capped.
      return { nextDelay: (i) => clamp(this.initialMs * this.factor ** i) };
    }
    const step = Math.max(this.minStepMs, Math.min(this.maxStepMs, expected * this.stepFraction));
    const firstAt = this.lead * expected;
    return {
      // The first poll goes straight to just before the expected completion (not capped: a learned 5 s job is
      // polled once at ~4.6 s, not every 2 s); then short steps, growing, capped.
      nextDelay: (i, elapsedMs) =>
        i === 0 ? Math.max(this.minMs, firstAt - elapsedMs) : clamp(step * this.factor ** (i - 1)),
    };
  }

  record(context: PollContext, observation: JobObservation): void {
    if (!observation.succeeded) return;
    // The job finished between the last "running" answer and the final answer: learn the midpoint. If the very
    // first poll found it done, it took at most that long: learn a bit less, so the next first poll comes earlier.
    const sample =
      observation.lastRunningMs !== undefined
        ? (observation.lastRunningMs + observation.completedMs) / 2
        : observation.completedMs * this.overshootShrink;
    const key = AdaptivePollSchedule.key(context);
    const samples = this.history.get(key) ?? [];
    samples.push(Math.max(0, sample));
    while (samples.length > this.window) samples.shift();
    this.history.set(key, samples);
  }
}

/** A fixed-interval schedule (what the official SDKs do: 1 s in Java, 2 s in Go); useful for comparisons and tests. */
export class FixedPollSchedule implements PollSchedule {
  /** @param intervalMs the delay before every poll */
  constructor(readonly intervalMs: number) {}

  plan(): PollPlan {
    return { nextDelay: () => this.intervalMs };
  }

  record(): void {}
}
