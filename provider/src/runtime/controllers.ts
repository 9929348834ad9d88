import type { ResourceController } from "./controller";
import type { ProviderRuntime } from "./provider-runtime";
import { vmClockTrackController } from "./vm-clock-track";
import { vmPauseStateController } from "./vm-pause-state";
import { RESOURCE_KINDS, type ResourceKind } from "../vocabulary/resource-kinds";

/**
 * The controllers of every kind, bound to one runtime. Each kind's is typed by its inputs and outputs; the host hands
 * them untyped records, so this table erases the types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Controllers = Readonly<Record<ResourceKind, ResourceController<any, any>>>;

/** The controllers of every kind, bound to `runtime`: what a host or a test calls the way the engine does. */
export function controllersFor(runtime: ProviderRuntime): Controllers {
  return {
    VmPauseState: vmPauseStateController(runtime),
    VmClockTrack: vmClockTrackController(runtime),
  };
}

/** Whether a kind named in a `__provider` text or a type token is one this version serves. */
export function isResourceKind(kind: string): kind is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(kind);
}
