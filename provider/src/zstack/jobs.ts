/**
 * Async actions (docs/zstack-behaviour.md#async-jobs), the VM actions and DeleteResourceConfig: submit with a client-chosen `X-Job-UUID`, then poll
 * the job until it finishes, the deadline passes, or the server says it lost the job.
 *
 * The one rule here: **an action is never executed twice.** A submit is never retried blindly; see
 * {@link submitAction} for how a lost answer is recovered with the job uuid, and {@link waitForJob} for the one
 * safe resubmission (after `ID.1001`, which proves the first job did not execute).
 */
import { randomUUID } from "node:crypto";
import { actionRequest, type ActionRequest, type JobAction, type JobActionName } from "./actions";
import type { AnswerModes } from "./answer-modes";
import type { Authenticator } from "./auth";
import { deadlineOf, DEFAULT_ACTION_TIMEOUT_MS, type CallOptions } from "./call-options";
import { apiPath, jobPath, jobUuidOfPath, rewriteLocation, type Endpoint } from "./endpoint";
import {
  httpError,
  parseZStackErrorBody,
  protocolError,
  SESSION_INVALID_CODE,
  ZStackError,
  type ErrorContext,
} from "./errors";
import { JobAcceptedSchema, summarizeIssues, VmActionResultSchema } from "./inventory";
import type { VmInstanceInventory } from "../vocabulary/inventories";
import type { PollSchedule } from "./poll-schedule";
import type { Redactor } from "./redact";
import type { MutableClientStats } from "./stats";
import {
  deadlineError,
  errorFromResponse,
  isSessionInvalid,
  isTransientAnswer,
  parseJson,
  sleep,
  wasNotSent,
  type HttpResponse,
  type RequestContext,
  type Transport,
} from "./transport";

/** An action the server accepted (or, after a lost answer, is known to hold). */
export interface SubmittedJob {
  /** The job uuid (the `X-Job-UUID` the client chose). */
  readonly jobUuid: string;
  readonly vmUuid: string;
  readonly action: JobActionName;
  /** The poll URL on the configured endpoint (the server's advertised location, rewritten). */
  readonly location?: string;
  /** The location exactly as the server advertised it (often the management node's own IP). */
  readonly advertisedLocation?: string;
  /** When the submit was sent (epoch ms); the poll schedule measures job durations from here. */
  readonly submittedAt?: number;
  /**
   * The action and its parameters. With it, {@link waitForJob} can resubmit once after `ID.1001` (the job was
   * rejected before execution because the session had expired).
   */
  readonly vmAction?: JobAction;
  /**
   * The action's result when the server answered the submit synchronously (200 `{"inventory"}`): there is no job
   * to poll, and {@link waitForJob} returns it at once (`null` for an action whose result has no inventory).
   */
  readonly result?: VmInstanceInventory | null;
}

/** Options of {@link submitAction}. */
export type SubmitOptions = CallOptions & {
  /** The job uuid to use (32 lowercase hex); random by default. A uuid the server already holds is not resent. */
  readonly jobUuid?: string;
};

/** What the job functions need from the client. */
export interface JobDeps {
  readonly endpoint: Endpoint;
  readonly transport: Transport;
  readonly authenticator: Authenticator;
  readonly redactor: Redactor;
  readonly stats: MutableClientStats;
  readonly schedule: PollSchedule;
  /** Generates job uuids (32 hex); injectable for tests. */
  readonly newJobUuid: () => string;
  /** How the endpoint answered earlier submits, per action: decides whether a lost answer may be resubmitted. */
  readonly answerModes: AnswerModes;
}

/** A fresh job uuid: a random UUID without dashes (32 lowercase hex), as the Java SDK does. */
export function newJobUuid(): string {
  return randomUUID().replace(/-/g, "");
}

const JOB_UUID_PATTERN = /^[0-9a-f]{32}$/i;
const DUPLICATE_JOB = /Duplicate job uuid/i;
/** The final poll is started at least this long before the deadline, so that it can answer in time. */
const FINAL_POLL_ALLOWANCE_MS = 20;

/** The session each job was submitted with, to report `ID.1001` on its poll against the right session. */
const submitSessions = new WeakMap<SubmittedJob, string>();

function contextOf(
  action: JobActionName,
  vmUuid: string,
  deadline: number,
  signal?: AbortSignal,
  jobUuid?: string,
): RequestContext {
  return {
    operation: action,
    vmUuid,
    deadline,
    ...(signal ? { signal } : {}),
    ...(jobUuid ? { jobUuid } : {}),
  };
}

