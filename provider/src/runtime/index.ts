/**
 * The provider runtime: what runs inside the Pulumi dynamic-provider host. Every resource's `__provider` text
 * requires this module by name and asks it for the kind's provider ({@link provider}; 0.1.0's serialized shims call
 * {@link dispatch} and {@link configure} from each method instead), so refresh and destroy always run the installed
 * code, never code frozen into state.
 *
 * This module is a versioned protocol: `provider`, `dispatch` and `configure`, and the state the methods read, must
 * keep accepting what older versions of the `__provider` texts and of the runtime wrote.
 *
 * @packageDocumentation
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

import type { ResourceKind } from "../vocabulary/resource-kinds";
import { configure as storeConfig } from "./context";
import type { ResourceController } from "./controller";
import { vmClockTrack } from "./vm-clock-track";
import { vmPauseState } from "./vm-pause-state";

// Controllers are typed per kind; the host hands them untyped records, so the dispatch table erases the types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const CONTROLLERS: Readonly<Record<ResourceKind, ResourceController<any, any>>> = {
  VmPauseState: vmPauseState,
  VmClockTrack: vmClockTrack,
};

/**
 * The dynamic-provider methods of one resource kind. Throws for a kind this version does not know, which can only
 * happen when state written by a newer version meets an older installed package.
 */
export function dispatch(kind: string): dynamic.ResourceProvider {
  const controller = CONTROLLERS[kind as ResourceKind];
  if (controller === undefined) {
    throw new Error(
      `pulumi-zstack-vm: this installed version does not know the resource kind ${JSON.stringify(kind)}; ` +
        `the stack's state was written by a newer version. Upgrade pulumi-zstack-vm in the project.`,
    );
  }
  return controller as unknown as dynamic.ResourceProvider;
}

const providers = new Map<string, dynamic.ResourceProvider>();

/**
 * The dynamic provider of one resource kind, as the `__provider` text's `handler()` returns it to the host: the
 * kind's controller and {@link configure}. One object per kind and process; the host caches it per text anyway.
 */
export function provider(kind: string): dynamic.ResourceProvider {
  let found = providers.get(kind);
  if (found === undefined) {
    const controller = dispatch(kind);
    // Methods delegate rather than being copied, so that a controller's methods keep their own `this`.
    found = {
      configure,
      check: (olds, news) => controller.check!(olds, news),
      diff: (id, olds, news) => controller.diff!(id, olds, news),
      create: (inputs) => controller.create(inputs),
      read: (id, props) => controller.read!(id, props),
      update: (id, olds, news) => controller.update!(id, olds, news),
      delete: (id, props) => controller.delete!(id, props),
    };
    providers.set(kind, found);
  }
  return found;
}

/** Receives the stack configuration from the host (Pulumi `configure`); settings are resolved at call time. */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
  storeConfig(request.config);
}

export { forgetAllClaims } from "./coordination";
export { resolveConnectionSettings, type ConfigSource } from "./settings";
export { SETTING_SOURCES, type SettingName } from "../setting-sources";
export {
  UNKNOWN,
  checkInputs,
  render,
  type FieldSpec,
  type FieldSchema,
  type CheckFailure,
  type CheckOutcome,
} from "./inputs";
export {
  vmPauseState,
  type VmPauseStateInputs,
  type VmPauseStateOutputs,
  type DeclaredPauseState,
} from "./vm-pause-state";
export {
  vmClockTrack,
  CLOCK_SYNC_INTERVALS,
  type VmClockTrackInputs,
  type VmClockTrackOutputs,
  type ClockTrack,
  type ClockValues,
  type ManagedClock,
} from "./vm-clock-track";
export type { PendingJob } from "./actions";
