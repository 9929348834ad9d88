/**
 * Authentication: account sessions (login, process-wide sharing, single-flight re-login on `ID.1001`, logout)
 * and AccessKey request signing, as the official SDKs do (docs/zstack-behaviour.md#login-and-sessions,
 * #accesskey-signing).
 */
import { createHash, createHmac } from "node:crypto";
import type { AccessKeyCredentials, AccountCredentials } from "./endpoint";
import { ZStackError } from "./errors";
import type { Redactor } from "./redact";
import { explainSessionLimit } from "./session-limit";

/** SHA-512 of the password as lowercase hex: what `logInByAccount` expects. */
export function hashPassword(password: string): string {
  return createHash("sha512").update(password, "utf8").digest("hex");
}

/** The body of `PUT /v1/accounts/login`. */
export function loginBody(credentials: AccountCredentials): string {
  return JSON.stringify({
    logInByAccount: { accountName: credentials.accountName, password: hashPassword(credentials.password) },
  });
}

/** The `Date` header of a signed request: RFC 1123 in GMT (`EEE, dd MMM yyyy HH:mm:ss z`, e.g. `Tue, 05 Nov 2024 10:00:00 GMT`). */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * The AccessKey signature: `base64(HMAC-SHA1(secret, METHOD + "\n" + Date + "\n" + uri))`, where `uri` is the request
 * path after the context path, without the query (e.g. `/v1/vm-instances/<uuid>/actions`).
 */
export function signRequest(secret: string, method: string, date: string, uri: string): string {
  return createHmac("sha1", secret)
    .update(`${method.toUpperCase()}\n${date}\n${uri}`, "utf8")
    .digest("base64");
}

