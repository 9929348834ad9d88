/**
 * The top-level fields of a ZStack `VmInstanceInventory`. A leaf module (it imports nothing of the package): the
 * resources declare them as outputs, the runtime fills them, and the simulator accepts them as query field names.
 */

/**
 * The `VmInstanceInventory` fields (`org.zstack.header.vm.VmInstanceInventory` in zstackio/zstack), with ZStack's
 * names, in the order the server declares them. Both resources expose every one as a top-level output.
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
