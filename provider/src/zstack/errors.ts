/**
 * The one error type of the ZStack client, and the helpers that build it from server answers and local faults.
 *
 * Every failure the client reports is a {@link ZStackError}. Its message is written for humans
 * (`pauseVmInstance on VM 3f2a… failed: VM.1012 Unable to suspend a vm: …`), its fields for programs.
 * Nothing secret (password, session id, AccessKey secret, signature) is ever put in a message or a field:
 * texts that come from the server or from a socket error pass through a {@link Redactor} first.
 */

/** What kind of fault an error is. */
export type ZStackFault =
  /** The server executed or rejected the request and said why (a ZStack error code, or a plain-text 4xx). */
  | "api"
  /** The request could not be carried: connection refused, reset, socket closed, transient 5xx. */
  | "transport"
  /** The caller's deadline (or a per-request timeout) expired, or the caller aborted. */
  | "timeout"
  /** The server answered something the client does not understand (unexpected status, malformed JSON). */
  | "protocol"
  /** Authentication failed: wrong credentials, invalid session after re-login, rejected signature. */
  | "auth";

/** Codes the client uses for faults that have no ZStack error code. */
export type ClientErrorCode =
  | "CLIENT.TIMEOUT"
  | "CLIENT.ABORTED"
  | "CLIENT.TRANSPORT"
  | "CLIENT.PROTOCOL"
  | "CLIENT.JOB_LOST"
  | "CLIENT.CLOSED"
  | "CLIENT.CONFIG";

/**
 * A ZStack `ErrorCode` as found in `{"error": …}` bodies (docs/zstack-behaviour.md#errors), cause chain
 * included.
 */
export interface ZStackErrorCode {
  /** The ZStack code, e.g. `VM.1012`, `SYS.1003`, `ID.1001`. */
  readonly code: string;
  /** The fixed description of the code, e.g. `Unable to suspend a vm`. */
  readonly description?: string;
  /** The formatted details of this occurrence. */
  readonly details?: string;
  /** Optional human hint (only when elaboration is enabled on the server). */
  readonly elaboration?: string;
  /** The nested cause, if any. */
  readonly cause?: ZStackErrorCode;
  /** Further causes (`ErrorCodeList`), if any. */
  readonly causes?: readonly ZStackErrorCode[];
}

/** The fields of a {@link ZStackError}, as accepted by its constructor. */
export interface ZStackErrorInit {
  readonly code: string;
  readonly description?: string;
  readonly details?: string;
  readonly zstackCause?: ZStackErrorCode;
  readonly cause?: unknown;
  readonly httpStatus?: number;
  readonly operation: string;
  readonly vmUuid?: string;
  readonly jobUuid?: string;
  readonly fault: ZStackFault;
  readonly retryable?: boolean;
  /** Overrides the generated message (still redacted by the caller). */
  readonly message?: string;
}

const BRAND: unique symbol = Symbol.for("pulumi-zstack-vm.ZStackError");

/**
 * The typed error of every client call.
 *
 * `code` is the ZStack code (`VM.1012`, `SYS.1003`, `ID.1001`, …), `HTTP.<status>` for a plain-text answer, or a
 * {@link ClientErrorCode} for local faults. `jobUuid` is set whenever an action was (or may have been) accepted by
 * the server: a wait that timed out carries it so that the caller can resume polling that job later.
 */
