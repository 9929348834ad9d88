// Identity: accounts and their login sessions with sliding expiry, and AccessKey request signing
// (docs/zstack-behaviour.md#login-and-sessions, #accesskey-signing). The REST layer only parses the
// Authorization header (synchronous 400/403); whether the session is valid is decided later, when the API
// message is processed (ID.1001).

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "./clock";
import { derivedUuid, newUuid } from "./ids";
import { localWallClock, parseRequestDate } from "./request-date";
import {
  formatZStackDate,
  textReply,
  zstackError,
  ZStackApiError,
  type Reply,
  type ZStackErrorCode,
} from "./wire";

/** The built-in admin account's uuid (`AccountConstant.INITIAL_SYSTEM_ADMIN_UUID`). */
export const ADMIN_ACCOUNT_UUID = "36c27e8ff05c4780bf6d2fa65700f22e";

/** An account that can log in, with its plaintext password (the simulator stores the SHA-512 hex). */
export interface AccountCredentials {
  readonly name: string;
  readonly password: string;
}

/** An AccessKey pair accepted in `Authorization: ZStack <id>:<signature>` headers. */
export interface AccessKeyCredentials {
  readonly id: string;
  readonly secret: string;
}

/** `SessionInventory` as login returns it (APILogInByAccountMsg's reply). */
export interface SessionInventory {
  readonly uuid: string;
  readonly accountUuid: string;
  readonly userUuid: string;
  readonly userType: string;
  readonly expiredDate: string;
  readonly createDate: string;
}

/** Who a request claims to be, as parsed from its Authorization header. */
export type Credential =
  | { readonly type: "session"; readonly sessionUuid: string }
  | { readonly type: "accessKey"; readonly accessKeyId: string; readonly signatureValid: boolean };

/** The REST layer's verdict on the Authorization header: a credential to check later, or a 400/403 reply. */
type Authentication = { readonly credential: Credential } | { readonly reply: Reply };

/** The parts of a request that AccessKey signing covers. */
interface SignedRequest {
  readonly authorization: string | undefined;
  readonly date: string | undefined;
  readonly method: string;
  /** The path after the context path, without the query, e.g. `/v1/vm-instances/<uuid>/actions`. */
  readonly uri: string;
}

/** The identity global configs that bound sessions (`conf/globalConfig/identity.xml`, IdentityGlobalConfig). */
export interface SessionPolicy {
  /** `identity.session.timeout`: sliding session lifetime in seconds. */
  readonly timeoutSeconds: number;
  /**
   * `identity.session.cleanup.interval`: how often, in seconds, expired sessions are deleted; until then they still
   * count against `maxConcurrent`.
   */
  readonly cleanupIntervalSeconds: number;
  /** `identity.session.maxConcurrent`: open sessions one account may hold; the next login fails `ID.1006`. */
  readonly maxConcurrent: number;
  /** `identity.enable.unique.session`: a login ends the account's other sessions. */
  readonly unique: boolean;
}

/** Options of {@link Auth}. */
interface AuthOptions {
  readonly accounts: readonly AccountCredentials[];
  readonly accessKeys: readonly AccessKeyCredentials[];
  readonly sessions: SessionPolicy;
  /** The clock sessions expire by. */
  readonly now: Clock;
}

/** Session counts of one account, or of all (what tests read to find sessions left open). */
export interface SessionCounts {
  /** Sessions the node holds and counts against the limit: not logged out, and not swept after expiring. */
  readonly open: number;
  /** Successful logins. */
  readonly logins: number;
  /** Logouts that ended a known session. */
  readonly logouts: number;
  /** Logins refused with `ID.1006`. */
  readonly refused: number;
}

interface Session {
  readonly uuid: string;
  readonly accountUuid: string;
  readonly createdAt: number;
  expiresAt: number;
}

/** The SHA-512 hex digest that `logInByAccount` carries instead of the password (APILogInByAccountMsg). */
function sha512Hex(text: string): string {
  return createHash("sha512").update(text).digest("hex");
}

/** The SDKs' AccessKey signature: Base64(HmacSHA1(secret, METHOD + "\n" + Date + "\n" + uri)) (ZSClient). */
export function accessKeySignature(secret: string, method: string, date: string, uri: string): string {
  return createHmac("sha1", secret).update(`${method}\n${date}\n${uri}`).digest("base64");
}

// RestConstants.REQUEST_DURATION_MINUTES: AccessKey requests must be dated within ±15 minutes
// (RestServer.checkTime).
const MAX_SKEW_MS = 15 * 60 * 1000;

const sessionExpired = (): ZStackErrorCode => zstackError("ID.1001", "Session expired");

