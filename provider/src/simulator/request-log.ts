// The request log and the counters that tests and the benchmark read. Both are updated in O(1) per
// request; nothing scans the log on the request path.

import type { ApiActionName } from "./api-actions";
import type { EndpointKind } from "../vocabulary/endpoint-kinds";
import type { FaultKind } from "./faults";

/** One handled request. Times are epoch ms (fractional) from the same clock as the job records. */
export interface RequestLogEntry {
  /** 1, 2, 3... in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The request path without the query string, context path included. */
  readonly path: string;
  /** Absent for unrouted requests (404/405). */
  readonly kind?: EndpointKind;
  readonly action?: ApiActionName;
  readonly vmUuid?: string;
  /** The job created by a submit, or the job polled. */
  readonly jobUuid?: string;
  /** Absent when the connection was reset instead of answered. */
  readonly status?: number;
  /** The fault injected into this request, if any. */
  readonly fault?: FaultKind;
  readonly receivedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
}

/** The request log. */
export class RequestLog {
  private list: RequestLogEntry[] = [];
  private nextSeq = 1;
  private readonly waiters = new Set<{
    readonly matches: (entry: RequestLogEntry) => boolean;
    readonly resolve: (entry: RequestLogEntry) => void;
  }>();

  /** Every entry, oldest first (a live view: do not keep it across `clear()`). */
  get entries(): readonly RequestLogEntry[] {
    return this.list;
  }

  /** Appends an entry, numbering it. */
  record(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const numbered = { seq: this.nextSeq++, ...entry };
    this.list.push(numbered);
    for (const waiter of this.waiters) {
      if (!waiter.matches(numbered)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(numbered);
    }
    return numbered;
  }

  /**
   * The first entry, logged already or from now on, that `matches`: a request is logged once it has been handled
   * (answered, reset or refused), so tests wait on this instead of sleeping until a request has had its effect.
   */
  waitFor(matches: (entry: RequestLogEntry) => boolean): Promise<RequestLogEntry> {
    const logged = this.list.find(matches);
    if (logged !== undefined) return Promise.resolve(logged);
    return new Promise((resolve) => this.waiters.add({ matches, resolve }));
  }

  /** Empties the log (numbering continues). */
  clear(): void {
    this.list = [];
  }
}

/** A snapshot of the request counters. */
export interface CountersSnapshot {
  readonly requests: number;
  readonly byEndpoint: Readonly<Partial<Record<EndpointKind, number>>>;
  readonly byAction: Readonly<Partial<Record<ApiActionName, number>>>;
  readonly byVm: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
}

const ANY = "*";

// Counts keyed by (vm, action) with wildcards, so any filter combination is one lookup.
class Tally {
  private readonly counts = new Map<string, number>();

  add(vmUuid: string, action: string): void {
    for (const key of [`${vmUuid}|${action}`, `${vmUuid}|${ANY}`, `${ANY}|${action}`, `${ANY}|${ANY}`])
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(vmUuid: string | undefined, action: string | undefined): number {
    return this.counts.get(`${vmUuid ?? ANY}|${action ?? ANY}`) ?? 0;
  }

  clear(): void {
    this.counts.clear();
  }
}

function bump<K extends string>(record: Partial<Record<K, number>>, key: K): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Request counters per endpoint kind, action, VM and status, plus accepted and executed actions. */
export class Counters {
  private requests = 0;
  private byEndpoint: Partial<Record<EndpointKind, number>> = {};
  private byAction: Partial<Record<ApiActionName, number>> = {};
  private byVm: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private readonly accepted = new Tally();
  private readonly executed = new Tally();

  /** Counts a logged request; one that created a job counts as an accepted action. */
  record(entry: RequestLogEntry): void {
    this.requests += 1;
    if (entry.kind !== undefined) bump(this.byEndpoint, entry.kind);
    if (entry.action !== undefined) bump(this.byAction, entry.action);
    if (entry.vmUuid !== undefined) bump(this.byVm, entry.vmUuid);
    bump(this.byStatus, entry.status === undefined ? "reset" : String(entry.status));
    if (entry.kind !== "jobPoll" && entry.jobUuid !== undefined && entry.action !== undefined)
      this.accepted.add(entry.vmUuid ?? ANY, entry.action);
  }

  /** Counts a job that ran to success. */
  recordExecuted(action: ApiActionName, vmUuid: string): void {
    this.executed.add(vmUuid, action);
  }

  /** Requests of one endpoint kind, or all requests. */
  count(kind?: EndpointKind): number {
    return kind === undefined ? this.requests : (this.byEndpoint[kind] ?? 0);
  }

  /**
   * Actions accepted: submits that created a job (answered 202, or reset after acceptance), optionally for
   * one VM and one action. A client that never submits twice keeps this at one per intended change.
   */
  acceptedActions(vmUuid?: string, action?: ApiActionName): number {
    return this.accepted.get(vmUuid, action);
  }

  /** Jobs that passed validation, session and state checks and ran to success (changed a VM or config). */
  executedActions(vmUuid?: string, action?: ApiActionName): number {
    return this.executed.get(vmUuid, action);
  }

  /** A copy of every counter. */
  snapshot(): CountersSnapshot {
    return {
      requests: this.requests,
      byEndpoint: { ...this.byEndpoint },
      byAction: { ...this.byAction },
      byVm: { ...this.byVm },
      byStatus: { ...this.byStatus },
    };
  }

  /** Zeroes every counter. */
  reset(): void {
    this.requests = 0;
    this.byEndpoint = {};
    this.byAction = {};
    this.byVm = {};
    this.byStatus = {};
    this.accepted.clear();
    this.executed.clear();
  }
}
