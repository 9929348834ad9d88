// Wire formats of the ZStack management node: JSON serialization, dates, ErrorCode bodies and the
// reply shapes the REST layer writes (docs/zstack-behaviour.md#replies-and-status-codes, #json-on-the-wire).

/**
 * A ZStack `ErrorCode` as the management node serializes it (zstack `header/.../errorcode/ErrorCode.java`).
 */
export interface ZStackErrorCode {
  readonly code: string;
  readonly description: string;
  readonly details?: string;
  readonly cause?: ZStackErrorCode;
}

// Fixed descriptions from zstack's conf/errorCodes/*.xml. Only the codes the simulator emits.
const DESCRIPTIONS = {
  "SYS.1000": "An internal error happened in system",
  "SYS.1003": "A resource can not be found",
  "SYS.1007": "One or more API argument is invalid",
  "ID.1000": "Unable to authenticate a user",
  "ID.1001": "The session is invalid, either wrong session id or the session has been expired",
  // Not settled by the source (conf/errorCodes has no entry in the open tree); IdentityErrors names the code.
  "ID.1006": "Max concurrent sessions exceeded",
  "VM.1010": "VM is not in state that allows required operation",
  "VM.1012": "Unable to suspend a vm",
  "VM.1013": "Unable to resume a vm",
} as const;

/** The ZStack error codes the simulator produces. */
type SimulatedErrorCode = keyof typeof DESCRIPTIONS;

/** Builds an ErrorCode with the code's fixed description; field order follows the Java class (Gson keeps it). */
export function zstackError(
  code: SimulatedErrorCode,
  details: string,
  cause?: ZStackErrorCode,
): ZStackErrorCode {
  return cause === undefined
    ? { code, description: DESCRIPTIONS[code], details }
    : { code, description: DESCRIPTIONS[code], details, cause };
}

/** An operation that failed the way the management node would fail it; `error` is the ZStack ErrorCode. */
export class ZStackApiError extends Error {
  constructor(readonly error: ZStackErrorCode) {
    super(`${error.code} ${error.description}: ${error.details ?? ""}`);
    this.name = "ZStackApiError";
  }
}

/** The ErrorCode of an unknown resource as PortApiValidator reports it (docs/zstack-behaviour.md#errors). */
export function resourceNotFound(field: string, uuid: string, type: string): ZStackErrorCode {
  return zstackError("SYS.1003", `invalid field[${field}], resource[uuid:${uuid}, type:${type}] not found`);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Formats a timestamp as Gson's default `java.sql.Timestamp` rendering, Java 8 US `DateFormat.DEFAULT`: `MMM
 * d, yyyy h:mm:ss a` in server local time without a zone, e.g. `Nov 14, 2017 10:20:57 PM` (CloudBusGson).
 */
export function formatZStackDate(epochMs: number): string {
  const d = new Date(epochMs);
  const hours = d.getHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number): string => String(n).padStart(2, "0");
  return (
    `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} ` +
    `${h12}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${hours < 12 ? "AM" : "PM"}`
  );
}

/** Serializes like Gson without `serializeNulls`: null (and undefined) object fields are omitted. */
export function toJson(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => (value === null ? undefined : value));
}

/** What a route answers; the HTTP layer writes it. */
export type Reply =
  | { readonly status: number; readonly json: unknown; readonly text?: never }
  | {
      readonly status: number;
      readonly text: string;
      readonly contentType?: string;
      readonly headers?: Readonly<Record<string, string>>;
      readonly json?: never;
    };

/** A JSON reply (200 results, 202 accepts and polls). */
export function jsonReply(status: number, json: unknown): Reply {
  return { status, json };
}

/** The REST layer's synchronous rejections are plain text, not JSON. */
export function textReply(status: number, text: string, headers?: Readonly<Record<string, string>>): Reply {
  return headers === undefined ? { status, text } : { status, text, headers };
}

/** An API that ran and failed: 503 `{"error": ErrorCode}`. */
export function errorReply(error: ZStackErrorCode): Reply {
  return { status: 503, json: { error } };
}
