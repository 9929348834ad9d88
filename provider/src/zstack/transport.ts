/**
 * HTTP transport: one request on the endpoint's pool with a per-request timeout bounded by the caller's deadline,
 * classification of failures into {@link ZStackError}s, debug logging, and retry of transient failures for requests
 * that cannot repeat an action (queries, polls, login, logout).
 *
 * Submits never go through {@link Transport.sendWithRetry}: see jobs.ts for how a lost submit answer is recovered.
 */
import type { Dispatcher, Pool } from "undici";
import type { AuthHeaders, Authenticator } from "./auth";
import { apiPath, type Endpoint } from "./endpoint";
import {
  apiError,
  httpError,
  parseZStackErrorBody,
  SESSION_INVALID_CODE,
  ZStackError,
  type ErrorContext,
} from "./errors";
import { formatLogLine, type ZStackLogger } from "./logging";
import type { Redactor } from "./redact";
import type { RetryStrategy } from "./retry";
import type { EndpointKind } from "../vocabulary/endpoint-kinds";
import type { MutableClientStats } from "./stats";

/** One HTTP request, described by its API path (`/v1/...`, after the context path). */
interface HttpRequest {
  readonly kind: EndpointKind;
  readonly method: "GET" | "PUT" | "DELETE";
  readonly apiPath: string;
  /** The path to log instead of the real one (when the real one contains a secret such as a session id). */
  readonly logPath?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whether to add credentials (session or AccessKey signature). */
  readonly authenticate: boolean;
}

/** An HTTP answer with its body read as text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The session id the request carried (account auth), to report `ID.1001` against. */
  readonly sessionId?: string;
}

