/**
 * An engine harness: plays the Pulumi engine's part for a Pulumi project, with the engine's semantics for dynamic
 * resources (reference §3), without the Pulumi CLI.
 *
 * - The program runs under `pulumi.runtime.setMocks` in a fresh child process per run (runner.ts).
 * - Dynamic resources (`pulumi-nodejs:dynamic…`) go to the real `@pulumi/pulumi/cmd/dynamic-provider` host over gRPC,
 *   one host per run, started in the project directory and configured once with the stack config.
 * - Other custom resources get placeholder outputs (their inputs, and an id) and are reported as simulated.
 * - A JSON state file per stack keeps inputs, outputs and dependencies between runs; secrets are encrypted in it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startProviderHost, ProviderHostError, type ProviderHost } from "../provider-host/host";
import { containsSecret, isSecret, secret, unwrapSecrets, UNKNOWN, type PropertyMap } from "../provider-host/properties";
import { diffProperties, type PropertyDiff } from "./diff";
import { loadState, saveState, type ResourceState, type StackState } from "./state";
import { loadProject, runProgram, type ConfigEntry, type ProjectInfo } from "./program";
import { renderRun } from "./display";
import { withLogAttribution } from "./host-logs";
import { summarize, type Diagnostic, type RunKind, type RunResult, type Step, type StepOp } from "./plan";
import type { ResourceReply, ResourceRequest } from "./protocol";

export type { RunResult, Step, StepOp, Summary, Diagnostic, RunKind, PropertyDiff } from "./plan";

/** Options of an {@link EngineHarness}. */
export interface EngineHarnessOptions {
  /** The Pulumi project directory (with Pulumi.yaml). The program and the provider host run with it as cwd. */
  readonly projectDir: string;
  /** Stack name, e.g. `dev`. */
  readonly stack: string;
  /** Stack config with namespaced keys (`zstack:host`); `{secret}` marks a secret value. */
  readonly config?: Readonly<Record<string, string | { readonly secret: string }>>;
  /** The state file. Default: `<projectDir>/.harness/<stack>.json`. */
  readonly statePath?: string;
  /** Extra environment for the program and the provider host. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives each printed line. Default: nothing is printed (the lines are in each result). */
  readonly out?: (line: string) => void;
  /** Passphrase of the state's secret encryption. Default: `PULUMI_CONFIG_PASSPHRASE`, else "harness". */
  readonly secretsPassphrase?: string;
  /**
   * The stacks a program may read with `new pulumi.StackReference(name)`, by that name (e.g.
   * `organization/platform/dev`): the state file of another harness stack and its passphrase (default: this
   * harness's). The reference reads that state's stack outputs, as the engine reads the referenced stack's
   * checkpoint. A name not listed fails the run, as an unknown stack does.
   */
  readonly stackReferences?: Readonly<Record<string, StackReferenceSource>>;
}

/** Where a referenced stack's state is (see {@link EngineHarnessOptions.stackReferences}). */
export interface StackReferenceSource {
  readonly statePath: string;
  readonly secretsPassphrase?: string;
}

/** Options of a refresh. */
export interface RefreshOptions {
  /** Only report the drift (`pulumi refresh --preview-only`): the state is not written. */
  readonly previewOnly?: boolean;
}

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const STACK_TYPE = "pulumi:pulumi:Stack";
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";
const isDynamic = (type: string): boolean => type.startsWith(DYNAMIC_PREFIX);

