// Builds realistic, internally consistent VM inventories (docs/zstack-behaviour.md#inventories) from small
// seeds: the demo fixture, JSON seed files and the N-VM generator of the load tests all go through
// completeVm, so every VM has the same shape.

import type { VmState } from "../vocabulary/vm-states";
import { ADMIN_ACCOUNT_UUID } from "./auth";
import { derivedUuid } from "./ids";
import {
  withState,
  type VmCdRomInventory,
  type VmInstanceInventory,
  type VmNicInventory,
  type VolumeInventory,
} from "./inventory";
import { formatZStackDate } from "./wire";

/**
 * A VM to seed: a `VmInstanceInventory` of which only `name` is required. Missing fields get realistic
 * defaults (uuid derived from the name, state `Running`, one NIC, a root volume, an empty CD-ROM drive).
 */
export type VmSeed = Partial<Omit<VmInstanceInventory, "name">> & { readonly name: string };

// The shared infrastructure every simulated VM lives in: one zone, one cluster, three KVM hosts, one L3
// network with its IP range, one primary storage, one image and one instance offering.
const INFRA = {
  zoneUuid: derivedUuid("zone", 1),
  clusterUuid: derivedUuid("cluster", 1),
  hostUuids: [derivedUuid("host", 1), derivedUuid("host", 2), derivedUuid("host", 3)],
  l3NetworkUuid: derivedUuid("l3-network", 1),
  ipRangeUuid: derivedUuid("ip-range", 1),
  primaryStorageUuid: derivedUuid("primary-storage", 1),
  imageUuid: derivedUuid("image", "centos-7"),
  instanceOfferingUuid: derivedUuid("instance-offering", "2c-2g"),
  diskOfferingUuid: derivedUuid("disk-offering", "data"),
  netmask: "255.255.0.0",
  gateway: "172.20.0.1",
} as const;

const GiB = 1024 * 1024 * 1024;

// 172.20.0.0/16, skipping the gateway and the first addresses: room for 65,000 VMs.
function ipAddress(index: number): { readonly ip: string; readonly ipInLong: number } {
  const host = index + 10;
  const ipInLong = ((172 << 24) >>> 0) + (20 << 16) + host;
  return { ip: `172.20.${Math.floor(host / 256) % 256}.${host % 256}`, ipInLong };
}

function nicFor(vmUuid: string, index: number, date: string): VmNicInventory {
  const uuid = derivedUuid("nic", vmUuid, 0);
  const macBytes = uuid.slice(0, 10).match(/../g) ?? [];
  const { ip, ipInLong } = ipAddress(index);
  return {
    uuid,
    vmInstanceUuid: vmUuid,
    l3NetworkUuid: INFRA.l3NetworkUuid,
    ip,
    mac: ["fa", ...macBytes].join(":"),
    hypervisorType: "KVM",
    netmask: INFRA.netmask,
    gateway: INFRA.gateway,
    ipVersion: 4,
    driverType: "virtio",
    usedIps: [
      {
        uuid: derivedUuid("used-ip", uuid),
        ipRangeUuid: INFRA.ipRangeUuid,
        ipVersion: 4,
        ip,
        netmask: INFRA.netmask,
        gateway: INFRA.gateway,
        ipInLong,
        vmNicUuid: uuid,
        createDate: date,
        lastOpDate: date,
      },
    ],
    internalName: `vnic${index + 1}.0`,
    deviceId: 0,
    type: "VNIC",
    state: "enable",
    createDate: date,
    lastOpDate: date,
  };
}

function volumePath(uuid: string): string {
  return `/zstack_ps/rootVolumes/acct-${ADMIN_ACCOUNT_UUID}/vol-${uuid}/${uuid}.qcow2`;
}

function rootVolumeFor(vmUuid: string, vmName: string, date: string): VolumeInventory {
  const uuid = derivedUuid("volume", vmUuid, 0);
  return {
    uuid,
    name: `ROOT-for-${vmName}`,
    description: `Root volume for VM[uuid:${vmUuid}]`,
    primaryStorageUuid: INFRA.primaryStorageUuid,
    vmInstanceUuid: vmUuid,
    rootImageUuid: INFRA.imageUuid,
    installPath: volumePath(uuid),
    type: "Root",
    format: "qcow2",
    size: 40 * GiB,
    actualSize: 3 * GiB,
    deviceId: 0,
    state: "Enabled",
    status: "Ready",
    createDate: date,
    lastOpDate: date,
    isShareable: false,
    lastAttachDate: date,
  };
}

