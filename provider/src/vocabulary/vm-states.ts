/**
 * The ZStack VM state names. A leaf module (it imports nothing of the package), so that the runtime, the lookups
 * and the simulator share one list without the simulator depending on the provider's layers.
 */

/**
 * Every `VmInstanceState` name (`org.zstack.header.vm.VmInstanceState` in zstackio/zstack). `Paused` and `Running`
 * are the stable states pause and resume move between; the others appear when something else is happening to the VM.
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