function withJob(error: unknown, jobUuid: string, note: string): unknown {
  if (!ZStackError.isInstance(error)) return error;
  return error.with({ jobUuid, details: error.details ? `${error.details}; ${note}` : note });
}

/**
 * Asks the server whether it holds a job: true for 202/200/503 (running, done, failed), false for 404.
 * Transient faults are retried (a poll cannot repeat an action).
 */
async function probeJob(deps: JobDeps, jobUuid: string, ctx: RequestContext): Promise<boolean> {
  deps.stats.polls++;
  const response = await deps.transport.sendWithRetry(
    { kind: "jobPoll", method: "GET", apiPath: jobPath(jobUuid), authenticate: true },
    ctx,
  );
  if (response.status === 404) return false;
  if (response.status === 200 || response.status === 202 || response.status === 503) return true;
  throw errorFromResponse(response, ctx, deps.redactor);
}

function acceptedJob(
  deps: JobDeps,
  vmUuid: string,
  action: JobAction,
  jobUuid: string,
  submittedAt: number,
  response: HttpResponse | undefined,
  ctx: ErrorContext,
): SubmittedJob {
  let advertised: string | undefined;
  let path = jobPath(jobUuid);
  if (response !== undefined) {
    const body = JobAcceptedSchema.safeParse(parseJson(response, ctx, deps.redactor));
    if (!body.success) throw protocolError(ctx, `202 body: ${summarizeIssues(body.error)}`, response.status);
    advertised = body.data.location;
    if (advertised !== undefined) {
      // The server advertises its own base URL (management node IP, maybe another port or scheme): keep only the
      // job part and poll it on the configured endpoint.
      const rewritten = rewriteLocation(advertised);
      if (rewritten === undefined || jobUuidOfPath(rewritten) !== jobUuid) {
        throw protocolError(
          ctx,
          `202 location ${JSON.stringify(deps.redactor.scrub(advertised))} does not name job ${jobUuid}`,
          response.status,
        );
      }
      path = rewritten;
    }
  }
  return {
    jobUuid,
    vmUuid,
    action: action.name,
    location: `${deps.endpoint.origin}${apiPath(deps.endpoint, path)}`,
    ...(advertised !== undefined ? { advertisedLocation: advertised } : {}),
    submittedAt,
    vmAction: action,
  };
}

/**
 * Submits an action (its {@link actionRequest}: `PUT /v1/vm-instances/{uuid}/actions`, or the `DELETE` of a VM's
 * resource configuration) with `X-Job-UUID`, expecting 202 + `location`.
 *
 * Lost answers. When the submit gets no answer (connection reset or socket closed after the request was written,
 * a timeout) or a transient 5xx page (a proxy may answer 502 after the server accepted), the client does not know
 * whether the server accepted the job, and must not simply send it again: that could pause a VM twice, or fail
 * with VM.1012 after the first pause succeeded. Instead it asks the server about *that job uuid*:
 * - the poll answers 202/200/503: the job exists, so the submit was accepted; wait for it as usual;
 * - the poll answers 404: the server never created it, so it sends the submit again **with the same X-Job-UUID**.
 *   Should the first request have been accepted in between after all, the server refuses the copy with
 *   400 `Duplicate job uuid[...]`, which the client reads as "accepted" and polls again.
 * Because the server refuses a second job with the same uuid, the action executes at most once, whatever is lost.
 * Only failures that prove the request never left (connection refused, DNS, connect timeout) skip the poll.
 *
 * Synchronous answers. A server may answer the submit itself with the action's outcome: 200 `{"inventory"}` (the
 * result, returned in {@link SubmittedJob.result}, nothing to poll) or 503 `{"error"}` (thrown). Such a server keeps
 * no job, so a 404 probe after a lost answer proves nothing and a resubmission would not be refused: it could run
 * the action twice. So after the probe's 404 the client resubmits only when that cannot happen
 * ({@link AnswerModes}): the endpoint has answered this action with 202 before, or it has not answered it yet and
 * what was lost is a plain-text 5xx page (a synchronous server answers with JSON, and only after it ran the action;
 * its lost answer is a dropped connection or a timeout). Otherwise the submit fails with `CLIENT.JOB_LOST`, and the
 * caller reads the VM to learn whether the action ran.
 * All of this is bounded by the retry strategy's attempts and the deadline; an error that leaves the outcome
 * unknown carries the job uuid, so the caller can poll it later.
 */
