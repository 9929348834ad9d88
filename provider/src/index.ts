/**
 * pulumi-zstack-vm: Pulumi dynamic resources that declare the run-time state of existing ZStack VMs.
 *
 * - {@link VmPauseState}: the VM is `Paused` or `Running`.
 * - {@link VmClockTrack}: the VM's clock track settings.
 *
 * - {@link getVmInstance}, {@link getVmInstances} and their `...Output` forms: look VMs up by name, state, cluster,
 *   host, zone or any ZStack query condition, in the program.
 *
 * Connection settings come from Pulumi config (`zstack:host`, `zstack:accountName`, ...) or the `ZSTACK_*`
 * environment variables, resolved inside the provider at call time.
 *
 * @packageDocumentation
 */
export {
  VmPauseState,
  type VmPauseStateArgs,
  type PauseState,
  type OnDelete,
} from "./resources/vm-pause-state";
export { VmClockTrack, type VmClockTrackArgs, type ClockSyncInterval } from "./resources/vm-clock-track";
export { VmInventoryResource } from "./resources/vm-inventory-resource";
export { getVmInstance, getVmInstances, type GetVmInstancesResult } from "./lookups/vm-lookups";
export {
  getVmInstanceOutput,
  getVmInstancesOutput,
  type GetVmInstanceOutputArgs,
  type GetVmInstancesOutputArgs,
  type LookupInputs,
} from "./lookups/vm-lookup-outputs";
export type { GetVmInstanceArgs, GetVmInstancesArgs, LookupOptions } from "./runtime/vm-lookup-args";
export { LookupError, type LookupName } from "./runtime/lookup-error";
export { endLookupSessions } from "./lookups/lookup-clients";
export type {
  VmInstanceInventory,
  VmNicInventory,
  VolumeInventory,
  VmCdRomInventory,
  UsedIpInventory,
} from "./zstack";
export type { VmState } from "./vocabulary/vm-states";
export { VM_INVENTORY_KEYS } from "./vocabulary/vm-inventory-keys";
export type { VmInventoryOutputs } from "./runtime/vm-inventory";
export type { ClockTrack, ManagedClock, ClockValues, PendingJob } from "./runtime";
