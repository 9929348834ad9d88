// Async API jobs (docs/zstack-behaviour.md#async-jobs): created when a submit is accepted, polled at
// /v1/api-jobs/{uuid}, kept for `rest.completedApi.expiredPeriod` (3 h by default) after they finish,
// forgotten on restart.

import type { ApiActionName } from "./api-actions";
import { preciseNow, type Clock } from "./clock";
import type { ZStackErrorCode } from "./wire";

/** Where a job stands. */
export type JobState = "running" | "succeeded" | "failed";

/** What the simulator knows about one job; times are epoch ms (fractional) from one clock. */
export interface JobRecord {
  readonly uuid: string;
  readonly action: ApiActionName;
  /** The resource the action targets: the VM uuid (or the resource of a resource config). */
  readonly resourceUuid: string;
  readonly state: JobState;
  readonly submittedAt: number;
  /** When the action left its chain's queue and began to execute (absent if it failed before). */
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** Server-side job time, submit to completion: the benchmark's reference duration. */
  readonly durationMs?: number;
  readonly error?: ZStackErrorCode;
}

/** A job in progress or done; the poll reply is derived from it. */
export class Job implements JobRecord {
  state: JobState = "running";
  readonly submittedAt: number;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  error?: ZStackErrorCode;
  /** The 200 body of a successful job. */
  result?: unknown;

  constructor(
    readonly uuid: string,
    readonly action: ApiActionName,
    readonly resourceUuid: string,
    private readonly now: Clock = preciseNow,
  ) {
    this.submittedAt = now();
  }

  /** Marks the start of execution. */
  start(): void {
    this.startedAt = this.now();
  }

  /** Completes the job with its 200 body. */
  succeed(result: unknown): void {
    this.result = result;
    this.finish("succeeded");
  }

  /** Completes the job with its 503 error. */
  fail(error: ZStackErrorCode): void {
    this.error = error;
    this.finish("failed");
  }

  private finish(state: JobState): void {
    this.state = state;
    this.finishedAt = this.now();
    this.durationMs = this.finishedAt - this.submittedAt;
  }
}

/** The job table of one management-node "boot". */
export class JobRegistry {
  private jobs = new Map<string, Job>();

  /** @param now the clock of the job records and of their expiry */
  constructor(
    private readonly retentionMs: number,
    private readonly now: Clock = preciseNow,
  ) {}

  /** Registers a new running job; the caller has checked that the uuid is free. */
  create(uuid: string, action: ApiActionName, resourceUuid: string): Job {
    const job = new Job(uuid, action, resourceUuid, this.now);
    this.jobs.set(uuid, job);
    return job;
  }

  /** The job, unless unknown or expired (expired jobs are purged on access). */
  get(uuid: string): Job | undefined {
    const job = this.jobs.get(uuid);
    if (job?.finishedAt !== undefined && job.finishedAt + this.retentionMs < this.now()) {
      this.jobs.delete(uuid);
      return undefined;
    }
    return job;
  }

  /** Forgets one job, as if it had expired (the `loseJob` fault). */
  lose(uuid: string): void {
    this.jobs.delete(uuid);
  }

  /** Forgets every job (a restart). Jobs still running complete into the old table, unseen. */
  clear(): void {
    this.jobs = new Map();
  }

  /** Every known job, oldest first. */
  list(): JobRecord[] {
    return [...this.jobs.values()];
  }
}
