/**
 * Connection settings and the normalized endpoint: origin, context path, API paths, and the rewrite of the
 * `location` a server advertises for an async job (it names the management node's own IP) onto the configured
 * endpoint.
 */
import { createHash } from "node:crypto";
import { ZStackError } from "./errors";

/** Account login (`logInByAccount`): the password is sent as its SHA-512 hex digest, never in clear. */
export interface AccountCredentials {
  readonly kind: "account";
  readonly accountName: string;
  readonly password: string;
}

/** AccessKey authentication: every request is signed (`Authorization: ZStack <id>:<signature>` + `Date`). */
export interface AccessKeyCredentials {
  readonly kind: "accessKey";
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
}

/** The credentials of a client. */
export type Credentials = AccountCredentials | AccessKeyCredentials;

/** TLS options for `https` endpoints. Without them the system trust store is used. */
export interface TlsOptions {
  /** PEM text of the CA certificate(s) to trust (instead of the system trust store). */
  readonly caBundle?: string;
  /** Explicitly skip certificate verification (`rejectUnauthorized: false`). Insecure; for lab setups only. */
  readonly insecure?: boolean;
}

/** Everything needed to reach and authenticate to a ZStack management node. */
export interface ConnectionSettings {
  readonly scheme: "http" | "https";
  readonly host: string;
  /** Usually 8080, `DEFAULT_PORT`. */
  readonly port: number;
  /** Usually `zstack`, `DEFAULT_CONTEXT_PATH`; leading and trailing slashes are ignored; empty for none. */
  readonly contextPath: string;
  readonly credentials: Credentials;
  readonly tls?: TlsOptions;
  /** Connection limit of the keep-alive pool (default {@link DEFAULT_CONNECTIONS}). */
  readonly connections?: number;
  /** Per-request timeout in milliseconds (default {@link DEFAULT_REQUEST_TIMEOUT_MS}). */
  readonly requestTimeoutMs?: number;
}

/** Default pool connection limit. */
export const DEFAULT_CONNECTIONS = 32;
/** Default per-request timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A normalized endpoint. */
export interface Endpoint {
  readonly scheme: "http" | "https";
  readonly host: string;
  readonly port: number;
  /** The context path without slashes (`zstack`), or empty. */
  readonly contextPath: string;
  /** `scheme://host:port` (IPv6 hosts bracketed). */
  readonly origin: string;
  /** `/zstack` (or empty for no context path): the prefix of every API path. */
  readonly basePath: string;
  /** A stable key for this endpoint and its TLS options (pool identity). Contains no secrets. */
  readonly key: string;
  readonly tls: TlsOptions | undefined;
}

function fail(message: string): never {
  throw new ZStackError({
    code: "CLIENT.CONFIG",
    description: "Invalid connection settings",
    details: message,
    operation: "connect",
    fault: "protocol",
  });
}

/** Validates and normalizes connection settings into an {@link Endpoint}. Throws `CLIENT.CONFIG` errors. */
export function resolveEndpoint(settings: ConnectionSettings): Endpoint {
  if (settings.scheme !== "http" && settings.scheme !== "https") {
    fail(`scheme must be "http" or "https", got ${JSON.stringify(settings.scheme)}`);
  }
  const host = (settings.host ?? "").trim();
  if (!host || /[/\s?#@]/.test(host))
    fail(`host must be a host name or IP address, got ${JSON.stringify(host)}`);
  const port = settings.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port must be 1..65535, got ${String(port)}`);
  const contextPath = (settings.contextPath ?? "").replace(/^\/+|\/+$/g, "");
  if (/[?#\s]/.test(contextPath))
    fail(`contextPath must be a plain path, got ${JSON.stringify(contextPath)}`);
  const bareHost = host.replace(/^\[|\]$/g, "");
  const hostPart = bareHost.includes(":") ? `[${bareHost}]` : bareHost;
  const origin = `${settings.scheme}://${hostPart}:${port}`;
  const basePath = contextPath ? `/${contextPath}` : "";
  const tls = settings.tls;
  const tlsKey =
    settings.scheme === "https"
      ? `|ca=${tls?.caBundle ? createHash("sha256").update(tls.caBundle).digest("hex").slice(0, 16) : "system"}` +
        `|insecure=${tls?.insecure === true}`
      : "";
  return {
    scheme: settings.scheme,
    host: bareHost,
    port,
    contextPath,
    origin,
    basePath,
    key: `${origin}${basePath}${tlsKey}`,
    tls: settings.scheme === "https" ? tls : undefined,
  };
}

/** The request path of an API path (`/v1/...`) on this endpoint: `/zstack/v1/...`. */
export function apiPath(endpoint: Endpoint, path: string): string {
  return `${endpoint.basePath}${path.startsWith("/") ? path : `/${path}`}`;
}

/** The API path (`/v1/api-jobs/<uuid>`) of an async job's poll location. */
export function jobPath(jobUuid: string): string {
  return `/v1/api-jobs/${encodeURIComponent(jobUuid)}`;
}

const JOBS_MARKER = "/v1/api-jobs/";

/**
 * Rewrites a job `location` advertised by the server onto the configured endpoint, returning the API path to poll
 * (`/v1/api-jobs/<uuid>`, query kept). The server builds `location` from its own base URL (the management node
 * IP, maybe another port or scheme), which may be unreachable from here (NAT, load balancer, tunnel), so only the
 * part from `/v1/api-jobs/` on is kept, as the official SDKs do. Returns undefined when the location names no job.
 */
export function rewriteLocation(location: string): string | undefined {
  let pathAndQuery: string;
  try {
    const url = new URL(location, "http://placeholder.invalid");
    pathAndQuery = `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
  const at = pathAndQuery.indexOf(JOBS_MARKER);
  if (at < 0) return undefined;
  const rest = pathAndQuery.slice(at);
  return rest.length > JOBS_MARKER.length ? rest : undefined;
}

/** The job uuid named by a job API path (`/v1/api-jobs/<uuid>`), if any. */
export function jobUuidOfPath(path: string): string | undefined {
  const at = path.indexOf(JOBS_MARKER);
  if (at < 0) return undefined;
  const tail = path.slice(at + JOBS_MARKER.length).split(/[/?#]/)[0];
  return tail ? decodeURIComponent(tail) : undefined;
}
