/**
 * Per-call options (deadline, abort signal, VM uuid for error context) and how defaults are applied.
 */

/** Options of one client call. */
export interface CallOptions {
  /** Absolute deadline, epoch ms. Retries, polls and sleeps never run past it. */
  readonly deadline?: number;
  /** Aborts the call (a `CLIENT.ABORTED` error; an accepted job keeps running on the server). */
  readonly signal?: AbortSignal;
  /** The VM the call is about, for error messages (set automatically by VM calls). */
  readonly vmUuid?: string;
}

/** Default budget of a query (including retries) when no deadline is given. */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
/** Default budget of an action (submit and wait) when no deadline is given, as the resources' default timeout. */
export const DEFAULT_ACTION_TIMEOUT_MS = 600_000;

/** The deadline of a call: the given one, or now plus the default budget. */
export function deadlineOf(options: CallOptions | undefined, defaultMs: number): number {
  return options?.deadline ?? Date.now() + defaultMs;
}