// Session.login (identity/…/Session.java): the details carry no figures; ID.1006 is
// IdentityErrors.MAX_CONCURRENT_SESSION_EXCEEDED.
const sessionLimitHit = (): ZStackErrorCode =>
  zstackError("ID.1006", "Login sessions hit limit of max allowed concurrent login sessions");

interface AccountCounters {
  logins: number;
  logouts: number;
  refused: number;
}

/** Accounts, sessions and AccessKeys of one management node. */
export class Auth {
  private readonly sessions = new Map<string, Session>();
  private readonly accounts: ReadonlyMap<string, { readonly uuid: string; readonly passwordHash: string }>;
  private readonly accessKeys: ReadonlyMap<string, string>;
  private readonly timeoutMs: number;
  private readonly now: Clock;
  private readonly policy: SessionPolicy;
  private readonly counters = new Map<string, AccountCounters>();
  private startedAt: number;

  constructor(options: AuthOptions) {
    this.accounts = new Map(
      options.accounts.map((a) => [
        a.name,
        {
          uuid: a.name === "admin" ? ADMIN_ACCOUNT_UUID : derivedUuid("account", a.name),
          passwordHash: sha512Hex(a.password),
        },
      ]),
    );
    this.accessKeys = new Map(options.accessKeys.map((k) => [k.id, k.secret]));
    if (!(options.sessions.cleanupIntervalSeconds > 0))
      throw new Error(
        `the session cleanup interval must be a positive number of seconds, got ${options.sessions.cleanupIntervalSeconds}`,
      );
    this.timeoutMs = options.sessions.timeoutSeconds * 1000;
    this.policy = options.sessions;
    this.now = options.now;
    this.startedAt = this.now();
  }

  /**
   * `logInByAccount`: a new session; ID.1000 for a wrong name or password hash; ID.1006 when the account already
   * holds `maxConcurrent` sessions (Session.login counts the account's SessionVO rows, expired ones included until
   * the periodic sweep deletes them). With `unique` sessions the account's other sessions end first, so the limit
   * is never hit.
   */
  login(accountName: string, passwordHash: string): SessionInventory {
    const account = this.accounts.get(accountName);
    if (account === undefined || account.passwordHash !== passwordHash)
      throw new ZStackApiError(zstackError("ID.1000", "wrong account name or password"));
    const now = this.now();
    this.sweep(now);
    const counters = this.countersOf(account.uuid);
    if (this.policy.unique) this.endSessionsOf(account.uuid);
    if (this.openSessionsOf(account.uuid) >= this.policy.maxConcurrent) {
      counters.refused++;
      throw new ZStackApiError(sessionLimitHit());
    }
    counters.logins++;
    const session: Session = {
      uuid: newUuid(),
      accountUuid: account.uuid,
      createdAt: now,
      expiresAt: now + this.timeoutMs,
    };
    this.sessions.set(session.uuid, session);
    return this.inventory(session);
  }

  /** `DELETE /v1/accounts/sessions/{uuid}`: always succeeds, known session or not. */
  logout(sessionUuid: string): void {
    const session = this.sessions.get(sessionUuid);
    if (session === undefined) return;
    this.sessions.delete(sessionUuid);
    this.countersOf(session.accountUuid).logouts++;
  }

  /** The session counts of one account (by name), or of every account. */
  sessionCounts(accountName?: string): SessionCounts {
    this.sweep(this.now());
    const uuids =
      accountName === undefined
        ? [...this.accounts.values()].map((a) => a.uuid)
        : [this.accounts.get(accountName)?.uuid ?? derivedUuid("account", accountName)];
    const totals = { open: 0, logins: 0, logouts: 0, refused: 0 };
    for (const uuid of uuids) {
      const counters = this.countersOf(uuid);
      totals.open += this.openSessionsOf(uuid);
      totals.logins += counters.logins;
      totals.logouts += counters.logouts;
      totals.refused += counters.refused;
    }
    return totals;
  }

  /** `GET /v1/accounts/sessions/{uuid}/valid`; does not renew. */
  isValid(sessionUuid: string): boolean {
    const session = this.sessions.get(sessionUuid);
    return session !== undefined && session.expiresAt > this.now();
  }

