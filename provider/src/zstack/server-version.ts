/**
 * The management node's version, as `APIGetVersionMsg` reports it, and the clock-track fields each version has
 * (docs/zstack-behaviour.md#server-versions).
 */

import { ZStackError } from "./errors";

/** `APIGetVersionMsg`: a sync API that needs no Authorization (`@SuppressCredentialCheck`). */
export const GET_VERSION_REQUEST = {
  method: "PUT",
  path: "/v1/management-nodes/actions",
  body: { getVersion: {} },
} as const;

/** A node's version: the text it reported and its numeric parts, for comparisons. */
export interface ZStackVersion {
  /** As reported, e.g. `4.4.12`. */
  readonly text: string;
  readonly parts: readonly number[];
}

/** The setVmClockTrack fields, and the version that introduced each (APISetVmClockTrackMsgDoc_zh_cn.groovy). */
export const CLOCK_TRACK_FIELD_SINCE = {
  track: "4.1.0",
  syncAfterVMResume: "4.4.12",
  intervalInSeconds: "4.4.12",
} as const;

/** One of the setVmClockTrack fields. */
export type ClockTrackField = keyof typeof CLOCK_TRACK_FIELD_SINCE;

function protocolError(details: string): ZStackError {
  return new ZStackError({
    operation: "getVersion",
    code: "CLIENT.PROTOCOL",
    description: "Unexpected answer",
    details,
    fault: "protocol",
  });
}

/** Parses a dotted version (`4.8.0`); undefined when it is not one. */
export function parseVersion(text: string): ZStackVersion | undefined {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)*$/.test(trimmed)) return undefined;
  return { text: trimmed, parts: trimmed.split(".").map(Number) };
}

/**
 * The version in the 200 body of {@link GET_VERSION_REQUEST}, `{"version": "4.8.0"}` (APIGetVersionReply maps
 * every field); a protocol error naming what was found otherwise.
 */
export function parseVersionReply(body: unknown): ZStackVersion {
  const version =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>)["version"] : undefined;
  if (typeof version !== "string")
    throw protocolError(`getVersion answered without a "version" string: ${JSON.stringify(body)}`);
  const parsed = parseVersion(version);
  if (parsed === undefined)
    throw protocolError(`getVersion answered ${JSON.stringify(version)}, which is not a dotted version`);
  return parsed;
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b` (missing parts count as 0). */
export function compareVersions(a: ZStackVersion, b: ZStackVersion): number {
  for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
    const diff = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The fields among `fields` that a node of `version` does not have, with the version each needs. */
export function unsupportedClockTrackFields(
  version: ZStackVersion,
  fields: readonly ClockTrackField[],
): readonly { readonly field: ClockTrackField; readonly since: string }[] {
  return fields.flatMap((field) => {
    const since = CLOCK_TRACK_FIELD_SINCE[field];
    const needed = parseVersion(since);
    return needed !== undefined && compareVersions(version, needed) < 0 ? [{ field, since }] : [];
  });
}