/** Strips the query from an API path (the signature covers the path only). */
export function signedUri(apiPath: string): string {
  const q = apiPath.search(/[?#]/);
  return q < 0 ? apiPath : apiPath.slice(0, q);
}

/** The credentials-bearing headers of one request, and the session they used (for `ID.1001` handling). */
export interface AuthHeaders {
  readonly headers: Readonly<Record<string, string>>;
  /** The session id used (account auth only). */
  readonly sessionId?: string;
}

/** Authenticates requests of one client. */
export interface Authenticator {
  /** `account` sessions or `accessKey` signatures. */
  readonly kind: "account" | "accessKey";
  /**
   * The headers for one request (logging in first if needed; concurrent callers share one login).
   * @param method HTTP method
   * @param apiPath the path after the context path (`/v1/...`), query allowed
   * @param deadline the request's deadline (epoch ms): a login it needs ends by then
   */
  headersFor(method: string, apiPath: string, deadline: number): Promise<AuthHeaders>;
  /**
   * Called when a request made with `staleSessionId` got `ID.1001`. Resolves once a fresh session exists, sharing
   * one re-login among all callers that report the same stale session. Returns false when the credentials cannot be
   * renewed (AccessKey), so the caller must fail. The re-login ends by `deadline`, the request's.
   */
  renew(staleSessionId: string | undefined, deadline: number): Promise<boolean>;
  /** The session id requests currently carry (account auth, once logged in). */
  currentSessionId(): string | undefined;
  /** Ends the session (account logout); safe to call twice. */
  close(): Promise<void>;
}

/** Signs every request with an AccessKey; there is no session. */
export class AccessKeyAuthenticator implements Authenticator {
  readonly kind = "accessKey";

  /**
   * @param credentials the AccessKey (its secret is registered with the redactor)
   * @param now clock (injectable for tests)
   */
  constructor(
    private readonly credentials: AccessKeyCredentials,
    redactor: Redactor,
    private readonly now: () => Date = () => new Date(),
  ) {
    redactor.add(credentials.accessKeySecret);
  }

  async headersFor(method: string, apiPath: string, _deadline?: number): Promise<AuthHeaders> {
    const date = formatHttpDate(this.now());
    const signature = signRequest(this.credentials.accessKeySecret, method, date, signedUri(apiPath));
    return {
      headers: { authorization: `ZStack ${this.credentials.accessKeyId}:${signature}`, date },
    };
  }

  async renew(): Promise<boolean> {
    return false;
  }

  currentSessionId(): undefined {
    return undefined;
  }

  async close(): Promise<void> {}
}

/** Hooks the session manager uses to talk to the server. */
interface SessionTransport {
  /** Logs in and returns the new session id (retries transient faults itself), giving up at `deadline`. */
  login(deadline: number): Promise<string>;
  /** Logs the session out (best effort). */
  logout(sessionId: string): Promise<void>;
  /** Counts a login (first or renewal). */
  onLogin(renewal: boolean): void;
}

/** A login in flight, and the deadline it runs under. */
interface InflightLogin {
  readonly session: Promise<string>;
  readonly deadline: number;
}

/**
 * An account session shared by every caller of the client: one login on first use (single-flight: concurrent callers
 * wait on the same in-flight login), one re-login when a caller reports `ID.1001` for the current session (single-
 * flight too: 64 callers reporting the same stale session cause one login), logout on close.
 *
 * Every caller waits for a login no longer than its own request's deadline (the resource's `timeoutSeconds`): the
 * login runs under the deadline of the caller that started it, each waiter gives up at its own, and a waiter that
 * still has time when a login is cut by a shorter deadline than its own starts another.
 */
export class AccountSessionAuthenticator implements Authenticator {
  readonly kind = "account";
  private sessionId: string | undefined;
  private inflight: InflightLogin | undefined;
  private closed = false;

  /**
   * @param redactor every session id is registered with it
   * @param accountName named in the error of a login refused for the session limit (`ID.1006`)
   */
  constructor(
    private readonly transport: SessionTransport,
    private readonly redactor: Redactor,
    private readonly accountName?: string,
  ) {}

  /** The current session id, logging in (once, shared) if there is none, by `deadline`. */
  async session(deadline: number): Promise<string> {
    if (this.sessionId !== undefined) return this.sessionId;
    return this.login(false, deadline);
  }

  private async login(renewal: boolean, deadline: number): Promise<string> {
    for (;;) {
      const current = this.inflight ?? this.start(renewal, deadline);
      try {
        return await withinDeadline(current.session, deadline);
      } catch (error) {
        // Cut by an earlier caller's shorter deadline while ours has time left: log in again, for us.
        const cutShort = current.deadline < deadline && isTimeout(error) && Date.now() < deadline;
        if (!cutShort) throw error;
      }
    }
  }

  private start(renewal: boolean, deadline: number): InflightLogin {
    const session = (async () => {
      try {
        this.transport.onLogin(renewal);
        const id = await this.transport.login(deadline).catch((error: unknown) => {
          throw explainSessionLimit(error, this.accountName);
        });
        this.redactor.add(id);
        this.sessionId = id;
        return id;
      } finally {
        this.inflight = undefined;
      }
    })();
    // A waiter that gave up at its own deadline no longer listens; the login's failure must not go unhandled.
    session.catch(() => undefined);
    const inflight = { session, deadline };
    this.inflight = inflight;
    return inflight;
  }

  async headersFor(_method: string, _apiPath: string, deadline: number): Promise<AuthHeaders> {
    const sessionId = await this.session(deadline);
    return { headers: { authorization: `OAuth ${sessionId}` }, sessionId };
  }

  currentSessionId(): string | undefined {
    return this.sessionId;
  }

  async renew(staleSessionId: string | undefined, deadline: number): Promise<boolean> {
    if (this.closed) return false;
    // Another caller already renewed (or is renewing): use that session.
    if (this.inflight) {
      await this.login(true, deadline);
      return true;
    }
    if (this.sessionId !== undefined && this.sessionId !== staleSessionId) return true;
    this.sessionId = undefined;
    await this.login(true, deadline);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.inflight;
    if (pending) await pending.session.catch(() => undefined);
    const id = this.sessionId;
    this.sessionId = undefined;
    if (id !== undefined) {
      // The id stays registered with the redactor: late log lines of in-flight requests may still name it.
      await this.transport.logout(id);
    }
  }
}

function isTimeout(error: unknown): boolean {
  return ZStackError.isInstance(error) && error.fault === "timeout";
}

/** Waits for a shared login, but not past this caller's deadline. */
function withinDeadline(session: Promise<string>, deadline: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ZStackError({
            operation: "login",
            code: "CLIENT.TIMEOUT",
            description: "Deadline exceeded",
            details: "the login (shared with other requests) had not finished by this request's deadline",
            fault: "timeout",
            retryable: false,
          }),
        ),
      Math.max(0, deadline - Date.now()),
    );
    session.then(
      (id) => {
        clearTimeout(timer);
        resolve(id);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
