/**
 * The native face of the runtime: the methods of Pulumi's provider protocol on plain values, for one provider
 * instance. The engine starts one plugin process per provider instance (the default provider and each explicit
 * one), so this object is made once per process and owns that instance's {@link ProviderRuntime}: its settings
 * (the instance's inputs, then the `ZSTACK_*` environment), its session and pool, its poll schedule and its
 * coordination scope. Coordination therefore spans the resources of one provider instance in one command; two
 * instances, even on one endpoint, do not see each other's claims or share an action.
 *
 * Resource methods map onto the kinds' controllers (`controllersFor`), exactly as the dynamic face does, with the
 * wire's secret markers taken off on the way in and put back on the way out (wire-values.ts). The gRPC layer
 * (grpc-service.ts) only converts messages.
 */
import {
  controllersFor,
  ProviderRuntime,
  type CheckFailure,
  type Controllers,
  type ResourceController,
  type ResourceKind,
} from "../runtime";
import { isResourceKind } from "../runtime/controllers";
import { ProviderError } from "../runtime/errors";
import { DEFAULT_ON_DELETE, DEFAULT_TIMEOUT_SECONDS } from "../runtime/inputs";
import { invoke } from "./invokes";
import { PACKAGE_NAME } from "./package-info";
import { ProviderConfig } from "./provider-config";
import { SECRET_SETTINGS, SETTING_NAMES } from "./provider-inputs";
import { containsUnknown, rewrap, unwrap, type PropertyMap } from "./wire-values";

/** What CheckConfig and Check answer: the checked inputs (secrets marked) or the failures. */
export interface CheckAnswer {
  readonly inputs: PropertyMap;
  readonly failures: readonly CheckFailure[];
}

/** What Diff and DiffConfig answer. */
export interface DiffAnswer {
  readonly changes: boolean;
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** The top-level inputs that changed, where the provider says (DiffConfig). */
  readonly diffs: readonly string[];
}

/** What Read answers: no id when the VM is gone; inputs when a refresh or an import has them. */
export interface ReadAnswer {
  readonly id: string;
  readonly props?: PropertyMap;
  readonly inputs?: PropertyMap;
}

/** The resource kind of a type token such as `zstackvm:index:VmPauseState`. */
function kindOf(type: string): ResourceKind {
  const [pkg, module, kind] = type.split(":");
  if (pkg === PACKAGE_NAME && module === "index" && kind !== undefined && isResourceKind(kind)) return kind;
  throw new ProviderError(
    `pulumi-zstack-vm: the plugin has no resource type ${JSON.stringify(type)}; its types are ` +
      `${PACKAGE_NAME}:index:VmPauseState and ${PACKAGE_NAME}:index:VmClockTrack. Upgrade the plugin if the ` +
      "program or the state was written for a newer one.",
  );
}

/** The inputs every kind defaults when a program leaves them out, with their defaults. */
const DEFAULTED_INPUTS: Readonly<Record<string, unknown>> = {
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  onDelete: DEFAULT_ON_DELETE,
};

/**
 * The inputs a refresh returns, shaped as the stored ones: the engine keeps an imported resource's inputs as its Read
 * gave them, without the defaults Check fills in, so a defaulted input the stored inputs leave out stays out while it
 * holds its default; otherwise every refresh after an import would report a change that is none.
 */
function shapedAsStored(refreshed: PropertyMap, stored: PropertyMap): PropertyMap {
  return Object.fromEntries(
    Object.entries(refreshed).filter(
      ([key, value]) => key in stored || !(key in DEFAULTED_INPUTS) || DEFAULTED_INPUTS[key] !== value,
    ),
  );
}

/** One provider instance: its configuration, runtime and controllers. */
export class NativeProvider {
  /** The instance's runtime: closed (its session logged out) when the plugin process ends. */
  readonly runtime: ProviderRuntime;
  private readonly controllers: Controllers;
  private config = new ProviderConfig({});