  /**
   * RestServer's header checks: a missing header or unknown scheme is a plain-text 400; AccessKey requests
   * also need a `Date` in the server's pattern (else 400) whose wall clock is within ±15 minutes of the server's
   * (403 `requestTimeTooSkewed`), and an `id:signature` credential.
   */
  authenticate(request: SignedRequest): Authentication {
    const header = request.authorization;
    if (header === undefined) return { reply: textReply(400, "missing header 'Authorization'") };
    const space = header.indexOf(" ");
    const scheme = space < 0 ? header : header.slice(0, space);
    const value = space < 0 ? "" : header.slice(space + 1).trim();
    if (scheme === "OAuth") return { credential: { type: "session", sessionUuid: value } };
    if (scheme !== "ZStack") return { reply: textReply(400, "Authorization type must be 'OAuth'") };

    if (request.date === undefined)
      return { reply: textReply(400, "'Date' must be incuded in request header") };
    const dated = parseRequestDate(request.date);
    if (dated === undefined)
      return {
        reply: textReply(400, "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'"),
      };
    // rest.checkTimeZone defaults to false: the header's wall clock is compared with the server's own, whatever
    // zone the header names (RestServer.checkTimeSkewing compares `toLocalDateTime()`s).
    if (Math.abs(localWallClock(Date.now()) - dated) > MAX_SKEW_MS)
      return { reply: textReply(403, "requestTimeTooSkewed") };
    const parts = value.split(":");
    if (parts.length !== 2)
      return { reply: textReply(400, "accessKey format is 'ZStack AccessKeyId:Signature'") };
    const [accessKeyId = "", signature = ""] = parts;
    const secret = this.accessKeys.get(accessKeyId);
    const expected =
      secret === undefined
        ? undefined
        : accessKeySignature(secret, request.method, request.date, request.uri);
    const signatureValid =
      expected !== undefined &&
      expected.length === signature.length &&
      timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    return { credential: { type: "accessKey", accessKeyId, signatureValid } };
  }

  /**
   * AuthorizationManager's session check at message-processing time: ID.1001 for an unknown or expired
   * session, else the session's expiry slides to now + timeout (AuthorizationManager.evaluateSession).
   *
   * The AccessKey backend is closed source (docs/zstack-behaviour.md#not-settled-by-the-source). A wrong
   * signature or unknown key is treated like a bad session, ID.1001, with the details `wrong accessKey
   * signature` that the Go SDK string-matches.
   */
  authorize(credential: Credential): ZStackErrorCode | undefined {
    if (credential.type === "accessKey")
      return credential.signatureValid ? undefined : zstackError("ID.1001", "wrong accessKey signature");
    const session = this.sessions.get(credential.sessionUuid);
    const now = this.now();
    if (session === undefined || session.expiresAt <= now) return sessionExpired();
    session.expiresAt = now + this.timeoutMs;
    return undefined;
  }

  /** Expires one session now (it stays known, so it reads as "Session expired"). */
  expire(sessionUuid: string): void {
    const session = this.sessions.get(sessionUuid);
    if (session !== undefined) session.expiresAt = this.now();
  }

  /** Expires every session now. */
  expireAll(): void {
    const now = this.now();
    for (const session of this.sessions.values()) session.expiresAt = now;
  }

  /** Forgets every session (a management-node restart); the sweep's schedule starts again. */
  clear(): void {
    this.sessions.clear();
    this.startedAt = this.now();
  }

  // The ExpiredSessionCleanupThread runs every cleanup interval from the node's start and deletes the sessions
  // expired by then (`CURRENT_TIMESTAMP >= expiredDate`); computed here on demand from the last run's time.
  private sweep(now: number): void {
    const interval = this.policy.cleanupIntervalSeconds * 1000;
    const lastRun = this.startedAt + Math.floor((now - this.startedAt) / interval) * interval;
    for (const [uuid, session] of this.sessions) if (session.expiresAt <= lastRun) this.sessions.delete(uuid);
  }

  private openSessionsOf(accountUuid: string): number {
    let open = 0;
    for (const session of this.sessions.values()) if (session.accountUuid === accountUuid) open++;
    return open;
  }

  private endSessionsOf(accountUuid: string): void {
    for (const [uuid, session] of this.sessions)
      if (session.accountUuid === accountUuid) this.sessions.delete(uuid);
  }

  private countersOf(accountUuid: string): AccountCounters {
    let counters = this.counters.get(accountUuid);
    if (counters === undefined)
      this.counters.set(accountUuid, (counters = { logins: 0, logouts: 0, refused: 0 }));
    return counters;
  }

  private inventory(session: Session): SessionInventory {
    return {
      uuid: session.uuid,
      accountUuid: session.accountUuid,
      // Account login: the user is the account itself; userType is not settled by the source, likely
      // AccountVO.
      userUuid: session.accountUuid,
      userType: "AccountVO",
      expiredDate: formatZStackDate(session.expiresAt),
      createDate: formatZStackDate(session.createdAt),
    };
  }
}
