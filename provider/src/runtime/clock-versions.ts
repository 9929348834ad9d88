/**
 * Which `setVmClockTrack` fields the management node has: `track` since ZStack 4.1.0, `syncAfterVMResume` and
 * `intervalInSeconds` since 4.4.12. An older node either lacks the action or accepts it and ignores the newer
 * fields, so a declared interval would never take and every preview would show it again; a VmClockTrack that
 * declares a field its node lacks fails before anything is sent, in the preview where the inputs are known.
 */
import { unsupportedClockTrackFields, type ClockTrackField } from "../zstack";
import { ProviderError } from "./errors";
import { isUnknown } from "./inputs";
import type { ProviderRuntime } from "./provider-runtime";
import { deadlineAfter } from "./read-scope";

/** The clock settings as check and diff see them: absent, known, or the preview's unknown sentinel. */
export type DeclaredFields = { readonly [K in ClockTrackField]?: unknown };

/** Default budget of the version question when `timeoutSeconds` is not known yet (seconds). */
const VERSION_TIMEOUT_SECONDS = 30;

/**
 * Throws when the node's version lacks a field `declared` sets. `track`, which every VmClockTrack sets, needs the
 * action itself; an optional setting counts when it is given, and one still unknown in a preview is left for `up`.
 */
export async function requireClockFields(
  runtime: ProviderRuntime,
  vmUuid: string,
  declared: DeclaredFields,
  timeoutSeconds: unknown,
): Promise<void> {
  const fields = (["track", "syncAfterVMResume", "intervalInSeconds"] as const).filter(
    (field) => declared[field] !== undefined && declared[field] !== null && !isUnknown(declared[field]),
  );
  if (fields.length === 0) return;
  const seconds = typeof timeoutSeconds === "number" ? timeoutSeconds : VERSION_TIMEOUT_SECONDS;
  const version = await runtime.client().getVersion({ deadline: deadlineAfter(seconds), vmUuid });
  const missing = unsupportedClockTrackFields(version, fields);
  if (missing.length === 0) return;
  const needs = missing.map(({ field, since }) => `${field} needs ${since} or later`).join(", ");
  const fix = missing.some(({ field }) => field === "track")
    ? "Upgrade the management node: setVmClockTrack does not exist before 4.1.0."
    : `Remove ${missing.map(({ field }) => field).join(" and ")} from the program, or upgrade the management ` +
      `node (an older node ignores ${missing.length === 1 ? "this field" : "these fields"}).`;
  throw new ProviderError(
    `VmClockTrack: the ZStack management node runs version ${version.text}, and the VmClockTrack of VM ${vmUuid} ` +
      `declares a setting it does not have: ${needs}. ${fix}`,
  );
}
