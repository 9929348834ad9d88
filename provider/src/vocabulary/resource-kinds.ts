/**
 * The resource kinds this package declares. A leaf module (it imports nothing of the package): the resources
 * register them, their `__provider` texts name them, and the runtime dispatches on them.
 */

/** A resource kind, as the type tokens and the `__provider` texts spell it. */
export type ResourceKind = "VmPauseState" | "VmClockTrack";