/** Per-call context: what the call is about (for errors), its deadline and abort signal. */
export interface RequestContext extends ErrorContext {
  /** Absolute deadline, epoch ms. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * The code of the cause of an error raised before a request was written at all (its deadline had already passed), so
 * that a submit failing this way is known not to have reached the server.
 */
const NOT_SENT_CODE = "ERR_ZSTACK_NOT_SENT";

/** Failures that prove the request never reached the server (safe to send again, even a submit). */
const NOT_SENT_CODES = new Set([
  NOT_SENT_CODE,
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Certificate verification failures that trusting the right CA (or skipping verification) fixes. */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);

/**
 * How to fix a TLS verification failure, in the settings' own names: the socket error alone ("self-signed certificate
 * in certificate chain") does not tell a Pulumi user which setting makes the node's certificate trusted.
 */
function tlsHint(code: string): string {
  if (UNTRUSTED_CERTIFICATE_CODES.has(code)) {
    return (
      "; the management node's TLS certificate is not trusted: set zstack:caBundle (or ZSTACK_CA_BUNDLE) to the " +
      "PEM text or file of the CA that signed it, or set zstack:insecure to true (or ZSTACK_INSECURE=true) to skip " +
      "verification (lab setups only)"
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return "; connect by a host name or IP address the certificate lists (zstack:host or ZSTACK_HOST)";
  }
  return "";
}

/** The system or undici error code of a transport failure (looks one level into `cause`). */
function transportErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "CLIENT.TRANSPORT" && code !== "CLIENT.TIMEOUT") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Errors raised before a request was handed to the pool (credentials could not be obtained, caller aborted). */
const failedBeforeSending = new WeakSet<object>();

function notSent<E>(error: E): E {
  if (typeof error === "object" && error !== null) failedBeforeSending.add(error);
  return error;
}

/**
 * True when a failed request certainly never reached the server: it failed before it was sent (deadline passed,
 * login failed, caller aborted), or the connection could not be made (connection refused, DNS, connect timeout).
 */
export function wasNotSent(error: unknown): boolean {
  if (typeof error === "object" && error !== null && failedBeforeSending.has(error)) return true;
  const code = transportErrorCode(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** A 5xx answer that is not a ZStack error (plain text, HTML, a proxy page): a transient fault. */
export function isTransientAnswer(response: HttpResponse): boolean {
  return response.status >= 500 && parseZStackErrorBody(response.text) === undefined;
}

/** Sleeps `ms`, waking early (with a `CLIENT.ABORTED` error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, ctx?: ErrorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(ctx ?? { operation: "sleep" }, signal.reason));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(ctx ?? { operation: "sleep" }, signal?.reason));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error for a call aborted by the caller's signal. */
export function abortedError(ctx: ErrorContext, reason?: unknown): ZStackError {
  return new ZStackError({
    ...ctx,
    code: "CLIENT.ABORTED",
    description: "The operation was aborted",
    details: ctx.jobUuid
      ? `the job may still be running; poll job ${ctx.jobUuid} to learn its outcome`
      : undefined,
    cause: reason,
    fault: "timeout",
    retryable: false,
  });
}

/** The error for a call whose deadline passed. */
export function deadlineError(ctx: ErrorContext, details: string, cause?: unknown): ZStackError {
  return new ZStackError({
    ...ctx,
    code: "CLIENT.TIMEOUT",
    description: "Deadline exceeded",
    details,
    cause,
    fault: "timeout",
    retryable: true,
  });
}

/** Dependencies of a {@link Transport}. */
interface TransportOptions {
  readonly pool: Pool;
  readonly endpoint: Endpoint;
  readonly authenticator: Authenticator;
  readonly redactor: Redactor;
  readonly stats: MutableClientStats;
  readonly logger: ZStackLogger | undefined;
  readonly requestTimeoutMs: number;
  readonly retry: RetryStrategy;
}

/** Sends requests on one endpoint's pool. */
export class Transport {
  /** Creates a transport over the given pool and authenticator. */
  constructor(private readonly options: TransportOptions) {}

  /** The retry strategy of this transport (used by the job waiter for submit recovery too). */
  get retry(): RetryStrategy {
    return this.options.retry;
  }

  /**
   * Sends one request (one attempt, no retry). Resolves with any HTTP answer; rejects with a `transport` or
   * `timeout` {@link ZStackError} when there is no answer. The request is cut at `min(requestTimeoutMs, deadline)`.
   */
  async send(request: HttpRequest, ctx: RequestContext, attempt = 1): Promise<HttpResponse> {
    const { pool, endpoint, authenticator, redactor, stats, logger, requestTimeoutMs } = this.options;
    if (ctx.signal?.aborted) throw notSent(abortedError(ctx, ctx.signal.reason));
    const remaining = ctx.deadline - Date.now();
    if (remaining <= 0) {
      const notSent = Object.assign(new Error("the request was not sent"), { code: NOT_SENT_CODE });
      throw deadlineError(ctx, "the deadline passed before the request could be sent", notSent);
    }
    const timeoutMs = Math.min(requestTimeoutMs, remaining);
    const cutByDeadline = remaining < requestTimeoutMs;

    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (request.body !== undefined) headers["content-type"] = "application/json;charset=UTF-8";
    let sessionId: string | undefined;
    if (request.authenticate) {
      let auth: AuthHeaders;
      try {
        auth = await authenticator.headersFor(request.method, request.apiPath, ctx.deadline);
      } catch (error) {
        // E.g. the login failed: this request was never sent (a submit that fails here was not accepted).
        throw notSent(error);
      }
      Object.assign(headers, auth.headers);
      sessionId = auth.sessionId;
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    ctx.signal?.addEventListener("abort", onCallerAbort, { once: true });

    stats.requests[request.kind]++;
    const started = performance.now();
    const path = apiPath(endpoint, request.apiPath);
    const logPath = request.logPath !== undefined ? apiPath(endpoint, request.logPath) : path;
    const log = (status: number | undefined, error?: string) => {
      if (!logger) return;
      const entry = {
        method: request.method,
        path: redactor.scrub(logPath),
        status,
        ms: performance.now() - started,
        operation: ctx.operation,
        attempt,
        ...(error !== undefined ? { error } : {}),
      };
      try {
        logger(formatLogLine(entry), entry);
      } catch {
        // A failing logger must not fail the request.
      }
    };

    try {
      const options: Dispatcher.RequestOptions = {
        path,
        method: request.method,
        headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: timeoutMs + 1000,
        bodyTimeout: timeoutMs + 1000,
      };
      const answer = await pool.request(options);
      const text = await answer.body.text();
      log(answer.statusCode);
      return {
        status: answer.statusCode,
        headers: answer.headers,
        text,
        ...(sessionId !== undefined ? { sessionId } : {}),
      };
    } catch (error) {
      if (ctx.signal?.aborted && !timedOut) {
        log(undefined, "ABORTED");
        throw abortedError(ctx, ctx.signal.reason);
      }
      if (timedOut) {
        log(undefined, "TIMEOUT");
        throw cutByDeadline
          ? deadlineError(ctx, `no answer to ${request.method} ${request.kind} before the deadline`, error)
          : new ZStackError({
              ...ctx,
              code: "CLIENT.TIMEOUT",
              description: "Request timed out",
              details: `no answer to ${request.method} ${request.kind} within ${timeoutMs} ms`,
              cause: error,
              fault: "timeout",
              retryable: true,
            });
      }
      const code = transportErrorCode(error) ?? "UNKNOWN";
      log(undefined, code);
      const message = error instanceof Error ? error.message : String(error);
      throw new ZStackError({
        ...ctx,
        code: "CLIENT.TRANSPORT",
        description: "Connection failed",
        details: redactor.scrub(
          `${request.method} ${request.kind} to ${endpoint.origin}: ${code}: ${message}${tlsHint(code)}`,
        ),
        cause: error,
        fault: "transport",
        retryable: RETRYABLE_CODES.has(code),
      });
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  /**
   * Sends a request that cannot repeat an action, retrying transport faults, per-request timeouts and transient 5xx
   * answers (plain text or HTML; a 503 with a JSON `{"error"}` body is a ZStack error and is returned as is) with the
   * retry strategy, never sleeping past the deadline. Resolves with the first non-transient answer.
   */
  async sendWithRetry(request: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let failure: ZStackError;
      try {
        const response = await this.send(request, ctx, attempt);
        if (!isTransientAnswer(response)) return response;
        failure = httpError(ctx, response.status, this.options.redactor.scrub(response.text));
      } catch (error) {
        if (!ZStackError.isInstance(error) || !error.retryable || error.code === "CLIENT.ABORTED")
          throw error;
        if (error.fault === "timeout" && Date.now() >= ctx.deadline) throw error;
        // A failed login (while getting credentials for this request) was already retried by the login itself.
        if (error.operation === "login" && ctx.operation !== "login") throw error;
        failure = error;
      }
      const delay = this.options.retry.nextDelay(attempt, failure);
      if (delay === undefined) throw failure;
      if (Date.now() + delay >= ctx.deadline) throw failure;
      this.options.stats.retries++;
      await sleep(delay, ctx.signal, ctx);
    }
  }

  /**
   * {@link sendWithRetry}, plus session renewal: when the answer is `ID.1001` (invalid or expired session) and the
   * credentials can be renewed, logs in again (shared with concurrent callers) and repeats the request exactly once.
   * Only for requests whose repetition is harmless (queries; see jobs.ts for actions).
   */
  async sendAuthenticated(request: HttpRequest, ctx: RequestContext): Promise<HttpResponse> {
    const first = await this.sendWithRetry(request, ctx);
    if (!isSessionInvalid(first)) return first;
    if (!(await this.options.authenticator.renew(first.sessionId, ctx.deadline))) return first;
    return this.sendWithRetry(request, ctx);
  }
}

/** True when an answer is the ZStack `ID.1001` session error. */
export function isSessionInvalid(response: HttpResponse): boolean {
  if (response.status < 400) return false;
  return parseZStackErrorBody(response.text)?.code === SESSION_INVALID_CODE;
}

/** Parses a JSON answer body, or throws a `CLIENT.PROTOCOL` error quoting it. */
export function parseJson(response: HttpResponse, ctx: ErrorContext, redactor: Redactor): unknown {
  try {
    return JSON.parse(response.text);
  } catch (cause) {
    throw new ZStackError({
      ...ctx,
      code: "CLIENT.PROTOCOL",
      description: "Unexpected answer from the ZStack server",
      details: `HTTP ${response.status} with a body that is not JSON: ${JSON.stringify(redactor.scrub(response.text).slice(0, 300))}`,
      httpStatus: response.status,
      cause,
      fault: "protocol",
    });
  }
}

/**
 * The {@link ZStackError} for an answer that is not the expected success: a ZStack `{"error"}` body of any status
 * becomes an `api`/`auth` error, anything else an `HTTP.<status>` error quoting the (redacted) body.
 */
export function errorFromResponse(
  response: HttpResponse,
  ctx: ErrorContext,
  redactor: Redactor,
): ZStackError {
  const zstack = parseZStackErrorBody(response.text);
  if (zstack) {
    const scrubbed = JSON.parse(redactor.scrub(JSON.stringify(zstack))) as typeof zstack;
    return apiError(ctx, response.status, scrubbed);
  }
  return httpError(ctx, response.status, redactor.scrub(response.text));
}
