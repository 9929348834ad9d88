import * as pulumi from "@pulumi/pulumi";

import type { VmCdRomInventory, VmNicInventory, VolumeInventory } from "../zstack";
import { VM_INVENTORY_KEYS } from "./vm-inventory";
import { providerText, type ResourceKindName } from "./provider-text";
import { importUnsupported } from "./import-unsupported";

/** The module part of the resources' type tokens: `pulumi-nodejs:dynamic/zstack:<Kind>`. */
export const TYPE_MODULE = "zstack";

/** The type token of a kind: the `pulumi-nodejs` package routes it to the dynamic-provider host. */
export function typeToken(kind: ResourceKindName): string {
  return `pulumi-nodejs:dynamic/${TYPE_MODULE}:${kind}`;
}

/**
 * A dynamic resource, registered as `pulumi.dynamic.Resource` registers one (the same type token and a `__provider`
 * input), except that `__provider` is this package's fixed text rather than a serialized object (see
 * `provider-text.ts`). The outputs both resources share: every `VmInstanceInventory` field of the VM, with ZStack's names, as read when
 * the resource last acted or refreshed. Fields ZStack omits are `null`.
 */
export abstract class VmInventoryResource extends pulumi.CustomResource {
  /** The VM's uuid. */
  declare public readonly uuid: pulumi.Output<string>;
  /** The VM's name. */
  declare public readonly name: pulumi.Output<string>;
  declare public readonly description: pulumi.Output<string | null>;
  declare public readonly zoneUuid: pulumi.Output<string | null>;
  declare public readonly clusterUuid: pulumi.Output<string | null>;
  declare public readonly imageUuid: pulumi.Output<string | null>;
  /** The host the VM runs on; `null` when it is not running. */
  declare public readonly hostUuid: pulumi.Output<string | null>;
  declare public readonly lastHostUuid: pulumi.Output<string | null>;
  declare public readonly instanceOfferingUuid: pulumi.Output<string | null>;
  declare public readonly rootVolumeUuid: pulumi.Output<string | null>;
  /** `Linux`, `Windows`, `Other`, ... */
  declare public readonly platform: pulumi.Output<string | null>;
  declare public readonly architecture: pulumi.Output<string | null>;
  declare public readonly defaultL3NetworkUuid: pulumi.Output<string | null>;
  /** `UserVm` or `ApplianceVm`. */
  declare public readonly type: pulumi.Output<string | null>;
  declare public readonly hypervisorType: pulumi.Output<string | null>;
  /** Memory in bytes. */
  declare public readonly memorySize: pulumi.Output<number | null>;
  declare public readonly reservedMemorySize: pulumi.Output<number | null>;
  declare public readonly cpuNum: pulumi.Output<number | null>;
  declare public readonly cpuSpeed: pulumi.Output<number | null>;
  declare public readonly allocatorStrategy: pulumi.Output<string | null>;
  /** ZStack's date string, server local time (`Nov 14, 2017 10:20:57 PM`). */
  declare public readonly createDate: pulumi.Output<string | null>;
  declare public readonly lastOpDate: pulumi.Output<string | null>;
  /** The VM's actual state when last read (a refresh updates it; a difference from the declared state is drift). */
  declare public readonly state: pulumi.Output<string>;
  declare public readonly vmNics: pulumi.Output<VmNicInventory[]>;
  declare public readonly allVolumes: pulumi.Output<VolumeInventory[]>;
  declare public readonly vmCdRoms: pulumi.Output<VmCdRomInventory[]>;
  declare public readonly guestOsType: pulumi.Output<string | null>;

  /**
   * @param kind
   *  the resource type name, e.g. `VmPauseState`.
   * @param ownKeys
   *  the kind's own output keys, listed so the SDK creates an output for each.
   */
  protected constructor(
    kind: ResourceKindName,
    name: string,
    ownKeys: readonly string[],
    args: object | undefined,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    if (opts?.import !== undefined) throw importUnsupported(kind, name, opts.import);
    // Output keys must be present in props (as undefined) for the SDK to resolve them (pulumi/pulumi#5174);
    // `__provider` last, so that no argument can replace it.
    const props: Record<string, unknown> = {};
    for (const key of [...VM_INVENTORY_KEYS, ...ownKeys]) props[key] = undefined;
    super(typeToken(kind), name, { ...props, ...args, __provider: providerText(kind) }, opts);
  }
}
