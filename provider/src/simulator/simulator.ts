// Assembles one simulated management node: the stores, the job runner, the routes and the HTTP front end,
// and the handle tests drive it through.

import { ActionRunner } from "./actions";
import type { ApiActionName } from "./api-actions";
import { Auth, type AccessKeyCredentials, type AccountCredentials, type SessionCounts } from "./auth";
import { preciseNow, type Clock } from "./clock";
import { connectionSettings, type SimulatorLogin } from "./connection";
import { demoVms } from "./demo-vms";
import type { EndpointKind } from "../vocabulary/endpoint-kinds";
import { FaultInjector, type FaultHandle, type FaultRule } from "./faults";
import { DEFAULT_CONTEXT_PATH } from "../vocabulary/connection-defaults";
import type { VmState } from "../vocabulary/vm-states";
import type { VmInstanceInventory } from "./inventory";
import { JobRegistry, type JobRecord } from "./jobs";
import { Counters, RequestLog, type CountersSnapshot, type RequestLogEntry } from "./request-log";
import {
  resourceConfigDefinition,
  ResourceConfigStore,
  type GlobalConfigValues,
  type ResourceConfigName,
} from "./resource-configs";
import { DEFAULT_ZSTACK_VERSION, ServerVersion } from "./server-version";
import { Routes } from "./routes";
import { readSeedContents } from "./seed-file";
import { Frontend, type TlsOptions } from "./server";
import { completeVm, type VmSeed } from "./vm-factory";
import { VmStore, type VmHold, type VmOperation } from "./vm-store";

/** How long simulated work takes, in milliseconds. */
export interface SimulatorTimings {
  /** How long a VM stays `Pausing` (default 200). */
  readonly pauseMs?: number;
  /** How long a VM stays `Resuming` (default 200). */
  readonly resumeMs?: number;
  /** How long a VM stays `Stopping` in an out-of-band stop (default 200). */
  readonly stopMs?: number;
  /** How long a VM stays `Starting` in an out-of-band start (default 200). */
  readonly startMs?: number;
  /** How long a VM stays `Destroying` in an out-of-band destroy (default 200). */
  readonly destroyMs?: number;
  /** How long a setVmClockTrack job runs (default 50). */
  readonly clockTrackMs?: number;
  /** How long an update/delete resource-config job runs (default 50). */
  readonly resourceConfigMs?: number;
}

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Address to bind (default `127.0.0.1`; keep it on loopback). */
  readonly host?: string;
  /** Port to bind; 0 picks a free one (default 0). */
  readonly port?: number;
  /** The context path, without slashes (default `zstack`). */
  readonly contextPath?: string;
  /** VMs to seed (partial inventories are completed). Default: the demo VMs, unless `seedFile` is set. */
  readonly vms?: readonly VmSeed[];
  /**
   * A JSON seed fixture: an array of VM inventories, or a `{"inventories": [...]}` query reply, which may also list
   * `"accessKeys"` (added to {@link accessKeys}).
   */
  readonly seedFile?: string;
  /** Accounts that can log in (default one: `admin` / `password`). The first is the demo account. */
  readonly accounts?: readonly AccountCredentials[];
  /** AccessKeys accepted for `Authorization: ZStack <id>:<signature>` (default none, plus the seed file's). */
  readonly accessKeys?: readonly AccessKeyCredentials[];
  /** Durations of transitional states and jobs. */
  readonly timings?: SimulatorTimings;
  /** `identity.session.timeout`: sliding session lifetime in seconds, fractions allowed (default 7200). */
  readonly sessionTimeoutSeconds?: number;
  /**
   * `identity.session.maxConcurrent`: sessions per account (not logged out, and not yet swept after expiring); the
   * next login fails `ID.1006` (default 500).
   */
  readonly sessionMaxConcurrent?: number;
  /**
   * `identity.session.cleanup.interval`: every this many seconds from the start, expired sessions are deleted and
   * stop counting against the limit (default 3600, fractions allowed).
   */
  readonly sessionCleanupIntervalSeconds?: number;
  /** `identity.enable.unique.session`: every login ends the account's other sessions (default false). */
  readonly uniqueSession?: boolean;
  /** The version the node reports (`APIGetVersionMsg`) and behaves as, e.g. `4.4.8` (default 4.8.0). */
  readonly version?: string;
  /** Global values of the clock resource configs, instead of the shipped defaults (`host`, `false`, `0`). */
  readonly globalConfigs?: GlobalConfigValues;
  /** How long finished jobs stay pollable, in seconds (default 10800, `rest.completedApi.expiredPeriod`). */
  readonly jobRetentionSeconds?: number;
  /** The host written into job `location` URLs (default: the bound host), to test that clients rewrite it. */
  readonly advertisedHost?: string;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  readonly tls?: TlsOptions;
  /**
   * The clock sessions expire by and job records are timed and kept by, in epoch ms (default: the real one, with
   * sub-millisecond resolution). A `manualClock()` lets a test move past a timeout instead of sleeping through it.
   */
  readonly clock?: Clock;
  /** Seed of the PRNG behind probabilistic faults (default 1). */
  readonly randomSeed?: number;
  /**
   * Actions the submit answers synchronously, 200 with the result or 503 with the error and nothing to poll, as
   * the SetVmClockTrack doc page shows it (default none: every action answers 202 + `location`, as the server
   * code does for every message that is not an `APISyncCallMessage`).
   */
  readonly synchronousActions?: readonly ApiActionName[];
}

