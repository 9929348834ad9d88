/**
 * Optional debug logging: one line per HTTP request (method, path, status, milliseconds), never headers or bodies.
 *
 * Enabled by a logger hook in the client options, or by the environment variable `ZSTACK_DEBUG=1`
 * (lines then go to stderr). Paths that contain a session id are logged with the id replaced.
 */

/** One finished (or failed) HTTP request, as reported to a {@link ZStackLogger}. */
export interface RequestLogEntry {
  readonly method: string;
  /** The request path, secrets removed (session ids in logout paths are replaced by `***`). */
  readonly path: string;
  /** HTTP status, or undefined when the request failed without an answer. */
  readonly status: number | undefined;
  /** Duration in milliseconds. */
  readonly ms: number;
  /** The client operation (e.g. `getVm`, `pauseVmInstance`). */
  readonly operation: string;
  /** The transport error code when there was no answer (e.g. `ECONNRESET`). */
  readonly error?: string;
  /** The attempt number (1 for the first). */
  readonly attempt: number;
}

/** A logger hook: receives one entry and its formatted line per request. */
export type ZStackLogger = (line: string, entry: RequestLogEntry) => void;

/** Formats an entry as `zstack PUT /zstack/v1/vm-instances/…/actions 202 4ms (pauseVmInstance)`. */
export function formatLogLine(entry: RequestLogEntry): string {
  const outcome = entry.status !== undefined ? String(entry.status) : `error ${entry.error ?? "unknown"}`;
  const attempt = entry.attempt > 1 ? ` attempt ${entry.attempt}` : "";
  return `zstack ${entry.method} ${entry.path} ${outcome} ${Math.round(entry.ms)}ms (${entry.operation}${attempt})`;
}

/** The logger selected by options or environment: the hook if given, stderr if `ZSTACK_DEBUG` is set, else none. */
export function resolveLogger(hook: ZStackLogger | undefined, env = process.env): ZStackLogger | undefined {
  if (hook) return hook;
  const flag = env.ZSTACK_DEBUG;
  if (flag && flag !== "0" && flag.toLowerCase() !== "false") {
    return (line) => process.stderr.write(`${line}\n`);
  }
  return undefined;
}
