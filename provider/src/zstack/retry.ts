/**
 * Retry policy for transient failures (connection errors, per-request timeouts, 5xx plain-text or HTML answers) of
 * requests that cannot repeat an action: queries, job polls, login, logout.
 *
 * The strategy is an interface so that tests can inject deterministic jitter and callers can tune it; the default
 * is capped exponential backoff with equal jitter (delay = c/2 + random × c/2, c = min(cap, base × 2^(attempt-1))):
 * the jitter spreads the retries of many clients, and the fixed half guarantees how long an outage the attempts span
 * (at least 750 ms with the defaults; full jitter could spend all of them within a few milliseconds).
 * The caller also bounds every retry by its deadline.
 */
import type { ZStackError } from "./errors";

/** Decides whether and when to retry after a failed attempt. */
export interface RetryStrategy {
  /**
   * Delay in ms before the next attempt, or `undefined` to give up.
   * @param failedAttempts how many attempts have failed so far (1 after the first failure)
   * @param error the (transient) error of the last attempt
   */
  nextDelay(failedAttempts: number, error: ZStackError): number | undefined;
}

/** Options of {@link ExponentialBackoffRetry}. */
export interface ExponentialBackoffOptions {
  /** Total attempts including the first (default 5). */
  readonly maxAttempts?: number;
  /** Base delay in ms (default 100). */
  readonly baseMs?: number;
  /** Cap of the exponential delay in ms (default 3000). */
  readonly capMs?: number;
  /** Random source in [0, 1) for the jitter (default `Math.random`; inject a constant for deterministic tests). */
  readonly random?: () => number;
}

/** Capped exponential backoff with equal jitter, bounded by a number of attempts. */
export class ExponentialBackoffRetry implements RetryStrategy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
  private readonly random: () => number;

  /** See {@link ExponentialBackoffOptions} for the defaults. */
  constructor(options: ExponentialBackoffOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseMs = options.baseMs ?? 100;
    this.capMs = options.capMs ?? 3000;
    this.random = options.random ?? Math.random;
  }

  /** The upper bound of the delay after `failedAttempts` failures (before jitter). */
  ceiling(failedAttempts: number): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  }

  /** Equal jitter: uniformly in [ceiling / 2, ceiling]; undefined once `maxAttempts` attempts failed. */
  nextDelay(failedAttempts: number, _error: ZStackError): number | undefined {
    if (failedAttempts >= this.maxAttempts) return undefined;
    const ceiling = this.ceiling(failedAttempts);
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}
