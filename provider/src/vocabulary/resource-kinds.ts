/**
 * The resource kinds this package declares. A leaf module (it imports nothing of the package): the resources
 * register them, their `__provider` texts name them, and the runtime dispatches on them.
 */

/** Every resource kind, as the type tokens and the `__provider` texts spell it. */
export const RESOURCE_KINDS = ["VmPauseState", "VmClockTrack"] as const;

/** One resource kind, one of {@link RESOURCE_KINDS}. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