  /** @param env the environment the settings fall back to (the process's by default). */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    // Settings are resolved from the inputs of the last Configure when a call first needs the network: check and
    // diff run with none, as in the dynamic face.
    this.runtime = new ProviderRuntime({
      settings: () => this.config.resolve(this.env),
      checkSettings: () => this.config.checkSet(this.env),
    });
    this.controllers = controllersFor(this.runtime);
  }

  /**
   * Checks the provider's inputs without the network: one failure, naming nothing (the engine names the provider
   * resource), whose reason lists every problem, as the dynamic resources' settings error does. The checked inputs
   * are the inputs as given with the secret settings marked secret whatever the program did, so state never holds
   * them in the clear.
   */
  checkConfig(news: PropertyMap): CheckAnswer {
    const { values } = unwrap(news);
    const report = new ProviderConfig(values).report(this.env);
    return {
      inputs: rewrap(values, new Set(SECRET_SETTINGS)),
      failures: report === undefined ? [] : [{ property: "", reason: report }],
    };
  }

  /**
   * A changed setting updates the provider (its resources keep their ids and are diffed with the new settings); it
   * never replaces the provider, which would replace every resource it manages. An unknown setting may change.
   */
  diffConfig(olds: PropertyMap, news: PropertyMap): DiffAnswer {
    const before = unwrap(olds).values;
    const after = unwrap(news).values;
    const diffs = SETTING_NAMES.filter(
      (name) => containsUnknown(after[name]) || JSON.stringify(before[name]) !== JSON.stringify(after[name]),
    );
    return { changes: diffs.length > 0, replaces: [], deleteBeforeReplace: false, diffs };
  }

  /** Takes the instance's inputs (secrets unwrapped; unknowns tolerated, they are judged once known). */
  configure(inputs: PropertyMap): void {
    this.config = new ProviderConfig(unwrap(inputs).values);
  }

  /** The kind's check: the checked inputs (defaults filled in, secrets kept) or every failure. */
  async check(type: string, olds: PropertyMap, news: PropertyMap): Promise<CheckAnswer> {
    const controller = this.controller(type);
    const fresh = unwrap(news);
    const outcome = await controller.check(unwrap(olds).values, fresh.values);
    return { inputs: rewrap(outcome.inputs, fresh.secretKeys), failures: outcome.failures };
  }

  /** The kind's diff of the stored outputs and the checked inputs: a change, and a replace for a new VM. */
  async diff(type: string, id: string, olds: PropertyMap, news: PropertyMap): Promise<DiffAnswer> {
    const result = await this.controller(type).diff(id, unwrap(olds).values, unwrap(news).values);
    return {
      changes: result.changes === true,
      replaces: result.replaces ?? [],
      deleteBeforeReplace: result.deleteBeforeReplace === true,
      diffs: [],
    };
  }

  /** The kind's create: adopts the VM and converges it; the outputs keep the inputs' secrets secret. */
  async create(
    type: string,
    inputs: PropertyMap,
  ): Promise<{ readonly id: string; readonly props: PropertyMap }> {
    const given = unwrap(inputs);
    const { id, outs } = await this.controller(type).create(given.values);
    return { id, props: rewrap(outs, given.secretKeys) };
  }

  /**
   * A refresh (stored outputs given) reads the VM as the dynamic face does. A read with no stored outputs is an
   * import (or a `get`): the VM is adopted as it is, and the answer carries the inputs that declare it, which the
   * engine requires of an import.
   */
  async read(type: string, id: string, props: PropertyMap, inputs: PropertyMap): Promise<ReadAnswer> {
    const controller = this.controller(type);
    const stored = unwrap(props);
    if (Object.keys(stored.values).length === 0) {
      const adopted = await controller.adopt(id);
      return { id: adopted.id, props: adopted.props as PropertyMap, inputs: adopted.inputs };
    }
    const result = await controller.read(id, stored.values);
    if (!result.id) return { id: "" };
    const declared = unwrap(inputs);
    return {
      id: result.id,
      props: rewrap(result.props ?? {}, stored.secretKeys),
      ...(result.inputs
        ? { inputs: rewrap(shapedAsStored(result.inputs, declared.values), declared.secretKeys) }
        : {}),
    };
  }

  /** The kind's update; the outputs keep the new inputs' secrets secret. */
  async update(type: string, id: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    const fresh = unwrap(news);
    const { outs } = await this.controller(type).update(id, unwrap(olds).values, fresh.values);
    return rewrap(outs, fresh.secretKeys);
  }

  /** The kind's delete: releases the VM, restoring it unless `onDelete` is `"leave"`. */
  async delete(type: string, id: string, props: PropertyMap): Promise<void> {
    await this.controller(type).delete(id, unwrap(props).values);
  }

  /** Runs a function; the result is secret as a whole when an argument was. */
  async invoke(tok: string, args: PropertyMap): Promise<PropertyMap> {
    const given = unwrap(args);
    const result = await invoke(this.runtime, tok, given.values);
    return given.secretKeys.size > 0 ? rewrap(result, new Set(Object.keys(result))) : result;
  }

  /**
   * The engine's Cancel (the user pressed Ctrl-C): nothing to stop. The engine starts no new operation after it and
   * waits for those in flight; each of those has already had its action accepted by ZStack, whose job runs on
   * regardless, so it finishes its wait (within its `timeoutSeconds`) and records what it did, exactly as the
   * dynamic-provider host does. Failing them instead would leave the jobs' effects unrecorded until a refresh. The
   * session is logged out when the engine then ends the plugin process.
   */
  async cancel(): Promise<void> {}

  private controller(type: string): ResourceController<PropertyMap, PropertyMap> {
    return this.controllers[kindOf(type)] as ResourceController<PropertyMap, PropertyMap>;
  }
}
