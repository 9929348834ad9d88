/**
 * The VM actions of `PUT /v1/vm-instances/{uuid}/actions`. A leaf module (it imports nothing of the package), so that
 * the client that sends them and the simulator that serves them name them from one list.
 */

/**
 * The action names, exactly as the server's body keys (case-sensitive), in the order the server tries them when a
 * body names several: `APIPauseVmInstanceMsg`, `APIResumeVmInstanceMsg` and `APISetVmClockTrackMsg` of zstackio/zstack.
 */
export const VM_ACTION_NAMES = ["pauseVmInstance", "resumeVmInstance", "setVmClockTrack"] as const;

/** One VM action name, one of {@link VM_ACTION_NAMES}. */
export type VmActionName = (typeof VM_ACTION_NAMES)[number];
