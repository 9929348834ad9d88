/**
 * A `pulumi.runtime.setMocks` implementation that bridges dynamic resources to their real provider, in-process:
 * `args.inputs.__provider` is deserialized with `require-from-string` (as the dynamic-provider host does) and
 * check → create (or read, for `get`) is called on it. For mocha tests of programs: the program sees the outputs the
 * real provider returns. Not an engine: no state, no diff/update/delete between runs (use the engine harness).
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, secret, UNKNOWN, unwrapSecrets, type PropertyMap } from "../provider-host/properties";

/** Options of a {@link BridgeMocks}. */
export interface BridgeOptions {
  /**
   * Preview mode: create is not called; the outputs are the checked inputs, so output-only keys stay unknown in the
   * program. Pass the same flag to `setMocks(..., preview)`.
   */
  readonly preview?: boolean;
  /** Config given to the providers' `configure` (namespaced keys, plain values). */
  readonly config?: Readonly<Record<string, string>>;
  /** Project name used to prefix un-namespaced keys in `config.get` (as the host does). Default "project". */
  readonly project?: string;
  /** Answers invokes (`pulumi.runtime.invoke`). Default: echo the arguments. */
  readonly call?: (args: pulumi.runtime.MockCallArgs) => pulumi.runtime.MockCallResult;
}

/** What the bridge did for one resource. */
export interface BridgedResource {
  readonly type: string;
  readonly name: string;
  /** `create` (real provider), `preview` (checked only), `read` (get), `simulated` (not a dynamic resource). */
  readonly op: "create" | "preview" | "read" | "simulated";
  readonly id: string | undefined;
  /** The inputs the provider saw (secrets unwrapped, unknowns as the sentinel string). */
  readonly inputs: PropertyMap;
  /** The state returned to the program. */
  readonly outputs: PropertyMap;
}

/** The provider methods the bridge calls. */
interface DynamicProvider {
  configure?(req: {
    config: { get(key: string): string | undefined; require(key: string): string };
  }): Promise<void>;
  check?(
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ inputs?: PropertyMap; failures?: { property: string; reason: string }[] }>;
  create(inputs: PropertyMap): Promise<{ id: string; outs?: PropertyMap }>;
  read?(id: string, props?: PropertyMap): Promise<{ id?: string; props?: PropertyMap }>;
}

const requireFromString = createRequire(
  path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "package.json"),
)("require-from-string") as (code: string) => { handler(): DynamicProvider };

/** Mocks whose dynamic resources run their real provider in-process. */
export class BridgeMocks implements pulumi.runtime.Mocks {
  /** Every resource the program registered, in order. */
  readonly resources: BridgedResource[] = [];
  private readonly providers = new Map<string, Promise<DynamicProvider>>();

  constructor(private readonly options: BridgeOptions = {}) {}

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    return this.options.call ? this.options.call(args) : (args.inputs as pulumi.runtime.MockCallResult);
  }

  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    const wire = toWire(args.inputs) as PropertyMap;
    if (!args.type.startsWith("pulumi-nodejs:dynamic")) {
      const id = args.custom === false ? undefined : (args.id ?? `${args.name}_id`);
      this.resources.push({
        type: args.type,
        name: args.name,
        op: "simulated",
        id,
        inputs: wire,
        outputs: wire,
      });
      return { id, state: wire };
    }
    const inputs = unwrapSecrets(wire) as PropertyMap;
    const secretKeys = Object.keys(wire).filter((k) => isSecret(wire[k]));
    const text = inputs.__provider;
    if (typeof text !== "string") throw new Error(`${args.name}: no serialized __provider in the inputs`);
    const provider = await this.provider(text);

    if (args.id) {
      if (!provider.read) throw new Error(`${args.name}: the provider has no read`);
      const r = await provider.read(args.id, inputs);
      if (!r.id) throw new Error(`resource '${args.id}' does not exist`);
      const outputs = annotate({ ...r.props, __provider: text }, secretKeys);
      this.resources.push({ type: args.type, name: args.name, op: "read", id: r.id, inputs, outputs });
      return { id: r.id, state: outputs };
    }

    let checked = inputs;
    if (provider.check) {
      const c = await provider.check({}, inputs);
      if (c.failures?.length) {
        throw new Error(
          c.failures.map((f) => `property ${f.property} has a problem: ${f.reason}`).join("\n"),
        );
      }
      checked = { ...(c.inputs ?? inputs), __provider: text };
    }
    if (this.options.preview) {
      // As the engine previews a create: the outputs are the checked inputs; output-only keys stay unknown.
      const outputs = annotate(checked, secretKeys);
      this.resources.push({
        type: args.type,
        name: args.name,
        op: "preview",
        id: undefined,
        inputs: checked,
        outputs,
      });
      return { id: undefined, state: outputs };
    }
    const created = await provider.create(checked);
    // As the host does: the outputs are exactly the provider's `outs` plus `__provider`.
    const outputs = annotate({ ...created.outs, __provider: text }, secretKeys);
    this.resources.push({
      type: args.type,
      name: args.name,
      op: "create",
      id: created.id,
      inputs: checked,
      outputs,
    });
    return { id: created.id, state: outputs };
  }

  /** Deserializes and configures a provider once per serialized text, like the host's cache. */
  private provider(text: string): Promise<DynamicProvider> {
    let p = this.providers.get(text);
    if (!p) {
      p = (async () => {
        const provider = requireFromString(text).handler();
        const raw = this.options.config ?? {};
        const project = this.options.project ?? "project";
        const get = (key: string): string | undefined => raw[key.includes(":") ? key : `${project}:${key}`];
        const config = {
          get,
          require: (key: string): string => {
            const v = get(key);
            if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
            return v;
          },
        };
        await provider.configure?.({ config });
        return provider;
      })();
      this.providers.set(text, p);
    }
    return p;
  }
}

/** Mocks deserialize unknowns to the SDK's `unknown` object; providers expect the wire sentinel string. */
function toWire(v: unknown): unknown {
  if (pulumi.isUnknown(v)) return UNKNOWN;
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  }
  return v;
}

/** annotateSecrets: outputs whose same-named input was secret are secret; `undefined` members are dropped. */
function annotate(props: PropertyMap, secretKeys: readonly string[]): PropertyMap {
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    out[k] = secretKeys.includes(k) && v !== null && !isSecret(v) ? secret(v) : v;
  }
  return out;
}
