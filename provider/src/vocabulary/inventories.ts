/**
 * The inventories a ZStack management node returns (docs/zstack-behaviour.md#inventories), as plain TypeScript
 * interfaces: what the client reads and returns, and what the simulator's stricter inventories are built from. A
 * leaf module (it imports nothing of the package), so that both can use it without the simulator depending on the
 * client.
 *
 * They are written out rather than inferred from the client's zod schemas (`zstack/inventory.ts`) because they are
 * part of the published types: an inferred type makes the package's `.d.ts` import zod's declarations, which do not
 * compile in a project without `esModuleInterop` (Pulumi's TypeScript template). `zstack/inventory.ts` checks at
 * compile time that each schema's output is assignable to its interface, so the two cannot drift apart.
 *
 * Optional fields are the ones the server may leave out (optional in its inventory classes, or omitted when null).
 * Integers are normalized numbers; dates are the server's strings (`Nov 14, 2017 10:20:57 PM`, server local time).
 * Fields a newer server adds are kept at run time but not typed here.
 */

/** `UsedIpInventory`: an IP address used by a NIC. */
export interface UsedIpInventory {
  readonly uuid: string;
  readonly ipRangeUuid?: string;
  readonly ipVersion?: number;
  readonly ip: string;
  readonly netmask?: string;
  readonly gateway?: string;
  readonly usedFor?: string;
  readonly ipInLong?: number;
  readonly vmNicUuid?: string;
  readonly createDate?: string;
  readonly lastOpDate?: string;
}

/** `VmNicInventory`: a VM network interface. */
export interface VmNicInventory {
  readonly uuid: string;
  readonly vmInstanceUuid: string;
  readonly l3NetworkUuid: string;
  /** Absent for a NIC without an address. */
  readonly ip?: string;
  readonly mac: string;
  readonly hypervisorType?: string;
  readonly netmask?: string;
  readonly gateway?: string;
  readonly metaData?: string;
  readonly ipVersion?: number;
  readonly driverType?: string;
  /** Empty when the server omits it. */
  readonly usedIps: readonly UsedIpInventory[];
  readonly internalName?: string;
  readonly deviceId: number;
  readonly type?: string;
  readonly state?: string;
  readonly createDate: string;
  readonly lastOpDate: string;
}

/** `VolumeInventory`: a root or data volume. */
export interface VolumeInventory {
  readonly uuid: string;
  readonly name: string;
  readonly description?: string;
  readonly primaryStorageUuid: string;
  readonly vmInstanceUuid?: string;
  readonly diskOfferingUuid?: string;
  readonly rootImageUuid?: string;
  readonly installPath: string;
  /** `Root` or `Data`. */
  readonly type: string;
  readonly format: string;
  /** Bytes. */
  readonly size: number;
  readonly actualSize?: number;
  readonly deviceId?: number;
  readonly state: string;
  readonly status: string;
  readonly createDate: string;
  readonly lastOpDate: string;
  readonly isShareable?: boolean;
  readonly volumeQos?: string;
  readonly lastDetachDate?: string;
  readonly lastVmInstanceUuid?: string;
  readonly lastAttachDate?: string;
  readonly protocol?: string;
}

/** `VmCdRomInventory`: a virtual CD-ROM drive. */
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

/** `VmInstanceInventory`: a VM as returned by queries and by the actions' results. */
export interface VmInstanceInventory {
  readonly uuid: string;
  readonly name: string;
  readonly description?: string;
  readonly zoneUuid: string;
  readonly clusterUuid?: string;
  readonly imageUuid?: string;
  /** The host the VM runs on; absent when it is not running. */
  readonly hostUuid?: string;
  readonly lastHostUuid?: string;
  readonly instanceOfferingUuid?: string;
  readonly rootVolumeUuid: string;
  /** `Linux`, `Windows`, `Other`, ... */
  readonly platform: string;
  readonly architecture?: string;
  readonly defaultL3NetworkUuid?: string;
  /** `UserVm` or `ApplianceVm`. */
  readonly type: string;
  readonly hypervisorType: string;
  /** Bytes. */
  readonly memorySize: number;
  readonly reservedMemorySize?: number;
  readonly cpuNum: number;
  readonly cpuSpeed?: number;
  readonly allocatorStrategy: string;
  readonly createDate: string;
  readonly lastOpDate: string;
  /** A `VmInstanceState` name: `Running`, `Paused`, `Stopped`, ... */
  readonly state: string;
  readonly vmNics: readonly VmNicInventory[];
  readonly allVolumes: readonly VolumeInventory[];
  readonly vmCdRoms: readonly VmCdRomInventory[];
  readonly guestOsType?: string;
}

/** `SessionInventory` of a login reply. */
export interface SessionInventory {
  readonly uuid: string;
  readonly accountUuid?: string;
  readonly userUuid?: string;
  readonly userType?: string;
  readonly expiredDate?: string;
  readonly createDate?: string;
}
