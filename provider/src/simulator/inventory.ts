// The inventory shapes the simulator serves: VmInstanceInventory and its nested inventories, built from the wire
// shapes with every field the simulator always sends made required. Dates are already in wire format.

import { VM_INVENTORY_KEYS } from "../vocabulary/vm-inventory-keys";
import type * as Wire from "../vocabulary/inventories";
import type { VmState } from "../vocabulary/vm-states";

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

/**
 * `T` with the fields `K` always present. The simulator always sends fields a real server may leave out, so the
 * inventories it serves are stricter than the wire shapes the client accepts.
 */
type Always<T, K extends keyof T> = T & Required<Pick<T, K>>;

/** `UsedIpInventory`, every field present but `usedFor`. */
export type UsedIpInventory = Always<
  Wire.UsedIpInventory,
  "ipRangeUuid" | "ipVersion" | "netmask" | "gateway" | "ipInLong" | "vmNicUuid" | "createDate" | "lastOpDate"
>;

/** `VmNicInventory`, every field present but `metaData` and `driverType`. */
export type VmNicInventory = Always<
  Wire.VmNicInventory,
  "ip" | "hypervisorType" | "netmask" | "gateway" | "ipVersion" | "internalName" | "type" | "state"
> & { readonly usedIps: readonly UsedIpInventory[] };

/** `VolumeInventory`, with `isShareable` present and its type and state names spelled out. */
export type VolumeInventory = Always<Wire.VolumeInventory, "isShareable"> & {
  readonly type: "Root" | "Data";
  readonly state: "Enabled" | "Disabled";
};

/** `VmCdRomInventory`, as on the wire. */
export type VmCdRomInventory = Wire.VmCdRomInventory;

/** `VmInstanceInventory`, with `cpuSpeed` present and the state one of {@link VmState}; absent fields are omitted. */
export type VmInstanceInventory = Always<Wire.VmInstanceInventory, "cpuSpeed"> & {
  readonly state: VmState;
  readonly vmNics: readonly VmNicInventory[];
  readonly allVolumes: readonly VolumeInventory[];
  readonly vmCdRoms: readonly VmCdRomInventory[];
};

/** Top-level `VmInstanceInventory` field names: the fields a query may name (docs/zstack-behaviour.md#query-api). */
export const VM_INVENTORY_FIELDS: ReadonlySet<string> = new Set(VM_INVENTORY_KEYS);

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