/** Drives preview / up / refresh / destroy of one stack of one project. */
export class EngineHarness {
  private readonly project: ProjectInfo;
  private readonly statePath: string;
  private readonly passphrase: string;
  private readonly config: Readonly<Record<string, ConfigEntry>>;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EngineHarnessOptions) {
    this.project = loadProject(options.projectDir);
    this.statePath = options.statePath ?? path.join(this.project.dir, ".harness", `${options.stack}.json`);
    this.passphrase = options.secretsPassphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? "harness";
    const config: Record<string, ConfigEntry> = {};
    for (const [k, v] of Object.entries(options.config ?? {})) {
      // Keys without a namespace belong to the project, as with `pulumi config set key value`.
      const key = k.includes(":") ? k : `${this.project.name}:${k}`;
      config[key] = typeof v === "string" ? { value: v, secret: false } : { value: v.secret, secret: true };
    }
    this.config = config;
  }

  /** The project's name (from Pulumi.yaml). */
  get projectName(): string {
    return this.project.name;
  }

  /** The current state, as stored (secrets wrapped, decrypted). */
  state(): StackState {
    return loadState(this.statePath, this.project.name, this.options.stack, this.passphrase);
  }

  /** `pulumi preview`: runs the program in preview mode; no Create/Update/Delete, state untouched. */
  preview(): Promise<RunResult> {
    return this.serialize(() => this.update(true));
  }

  /** `pulumi up` (the update pass): creates, updates, replaces and deletes; writes the state. */
  up(): Promise<RunResult> {
    return this.serialize(() => this.update(false));
  }

  /** `pulumi refresh`: Read for every resource in the state; updates the state unless `previewOnly`. */
  refresh(options: RefreshOptions = {}): Promise<RunResult> {
    return this.serialize(() => this.doRefresh(options.previewOnly === true));
  }

  /** `pulumi destroy`: deletes every managed resource in reverse dependency order. */
  destroy(): Promise<RunResult> {
    return this.serialize(() => this.doDestroy());
  }

  /** Waits for a run in progress. Each run starts and stops its own processes, so nothing else stays open. */
  async close(): Promise<void> {
    await this.running.catch(() => undefined);
  }

  /** Runs never overlap: they share the state file. */
  private serialize<T>(f: () => Promise<T>): Promise<T> {
    const next = this.running.catch(() => undefined).then(f);
    this.running = next;
    return next;
  }

  /**
   * Starts a host in the project directory (as the engine does, so the serialized provider's `require`s resolve
   * from the project), configures it once for the run, and routes what the provider prints to `onLine`.
   */
  private async startHost(onLine: (urn: string, line: string) => void): Promise<ProviderHost> {
    const host = await startProviderHost({
      cwd: this.project.dir,
      project: this.project.name,
      env: this.options.env,
    });
    try {
      await this.configure(host);
    } catch (e) {
      await host.close();
      throw e;
    }
    return withLogAttribution(host, onLine);
  }

  /** Configure: the full namespaced stack config, secrets secret-wrapped (as the engine sends it). */
  private async configure(host: ProviderHost): Promise<void> {
    const args: PropertyMap = {};
    for (const [k, e] of Object.entries(this.config)) args[k] = e.secret ? secret(e.value) : e.value;
    await host.configure(args);
  }

  private stackUrn(): string {
    return `urn:pulumi:${this.options.stack}::${this.project.name}::${STACK_TYPE}::${this.project.name}-${this.options.stack}`;
  }

  /**
   * The outputs of a `pulumi:pulumi:StackReference` as the engine's built-in provider returns them: `name`, the
   * referenced stack's `outputs` (secrets stay secret) and `secretOutputNames`.
   */
  private readStackReference(name: string): PropertyMap {
    const source = this.options.stackReferences?.[name];
    if (!source || !fs.existsSync(source.statePath)) throw new Error(`unknown stack "${name}"`);
    const parts = name.split("/");
    const state = loadState(
      source.statePath,
      parts[parts.length - 2] ?? "",
      parts[parts.length - 1] ?? name,
      source.secretsPassphrase ?? this.passphrase,
    );
    return {
      name,
      outputs: state.outputs,
      secretOutputNames: Object.keys(state.outputs).filter((k) => containsSecret(state.outputs[k])),
    };
  }

  // ----- preview / up -------------------------------------------------------------------------------------------

  private async update(preview: boolean): Promise<RunResult> {
    const old = this.state();
    const run = new UpdateRun(old, preview, this.stackUrn(), (name) => this.readStackReference(name));
    const hostPromise = this.startHost((urn, line) => run.diag("info", urn, line));
    // Avoid an unhandled rejection if the program fails before it needs the host.
    hostPromise.catch(() => undefined);
    let host: ProviderHost | undefined;
    const getHost = async (): Promise<ProviderHost> => (host ??= await hostPromise);
    try {
      const result = await runProgram({
        project: this.project,
        stack: this.options.stack,
        preview,
        config: this.config,
        env: this.options.env,
        onResource: (req) => run.handle(req, getHost),
        onOutputs: (m) => run.outputsRegistered(m.urn, m.outputs),
        onLog: (line) => run.diag("info", this.stackUrn(), line),
      });
      for (const e of result.errors) {
        run.diag(
          "error",
          this.stackUrn(),
          `Running program '${this.project.main}' failed with an unhandled exception:\n${e}`,
        );
      }
      await run.finish(getHost);
    } catch (e) {
      run.diag("error", this.stackUrn(), messageOf(e));
    } finally {
      await (host ?? (await hostPromise.catch(() => undefined)))?.close();
    }
    if (!preview) saveState(this.statePath, run.newState(), this.passphrase);
    return this.result(preview ? "preview" : "up", run.steps, run.diagnostics, run.stackOutputs, old.outputs);
  }

  // ----- refresh ------------------------------------------------------------------------------------------------

  private async doRefresh(previewOnly: boolean): Promise<RunResult> {
    const old = this.state();
    const steps: Step[] = [];
    const diagnostics: Diagnostic[] = [];
    const kept: ResourceState[] = [];
    let host: ProviderHost | undefined;
    try {
      for (const r of old.resources) {
        if (!r.custom || !isDynamic(r.type)) {
          steps.push(stepOf("same", r, { simulated: r.custom }));
          kept.push(r);
          continue;
        }
        host ??= await this.startHost((urn, message) => diagnostics.push({ severity: "info", urn, message }));
        const secretKeys = secretKeysOf(r.inputs, r.additionalSecretOutputs);
        try {
          const rd = await host.read(r.id, r.urn, unwrap(r.outputs), unwrap(r.inputs));
          if (rd.id === "") {
            steps.push(stepOf("delete", r));
            continue;
          }
          const outputs = markSecret(rd.properties, secretKeys);
          const inputs = rd.inputs ? markSecret(rd.inputs, secretKeysOf(r.inputs, [])) : r.inputs;
          const diffs = diffProperties(r.outputs, outputs, ["__provider"]);
          steps.push(stepOf(diffs.length ? "refresh" : "same", { ...r, id: rd.id }, { diffs, outputs }));
          kept.push({ ...r, id: rd.id, inputs, outputs });
        } catch (e) {
          steps.push(stepOf("refresh", r, { error: messageOf(e) }));
          diagnostics.push({ severity: "error", urn: r.urn, message: messageOf(e) });
          kept.push(r);
        }
      }
    } catch (e) {
      diagnostics.push({ severity: "error", urn: this.stackUrn(), message: messageOf(e) });
    } finally {
      await host?.close();
    }
    const failed = diagnostics.some((d) => d.severity === "error");
    if (!previewOnly && !failed) saveState(this.statePath, { ...old, resources: kept }, this.passphrase);
    return this.result(
      previewOnly ? "refresh-preview" : "refresh",
      steps,
      diagnostics,
      old.outputs,
      old.outputs,
    );
  }

  // ----- destroy ------------------------------------------------------------------------------------------------

  private async doDestroy(): Promise<RunResult> {
    const old = this.state();
    const steps: Step[] = [];
    const diagnostics: Diagnostic[] = [];
    const remaining = new Map(old.resources.map((r) => [r.urn, r]));
    let host: ProviderHost | undefined;
    try {
      for (const r of deleteOrder(old.resources)) {
        if (r.external) {
          // Read resources are not managed: they are forgotten, never deleted.
          remaining.delete(r.urn);
          continue;
        }
        if (r.custom && isDynamic(r.type)) {
          host ??= await this.startHost((urn, message) =>
            diagnostics.push({ severity: "info", urn, message }),
          );
          try {
            await host.delete(r.id, r.urn, unwrap(r.outputs), unwrap(r.inputs));
          } catch (e) {
            steps.push(stepOf("delete", r, { error: messageOf(e) }));
            diagnostics.push({ severity: "error", urn: r.urn, message: messageOf(e) });
            break;
          }
        }
        steps.push(stepOf("delete", r, { simulated: r.custom && !isDynamic(r.type) }));
        remaining.delete(r.urn);
      }
    } catch (e) {
      diagnostics.push({ severity: "error", urn: this.stackUrn(), message: messageOf(e) });
    } finally {
      await host?.close();
    }
    const resources = old.resources.filter((r) => remaining.has(r.urn));
    saveState(
      this.statePath,
      { ...old, resources, outputs: resources.length ? old.outputs : {} },
      this.passphrase,
    );
    return this.result("destroy", steps, diagnostics, {}, old.outputs);
  }

  // ----- result -------------------------------------------------------------------------------------------------

  private result(
    kind: RunKind,
    steps: readonly Step[],
    diagnostics: Diagnostic[],
    outputs: PropertyMap,
    oldOutputs: PropertyMap,
  ): RunResult {
    const failed = diagnostics.some((d) => d.severity === "error");
    if (failed) {
      const what =
        kind === "preview" || kind === "refresh-preview" ? "preview" : kind === "up" ? "update" : kind;
      diagnostics.push({ severity: "error", urn: this.stackUrn(), message: `${what} failed` });
    }
    const summary = summarize(steps);
    const lines = renderRun({
      kind,
      stack: this.options.stack,
      steps,
      outputs,
      oldOutputs,
      summary,
      diagnostics,
      failed,
    });
    for (const l of lines) this.options.out?.(l);
    return {
      kind,
      status: failed ? "failed" : "succeeded",
      steps,
      outputs: unwrap(outputs),
      secretOutputs: Object.keys(outputs).filter((k) => containsSecret(outputs[k])),
      summary,
      diagnostics,
      lines,
    };
  }
}

