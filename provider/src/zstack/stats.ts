/**
 * Counters of one client: requests by kind, logins, retries, polls. Tests and the benchmark read them through the
 * read-only {@link ClientStats} view; only the client writes them.
 */

import { ENDPOINT_KINDS, type EndpointKind } from "../vocabulary/endpoint-kinds";

/** Read-only counters of a client. */
export interface ClientStats {
  /** HTTP requests sent, by kind (every attempt counts). */
  readonly requests: Readonly<Record<EndpointKind, number>>;
  /** Successful and failed login attempts started (first logins and re-logins; retries of one login count once). */
  readonly logins: number;
  /** Logins started because a session was reported invalid (`ID.1001`). */
  readonly reLogins: number;
  /** Retries of transient failures (queries, polls, logins, logouts). */
  readonly retries: number;
  /** Job polls (including polls that probe a job after a lost submit response). */
  readonly polls: number;
  /** Actions submitted (first attempts, not counting resubmits). */
  readonly submits: number;
  /** Submits sent again with the same job uuid after the server said it did not know the job. */
  readonly resubmits: number;
  /** Submits whose answer was lost and whose job was then found by polling. */
  readonly recoveredSubmits: number;
  /** Actions resubmitted with a new job uuid after `ID.1001` (the first job was not executed). */
  readonly sessionResubmits: number;
  /** Jobs that finished (200 or 503). */
  readonly jobsCompleted: number;
  /** Submits the server answered with the action's outcome itself (200 or 503, no job to poll). */
  readonly synchronousAnswers: number;
}

/** The writable counters behind a {@link ClientStats} view. */
export class MutableClientStats implements ClientStats {
  requests: Record<EndpointKind, number> = Object.fromEntries(ENDPOINT_KINDS.map((k) => [k, 0])) as Record<
    EndpointKind,
    number
  >;
  logins = 0;
  reLogins = 0;
  retries = 0;
  polls = 0;
  submits = 0;
  resubmits = 0;
  recoveredSubmits = 0;
  sessionResubmits = 0;
  jobsCompleted = 0;
  synchronousAnswers = 0;

  /** A frozen copy (for reports and before/after comparisons). */
  snapshot(): ClientStats {
    return Object.freeze({
      requests: Object.freeze({ ...this.requests }),
      logins: this.logins,
      reLogins: this.reLogins,
      retries: this.retries,
      polls: this.polls,
      submits: this.submits,
      resubmits: this.resubmits,
      recoveredSubmits: this.recoveredSubmits,
      sessionResubmits: this.sessionResubmits,
      jobsCompleted: this.jobsCompleted,
      synchronousAnswers: this.synchronousAnswers,
    });
  }
}