/** An attached data volume of `sizeBytes` at `deviceId` (1 = the first data disk), for richer fixtures. */
export function dataVolumeFor(vm: VmInstanceInventory, deviceId: number, sizeBytes: number): VolumeInventory {
  const uuid = derivedUuid("volume", vm.uuid, deviceId);
  return {
    uuid,
    name: `DATA-${deviceId}-for-${vm.name}`,
    primaryStorageUuid: INFRA.primaryStorageUuid,
    vmInstanceUuid: vm.uuid,
    diskOfferingUuid: INFRA.diskOfferingUuid,
    installPath: volumePath(uuid).replace("/rootVolumes/", "/dataVolumes/"),
    type: "Data",
    format: "qcow2",
    size: sizeBytes,
    actualSize: Math.round(sizeBytes / 8),
    deviceId,
    state: "Enabled",
    status: "Ready",
    createDate: vm.createDate,
    lastOpDate: vm.createDate,
    isShareable: false,
    lastAttachDate: vm.createDate,
  };
}

function cdRomFor(vmUuid: string, vmName: string, date: string): VmCdRomInventory {
  return {
    uuid: derivedUuid("cdrom", vmUuid, 0),
    vmInstanceUuid: vmUuid,
    deviceId: 0,
    name: `vm-${vmName}-cdRom`,
    createDate: date,
    lastOpDate: date,
  };
}

/**
 * Completes a seed into a full inventory. `index` spreads VMs over hosts and IP addresses; fields the seed
 * sets win, except that `hostUuid` follows the state unless the seed sets it explicitly.
 */
export function completeVm(seed: VmSeed, index: number, nowMs: number): VmInstanceInventory {
  const uuid = seed.uuid ?? derivedUuid("vm", seed.name);
  const createDate = seed.createDate ?? formatZStackDate(nowMs);
  const state: VmState = seed.state ?? "Running";
  const rootVolume = rootVolumeFor(uuid, seed.name, createDate);
  const defaults: VmInstanceInventory = {
    uuid,
    name: seed.name,
    zoneUuid: INFRA.zoneUuid,
    clusterUuid: INFRA.clusterUuid,
    imageUuid: INFRA.imageUuid,
    lastHostUuid: INFRA.hostUuids[index % INFRA.hostUuids.length],
    instanceOfferingUuid: INFRA.instanceOfferingUuid,
    rootVolumeUuid: rootVolume.uuid,
    platform: "Linux",
    architecture: "x86_64",
    defaultL3NetworkUuid: INFRA.l3NetworkUuid,
    type: "UserVm",
    hypervisorType: "KVM",
    memorySize: 2 * GiB,
    cpuNum: 2,
    cpuSpeed: 0,
    allocatorStrategy: "LastHostPreferredAllocatorStrategy",
    createDate,
    lastOpDate: createDate,
    state,
    vmNics: [nicFor(uuid, index, createDate)],
    allVolumes: [rootVolume],
    vmCdRoms: [cdRomFor(uuid, seed.name, createDate)],
    guestOsType: "CentOS 7",
  };
  const given = Object.fromEntries(Object.entries(seed).filter(([, v]) => v !== undefined && v !== null));
  const vm: VmInstanceInventory = { ...defaults, ...given, uuid };
  return seed.hostUuid === undefined ? withState(vm, vm.state, vm.lastOpDate) : vm;
}

/** Options of {@link generateVms}. */
export interface GenerateVmsOptions {
  /** The state of every generated VM (default `Running`). */
  readonly state?: VmState;
  /** Varies the derived uuids, so that several generated sets never collide (default 0). */
  readonly seed?: number;
  /** Name prefix: VMs are named `<prefix>-0001`, `<prefix>-0002`, ... (default `load`). */
  readonly namePrefix?: string;
}

/** Generates `count` complete, distinct VM inventories, e.g. 1,000 VMs for load tests and the benchmark. */
export function generateVms(count: number, options: GenerateVmsOptions = {}): VmInstanceInventory[] {
  const { state = "Running", seed = 0, namePrefix = "load" } = options;
  const now = Date.now();
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) =>
    completeVm(
      {
        uuid: derivedUuid("generated-vm", seed, i),
        name: `${namePrefix}-${String(i + 1).padStart(width, "0")}`,
        state,
      },
      100 + i,
      now,
    ),
  );
}
