import type { VmCdRomInventory, VmNicInventory, VolumeInventory } from "../zstack";

/**
 * The `VmInstanceInventory` fields both resources expose as top-level outputs, with ZStack's names. The runtime
 * fills every one of them (with `null` when ZStack omits the field) and the Resource classes list them as output
 * keys, so programs can read them.
 */
export const VM_INVENTORY_KEYS = [
  "uuid",
  "name",
  "description",
  "zoneUuid",
  "clusterUuid",
  "imageUuid",
  "hostUuid",
  "lastHostUuid",
  "instanceOfferingUuid",
  "rootVolumeUuid",
  "platform",
  "architecture",
  "defaultL3NetworkUuid",
  "type",
  "hypervisorType",
  "memorySize",
  "reservedMemorySize",
  "cpuNum",
  "cpuSpeed",
  "allocatorStrategy",
  "createDate",
  "lastOpDate",
  "state",
  "vmNics",
  "allVolumes",
  "vmCdRoms",
  "guestOsType",
] as const;

/** The name of one inventory output. */
export type VmInventoryKey = (typeof VM_INVENTORY_KEYS)[number];

/**
 * The ZStack VM state names (`VmInstanceState`). `Paused` and `Running` are the stable states pause and resume move
 * between; the others appear when something else is happening to the VM.
 */
export const VM_STATES = [
  "Created",
  "Starting",
  "Running",
  "Stopping",
  "Stopped",
  "Rebooting",
  "Destroying",
  "Destroyed",
  "Migrating",
  "Expunging",
  "Pausing",
  "Paused",
  "Resuming",
  "VolumeMigrating",
  "VolumeRecovering",
  "Error",
  "NoState",
  "Unknown",
  "Crashed",
] as const;

/** A ZStack VM state name, one of {@link VM_STATES}. */
export type VmState = (typeof VM_STATES)[number];

/**
 * The inventory outputs as plain values, the shape the runtime returns. Dates are ZStack's strings
 * (`Nov 14, 2017 10:20:57 PM`, server local time); sizes are bytes.
 */
export interface VmInventoryOutputs {
  readonly uuid: string;
  readonly name: string;
  readonly description: string | null;
  readonly zoneUuid: string | null;
  readonly clusterUuid: string | null;
  readonly imageUuid: string | null;
  readonly hostUuid: string | null;
  readonly lastHostUuid: string | null;
  readonly instanceOfferingUuid: string | null;
  readonly rootVolumeUuid: string | null;
  readonly platform: string | null;
  readonly architecture: string | null;
  readonly defaultL3NetworkUuid: string | null;
  readonly type: string | null;
  readonly hypervisorType: string | null;
  readonly memorySize: number | null;
  readonly reservedMemorySize: number | null;
  readonly cpuNum: number | null;
  readonly cpuSpeed: number | null;
  readonly allocatorStrategy: string | null;
  readonly createDate: string | null;
  readonly lastOpDate: string | null;
  /** The VM's actual state when last read (not the declared one). */
  readonly state: VmState | string;
  readonly vmNics: readonly VmNicInventory[];
  readonly allVolumes: readonly VolumeInventory[];
  readonly vmCdRoms: readonly VmCdRomInventory[];
  readonly guestOsType: string | null;
}
