/**
 * The ZStack client: queries, async VM actions and session management for one endpoint and one set of credentials.
 * A client owns its connection pool and its session; whoever makes it closes it.
 */
import type { Pool } from "undici";
import type { VmAction } from "./actions";
import { AnswerModes } from "./answer-modes";
import {
  AccessKeyAuthenticator,
  AccountSessionAuthenticator,
  hashPassword,
  loginBody,
  type Authenticator,
} from "./auth";
import { deadlineOf, DEFAULT_QUERY_TIMEOUT_MS, type CallOptions } from "./call-options";
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  resolveEndpoint,
  type ConnectionSettings,
  type Endpoint,
} from "./endpoint";
import { protocolError, ZStackError } from "./errors";
import {
  LoginReplySchema,
  ResourceConfigReplySchema,
  summarizeIssues,
  VmInstanceInventorySchema,
  VmQueryReplySchema,
} from "./inventory";
import type { VmInstanceInventory } from "../vocabulary/inventories";
import {
  newJobUuid,
  submitAction,
  waitForJob,
  type JobDeps,
  type SubmitOptions,
  type SubmittedJob,
} from "./jobs";
import { resolveLogger, type ZStackLogger } from "./logging";
import { AdaptivePollSchedule, type PollSchedule } from "./poll-schedule";
import { closePool, openPool } from "./pool";
import { Redactor } from "./redact";
import {
  pageParams,
  readAllPages,
  type PageRequest,
  type QueryOptions,
  type QueryPage,
  type QueryResult,
} from "./query";
import { ExponentialBackoffRetry, type RetryStrategy } from "./retry";
import { originOf, type ResourceConfigReading } from "./resource-config-origin";
import { GET_VERSION_REQUEST, parseVersionReply, type ZStackVersion } from "./server-version";
import { MutableClientStats, type ClientStats } from "./stats";
import { abortedError, errorFromResponse, parseJson, Transport, type RequestContext } from "./transport";

/** Tuning and test hooks of a client (all optional). */
export interface ClientOptions {
  /** Retry strategy for transient faults (default: {@link ExponentialBackoffRetry} with its defaults). */
  readonly retry?: RetryStrategy;
  /**
   * Poll schedule (default: an {@link AdaptivePollSchedule} of this client's own). Pass one to share what it learns
   * about job durations between clients, as the provider runtime does with its own.
   */
  readonly pollSchedule?: PollSchedule;
  /** Debug logger hook; without it, `ZSTACK_DEBUG=1` logs to stderr. */
  readonly logger?: ZStackLogger;
  /** Job uuid generator (32 hex); for tests. */
  readonly newJobUuid?: () => string;
  /** Budget of one login including retries (default 60 s); the deadline of the request that needs it also applies. */
  readonly loginTimeoutMs?: number;
}

/**
 * A client of one ZStack endpoint with one set of credentials. It opens its own connection pool when made and logs
 * in on first need (account credentials); {@link ZStackClient.close} logs that session out and closes the pool.
 */
export class ZStackClient {
  /** Request, login, retry and poll counters (read-only view). */
  readonly stats: ClientStats;
  /** The normalized endpoint. */
  readonly endpoint: Endpoint;
  private readonly mutableStats = new MutableClientStats();
  private readonly redactor = new Redactor();
  private readonly pool: Pool;
  private readonly transport: Transport;
  private readonly authenticator: Authenticator;
  private readonly jobs: JobDeps;
  private closing: Promise<void> | undefined;
  /** The node's version, asked once per client (see {@link getVersion}). */
  private version: Promise<ZStackVersion> | undefined;

