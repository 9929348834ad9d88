/**
 * How the server answers each action's submit, as this client has seen it: `async` (202 + `location`, a job to
 * poll) or `sync` (200 with the result, or 503 with the error, and no job kept).
 *
 * The server code answers 202 for every message that is not an `APISyncCallMessage`, but the SetVmClockTrack doc
 * page shows a synchronous 200, so both are accepted. The difference matters when a submit's answer is lost: only
 * a server that keeps jobs refuses a resubmission of the same `X-Job-UUID` as a duplicate, so only then is
 * resubmitting after a 404 probe safe. A server that answered synchronously keeps no job, and its 404 cannot tell
 * "never received" from "already executed".
 */
import type { JobActionName } from "./actions";

/** How a submit was answered. */
type AnswerMode = "async" | "sync";

/** What one client has learned about its endpoint's answers, per action. */
export class AnswerModes {
  private readonly modes = new Map<JobActionName, AnswerMode>();

  /** Records how the endpoint answered a submit of `action` (the latest answer wins). */
  record(action: JobActionName, mode: AnswerMode): void {
    this.modes.set(action, mode);
  }

  /** How the endpoint last answered a submit of `action`; undefined before its first answer. */
  modeOf(action: JobActionName): AnswerMode | undefined {
    return this.modes.get(action);
  }
}
