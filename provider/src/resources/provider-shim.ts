import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The provider object Pulumi serializes into every resource's `__provider`. It is deliberately a shim: each method
 * requires the installed runtime by package name *inside the method* and delegates, and its only state is the
 * resource kind. So the serialized text is small, the same for every resource of a kind and for every package
 * version, holds no setting or secret, and refresh or destroy run the installed code rather than code frozen into
 * state (see DESIGN.md, "The serialization rule"). Do not capture anything else here: no imports used in the
 * methods, no `this`-capturing arrows, no Maps, no `#private` fields; the serialization tests guard this.
 */
export class ProviderShim implements dynamic.ResourceProvider {
  constructor(readonly kind: string) {}

  async configure(request: dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-zstack-vm/runtime").configure(request);
  }

  async check(olds: unknown, news: unknown): Promise<dynamic.CheckResult> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).check(olds, news);
  }

  async diff(id: string, olds: unknown, news: unknown): Promise<dynamic.DiffResult> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).diff(id, olds, news);
  }

  async create(inputs: unknown): Promise<dynamic.CreateResult> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).create(inputs);
  }

  async read(id: string, props: unknown): Promise<dynamic.ReadResult> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).read(id, props);
  }

  async update(id: string, olds: unknown, news: unknown): Promise<dynamic.UpdateResult> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).update(id, olds, news);
  }

  async delete(id: string, props: unknown): Promise<void> {
    return require("pulumi-zstack-vm/runtime").dispatch(this.kind).delete(id, props);
  }
}

/**
 * One shim per kind for the whole program: Pulumi caches serialization per provider object, so sharing the instance
 * serializes each kind once, however many resources there are.
 */
export const PROVIDERS = {
  VmPauseState: new ProviderShim("VmPauseState"),
  VmClockTrack: new ProviderShim("VmClockTrack"),
} as const;