/** The state of one preview/up in progress: the engine's step generator and executor for one deployment. */
class UpdateRun {
  readonly steps: Step[] = [];
  readonly diagnostics: Diagnostic[] = [];
  stackOutputs: PropertyMap = {};
  /** Resources registered or read in this run, in registration order. */
  private readonly registered = new Map<string, ResourceState>();
  /** Old resources replaced create-before-delete: deleted at the end, like the engine's pending deletes. */
  private readonly replacedOlds: ResourceState[] = [];
  /** Old resources whose deletion was skipped or failed: kept in the new state. */
  private readonly retained: ResourceState[] = [];
  private readonly oldByUrn: Map<string, ResourceState>;

  constructor(
    private readonly old: StackState,
    private readonly preview: boolean,
    private readonly stackUrn: string,
    private readonly stackReference: (name: string) => PropertyMap,
  ) {
    this.oldByUrn = new Map(old.resources.filter((r) => !r.pendingDelete).map((r) => [r.urn, r]));
  }

  diag(severity: Diagnostic["severity"], urn: string, message: string): void {
    this.diagnostics.push({ severity, urn, message });
  }

  private get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }

  /** Answers one registration or read from the program; errors become a failed step and a rejected registration. */
  async handle(
    req: ResourceRequest,
    getHost: () => Promise<ProviderHost>,
  ): Promise<Omit<ResourceReply, "kind" | "seq">> {
    try {
      if (req.kind === "read") return await this.read(req, getHost);
      if (!req.custom) return this.component(req);
      if (!isDynamic(req.type)) return this.simulated(req);
      return await this.dynamic(req, getHost);
    } catch (e) {
      const message = messageOf(e);
      this.diag("error", req.urn, message);
      if (!this.steps.some((s) => s.urn === req.urn)) {
        const op: StepOp = req.kind === "read" ? "read" : this.oldByUrn.has(req.urn) ? "update" : "create";
        this.steps.push(stepFromReq(op, req, { id: this.oldByUrn.get(req.urn)?.id ?? "", error: message }));
      }
      return { id: "", outputs: {}, error: message };
    }
  }

  /** Stack or component outputs (`registerOutputs`). */
  outputsRegistered(urn: string, outputs: PropertyMap): void {
    if (urn === this.stackUrn) this.stackOutputs = outputs;
    const r = this.registered.get(urn);
    if (r) this.registered.set(urn, { ...r, outputs });
  }

  private record(
    req: ResourceRequest,
    fields: Pick<ResourceState, "id" | "inputs" | "outputs"> & Partial<ResourceState>,
  ): void {
    this.registered.set(req.urn, {
      urn: req.urn,
      type: req.type,
      name: req.name,
      custom: req.custom,
      external: false,
      parent: req.parent,
      dependencies: req.dependencies,
      additionalSecretOutputs: req.additionalSecretOutputs,
      ...fields,
    });
  }

  private component(req: ResourceRequest): Omit<ResourceReply, "kind" | "seq"> {
    const old = this.oldByUrn.get(req.urn);
    this.steps.push(stepFromReq(old ? "same" : "create", req, { id: "" }));
    this.record(req, { id: "", inputs: req.inputs, outputs: old?.outputs ?? {} });
    return { id: "", outputs: {} };
  }

  /** Not a dynamic resource: placeholder outputs (the inputs) and a stable id; no provider is called. */
  private simulated(req: ResourceRequest): Omit<ResourceReply, "kind" | "seq"> {
    const old = this.oldByUrn.get(req.urn);
    const id = old?.id || (this.preview ? "" : `${req.name}-simulated-id`);
    const diffs = old ? diffProperties(old.inputs, req.inputs) : [];
    const op: StepOp = !old ? "create" : diffs.length ? "update" : "same";
    const outputs = req.inputs;
    this.steps.push(stepFromReq(op, req, { id, diffs, outputs, simulated: true }));
    this.record(req, { id, inputs: req.inputs, outputs });
    return { id, outputs };
  }

  /** `Resource.get`: Read on the host (in preview too, as the engine does); external, never deleted. */
  private async read(
    req: ResourceRequest,
    getHost: () => Promise<ProviderHost>,
  ): Promise<Omit<ResourceReply, "kind" | "seq">> {
    let outputs = req.inputs;
    let id = req.id;
    const stackReference = req.type === STACK_REFERENCE_TYPE;
    const simulated = !isDynamic(req.type) && !stackReference;
    if (stackReference) {
      try {
        outputs = this.stackReference(req.id);
      } catch (e) {
        this.steps.push(stepFromReq("read", req, { id: req.id, error: messageOf(e) }));
        throw e;
      }
    } else if (!simulated) {
      const host = await getHost();
      const props = unwrap(req.inputs);
      try {
        const rd = await host.read(req.id, req.urn, props, props);
        if (rd.id === "") throw new Error(`resource '${req.id}' does not exist`);
        id = rd.id;
        outputs = markSecret(rd.properties, secretKeysOf(req.inputs, req.additionalSecretOutputs));
      } catch (e) {
        this.steps.push(stepFromReq("read", req, { id: req.id, error: messageOf(e) }));
        throw e;
      }
    }
    this.steps.push(stepFromReq("read", req, { id, outputs, simulated }));
    this.registered.set(req.urn, {
      urn: req.urn,
      type: req.type,
      name: req.name,
      custom: true,
      external: true,
      id,
      parent: req.parent,
      dependencies: req.dependencies,
      inputs: req.inputs,
      outputs,
      additionalSecretOutputs: req.additionalSecretOutputs,
    });
    return { id, outputs };
  }

  /** A dynamic resource: Check, then Create or Diff (+ Update / replace), with the engine's preview rules. */
  private async dynamic(
    req: ResourceRequest,
    getHost: () => Promise<ProviderHost>,
  ): Promise<Omit<ResourceReply, "kind" | "seq">> {
    const host = await getHost();
    const candidate = this.oldByUrn.get(req.urn);
    const old =
      candidate && candidate.custom && !candidate.external && candidate.type === req.type
        ? candidate
        : undefined;
    const secretKeys = secretKeysOf(req.inputs, req.additionalSecretOutputs);
    const oldInputs = old ? unwrap(old.inputs) : {};

    const checked = await host.check(req.urn, oldInputs, unwrap(req.inputs));
    if (checked.failures.length) {
      const news = unwrap(req.inputs);
      const message = checked.failures
        .map((f) =>
          f.property
            ? `${req.type} resource '${req.name}': property ${f.property} value {${formatPlain(news[f.property])}} has a problem: ${f.reason}`
            : `${req.type} resource '${req.name}' has a problem: ${f.reason}`,
        )
        .join("\n");
      this.steps.push(stepFromReq(old ? "update" : "create", req, { id: old?.id ?? "", error: message }));
      throw new Error(message);
    }
    const news = checked.inputs;
    const wrappedNews = markSecret(news, secretKeys);

    if (!old) {
      if (this.preview) {
        // The host does not support preview: the engine's previewed outputs are the checked inputs.
        this.steps.push(stepFromReq("create", req, { id: "", outputs: wrappedNews }));
        this.record(req, { id: "", inputs: wrappedNews, outputs: wrappedNews });
        return { id: "", outputs: wrappedNews };
      }
      const created = await this.guard(
        req,
        "create",
        "",
        () => host.create(req.urn, news),
        wrappedNews,
        secretKeys,
      );
      const outputs = markSecret(created.properties, secretKeys);
      this.steps.push(stepFromReq("create", req, { id: created.id, outputs }));
      this.record(req, { id: created.id, inputs: wrappedNews, outputs });
      return { id: created.id, outputs };
    }

    const d = await host.diff(old.id, req.urn, unwrap(old.outputs), oldInputs, news);
    // DIFF_UNKNOWN: the engine diffs old and new inputs itself (including __provider).
    const inputDiffs = diffProperties(old.inputs, wrappedNews);
    const changed = d.changes === "some" || (d.changes === "unknown" && inputDiffs.length > 0);
    // Display: the input keys that changed; __provider only when it is the sole change.
    const shown = inputDiffs.filter((x) => x.key !== "__provider");
    const diffs = shown.length ? shown : inputDiffs;

    if (!changed) {
      this.steps.push(stepFromReq("same", req, { id: old.id, outputs: old.outputs }));
      // A Same step records the new inputs and keeps the old outputs (including their __provider).
      this.record(req, { id: old.id, inputs: wrappedNews, outputs: old.outputs });
      return { id: old.id, outputs: old.outputs };
    }

    if (d.replaces.length === 0) {
      if (this.preview) {
        this.steps.push(stepFromReq("update", req, { id: old.id, diffs, outputs: wrappedNews }));
        this.record(req, { id: old.id, inputs: wrappedNews, outputs: wrappedNews });
        return { id: old.id, outputs: wrappedNews };
      }
      const updated = await this.guard(
        req,
        "update",
        old.id,
        () =>
          host
            .update(old.id, req.urn, unwrap(old.outputs), news, oldInputs)
            .then((u) => ({ id: old.id, ...u })),
        wrappedNews,
        secretKeys,
        diffs,
      );
      const outputs = markSecret(updated.properties, secretKeys);
      this.steps.push(stepFromReq("update", req, { id: old.id, diffs, outputs }));
      this.record(req, { id: old.id, inputs: wrappedNews, outputs });
      return { id: old.id, outputs };
    }

    // Replace.
    const replaces = d.replaces;
    if (this.preview) {
      this.steps.push(stepFromReq("replace", req, { id: "", diffs, replaces, outputs: wrappedNews }));
      this.record(req, { id: "", inputs: wrappedNews, outputs: wrappedNews });
      return { id: "", outputs: wrappedNews };
    }
    const deleteFirst = d.deleteBeforeReplace || req.deleteBeforeReplace;
    if (deleteFirst) {
      try {
        await host.delete(old.id, old.urn, unwrap(old.outputs), oldInputs);
      } catch (e) {
        this.steps.push(stepFromReq("replace", req, { id: old.id, diffs, replaces, error: messageOf(e) }));
        throw e;
      }
    }
    let created;
    try {
      created = await this.guard(
        req,
        "replace",
        "",
        () => host.create(req.urn, news),
        wrappedNews,
        secretKeys,
        diffs,
        replaces,
      );
    } catch (e) {
      // Create-before-delete: the old resource is untouched and stays in the state; if the new one exists
      // partially (init failure), the old one becomes a pending delete.
      if (!deleteFirst)
        this.retained.push(this.registered.has(req.urn) ? { ...old, pendingDelete: true } : old);
      throw e;
    }
    if (!deleteFirst) this.replacedOlds.push(old);
    const outputs = markSecret(created.properties, secretKeys);
    this.steps.push(stepFromReq("replace", req, { id: created.id, diffs, replaces, outputs }));
    this.record(req, { id: created.id, inputs: wrappedNews, outputs });
    return { id: created.id, outputs };
  }

  /**
   * Runs a create/update. On failure records the failed step; on ErrorResourceInitFailed the resource exists with
   * partial state, which the engine keeps (so the next `up` continues rather than starting over).
   */
  private async guard<T extends { id: string; properties: PropertyMap }>(
    req: ResourceRequest,
    op: StepOp,
    id: string,
    f: () => Promise<T>,
    wrappedNews: PropertyMap,
    secretKeys: readonly string[],
    diffs: readonly PropertyDiff[] = [],
    replaces: readonly string[] = [],
  ): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ProviderHostError && e.initFailed) {
        const partialId = e.id ?? id;
        const outputs = markSecret(e.properties ?? {}, secretKeys);
        this.record(req, { id: partialId, inputs: wrappedNews, outputs });
        if (!("__provider" in (e.properties ?? {}))) {
          // The engine keeps these properties as the outputs; Delete and Read deserialize the provider from them.
          this.diag(
            "warning",
            req.urn,
            "the partial state of the failed initialization has no __provider: a later delete or refresh will fail " +
              "('code must be a string'); include inputs.__provider in the error's properties",
          );
        }
        const reasons = (e.reasons ?? []).map((r) => `\n  * ${r}`).join("");
        const message = `resource '${req.name}' (id ${partialId}) was ${op === "update" ? "updated" : "created"} but failed to initialize: ${e.details}${reasons}`;
        this.steps.push(stepFromReq(op, req, { id: partialId, diffs, replaces, outputs, error: message }));
        throw new Error(message, { cause: e });
      }
      this.steps.push(stepFromReq(op, req, { id, diffs, replaces, error: messageOf(e) }));
      throw e;
    }
  }

  /**
   * After the program: delete what is no longer declared, and the old halves of create-before-delete replacements,
   * in reverse dependency order (on `up`, and only when nothing failed, as the engine stops at the first error).
   */
  async finish(getHost: () => Promise<ProviderHost>): Promise<void> {
    const removed = this.old.resources.filter((r) => r.pendingDelete || !this.registered.has(r.urn));
    const pendingOlds = [...this.replacedOlds, ...removed.filter((r) => r.pendingDelete)];
    const toDelete = deleteOrder([...removed, ...this.replacedOlds]);
    for (const r of toDelete) {
      // The old half of a replacement was already reported by its replace step.
      const isReplaced = pendingOlds.includes(r);
      if (r.external) continue;
      if (this.preview) {
        if (!isReplaced) this.steps.push(stepOf("delete", r, { simulated: r.custom && !isDynamic(r.type) }));
        continue;
      }
      if (this.failed) {
        this.retained.push(isReplaced ? { ...r, pendingDelete: true } : r);
        continue;
      }
      if (r.custom && isDynamic(r.type)) {
        try {
          const host = await getHost();
          await host.delete(r.id, r.urn, unwrap(r.outputs), unwrap(r.inputs));
        } catch (e) {
          const message = messageOf(e);
          if (!isReplaced) this.steps.push(stepOf("delete", r, { error: message }));
          this.diag("error", r.urn, message);
          this.retained.push(isReplaced ? { ...r, pendingDelete: true } : r);
          continue;
        }
      }
      if (!isReplaced) this.steps.push(stepOf("delete", r, { simulated: r.custom && !isDynamic(r.type) }));
    }
  }

  /** The state after the run: registered resources in order, then retained old ones. */
  newState(): StackState {
    const resources: ResourceState[] = [...this.registered.values()];
    // Retained resources: removed ones whose deletion was skipped, and pending deletes (which share a URN with
    // their replacement and are told apart by the flag).
    resources.push(...this.retained.filter((r) => r.pendingDelete || !this.registered.has(r.urn)));
    return {
      ...this.old,
      resources,
      outputs: this.failed && !Object.keys(this.stackOutputs).length ? this.old.outputs : this.stackOutputs,
    };
  }
}