/** Where the simulator listens. */
export interface SimulatorEndpoint {
  readonly scheme: "http" | "https";
  readonly host: string;
  readonly port: number;
  readonly contextPath: string;
}

/** What another client (or the hypervisor) can do to a VM behind the resources' back. */
export type OutOfBandOperation = VmOperation;

/** The simulator's VMs. */
export interface SimulatorVms {
  /** The VM's current inventory (an immutable snapshot), or undefined when it does not exist. */
  get(uuid: string): VmInstanceInventory | undefined;
  /** Every VM. */
  list(): readonly VmInstanceInventory[];
  /** Adds a VM (missing fields completed); returns its inventory. */
  add(seed: VmSeed): VmInstanceInventory;
  /** Expunges a VM and its resource configs; returns whether it existed. */
  remove(uuid: string): boolean;
  /** Sets the state at once, as a direct DB change (hostUuid follows; lastOpDate refreshed). */
  setState(uuid: string, state: VmState): VmInstanceInventory;
  /**
   * Runs an operation as another client would: on the VM's chain, through the transitional state, with the
   * API's state rules. Resolves to the final inventory; rejects with a `ZStackApiError` when not allowed.
   */
  outOfBand(uuid: string, operation: OutOfBandOperation): Promise<VmInstanceInventory>;
  /**
   * Holds the VM's next operation (an accepted action's job or an out-of-band change) in its transitional state
   * until `release()`; `held` resolves once it waits there. For tests that act during a transition.
   */
  hold(uuid: string): VmHold;
  /** Resolves with the VM's inventory once it is in `state` (at once when it already is). */
  reaches(uuid: string, state: VmState): Promise<VmInstanceInventory>;
}

/** Fault injection. */
export interface SimulatorFaults {
  /** Registers a fault for the next matching requests. */
  inject(rule: FaultRule): FaultHandle;
  /** Retires every fault. */
  clear(): void;
}

/** The request log. */
export interface SimulatorLog {
  /** Every logged request, oldest first. */
  readonly entries: readonly RequestLogEntry[];
  /** The first request, logged already or from now on, that `matches` (logged once handled). */
  waitFor(matches: (entry: RequestLogEntry) => boolean): Promise<RequestLogEntry>;
  /** Empties the log. */
  clear(): void;
}

/** The request counters. */
export interface SimulatorCounters {
  /** Requests of one endpoint kind, or all requests. */
  count(kind?: EndpointKind): number;
  /** Submits that created a job (202, or reset after acceptance), optionally per VM and action. */
  acceptedActions(vmUuid?: string, action?: ApiActionName): number;
  /** Jobs that ran to success, optionally per VM and action. */
  executedActions(vmUuid?: string, action?: ApiActionName): number;
  /** Every counter, per endpoint kind, action, VM and status. */
  snapshot(): CountersSnapshot;
  /** Zeroes every counter. */
  reset(): void;
}

