// The inventory shapes the simulator serves: VmInstanceInventory and its nested inventories with every
// field of zstack-api.md §7. Dates are already in wire format.

import { VM_INVENTORY_KEYS } from "../vocabulary/vm-inventory-keys";
import type { VmState } from "../vocabulary/vm-states";

// States in which the VM occupies a host, so the inventory carries `hostUuid` (§7: "null when not running").
const ON_HOST_STATES: ReadonlySet<VmState> = new Set<VmState>([
  "Starting",
  "Running",
  "Stopping",
  "Rebooting",
  "Migrating",
  "Pausing",
  "Paused",
  "Resuming",
  "VolumeMigrating",
  "Unknown",
  "Crashed",
]);

/** Whether a VM in this state sits on a host (and so has a `hostUuid`). */
function isOnHost(state: VmState): boolean {
  return ON_HOST_STATES.has(state);
}

/** `UsedIpInventory` (zstack-api.md §7). */
export interface UsedIpInventory {
  readonly uuid: string;
  readonly ipRangeUuid: string;
  readonly ipVersion: number;
  readonly ip: string;
  readonly netmask: string;
  readonly gateway: string;
  readonly usedFor?: string;
  readonly ipInLong: number;
  readonly vmNicUuid: string;
  readonly createDate: string;
  readonly lastOpDate: string;
}

/** `VmNicInventory` (zstack-api.md §7). */
export interface VmNicInventory {
  readonly uuid: string;
  readonly vmInstanceUuid: string;
  readonly l3NetworkUuid: string;
  readonly ip: string;
  readonly mac: string;
  readonly hypervisorType: string;
  readonly netmask: string;
  readonly gateway: string;
  readonly metaData?: string;
  readonly ipVersion: number;
  readonly driverType?: string;
  readonly usedIps: readonly UsedIpInventory[];
  readonly internalName: string;
  readonly deviceId: number;
  readonly type: string;
  readonly state: string;
  readonly createDate: string;
  readonly lastOpDate: string;
}

/** `VolumeInventory` (zstack-api.md §7). */
export interface VolumeInventory {
  readonly uuid: string;
  readonly name: string;
  readonly description?: string;
  readonly primaryStorageUuid: string;
  readonly vmInstanceUuid?: string;
  readonly diskOfferingUuid?: string;
  readonly rootImageUuid?: string;
  readonly installPath: string;
  readonly type: "Root" | "Data";
  readonly format: string;
  readonly size: number;
  readonly actualSize?: number;
  readonly deviceId?: number;
  readonly state: "Enabled" | "Disabled";
  readonly status: string;
  readonly createDate: string;
  readonly lastOpDate: string;
  readonly isShareable: boolean;
  readonly volumeQos?: string;
  readonly lastDetachDate?: string;
  readonly lastVmInstanceUuid?: string;
  readonly lastAttachDate?: string;
  readonly protocol?: string;
}

/** `VmCdRomInventory` (zstack-api.md §7). */
export interface VmCdRomInventory {
  readonly uuid: string;
  readonly vmInstanceUuid: string;
  readonly deviceId: number;
  readonly isoUuid?: string;
  readonly isoInstallPath?: string;
  readonly name: string;
  readonly description?: string;
  readonly protocol?: string;
  readonly createDate: string;
  readonly lastOpDate: string;
}

/** `VmInstanceInventory` (zstack-api.md §7); optional fields are omitted on the wire when absent. */
export interface VmInstanceInventory {
  readonly uuid: string;
  readonly name: string;
  readonly description?: string;
  readonly zoneUuid: string;
  readonly clusterUuid?: string;
  readonly imageUuid?: string;
  readonly hostUuid?: string;
  readonly lastHostUuid?: string;
  readonly instanceOfferingUuid?: string;
  readonly rootVolumeUuid: string;
  readonly platform: string;
  readonly architecture?: string;
  readonly defaultL3NetworkUuid?: string;
  readonly type: string;
  readonly hypervisorType: string;
  readonly memorySize: number;
  readonly reservedMemorySize?: number;
  readonly cpuNum: number;
  readonly cpuSpeed: number;
  readonly allocatorStrategy: string;
  readonly createDate: string;
  readonly lastOpDate: string;
  readonly state: VmState;
  readonly vmNics: readonly VmNicInventory[];
  readonly allVolumes: readonly VolumeInventory[];
  readonly vmCdRoms: readonly VmCdRomInventory[];
  readonly guestOsType?: string;
}

/** Top-level `VmInstanceInventory` field names: the fields a query may name (zstack-api.md §5.7). */
export const VM_INVENTORY_FIELDS: ReadonlySet<string> = new Set(VM_INVENTORY_KEYS);

/** Java class names the `schema` map reports for each inventory (zstack-api.md §5.7). */
export const INVENTORY_CLASSES = {
  vm: "org.zstack.header.vm.VmInstanceInventory",
  nic: "org.zstack.header.vm.VmNicInventory",
  usedIp: "org.zstack.header.network.l3.UsedIpInventory",
  volume: "org.zstack.header.volume.VolumeInventory",
  cdRom: "org.zstack.header.vm.cdrom.VmCdRomInventory",
  session: "org.zstack.header.identity.SessionInventory",
  resourceConfig: "org.zstack.resourceconfig.ResourceConfigInventory",
} as const;

/**
 * The VM moved to `state`, with placement kept consistent: on-host states carry `hostUuid` (the current or
 * last host), other states drop it and remember it as `lastHostUuid`; `lastOpDate` is refreshed (§7).
 */
export function withState(vm: VmInstanceInventory, state: VmState, lastOpDate: string): VmInstanceInventory {
  const { hostUuid, ...rest } = vm;
  const host = hostUuid ?? vm.lastHostUuid;
  if (isOnHost(state) && host !== undefined)
    return { ...rest, state, lastOpDate, hostUuid: host, lastHostUuid: host };
  return host === undefined
    ? { ...rest, state, lastOpDate }
    : { ...rest, state, lastOpDate, lastHostUuid: host };
}