// ----- helpers --------------------------------------------------------------------------------------------------

function stepOf(op: StepOp, r: ResourceState, extra: Partial<Step> = {}): Step {
  return {
    op,
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent,
    custom: r.custom,
    simulated: false,
    id: r.id,
    diffs: [],
    replaces: [],
    ...extra,
  };
}

function stepFromReq(op: StepOp, req: ResourceRequest, extra: Partial<Step> & { id: string }): Step {
  return {
    op,
    urn: req.urn,
    type: req.type,
    name: req.name,
    parent: req.parent,
    custom: req.custom,
    simulated: false,
    diffs: [],
    replaces: [],
    ...extra,
  };
}

/** Reverse dependency order: a resource is deleted before anything it depends on (or its parent). */
export function deleteOrder(resources: readonly ResourceState[]): ResourceState[] {
  const pending = [...resources];
  const out: ResourceState[] = [];
  while (pending.length) {
    // Pick the last resource that no other pending resource depends on.
    let idx = -1;
    for (let i = pending.length - 1; i >= 0; i--) {
      const r = pending[i];
      const needed = pending.some((o) => o !== r && (o.parent === r.urn || o.dependencies.includes(r.urn)));
      if (!needed) {
        idx = i;
        break;
      }
    }
    if (idx < 0) idx = pending.length - 1; // a cycle cannot happen in a real state; do not loop forever
    out.push(pending.splice(idx, 1)[0]);
  }
  return out;
}

/** Keys whose value contains a secret, plus additionalSecretOutputs. */
function secretKeysOf(inputs: PropertyMap, additional: readonly string[]): string[] {
  return [...new Set([...Object.keys(inputs).filter((k) => containsSecret(inputs[k])), ...additional])];
}

/**
 * The engine's annotateSecrets: outputs whose same-named input was secret come back from the host in plaintext
 * (acceptSecrets=false) and are re-marked secret.
 */
function markSecret(props: PropertyMap, keys: readonly string[]): PropertyMap {
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(props)) {
    out[k] =
      keys.includes(k) && !isSecret(v) && v !== undefined && v !== null && v !== UNKNOWN ? secret(v) : v;
  }
  return out;
}

function unwrap(props: PropertyMap): PropertyMap {
  return unwrapSecrets(props) as PropertyMap;
}

function formatPlain(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v);
}

function messageOf(e: unknown): string {
  if (e instanceof ProviderHostError) return e.details;
  return e instanceof Error ? e.message : String(e);
}
