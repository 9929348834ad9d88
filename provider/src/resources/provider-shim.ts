import type * as dynamic from "@pulumi/pulumi/dynamic";

/** A dynamic provider that also names the resource kind it serves. */
export interface ProviderShim extends dynamic.ResourceProvider {
  readonly kind: string;
}

/**
 * The provider object Pulumi serializes into every resource's `__provider`. It is deliberately a shim: each method
 * requires the installed runtime by package name *inside the method* and delegates, and its only state is the
 * resource kind. So the serialized text is small (about 2.5 KB), the same for every resource of a kind and for every
 * package version, holds no setting or secret, and refresh or destroy run the installed code rather than code frozen
 * into state (see DESIGN.md, "The serialization rule").
 *
 * It is a plain object of methods rather than a class instance because the serializer then emits no constructor and
 * no prototype wiring (a class costs 1.1 KB more per resource). Capture nothing else here: no imports used in the
 * methods, no arrow functions over `this`, no Maps, no `#private` fields; the serialization tests guard this.
 */
export function providerShim(kind: string): ProviderShim {
  return {
    kind,
    async configure(request) {
      return require("pulumi-zstack-vm/runtime").configure(request);
    },
    async check(olds, news) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).create(inputs);
    },
    async read(id, props) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-zstack-vm/runtime").dispatch(this.kind).delete(id, props);
    },
  };
}

/**
 * One shim per kind for the whole program: Pulumi caches serialization per provider object, so sharing the instance
 * serializes each kind once, however many resources there are.
 */
export const PROVIDERS = {
  VmPauseState: providerShim("VmPauseState"),
  VmClockTrack: providerShim("VmClockTrack"),
} as const;
