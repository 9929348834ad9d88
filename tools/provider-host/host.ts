/**
 * A typed driver for the real dynamic-provider host, `@pulumi/pulumi/cmd/dynamic-provider`, over gRPC and without
 * the Pulumi CLI. The host prints its gRPC port as its first line of stdout and serves `ResourceProviderService`
 * (pulumi/pulumi `sdk/nodejs/cmd/dynamic-provider/index.ts`); the stubs are the ones `@pulumi/pulumi` ships in
 * `proto/provider_grpc_pb`.
 *
 * Methods are named and ordered in engine terms and take plain JS objects; `google.protobuf.Struct` conversion happens
 * here. The driver is generic: it knows nothing about any particular provider, and drives a native provider plugin
 * (`command`, such as provider/bin/pulumi-resource-zstackvm) the same way, with the provider-config and function
 * methods a native provider adds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { wireModules, type WireModules } from "../../provider/src/plugin/wire-modules";
import { stripUndefined, parseUrn, type PropertyMap } from "./properties";

export { UNKNOWN, secret, isSecret, unwrapSecrets, urn, parseUrn, type PropertyMap } from "./properties";

/** How to start a host. */
export interface ProviderHostOptions {
  /**
   * Working directory of the host. The serialized provider's `require("pkg")` calls resolve from here (the host calls
   * `require-from-string` without a filename), so use the Pulumi project directory, as the engine does.
   */
  readonly cwd: string;
  /** Project name, passed as `PULUMI_NODEJS_PROJECT` / `PULUMI_PROJECT`; un-namespaced config keys get it as prefix. */
  readonly project: string;
  /** Extra environment for the host process (merged over `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for the host to print its port. Default 15 s. */
  readonly startTimeoutMs?: number;
  /**
   * An executable to start instead of the dynamic-provider host: a native provider plugin, which the engine starts
   * the same way (its address as the only argument, the port read from the first line of output).
   */
  readonly command?: string;
}

/** One check failure, as the provider reported it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Result of Check. */
export interface CheckResult {
  /** The checked inputs (the provider's `inputs`, or the news), always with `__provider`. */
  readonly inputs: PropertyMap;
  readonly failures: readonly CheckFailure[];
}

/** Result of Diff, in engine terms: `unknown` when the provider did not decide (no `diff`, or `changes` unset). */
export interface DiffResult {
  readonly changes: "unknown" | "none" | "some";
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/** Result of Create. */
export interface CreateResult {
  readonly id: string;
  readonly properties: PropertyMap;
}

/** Result of Read. An empty `id` means the resource no longer exists. */
export interface ReadResult {
  readonly id: string;
  readonly properties: PropertyMap;
  /** The inputs the provider returned (3.216+), or `undefined` when it returned none (the engine keeps old inputs). */
  readonly inputs: PropertyMap | undefined;
}

/** Result of Update. */
export interface UpdateResult {
  readonly properties: PropertyMap;
}

/** Result of Configure. The Node.js host answers `acceptSecrets: false` and never supports preview. */
export interface ConfigureResult {
  readonly acceptSecrets: boolean;
  readonly supportsPreview: boolean;
  readonly acceptResources: boolean;
  readonly acceptOutputs: boolean;
}

/** Result of DiffConfig: Diff's, with the changed keys the provider named. */
export interface DiffConfigResult extends DiffResult {
  readonly diffs: readonly string[];
}

/**
 * An RPC failed. For Create/Update errors that carried `{id, properties, reasons}` (the host's
 * `ErrorResourceInitFailed`: "created but failed to initialize"), the partial state is decoded into `initFailure`.
 */
export class ProviderHostError extends Error {
  /** The RPC that failed (`check`, `create`, ...). */
  readonly method: string;
  /** The gRPC status code (2 = UNKNOWN for errors thrown by the provider). */
  readonly code: number;
  /** The gRPC status details: the message of the provider's error, without stack. */
  readonly details: string;
  /** The partial id of a resource created but not initialised, when the host packed one. */
  readonly id: string | undefined;
  /** The partial outputs of such a resource. */
  readonly properties: PropertyMap | undefined;
  /** The reasons the provider gave for the failed initialisation. */
  readonly reasons: readonly string[] | undefined;

  constructor(
    method: string,
    code: number,
    details: string,
    initFailure?: { id: string; properties: PropertyMap; reasons: string[] },
  ) {
    super(`${method}: ${details}`);
    this.name = "ProviderHostError";
    this.method = method;
    this.code = code;
    this.details = details;
    this.id = initFailure?.id;
    this.properties = initFailure?.properties;
    this.reasons = initFailure?.reasons;
  }