  /**
   * Creates a client and opens its connection pool. Throws `CLIENT.CONFIG` errors for invalid settings.
   */
  constructor(settings: ConnectionSettings, options: ClientOptions = {}) {
    this.stats = this.mutableStats;
    this.endpoint = resolveEndpoint(settings);
    const credentials = settings.credentials;
    if (credentials?.kind === "account") {
      this.redactor.add(credentials.password);
      this.redactor.add(hashPassword(credentials.password));
    } else if (credentials?.kind === "accessKey") {
      this.redactor.add(credentials.accessKeySecret);
    } else {
      throw new ZStackError({
        code: "CLIENT.CONFIG",
        description: "Invalid connection settings",
        details: `credentials.kind must be "account" or "accessKey"`,
        operation: "connect",
        fault: "protocol",
      });
    }
    const connections = settings.connections ?? DEFAULT_CONNECTIONS;
    const requestTimeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const loginTimeoutMs = options.loginTimeoutMs ?? 60_000;
    this.pool = openPool(this.endpoint, connections);

    // The session manager logs in through the transport, which authenticates with the session manager.
    const late: { transport?: Transport } = {};
    const transportRef = (): Transport => late.transport as Transport;
    this.authenticator =
      credentials.kind === "account"
        ? new AccountSessionAuthenticator(
            {
              // The login ends by the deadline of the request that needs it, and within its own budget.
              login: (deadline) =>
                this.login(
                  transportRef(),
                  credentials.accountName,
                  loginBody(credentials),
                  Math.min(deadline, Date.now() + loginTimeoutMs),
                ),
              logout: (sessionId) => this.logout(transportRef(), sessionId),
              onLogin: (renewal) => {
                this.mutableStats.logins++;
                if (renewal) this.mutableStats.reLogins++;
              },
            },
            this.redactor,
            credentials.accountName,
          )
        : new AccessKeyAuthenticator(credentials, this.redactor);
    const transport = new Transport({
      pool: this.pool,
      endpoint: this.endpoint,
      authenticator: this.authenticator,
      redactor: this.redactor,
      stats: this.mutableStats,
      logger: resolveLogger(options.logger),
      requestTimeoutMs,
      retry: options.retry ?? new ExponentialBackoffRetry(),
    });
    this.transport = transport;
    late.transport = transport;
    this.jobs = {
      endpoint: this.endpoint,
      transport,
      authenticator: this.authenticator,
      redactor: this.redactor,
      stats: this.mutableStats,
      schedule: options.pollSchedule ?? new AdaptivePollSchedule(),
      newJobUuid: options.newJobUuid ?? newJobUuid,
      answerModes: new AnswerModes(),
    };
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  private checkOpen(operation: string, vmUuid?: string): void {
    if (this.closing) {
      throw new ZStackError({
        operation,
        ...(vmUuid ? { vmUuid } : {}),
        code: "CLIENT.CLOSED",
        description: "Client closed",
        details: "the client was closed; make a new one",
        fault: "protocol",
      });
    }
  }

  private context(operation: string, options: CallOptions | undefined, vmUuid?: string): RequestContext {
    const vm = vmUuid ?? options?.vmUuid;
    return {
      operation,
      deadline: deadlineOf(options, DEFAULT_QUERY_TIMEOUT_MS),
      ...(vm ? { vmUuid: vm } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
    };
  }

  /** `PUT /v1/accounts/login` (`logInByAccount`, SHA-512 password); returns the session id. */
  private async login(
    transport: Transport,
    accountName: string,
    body: string,
    deadline: number,
  ): Promise<string> {
    const ctx: RequestContext = { operation: "login", deadline };
    const response = await transport.sendWithRetry(
      { kind: "login", method: "PUT", apiPath: "/v1/accounts/login", body, authenticate: false },
      ctx,
    );
    if (response.status !== 200) {
      const error = errorFromResponse(response, ctx, this.redactor);
      throw error.code.startsWith("ID.")
        ? error.with({ details: `${error.details ?? ""} (account ${JSON.stringify(accountName)})`.trim() })
        : error;
    }
    const parsed = LoginReplySchema.safeParse(parseJson(response, ctx, this.redactor));
    if (!parsed.success) throw protocolError(ctx, `login reply: ${summarizeIssues(parsed.error)}`, 200);
    this.redactor.add(parsed.data.inventory.uuid);
    return parsed.data.inventory.uuid;
  }

  /** `DELETE /v1/accounts/sessions/{id}`, best effort (a few seconds, errors ignored). */
  private async logout(transport: Transport, sessionId: string): Promise<void> {
    const ctx: RequestContext = { operation: "logout", deadline: Date.now() + 5000 };
    try {
      await transport.sendWithRetry(
        {
          kind: "logout",
          method: "DELETE",
          apiPath: `/v1/accounts/sessions/${encodeURIComponent(sessionId)}`,
          logPath: "/v1/accounts/sessions/***",
          authenticate: false,
        },
        ctx,
      );
    } catch {
      // The session expires by itself on the server; a failed logout must not fail close().
    }
  }

  /**
   * Reads a VM: `GET /v1/vm-instances/{uuid}`. Resolves `undefined` when the VM does not exist (an empty
   * `inventories`; expunged VMs are gone, destroyed ones still exist with state `Destroyed`).
   */
  async getVm(vmUuid: string, opts?: CallOptions): Promise<VmInstanceInventory | undefined> {
    this.checkOpen("getVm", vmUuid);
    const ctx = this.context("getVm", opts, vmUuid);
    const response = await this.transport.sendAuthenticated(
      {
        kind: "vmQuery",
        method: "GET",
        apiPath: `/v1/vm-instances/${encodeURIComponent(vmUuid)}`,
        authenticate: true,
      },
      ctx,
    );
    if (response.status !== 200) throw errorFromResponse(response, ctx, this.redactor);
    const reply = VmQueryReplySchema.safeParse(parseJson(response, ctx, this.redactor));
    if (!reply.success) throw protocolError(ctx, `query reply: ${summarizeIssues(reply.error)}`, 200);
    const first = reply.data.inventories[0];
    if (first === undefined) return undefined;
    const vm = VmInstanceInventorySchema.safeParse(first);
    if (!vm.success) throw protocolError(ctx, `VmInstanceInventory: ${summarizeIssues(vm.error)}`, 200);
    return vm.data;
  }

  /**
   * Queries VMs: `GET /v1/vm-instances?q=…` with every condition (ZStack's `field<operator>value` texts, ANDed),
   * reading every page in uuid order (see {@link readAllPages}). Each inventory is validated like {@link getVm}'s.
   * A condition the server cannot use fails with its answer: a plain-text 400 for bad syntax, `SYS.1007` for a field
   * the inventory does not have.
   */
  async queryVms(
    conditions: readonly string[],
    opts?: QueryOptions,
  ): Promise<QueryResult<VmInstanceInventory>> {
    this.checkOpen("queryVmInstance");
    const ctx = this.context("queryVmInstance", opts);
    return readAllPages((page) => this.queryVmPage(conditions, page, ctx), ctx, opts?.pageSize);
  }

  /** One page of {@link queryVms}. */
  private async queryVmPage(
    conditions: readonly string[],
    page: PageRequest,
    ctx: RequestContext,
  ): Promise<QueryPage<VmInstanceInventory>> {
    const response = await this.transport.sendAuthenticated(
      {
        kind: "vmQuery",
        method: "GET",
        apiPath: `/v1/vm-instances?${pageParams(conditions, page).toString()}`,
        authenticate: true,
      },
      ctx,
    );
    if (response.status !== 200) throw errorFromResponse(response, ctx, this.redactor);
    const reply = VmQueryReplySchema.safeParse(parseJson(response, ctx, this.redactor));
    if (!reply.success) throw protocolError(ctx, `query reply: ${summarizeIssues(reply.error)}`, 200);
    const inventories = reply.data.inventories.map((item, index) => {
      const vm = VmInstanceInventorySchema.safeParse(item);
      if (!vm.success) {
        throw protocolError(
          ctx,
          `VmInstanceInventory ${page.start + index}: ${summarizeIssues(vm.error)}`,
          200,
        );
      }
      return vm.data;
    });
    return { inventories, ...(reply.data.total !== undefined ? { total: reply.data.total } : {}) };
  }

  /**
   * The management node's version (`APIGetVersionMsg`, which needs no session), asked once per client: a node is
   * not upgraded under a running command. A failed ask is not kept, so the next call asks again.
   */
  getVersion(opts?: CallOptions): Promise<ZStackVersion> {
    this.checkOpen("getVersion");
    this.version ??= this.askVersion(opts).catch((error: unknown) => {
      this.version = undefined;
      throw error;
    });
    return this.version;
  }

  private async askVersion(opts: CallOptions | undefined): Promise<ZStackVersion> {
    const ctx = this.context("getVersion", opts);
    const response = await this.transport.sendWithRetry(
      {
        kind: "version",
        method: GET_VERSION_REQUEST.method,
        apiPath: GET_VERSION_REQUEST.path,
        body: JSON.stringify(GET_VERSION_REQUEST.body),
        authenticate: false,
      },
      ctx,
    );
    if (response.status !== 200) throw errorFromResponse(response, ctx, this.redactor);
    return parseVersionReply(parseJson(response, ctx, this.redactor));
  }

  /**
   * Reads a resource configuration's effective value:
   * `GET /v1/resource-configurations/{resourceUuid}/{category}/{name}` → `value` (the global value when the resource
   * has no override, e.g. `host` / `false` / `0` for the clock settings of a VM).
   */
  async getResourceConfig(
    resourceUuid: string,
    category: string,
    name: string,
    opts?: CallOptions,
  ): Promise<string> {
    return (await this.readResourceConfig(resourceUuid, category, name, opts)).value;
  }

  /**
   * Reads a resource configuration with where its value comes from (the same request as {@link getResourceConfig}):
   * `own` when `effectiveConfigs` lists a value bound to the resource itself, `inherited` when it reads the global
   * value (or one bound to a resource above it). See `resource-config-origin.ts`.
   */
  async readResourceConfig(
    resourceUuid: string,
    category: string,
    name: string,
    opts?: CallOptions,
  ): Promise<ResourceConfigReading> {
    const vmUuid = opts?.vmUuid ?? (category === "vm" ? resourceUuid : undefined);
    this.checkOpen("getResourceConfig", vmUuid);
    const ctx = this.context("getResourceConfig", opts, vmUuid);
    const path = [resourceUuid, category, name].map(encodeURIComponent).join("/");
    const response = await this.transport.sendAuthenticated(
      {
        kind: "resourceConfig",
        method: "GET",
        apiPath: `/v1/resource-configurations/${path}`,
        authenticate: true,
      },
      ctx,
    );
    if (response.status !== 200) throw errorFromResponse(response, ctx, this.redactor);
    const reply = ResourceConfigReplySchema.safeParse(parseJson(response, ctx, this.redactor));
    if (!reply.success)
      throw protocolError(ctx, `resource config reply: ${summarizeIssues(reply.error)}`, 200);
    const value = reply.data.value;
    if (value === undefined || value === null) {
      throw protocolError(ctx, `resource config ${category}/${name} of ${resourceUuid} has no value`, 200);
    }
    return { value: String(value), origin: originOf(resourceUuid, reply.data.effectiveConfigs) };
  }

  /**
   * Deletes a VM's own value of a resource configuration of category `vm` (`APIDeleteResourceConfigMsg`,
   * `DELETE /v1/resource-configurations/vm/{name}/{vmUuid}`), so that the VM inherits the global value again, and
   * waits for its job like an action's. Deleting a value the VM does not have succeeds and changes nothing.
   */
  async deleteResourceConfig(vmUuid: string, name: string, opts: CallOptions): Promise<void> {
    this.checkOpen("deleteResourceConfig", vmUuid);
    const job = await submitAction(
      this.jobs,
      vmUuid,
      { name: "deleteResourceConfig", params: { config: name } },
      opts,
    );
    await waitForJob(this.jobs, job, opts);
  }

  /**
   * Submits an action (`PUT /v1/vm-instances/{uuid}/actions` with a fresh or given `X-Job-UUID`) and resolves once
   * the server accepted it (202), or answered it synchronously (200: the job carries the result). Never submits
   * blindly twice: a lost answer is resolved by polling the job uuid.
   */
  async submitVmAction(vmUuid: string, action: VmAction, opts?: SubmitOptions): Promise<SubmittedJob> {
    this.checkOpen(action.name, vmUuid);
    return submitAction(this.jobs, vmUuid, action, opts);
  }

  /**
   * Polls a submitted VM action's job until its result (the VM inventory), a ZStack error, job loss, or the
   * deadline. (A DeleteResourceConfig job, which has no inventory, is waited for by {@link deleteResourceConfig}.)
   */
  async waitForJob(job: SubmittedJob, opts: CallOptions): Promise<VmInstanceInventory> {
    this.checkOpen(job.action, job.vmUuid);
    const ctx = { operation: job.action, vmUuid: job.vmUuid, jobUuid: job.jobUuid };
    if (opts.signal?.aborted) throw abortedError(ctx);
    const result = await waitForJob(this.jobs, job, opts);
    if (result === null)
      throw protocolError(ctx, `job ${job.jobUuid} (${job.action}) has no VM inventory`, 200);
    return result;
  }

  /** Submits an action and waits for its result under one deadline. */
  async runVmAction(vmUuid: string, action: VmAction, opts: CallOptions): Promise<VmInstanceInventory> {
    const job = await this.submitVmAction(vmUuid, action, opts);
    return this.waitForJob(job, opts);
  }

  /** Logs out (account sessions) and closes the pool. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        try {
          await this.authenticator.close();
        } finally {
          await closePool(this.pool);
        }
      })();
    }
    return this.closing;
  }
}
