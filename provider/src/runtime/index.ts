/**
 * The provider runtime: what runs inside the Pulumi dynamic-provider host. Every resource's `__provider` text
 * requires this module by name and asks it for the kind's provider ({@link provider}; 0.1.0's serialized shims call
 * {@link dispatch} and {@link configure} from each method instead), so refresh and destroy always run the installed
 * code, never code frozen into state. Those three are the dynamic face (`host-process.ts`), which keeps the host
 * process's one {@link ProviderRuntime}.
 *
 * A {@link ProviderRuntime} owns what a provider instance works with (settings, client, poll schedule, per-VM
 * coordination), and {@link controllersFor} binds the controllers of every kind to one: a native provider or a test
 * makes its own.
 *
 * This module is a versioned protocol: `provider`, `dispatch` and `configure`, and the state the methods read, must
 * keep accepting what older versions of the `__provider` texts and of the runtime wrote.
 *
 * @packageDocumentation
 */
export { configure, dispatch, provider } from "./host-process";
export {
  ProviderRuntime,
  type ProviderRuntimeOptions,
  type SettingsCheck,
  type SettingsSource,
} from "./provider-runtime";
export { controllersFor, type Controllers } from "./controllers";
export type { ResourceKind } from "../vocabulary/resource-kinds";
export type { ResourceController, WithProviderText } from "./controller";
export { checkSetConnectionSettings, resolveConnectionSettings, type ConfigSource } from "./settings";
export type { SettingProblem } from "./errors";
export { closeAtProcessEnd, forgetAtProcessEnd } from "./process-end";
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
  vmPauseStateController,
  type VmPauseStateInputs,
  type VmPauseStateOutputs,
  type DeclaredPauseState,
} from "./vm-pause-state";
export {
  vmClockTrackController,
  CLOCK_SYNC_INTERVALS,
  type VmClockTrackInputs,
  type VmClockTrackOutputs,
  type ClockTrack,
  type ClockValues,
  type ManagedClock,
} from "./vm-clock-track";
export type { PendingJob } from "./actions";