export async function submitAction(
  deps: JobDeps,
  vmUuid: string,
  action: JobAction,
  options: SubmitOptions = {},
): Promise<SubmittedJob> {
  const deadline = deadlineOf(options, DEFAULT_ACTION_TIMEOUT_MS);
  const base = contextOf(action.name, vmUuid, deadline, options.signal);
  if (options.jobUuid !== undefined && !JOB_UUID_PATTERN.test(options.jobUuid)) {
    throw new ZStackError({
      ...base,
      code: "CLIENT.CONFIG",
      description: "Invalid job uuid",
      details: `X-Job-UUID must be 32 hex characters (a UUID without dashes), got ${JSON.stringify(options.jobUuid)}`,
      fault: "protocol",
    });
  }
  const request = actionRequest(vmUuid, action);
  let jobUuid = options.jobUuid ?? deps.newJobUuid();
  let maybeAccepted = false; // an earlier attempt with this job uuid may have been accepted
  // How the last answer was lost: the connection (no answer, or too late), or a plain-text 5xx page.
  let lostAnswer: "connection" | "5xx" = "connection";
  let sessionRenewed = false;
  const submittedAt = Date.now();
  deps.stats.submits++;

  for (let attempt = 1; ; attempt++) {
    const ctx = contextOf(action.name, vmUuid, deadline, options.signal, jobUuid);
    if (maybeAccepted) {
      // Never resubmit blindly: ask the server about this job first (see above).
      if (await probeJob(deps, jobUuid, ctx)) {
        deps.answerModes.record(action.name, "async");
        deps.stats.recoveredSubmits++;
        return remember(acceptedJob(deps, vmUuid, action, jobUuid, submittedAt, undefined, ctx), deps);
      }
      const mode = deps.answerModes.modeOf(action.name);
      if (mode === "sync" || (mode === undefined && lostAnswer === "connection"))
        throw unprovenSubmit(ctx, jobUuid);
      deps.stats.resubmits++;
    }

    let failure: ZStackError;
    const sent = await sendSubmit(deps, request, jobUuid, ctx, attempt);
    if (sent.kind === "failed") {
      const error = sent.error;
      if (!wasNotSent(error)) {
        maybeAccepted = true;
        lostAnswer = "connection";
      }
      if (!ZStackError.isInstance(error) || !error.retryable || error.code === "CLIENT.ABORTED") {
        throw maybeAccepted ? withJob(error, jobUuid, outcomeUnknown(jobUuid)) : dropJob(error);
      }
      failure = error;
    } else {
      const response = sent.response;
      if (response.status === 202) {
        deps.answerModes.record(action.name, "async");
        const job = acceptedJob(deps, vmUuid, action, jobUuid, submittedAt, response, ctx);
        if (response.sessionId !== undefined) submitSessions.set(job, response.sessionId);
        return job;
      }
      if (response.status === 200) {
        // A synchronous answer: the action ran, and this is its result (see above).
        deps.answerModes.record(action.name, "sync");
        deps.stats.synchronousAnswers++;
        return {
          jobUuid,
          vmUuid,
          action: action.name,
          submittedAt,
          vmAction: action,
          result: resultOf(action.name, response, ctx, deps.redactor, "action result"),
        };
      }
      // A ZStack error in answer to the submit: the action's synchronous failure (a job's error comes on its poll).
      if (parseZStackErrorBody(response.text) !== undefined) {
        deps.answerModes.record(action.name, "sync");
        deps.stats.synchronousAnswers++;
      }
      if (response.status === 400 && DUPLICATE_JOB.test(response.text)) {
        // The server already holds a job with this uuid: an earlier attempt (or the caller's earlier submit of this
        // uuid) was accepted. Poll it; do not submit again.
        deps.stats.recoveredSubmits++;
        return remember(acceptedJob(deps, vmUuid, action, jobUuid, submittedAt, undefined, ctx), deps);
      }
      if (isSessionInvalid(response) && !sessionRenewed) {
        // A synchronous session rejection: no job was created. Log in again (shared) and submit once more.
        sessionRenewed = true;
        if (await deps.authenticator.renew(response.sessionId, deadline)) {
          if (!maybeAccepted) jobUuid = deps.newJobUuid();
          continue;
        }
      }
      if (!isTransientAnswer(response)) {
        const error = errorFromResponse(response, ctx, deps.redactor);
        throw maybeAccepted ? withJob(error, jobUuid, outcomeUnknown(jobUuid)) : dropJob(error);
      }
      // A transient 5xx page may have come from a proxy after the server accepted the job.
      maybeAccepted = true;
      lostAnswer = "5xx";
      failure = httpError(ctx, response.status, deps.redactor.scrub(response.text));
    }

    const delay = deps.transport.retry.nextDelay(attempt, failure);
    if (delay === undefined || Date.now() + delay >= deadline) {
      throw maybeAccepted ? withJob(failure, jobUuid, outcomeUnknown(jobUuid)) : dropJob(failure);
    }
    deps.stats.retries++;
    await sleep(delay, options.signal, ctx);
  }
}

