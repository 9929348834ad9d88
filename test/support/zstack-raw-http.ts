// Raw HTTP against a ZStack endpoint (the simulator), deliberately not through the project's client, so
// that simulator conformance tests cross-check the wire format on their own.

import { createHash } from "node:crypto";
import { request, type Dispatcher } from "undici";

/** An answer, with the body as text and the content type. */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Options of one raw call. */
export interface RawCallOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sends `Authorization: OAuth <session>`. */
  readonly session?: string;
  /**
   * The connections to send on (default: undici's global pool, which keeps them alive). After a restart of the node
   * a kept-alive connection is dead, which a client learns only when it next reads from it: send on a new pool.
   */
  readonly dispatcher?: Dispatcher;
}

/** Sends one request to `baseUrl + path` (e.g. `http://127.0.0.1:1234/zstack` + `/v1/vm-instances`). */
export async function rawCall(
  baseUrl: string,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options: RawCallOptions = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.session !== undefined) headers["Authorization"] = `OAuth ${options.session}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
  const res = await request(baseUrl + path, {
    method,
    headers,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    contentType: String(res.headers["content-type"] ?? ""),
    text,
    headers: res.headers,
  };
}

/** Parses a JSON answer. */
export function json<T = Record<string, unknown>>(res: RawResponse): T {
  return JSON.parse(res.text) as T;
}

/** SHA-512 hex, as `logInByAccount` expects the password. */
export function sha512(text: string): string {
  return createHash("sha512").update(text).digest("hex");
}

/** Logs in with `logInByAccount` and returns the session uuid. */
export async function login(
  baseUrl: string,
  accountName = "admin",
  password = "password",
  dispatcher?: Dispatcher,
): Promise<string> {
  const res = await rawCall(baseUrl, "PUT", "/v1/accounts/login", {
    body: { logInByAccount: { accountName, password: sha512(password) } },
    ...(dispatcher === undefined ? {} : { dispatcher }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return json<{ inventory: { uuid: string } }>(res).inventory.uuid;
}

/** Submits a VM action; returns the raw answer. */
export function submitAction(
  baseUrl: string,
  session: string,
  vmUuid: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<RawResponse> {
  return rawCall(baseUrl, "PUT", `/v1/vm-instances/${vmUuid}/actions`, { body, session, headers });
}

/** GETs a job `location` until it is no longer 202; fails after `timeoutMs`. */
export async function pollJob(location: string, timeoutMs = 5000, intervalMs = 5): Promise<RawResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(location, { method: "GET" });
    const text = await res.body.text();
    if (res.statusCode !== 202)
      return {
        status: res.statusCode,
        contentType: String(res.headers["content-type"] ?? ""),
        text,
        headers: res.headers,
      };
    if (Date.now() > deadline) throw new Error(`job ${location} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Submits an action and polls its job to the end; returns the final poll answer. */
export async function runAction(
  baseUrl: string,
  session: string,
  vmUuid: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<RawResponse> {
  const accepted = await submitAction(baseUrl, session, vmUuid, body, headers);
  if (accepted.status !== 202) throw new Error(`submit not accepted: ${accepted.status} ${accepted.text}`);
  return pollJob(json<{ location: string }>(accepted).location);
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