export class ZStackError extends Error {
  /** ZStack code, `HTTP.<status>`, or a `CLIENT.*` code. */
  readonly code: string;
  /** The code's description (ZStack's fixed text, or a short client text). */
  readonly description: string;
  /** The details of this occurrence (for plain-text answers: the body). */
  readonly details: string | undefined;
  /** The nested ZStack cause chain (`error.cause` of the server's answer), typed. */
  readonly zstackCause: ZStackErrorCode | undefined;
  /** HTTP status of the answer that carried the error, if there was one. */
  readonly httpStatus: number | undefined;
  /** The client operation, e.g. `pauseVmInstance`, `getVm`, `login`. */
  readonly operation: string;
  /** The VM the operation was about, if any. */
  readonly vmUuid: string | undefined;
  /** The async job uuid, when an action was (or may have been) accepted. */
  readonly jobUuid: string | undefined;
  /** The kind of fault. */
  readonly fault: ZStackFault;
  /** Whether repeating the operation (or resuming the wait on `jobUuid`) may succeed. */
  readonly retryable: boolean;

  /** Builds an error; the message is generated from the fields unless `init.message` is given. */
  constructor(init: ZStackErrorInit) {
    super(init.message ?? formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ZStackError";
    this.code = init.code;
    this.description = init.description ?? "";
    this.details = init.details;
    this.zstackCause = init.zstackCause;
    this.httpStatus = init.httpStatus;
    this.operation = init.operation;
    this.vmUuid = init.vmUuid;
    this.jobUuid = init.jobUuid;
    this.fault = init.fault;
    this.retryable = init.retryable ?? false;
    // The message says what happened and how to fix it; a Pulumi host prints `stack` beside it, where frames of
    // this package's code would only bury it. `cause` keeps the underlying error, frames included.
    this.stack = `${this.name}: ${this.message}`;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** Brand check that works across copies of this module (e.g. two installed versions of the package). */
  static isInstance(value: unknown): value is ZStackError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** A copy of this error with some fields replaced (message regenerated unless given). */
  with(changes: Partial<ZStackErrorInit>): ZStackError {
    return new ZStackError({ ...errorFields(this), cause: this.cause, ...changes });
  }

  /** Plain-object form (for logs and Pulumi diagnostics); never contains secrets. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...errorFields(this) };
  }
}

/** An error's own fields, without the JS cause (which may hold anything the transport threw). */
function errorFields(error: ZStackError): ZStackErrorInit {
  return {
    code: error.code,
    description: error.description,
    details: error.details,
    zstackCause: error.zstackCause,
    httpStatus: error.httpStatus,
    operation: error.operation,
    vmUuid: error.vmUuid,
    jobUuid: error.jobUuid,
    fault: error.fault,
    retryable: error.retryable,
  };
}

/** The deepest cause of a ZStack error chain (the error itself when it has no cause). */
function rootCause(error: ZStackErrorCode): ZStackErrorCode {
  let current = error;
  for (let depth = 0; depth < 32; depth++) {
    const next = current.cause ?? current.causes?.[0];
    if (next === undefined) break;
    current = next;
  }
  return current;
}

function describe(code: string, description: string | undefined, details: string | undefined): string {
  let text = code;
  if (description) text += ` ${description}`;
  if (details) text += `${description ? ":" : ""} ${details}`;
  return text;
}

/**
 * The message of a {@link ZStackError}:
 * `<operation>[ on VM <uuid>] failed: <code> <description>: <details>[ (root cause: …)][ [job <uuid>]]`.
 */
function formatMessage(init: ZStackErrorInit): string {
  const subject = init.vmUuid ? `${init.operation} on VM ${init.vmUuid}` : init.operation;
  let text = `${subject} failed: ${describe(init.code, init.description, init.details)}`;
  if (init.zstackCause) {
    const root = rootCause(init.zstackCause);
    if (root !== init.zstackCause || root.code !== init.code) {
      const same = root.details !== undefined && root.details === init.details;
      text += same
        ? ` (root cause: ${root.code}${root.description ? ` ${root.description}` : ""})`
        : ` (root cause: ${describe(root.code, root.description, root.details)})`;
    }
  }
  if (init.jobUuid && init.fault !== "api") text += ` [job ${init.jobUuid}]`;
  return text;
}

/**
 * Reads a ZStack `{"error": ErrorCode}` body; returns undefined when the text is not such a body.
 * Tolerates `causes` lists and non-string fields; unknown fields are dropped.
 */
export function parseZStackErrorBody(text: string): ZStackErrorCode | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  return toErrorCode((parsed as { error?: unknown }).error, 0);
}

function toErrorCode(value: unknown, depth: number): ZStackErrorCode | undefined {
  if (depth > 32 || typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string") return undefined;
  const str = (x: unknown): string | undefined =>
    typeof x === "string" ? x : x === undefined || x === null ? undefined : JSON.stringify(x);
  const cause = toErrorCode(v.cause, depth + 1);
  const causes = Array.isArray(v.causes)
    ? v.causes.map((c) => toErrorCode(c, depth + 1)).filter((c): c is ZStackErrorCode => c !== undefined)
    : undefined;
  return {
    code: v.code,
    ...(str(v.description) !== undefined ? { description: str(v.description) } : {}),
    ...(str(v.details) !== undefined ? { details: str(v.details) } : {}),
    ...(str(v.elaboration) !== undefined ? { elaboration: str(v.elaboration) } : {}),
    ...(cause ? { cause } : {}),
    ...(causes && causes.length > 0 ? { causes } : {}),
  };
}

/** Identity-class ZStack codes: authentication and session faults. */
function isAuthCode(code: string): boolean {
  return code.startsWith("ID.");
}

/** The ZStack code for an invalid or expired session. */
export const SESSION_INVALID_CODE = "ID.1001";

/** Context shared by the error builders below. */
export interface ErrorContext {
  readonly operation: string;
  readonly vmUuid?: string;
  readonly jobUuid?: string;
}

/** A ZStack error answer (`503 {"error": …}`, or another status with such a body) as a {@link ZStackError}. */
export function apiError(ctx: ErrorContext, status: number, error: ZStackErrorCode): ZStackError {
  return new ZStackError({
    ...ctx,
    code: error.code,
    description: error.description,
    details: error.details,
    zstackCause: error.cause ?? error.causes?.[0],
    httpStatus: status,
    fault: isAuthCode(error.code) ? "auth" : "api",
    retryable: false,
  });
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** At most this many characters of a plain-text or HTML body are quoted in an error. */
const MAX_QUOTED_BODY = 500;

/** Quotes a (redacted) response body for an error message: HTML tags stripped, whitespace folded, truncated. */
export function quoteBody(body: string): string {
  let text = body;
  if (/<html|<body|<!doctype/i.test(text)) {
    text = text
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/&nbsp;/g, " ");
  }
  text = text.replace(/\s+/g, " ").trim();
  if (text.length > MAX_QUOTED_BODY) text = `${text.slice(0, MAX_QUOTED_BODY)}…`;
  return JSON.stringify(text);
}

/**
 * A non-JSON answer (plain text, HTML) as a {@link ZStackError} with code `HTTP.<status>` whose details quote the body.
 * 4xx are `api` faults (the server rejected the request), 5xx are `transport` faults (transient, retryable).
 */
export function httpError(ctx: ErrorContext, status: number, body: string): ZStackError {
  const transient = status >= 500;
  return new ZStackError({
    ...ctx,
    code: `HTTP.${status}`,
    description: STATUS_TEXT[status] ?? `HTTP status ${status}`,
    details: body.trim() ? quoteBody(body) : "(empty body)",
    httpStatus: status,
    fault: status === 403 || status === 401 ? "auth" : transient ? "transport" : "api",
    retryable: transient,
  });
}

/** An answer the client cannot interpret. */
export function protocolError(
  ctx: ErrorContext,
  details: string,
  status?: number,
  cause?: unknown,
): ZStackError {
  return new ZStackError({
    ...ctx,
    code: "CLIENT.PROTOCOL",
    description: "Unexpected answer from the ZStack server",
    details,
    httpStatus: status,
    cause,
    fault: "protocol",
    retryable: false,
  });
}
