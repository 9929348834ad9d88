// A model of the client's job waiter on exact time: what a poll schedule makes of jobs of known durations, with no
// timer, load or machine in the way. The benchmark measures the same on the wall clock (tools/bench/latency.ts).
import type { PollContext, PollSchedule } from "pulumi-zstack-vm/zstack";

/** Timings of the modelled endpoint. */
export interface PollModelOptions {
  /** The round trip of one request in ms; the server handles each request halfway through it (default 2). */
  readonly roundTripMs?: number;
}

/** How the modelled waiter saw one job; times in ms since the submit was sent. */
export interface ModelledJob {
  /** The job's server-side duration. */
  readonly jobMs: number;
  /** When the answer that reported the job done arrived. */
  readonly detectedMs: number;
  /** `detectedMs / jobMs`: what the benchmark calls the latency ratio. */
  readonly ratio: number;
  /** Polls the job took. */
  readonly polls: number;
  /** The delays the plan asked for, one per poll. */
  readonly delays: readonly number[];
}

/** A bound on polls per job, so that a schedule whose delays do not advance fails instead of spinning. */
const MAX_POLLS = 10_000;

/**
 * Runs jobs of exactly `jobsMs` that start together (one round of concurrent jobs, as `pulumi up` runs resources in
 * parallel) through `schedule` as the client's waiter does (provider/src/zstack/jobs.ts): each job's plan is taken
 * from what the schedule knew before the round; the submit's answer arrives after one round trip (the job starts when
 * the server has the submit); before each poll the plan gives the delay (with the time elapsed since the submit); a
 * poll finds the job done when the server handles it at or after the job's end. Then every job's outcome is reported
 * to the schedule, which learns from it for the next round.
 */
export function modelRound(
  schedule: PollSchedule,
  context: PollContext,
  jobsMs: readonly number[],
  options: PollModelOptions = {},
): ModelledJob[] {
  const roundTripMs = options.roundTripMs ?? 2;
  const jobs = jobsMs.map((jobMs) => {
    const plan = schedule.plan(context);
    const jobEndsAt = roundTripMs / 2 + jobMs; // on the server, from when the submit was sent
    const delays: number[] = [];
    let now = roundTripMs; // the submit's answer is in
    let lastRunningMs: number | undefined;
    for (;;) {
      if (delays.length === MAX_POLLS)
        throw new Error(`no end after ${MAX_POLLS} polls of a ${jobMs} ms job`);
      const delay = plan.nextDelay(delays.length, now);
      delays.push(delay);
      now += delay;
      const done = now + roundTripMs / 2 >= jobEndsAt;
      now += roundTripMs;
      if (done) break;
      lastRunningMs = now;
    }
    const job: ModelledJob = { jobMs, detectedMs: now, ratio: now / jobMs, polls: delays.length, delays };
    return { job, lastRunningMs };
  });
  for (const { job, lastRunningMs } of jobs) {
    schedule.record(context, {
      lastRunningMs,
      completedMs: job.detectedMs,
      polls: job.polls,
      succeeded: true,
    });
  }
  return jobs.map(({ job }) => job);
}

/** One job of exactly `jobMs` through `schedule`: a {@link modelRound} of one. */
export function modelJob(
  schedule: PollSchedule,
  context: PollContext,
  jobMs: number,
  options: PollModelOptions = {},
): ModelledJob {
  const [job] = modelRound(schedule, context, [jobMs], options);
  if (job === undefined) throw new Error("a round of one job modelled none");
  return job;
}