  /** True when the host reported `ErrorResourceInitFailed` (the resource exists, with partial state). */
  get initFailed(): boolean {
    return this.id !== undefined;
  }
}

/** A running dynamic-provider host and a gRPC client to it. */
export interface ProviderHost {
  /** The port the host listens on (127.0.0.1). */
  readonly port: number;
  /** The host's process id. */
  readonly pid: number;
  /** Everything the host wrote to stdout and stderr so far, in arrival order (provider logs, error stacks). */
  output(): string;
  /** Configure: sends the full namespaced stack config (secret values may be wrapped with `secret()`). */
  configure(config: PropertyMap): Promise<ConfigureResult>;
  /** GetPluginInfo: the plugin's version. */
  getPluginInfo(): Promise<string>;
  /** GetSchema (version 0): the package schema's text. */
  getSchema(): Promise<string>;
  /** CheckConfig of a provider's inputs, as the engine sends them (plain values, unknowns kept). */
  checkConfig(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  /** DiffConfig of a provider's old and new inputs. */
  diffConfig(urn: string, oldInputs: PropertyMap, news: PropertyMap): Promise<DiffConfigResult>;
  /** Invoke of a function: its token and arguments; resolves with the function's result. */
  invoke(tok: string, args: PropertyMap): Promise<PropertyMap>;
  /** Cancel: the engine's request to end the operations in flight. */
  cancel(): Promise<void>;
  /** Check: `olds` are the prior inputs (or `{}`), `news` the new inputs including `__provider`. */
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  /** Diff: `olds` are the stored outputs, `oldInputs` the stored inputs, `news` the checked inputs. */
  diff(
    id: string,
    urn: string,
    olds: PropertyMap,
    oldInputs: PropertyMap,
    news: PropertyMap,
  ): Promise<DiffResult>;
  /** Create from checked inputs. */
  create(urn: string, props: PropertyMap): Promise<CreateResult>;
  /** Read (refresh or `get`): `props` are the stored outputs, `inputs` the stored inputs. */
  read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  /** Update: `olds` are the stored outputs, `news` the checked inputs. */
  update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<UpdateResult>;
  /** Delete with the stored outputs (which carry the `__provider` that created the resource). */
  delete(id: string, urn: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void>;
  /**
   * Closes the client and stops the host as the engine ends a plugin (pulumi/pulumi
   * `sdk/go/common/resource/plugin/plugin.go`): the connection closed, then `signal` (SIGINT by default), then
   * SIGKILL if the host still runs 5 s later. Resolves with how the host exited. Idempotent.
   */
  close(signal?: NodeJS.Signals): Promise<HostExit>;
}

/** How the host process ended: its exit code, or the signal that ended it. */
export interface HostExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How long the engine waits for a signalled plugin before it kills it. */
const ENGINE_KILL_AFTER_MS = 5000;

/** Resolves the host entry point from the project first (as the engine's plugin script does), else from here. */
function resolveHostEntry(cwd: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
  } catch {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  }
}

/**
 * Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> 127.0.0.1:0` in `cwd`, waits for the port on the first stdout
 * line, and connects. The engine-address argument is only checked for presence by the host; nothing dials it.
 */
export async function startProviderHost(options: ProviderHostOptions): Promise<ProviderHost> {
  const stubs = wireModules();
  const [file, args] =
    options.command !== undefined
      ? [options.command, ["127.0.0.1:0"]]
      : [process.execPath, [resolveHostEntry(options.cwd), "127.0.0.1:0"]];
  const child = spawn(file, args, {
    cwd: path.resolve(options.cwd),
    env: {
      ...process.env,
      PULUMI_NODEJS_PROJECT: options.project,
      PULUMI_PROJECT: options.project,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  const port = await waitForPort(child, chunks, options.startTimeoutMs ?? 15_000);
  const client = new stubs.providerGrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    stubs.grpc.credentials.createInsecure(),
  );
  return new GrpcProviderHost(stubs, child, client, port, chunks);
}

/** Collects output and resolves with the port printed on the first stdout line. */
function waitForPort(child: ChildProcess, chunks: string[], timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let stdoutSoFar = "";
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill();
      settle(() =>
        reject(
          new Error(`dynamic-provider host did not print its port in ${timeoutMs} ms:\n${chunks.join("")}`),
        ),
      );
    }, timeoutMs);
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (d: string) => {
      if (settled) {
        chunks.push(d);
        return;
      }
      stdoutSoFar += d;
      const nl = stdoutSoFar.indexOf("\n");
      if (nl < 0) return;
      const first = stdoutSoFar.slice(0, nl).trim();
      const rest = stdoutSoFar.slice(nl + 1);
      if (rest) chunks.push(rest);
      const port = Number(first);
      if (!Number.isInteger(port) || port <= 0) {
        child.kill();
        settle(() => reject(new Error(`dynamic-provider host printed no port: ${JSON.stringify(first)}`)));
      } else settle(() => resolve(port));
    });
    child.stderr?.on("data", (d: string) => chunks.push(d));
    child.on("error", (e) => settle(() => reject(e)));
    child.on("exit", (code, signal) =>
      settle(() =>
        reject(
          new Error(
            `dynamic-provider host exited (${code ?? signal}) before printing its port:\n${chunks.join("")}`,
          ),
        ),
      ),
    );
  });
}