type SendOutcome =
  | { readonly kind: "answered"; readonly response: HttpResponse }
  | { readonly kind: "failed"; readonly error: unknown };

/** Sends the submit once (never retried here: see {@link submitAction}). */
async function sendSubmit(
  deps: JobDeps,
  request: ActionRequest,
  jobUuid: string,
  ctx: RequestContext,
  attempt: number,
): Promise<SendOutcome> {
  try {
    const response = await deps.transport.send(
      { ...request, headers: { "x-job-uuid": jobUuid }, authenticate: true },
      ctx,
      attempt,
    );
    return { kind: "answered", response };
  } catch (error) {
    return { kind: "failed", error };
  }
}

/**
 * The result of a finished action, from its 200 body: a VM action's `{"inventory": VmInstanceInventory}`, or `null`
 * for DeleteResourceConfig, whose event (`APIDeleteResourceConfigEvent`) carries nothing to read.
 */
function resultOf(
  action: JobActionName,
  response: HttpResponse,
  ctx: RequestContext,
  redactor: Redactor,
  what: string,
): VmInstanceInventory | null {
  const body = parseJson(response, ctx, redactor);
  if (action === "deleteResourceConfig") return null;
  const parsed = VmActionResultSchema.safeParse(body);
  if (!parsed.success) throw protocolError(ctx, `${what}: ${summarizeIssues(parsed.error)}`, 200);
  return parsed.data.inventory;
}

/** A lost submit answer that the probe cannot resolve: the server keeps no job of it, and may have executed it. */
function unprovenSubmit(ctx: RequestContext, jobUuid: string): ZStackError {
  return new ZStackError({
    ...ctx,
    jobUuid,
    code: "CLIENT.JOB_LOST",
    description: "Job lost",
    details:
      `the answer to the submit was lost and the server holds no job ${jobUuid}; it has not shown that it keeps ` +
      `jobs for this action (it may answer synchronously and have executed it), so the action is not sent again: ` +
      `read the VM`,
    fault: "api",
    retryable: false,
  });
}

function outcomeUnknown(jobUuid: string): string {
  return `the server may have accepted the action; poll job ${jobUuid} to learn its outcome`;
}

function dropJob(error: unknown): unknown {
  return ZStackError.isInstance(error) && error.jobUuid !== undefined
    ? error.with({ jobUuid: undefined })
    : error;
}

function remember(job: SubmittedJob, deps: JobDeps): SubmittedJob {
  const session = deps.authenticator.currentSessionId();
  if (session !== undefined) submitSessions.set(job, session);
  return job;
}

/** The poll path of a job: its rewritten location, or `/v1/api-jobs/<uuid>`. */
function pollPathOf(job: SubmittedJob): string {
  const fromLocation = job.location !== undefined ? rewriteLocation(job.location) : undefined;
  return fromLocation ?? jobPath(job.jobUuid);
}

/**
 * Polls a job until it finishes: 202 = still running (poll again per the schedule), 200 = `{"inventory"}` result
 * (`null` for an action whose event carries none, see {@link resultOf}),
 * 503 = ZStack error, 404 = job lost or expired (`CLIENT.JOB_LOST`). Transient faults of a poll are retried (a poll
 * cannot repeat the action). The schedule never sleeps past the deadline: the last sleep is cut so the final poll
 * starts before it; when the deadline passes with the job still running, a `CLIENT.TIMEOUT` error carries the job
 * uuid so that the caller can resume waiting later.
 *
 * `ID.1001` on the poll means the session expired between submit and execution; the server checks the session
 * before executing, so the action did not run. If the job carries its {@link SubmittedJob.vmAction}, the client logs
 * in again (shared) and resubmits once with a new job uuid.
 */