/** The jobs of the current "boot" (a restart forgets them). */
export interface SimulatorJobs {
  /** A job by uuid, with its server-side timing. */
  get(uuid: string): JobRecord | undefined;
  /** Every job. */
  list(): readonly JobRecord[];
}

/** Direct access to per-VM resource configs (the clock-track settings). */
export interface SimulatorResourceConfigs {
  /** The effective value (the VM's own, else the global value), as GetResourceConfig reads it. */
  get(vmUuid: string, name: ResourceConfigName): string;
  /** Whether the VM has its own value (else it inherits the global one). */
  hasOwn(vmUuid: string, name: ResourceConfigName): boolean;
  /** Sets the VM's own value directly, as another client's UpdateResourceConfig would. */
  set(vmUuid: string, name: ResourceConfigName, value: string): void;
  /** Changes the global value, as an administrator's UpdateGlobalConfig would. */
  setGlobal(name: ResourceConfigName, value: string): void;
}

/** Login sessions, per account name or over every account. */
export interface SimulatorSessions {
  /** Open sessions, logins, logouts and refused logins (`ID.1006`). */
  counts(accountName?: string): SessionCounts;
}

/** A running simulator. */
export interface Simulator {
  /** The API base URL, e.g. `http://127.0.0.1:41234/zstack`. */
  readonly url: string;
  readonly endpoint: SimulatorEndpoint;
  /** The demo account: its name and plaintext password. */
  readonly credentials: { readonly accountName: string; readonly password: string };
  /** The AccessKeys the node accepts (given as options or listed in the seed file). */
  readonly accessKeys: readonly AccessKeyCredentials[];
  /**
   * The Pulumi stack config (`zstack:*` keys) that points pulumi-zstack-vm at this simulator, logging in with the
   * demo account unless another login is given; what `pulumi config set` would hold, secrets in plain text.
   */
  stackConfig(login?: SimulatorLogin): Readonly<Record<string, string>>;
  readonly vms: SimulatorVms;
  readonly resourceConfigs: SimulatorResourceConfigs;
  readonly sessions: SimulatorSessions;
  /** The version the node reports. */
  readonly version: string;
  readonly jobs: SimulatorJobs;
  readonly faults: SimulatorFaults;
  readonly log: SimulatorLog;
  readonly counters: SimulatorCounters;
  /**
   * A management-node restart: sessions and jobs are gone (polls get 404, sessions ID.1001), open
   * connections drop; VMs and configs stay, and transitional states in flight complete. Resolves once every dropped
   * connection is closed. As with a real node, a client that kept a connection alive learns of the drop only when it
   * next reads from it: a request sent on it meanwhile fails as a reset ("other side closed").
   */
  restart(): Promise<void>;
  /** Expires every session now (the next authorized call fails ID.1001). */
  expireSessions(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

const DEFAULT_TIMINGS: Required<SimulatorTimings> = {
  pauseMs: 200,
  resumeMs: 200,
  stopMs: 200,
  startMs: 200,
  destroyMs: 200,
  clockTrackMs: 50,
  resourceConfigMs: 50,
};

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function requireDefinition(name: ResourceConfigName) {
  const definition = resourceConfigDefinition("vm", name);
  if (definition === undefined) throw new Error(`unknown resource config ${name}`);
  return definition;
}

/** Starts a simulated ZStack management node and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  if (options.vms !== undefined && options.seedFile !== undefined)
    throw new Error("startSimulator: give either vms or seedFile, not both");
  const host = options.host ?? "127.0.0.1";
  const contextPath = (options.contextPath ?? DEFAULT_CONTEXT_PATH).replace(/^\/+|\/+$/g, "");
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const clock = options.clock ?? preciseNow;
  const accounts = options.accounts ?? [{ name: "admin", password: "password" }];
  const demoAccount = accounts[0];
  if (demoAccount === undefined) throw new Error("startSimulator: at least one account is needed");

  const seedFile = options.seedFile === undefined ? undefined : readSeedContents(options.seedFile);
  const accessKeys = [...(options.accessKeys ?? []), ...(seedFile?.accessKeys ?? [])];
  const auth = new Auth({
    accounts,
    accessKeys,
    sessions: {
      timeoutSeconds: options.sessionTimeoutSeconds ?? 7200,
      maxConcurrent: options.sessionMaxConcurrent ?? 500,
      cleanupIntervalSeconds: options.sessionCleanupIntervalSeconds ?? 3600,
      unique: options.uniqueSession ?? false,
    },
    now: clock,
  });
  const version = new ServerVersion(options.version ?? DEFAULT_ZSTACK_VERSION);
  const vmStore = new VmStore({
    pause: timings.pauseMs,
    resume: timings.resumeMs,
    stop: timings.stopMs,
    start: timings.startMs,
    destroy: timings.destroyMs,
  });
  const configs = new ResourceConfigStore(options.globalConfigs);
  const jobs = new JobRegistry((options.jobRetentionSeconds ?? 10800) * 1000, clock);
  const log = new RequestLog();
  const counters = new Counters();
  const faults = new FaultInjector(options.randomSeed ?? 1);
  const runner = new ActionRunner(vmStore, configs, auth, timings, (job) =>
    counters.recordExecuted(job.action, job.resourceUuid),
  );

  let seeded = 0;
  const vms: SimulatorVms = {
    get: (uuid) => vmStore.get(uuid),
    list: () => vmStore.list(),
    add: (seed) => {
      const vm = completeVm(seed, seeded++, Date.now());
      vmStore.add(vm);
      return vm;
    },
    remove: (uuid) => {
      configs.removeResource(uuid);
      return vmStore.remove(uuid);
    },
    setState: (uuid, state) => vmStore.setState(uuid, state),
    outOfBand: (uuid, operation) => vmStore.perform(uuid, operation),
    hold: (uuid) => vmStore.hold(uuid),
    reaches: (uuid, state) => vmStore.reaches(uuid, state),
  };
  const seeds = options.vms ?? seedFile?.vms ?? demoVms();
  for (const seed of seeds) vms.add(seed);

  const scheme = options.tls === undefined ? "http" : "https";
  let port = 0;
  const advertisedHost = options.advertisedHost ?? host;
  const routes = new Routes({
    auth,
    vms: vmStore,
    configs,
    jobs,
    runner,
    version,
    synchronous: new Set(options.synchronousActions ?? []),
    jobUrl: (jobUuid) =>
      `${scheme}://${urlHost(advertisedHost)}:${port}/${contextPath}/v1/api-jobs/${jobUuid}`,
  });
  const frontend = new Frontend(
    {
      contextPath,
      routes,
      faults,
      log,
      counters,
      expireSession: (sessionUuid) =>
        sessionUuid === undefined ? auth.expireAll() : auth.expire(sessionUuid),
      loseJob: (jobUuid) => jobs.lose(jobUuid),
    },
    options.tls,
  );
  port = (await frontend.listen(host, options.port ?? 0)).port;

  const endpoint: SimulatorEndpoint = { scheme, host, port, contextPath };
  const credentials = { accountName: demoAccount.name, password: demoAccount.password };
  return {
    url: `${scheme}://${urlHost(host)}:${port}/${contextPath}`,
    endpoint,
    credentials,
    accessKeys,
    stackConfig: (login) =>
      Object.fromEntries(
        connectionSettings(endpoint, login ?? credentials).map((setting) => [
          setting.configKey,
          setting.value,
        ]),
      ),
    vms,
    resourceConfigs: {
      get: (vmUuid, name) => configs.get(vmUuid, requireDefinition(name)).value,
      hasOwn: (vmUuid, name) => configs.get(vmUuid, requireDefinition(name)).effectiveConfigs.length > 0,
      set: (vmUuid, name, value) => void configs.set(vmUuid, requireDefinition(name), value),
      setGlobal: (name, value) => configs.setGlobal(requireDefinition(name), value),
    },
    sessions: { counts: (accountName) => auth.sessionCounts(accountName) },
    version: version.text,
    jobs: { get: (uuid) => jobs.get(uuid), list: () => jobs.list() },
    faults: { inject: (rule) => faults.inject(rule), clear: () => faults.clear() },
    log,
    counters,
    restart: async () => {
      auth.clear();
      jobs.clear();
      await frontend.dropConnections();
    },
    expireSessions: () => auth.expireAll(),
    close: async () => {
      vmStore.dispose();
      await frontend.close();
    },
  };
}