type Callback<Res> = (err: GrpcJs.ServiceError | null, res?: Res) => void;

class GrpcProviderHost implements ProviderHost {
  private exit: Promise<HostExit> | undefined;

  constructor(
    private readonly stubs: WireModules,
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    readonly port: number,
    private readonly chunks: string[],
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  output(): string {
    return this.chunks.join("");
  }

  async configure(config: PropertyMap): Promise<ConfigureResult> {
    const req = new this.stubs.provider.ConfigureRequest();
    req.setArgs(this.toStruct(config));
    // What the engine announces; the Node.js host ignores both and answers acceptSecrets=false.
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.unary("configure", req, (c, r, cb: Callback<pb.ConfigureResponse>) =>
      c.configure(r, cb),
    );
    return {
      acceptSecrets: res.getAcceptsecrets(),
      supportsPreview: res.getSupportspreview(),
      acceptResources: res.getAcceptresources(),
      acceptOutputs: res.getAcceptoutputs(),
    };
  }

  async getPluginInfo(): Promise<string> {
    const res = await this.unary(
      "getPluginInfo",
      new this.stubs.empty.Empty(),
      (c, r, cb: Callback<PluginInfo>) => c.getPluginInfo(r, cb),
    );
    return res.getVersion();
  }

  async getSchema(): Promise<string> {
    const req = new this.stubs.provider.GetSchemaRequest();
    req.setVersion(0);
    const res = await this.unary("getSchema", req, (c, r, cb: Callback<pb.GetSchemaResponse>) =>
      c.getSchema(r, cb),
    );
    return res.getSchema();
  }

  async checkConfig(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new this.stubs.provider.CheckRequest();
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    const res = await this.unary("checkConfig", req, (c, r, cb: Callback<pb.CheckResponse>) =>
      c.checkConfig(r, cb),
    );
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diffConfig(urn: string, oldInputs: PropertyMap, news: PropertyMap): Promise<DiffConfigResult> {
    const req = new this.stubs.provider.DiffRequest();
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setOlds(this.toStruct(oldInputs));
    req.setOldInputs(this.toStruct(oldInputs));
    req.setNews(this.toStruct(news));
    const res = await this.unary("diffConfig", req, (c, r, cb: Callback<pb.DiffResponse>) =>
      c.diffConfig(r, cb),
    );
    return { ...this.diffOf(res), diffs: res.getDiffsList() };
  }

  async invoke(tok: string, args: PropertyMap): Promise<PropertyMap> {
    const req = new this.stubs.provider.InvokeRequest();
    req.setTok(tok);
    req.setArgs(this.toStruct(args));
    const res = await this.unary("invoke", req, (c, r, cb: Callback<pb.InvokeResponse>) => c.invoke(r, cb));
    return fromStruct(res.getReturn());
  }

  async cancel(): Promise<void> {
    await this.unary("cancel", new this.stubs.empty.Empty(), (c, r, cb: Callback<unknown>) =>
      c.cancel(r, cb),
    );
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new this.stubs.provider.CheckRequest();
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    const res = await this.unary("check", req, (c, r, cb: Callback<pb.CheckResponse>) => c.check(r, cb));
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    id: string,
    urn: string,
    olds: PropertyMap,
    oldInputs: PropertyMap,
    news: PropertyMap,
  ): Promise<DiffResult> {
    const req = new this.stubs.provider.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setOlds(this.toStruct(olds));
    req.setOldInputs(this.toStruct(oldInputs));
    req.setNews(this.toStruct(news));
    const res = await this.unary("diff", req, (c, r, cb: Callback<pb.DiffResponse>) => c.diff(r, cb));
    return this.diffOf(res);
  }

  private diffOf(res: pb.DiffResponse): DiffResult {
    const kinds = this.stubs.provider.DiffResponse.DiffChanges;
    const changes = res.getChanges();
    return {
      changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: PropertyMap): Promise<CreateResult> {
    const req = new this.stubs.provider.CreateRequest();
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setProperties(this.toStruct(props));
    const res = await this.unary("create", req, (c, r, cb: Callback<pb.CreateResponse>) => c.create(r, cb));
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    const req = new this.stubs.provider.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setProperties(this.toStruct(props));
    if (inputs) req.setInputs(this.toStruct(inputs));
    const res = await this.unary("read", req, (c, r, cb: Callback<pb.ReadResponse>) => c.read(r, cb));
    return {
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
    };
  }

  async update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<UpdateResult> {
    const req = new this.stubs.provider.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setOlds(this.toStruct(olds));
    req.setNews(this.toStruct(news));
    if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
    const res = await this.unary("update", req, (c, r, cb: Callback<pb.UpdateResponse>) => c.update(r, cb));
    return { properties: fromStruct(res.getProperties()) };
  }

  async delete(id: string, urn: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    const req = new this.stubs.provider.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    this.setNameType(req, urn);
    req.setProperties(this.toStruct(props));
    if (oldInputs) req.setOldInputs(this.toStruct(oldInputs));
    await this.unary("delete", req, (c, r, cb: Callback<unknown>) => c.delete(r, cb));
  }

  close(signal: NodeJS.Signals = "SIGINT"): Promise<HostExit> {
    this.exit ??= this.stop(signal);
    return this.exit;
  }

  private async stop(signal: NodeJS.Signals): Promise<HostExit> {
    this.client.close();
    const { exitCode, signalCode } = this.child;
    if (exitCode !== null || signalCode !== null) return { code: exitCode, signal: signalCode };
    return new Promise<HostExit>((resolve) => {
      const timer = setTimeout(() => this.child.kill("SIGKILL"), ENGINE_KILL_AFTER_MS);
      this.child.once("exit", (code, exitSignal) => {
        clearTimeout(timer);
        resolve({ code, signal: exitSignal });
      });
      this.child.kill(signal);
    });
  }

  private toStruct(v: PropertyMap): Struct {
    return this.stubs.struct.Struct.fromJavaScript(
      stripUndefined(v) as Parameters<typeof Struct.fromJavaScript>[0],
    );
  }

  /** name/type are informational for this host, but the engine sends them; so do we. */
  private setNameType(req: { setName(v: string): unknown; setType(v: string): unknown }, u: string): void {
    try {
      const parts = parseUrn(u);
      req.setName(parts.name);
      req.setType(parts.type);
    } catch {
      // A free-form URN is fine for this host: it never looks at it.
    }
  }

  private unary<Req, Res>(
    method: string,
    req: Req,
    invoke: (client: ResourceProviderClient, req: Req, cb: Callback<Res>) => unknown,
  ): Promise<Res> {
    if (this.exit) return Promise.reject(new Error(`${method}: the provider host is closed`));
    return new Promise<Res>((resolve, reject) => {
      invoke(this.client, req, (err, res) => {
        if (err) reject(this.toHostError(method, err));
        else resolve(res as Res);
      });
    });
  }

  /** Decodes `grpc-status-details-bin` into the `ErrorResourceInitFailed` the host packs for create/update. */
  private toHostError(method: string, err: GrpcJs.ServiceError): ProviderHostError {
    const details = err.details ?? err.message;
    let initFailure: { id: string; properties: PropertyMap; reasons: string[] } | undefined;
    const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
    for (const bin of raw) {
      if (typeof bin === "string") continue;
      const status = this.stubs.status.Status.deserializeBinary(new Uint8Array(bin));
      for (const any of status.getDetailsList()) {
        if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
        const detail = this.stubs.provider.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        initFailure = {
          id: detail.getId(),
          properties: fromStruct(detail.getProperties()),
          reasons: detail.getReasonsList(),
        };
      }
    }
    return new ProviderHostError(method, err.code, details, initFailure);
  }
}

function fromStruct(s: Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}