export async function waitForJob(
  deps: JobDeps,
  job: SubmittedJob,
  options: CallOptions,
): Promise<VmInstanceInventory | null> {
  const deadline = deadlineOf(options, DEFAULT_ACTION_TIMEOUT_MS);
  let current = job;
  let sessionResubmitted = false;
  for (;;) {
    if (current.result !== undefined) return current.result;
    const outcome = await pollUntilDone(deps, current, deadline, options.signal);
    if (outcome.kind === "done") return outcome.result;
    // ID.1001 on the poll: the job was rejected before execution.
    const error = outcome.error;
    const vmAction = current.vmAction;
    if (sessionResubmitted || vmAction === undefined) throw error;
    sessionResubmitted = true;
    const stale = submitSessions.get(current) ?? deps.authenticator.currentSessionId();
    if (!(await deps.authenticator.renew(stale, deadline))) throw error;
    deps.stats.sessionResubmits++;
    current = await submitAction(deps, current.vmUuid, vmAction, {
      deadline,
      ...(options.signal ? { signal: options.signal } : {}),
      jobUuid: deps.newJobUuid(),
    });
  }
}

type PollOutcome =
  | { readonly kind: "done"; readonly result: VmInstanceInventory | null }
  | { readonly kind: "sessionInvalid"; readonly error: ZStackError };

async function pollUntilDone(
  deps: JobDeps,
  job: SubmittedJob,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<PollOutcome> {
  const ctx = contextOf(job.action, job.vmUuid, deadline, signal, job.jobUuid);
  const scheduleContext = { action: job.action, endpointKey: deps.endpoint.key };
  const plan = deps.schedule.plan(scheduleContext);
  const waitStarted = Date.now();
  const origin = job.submittedAt ?? waitStarted;
  // Learn only from jobs this wait followed from their submit (not from resumed waits on old jobs).
  const learnable = job.submittedAt !== undefined && waitStarted - job.submittedAt < 1000;
  const path = pollPathOf(job);
  let lastRunningMs: number | undefined;
  for (let polls = 0; ;) {
    const remaining = deadline - Date.now();
    if (remaining <= FINAL_POLL_ALLOWANCE_MS) {
      throw deadlineError(
        ctx,
        `job ${job.jobUuid} still running after ${((Date.now() - origin) / 1000).toFixed(1)} s (${polls} polls); ` +
          `poll it again to learn its outcome`,
      );
    }
    const delay = Math.min(plan.nextDelay(polls, Date.now() - origin), remaining - FINAL_POLL_ALLOWANCE_MS);
    await sleep(delay, signal, ctx);
    polls++;
    deps.stats.polls++;
    const response = await deps.transport.sendWithRetry(
      { kind: "jobPoll", method: "GET", apiPath: path, authenticate: true },
      ctx,
    );
    const elapsed = Date.now() - origin;
    if (response.status === 202) {
      lastRunningMs = elapsed;
      continue;
    }
    if (response.status === 200) {
      deps.stats.jobsCompleted++;
      const result = resultOf(job.action, response, ctx, deps.redactor, "job result");
      if (learnable) {
        deps.schedule.record(scheduleContext, {
          lastRunningMs,
          completedMs: elapsed,
          polls,
          succeeded: true,
        });
      }
      return { kind: "done", result };
    }
    if (response.status === 404) {
      throw new ZStackError({
        ...ctx,
        code: "CLIENT.JOB_LOST",
        description: "Job lost",
        details:
          `the server does not know job ${job.jobUuid} (HTTP 404 ${JSON.stringify(deps.redactor.scrub(response.text).trim().slice(0, 200))}); ` +
          `it expired or the management node restarted, so the action's outcome is unknown: read the VM`,
        httpStatus: 404,
        fault: "api",
        retryable: false,
      });
    }
    const zstack = parseZStackErrorBody(response.text);
    if (zstack !== undefined) {
      deps.stats.jobsCompleted++;
      if (learnable) {
        deps.schedule.record(scheduleContext, {
          lastRunningMs,
          completedMs: elapsed,
          polls,
          succeeded: false,
        });
      }
      const error = errorFromResponse(response, ctx, deps.redactor);
      if (zstack.code === SESSION_INVALID_CODE) return { kind: "sessionInvalid", error };
      throw error;
    }
    throw errorFromResponse(response, ctx, deps.redactor);
  }
}
