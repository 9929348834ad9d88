// The inventory shapes the simulator serves: VmInstanceInventory and its nested inventories with every
// field of docs/zstack-behaviour.md#inventories, plus the state vocabulary (#vm-states). Dates are already in
// wire format.

/** Every `VmInstanceState` name (zstack `header/.../vm/VmInstanceState.java`). */
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

/** A ZStack VM state. */
export type VmState = (typeof VM_STATES)[number];

// States in which the VM occupies a host, so the inventory carries `hostUuid` (absent when not running).
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

/** `UsedIpInventory` (docs/zstack-behaviour.md#inventories). */
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

/** `VmNicInventory` (docs/zstack-behaviour.md#inventories). */
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

/** `VolumeInventory` (docs/zstack-behaviour.md#inventories). */
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

/** `VmCdRomInventory` (docs/zstack-behaviour.md#inventories). */
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

/**
 * `VmInstanceInventory` (docs/zstack-behaviour.md#inventories); optional fields are omitted on the wire when
 * absent.
 */
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

/** Top-level `VmInstanceInventory` field names: the fields a query may name (see the query API). */
export const VM_INVENTORY_FIELDS: ReadonlySet<string> = new Set([
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
]);

/**
 * Java class names the `schema` map reports for each inventory (docs/zstack-behaviour.md#json-on-the-wire).
 */
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
 * last host), other states drop it and remember it as `lastHostUuid`; `lastOpDate` is refreshed
 * (VmInstanceAO's `@PreUpdate`).
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
