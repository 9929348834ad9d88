import type * as pulumi from "@pulumi/pulumi";

import type { VmCdRomInventory, VmNicInventory, VolumeInventory } from "../zstack";
import { VM_INVENTORY_KEYS } from "../vocabulary/vm-inventory-keys";
import type { ResourceKind } from "../vocabulary/resource-kinds";
import { providerText } from "./provider-text";
import { importUnsupported } from "./import-unsupported";

/** The module part of the resources' type tokens: `pulumi-nodejs:dynamic/zstack:<Kind>`. */
const TYPE_MODULE = "zstack";

/** The type token of a kind: the `pulumi-nodejs` package routes it to the dynamic-provider host. */
function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${TYPE_MODULE}:${kind}`;
}

/**
 * What both resources are: a dynamic resource whose outputs include every `VmInstanceInventory` field of its VM,
 * with ZStack's names, as read when the resource last acted or refreshed. Fields ZStack omits are `null`.
 *
 * An interface, not a base class: the SDK records where a resource was declared (its source position, shown by
 * Pulumi Cloud and kept in the state) by skipping a fixed number of constructor frames (`Resource`,
 * `CustomResource`, the concrete class), so a class between `CustomResource` and ours would point every source
 * position into this package instead of the user's program. The concrete classes merge this interface instead.
 */
export interface VmInventoryResource extends pulumi.CustomResource {
  /** The VM's uuid. */
  readonly uuid: pulumi.Output<string>;
  /** The VM's name. */
  readonly name: pulumi.Output<string>;
  readonly description: pulumi.Output<string | null>;
  readonly zoneUuid: pulumi.Output<string | null>;
  readonly clusterUuid: pulumi.Output<string | null>;
  readonly imageUuid: pulumi.Output<string | null>;
  /** The host the VM runs on; `null` when it is not running. */
  readonly hostUuid: pulumi.Output<string | null>;
  readonly lastHostUuid: pulumi.Output<string | null>;
  readonly instanceOfferingUuid: pulumi.Output<string | null>;
  readonly rootVolumeUuid: pulumi.Output<string | null>;
  /** `Linux`, `Windows`, `Other`, ... */
  readonly platform: pulumi.Output<string | null>;
  readonly architecture: pulumi.Output<string | null>;
  readonly defaultL3NetworkUuid: pulumi.Output<string | null>;
  /** `UserVm` or `ApplianceVm`. */
  readonly type: pulumi.Output<string | null>;
  readonly hypervisorType: pulumi.Output<string | null>;
  /** Memory in bytes. */
  readonly memorySize: pulumi.Output<number | null>;
  readonly reservedMemorySize: pulumi.Output<number | null>;
  readonly cpuNum: pulumi.Output<number | null>;
  readonly cpuSpeed: pulumi.Output<number | null>;
  readonly allocatorStrategy: pulumi.Output<string | null>;
  /** ZStack's date string, server local time (`Nov 14, 2017 10:20:57 PM`). */
  readonly createDate: pulumi.Output<string | null>;
  readonly lastOpDate: pulumi.Output<string | null>;
  /** The VM's actual state when last read (a refresh updates it; a difference from the declared state is drift). */
  readonly state: pulumi.Output<string>;
  readonly vmNics: pulumi.Output<VmNicInventory[]>;
  readonly allVolumes: pulumi.Output<VolumeInventory[]>;
  readonly vmCdRoms: pulumi.Output<VmCdRomInventory[]>;
  readonly guestOsType: pulumi.Output<string | null>;
}

/** The arguments of `CustomResource`'s constructor, as the concrete resource classes pass them. */
type CustomResourceArgs = [
  type: string,
  name: string,
  props: pulumi.Inputs,
  opts: pulumi.CustomResourceOptions | undefined,
];

/**
 * What a concrete class passes to `CustomResource`: registered as `pulumi.dynamic.Resource` registers one (the same
 * type token and a `__provider` input), except that `__provider` is this package's fixed text rather than a
 * serialized object (see `provider-text.ts`). Fails on the `import` option, which dynamic resources cannot honour.
 *
 * @param ownKeys
 *  the kind's own output keys: every output key must be in the props (as `undefined`) for the SDK to resolve it
 *  (pulumi/pulumi#5174).
 */
export function customResourceArgs(
  kind: ResourceKind,
  name: string,
  ownKeys: readonly string[],
  args: object | undefined,
  opts: pulumi.CustomResourceOptions | undefined,
): CustomResourceArgs {
  if (opts?.import !== undefined) throw importUnsupported(kind, name, opts.import);
  const props: Record<string, unknown> = {};
  for (const key of [...VM_INVENTORY_KEYS, ...ownKeys]) props[key] = undefined;
  // `__provider` last, so that no argument can replace it.
  return [typeToken(kind), name, { ...props, ...args, __provider: providerText(kind) }, opts];
}
