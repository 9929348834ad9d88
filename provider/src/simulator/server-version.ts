// The management node's version and what it changes on the wire (docs/zstack-behaviour.md#server-versions):
// APIGetVersionMsg's answer, and which setVmClockTrack fields the node knows.

/** The version a simulated node reports unless told otherwise. */
export const DEFAULT_ZSTACK_VERSION = "4.8.0";

// APISetVmClockTrackMsgDoc_zh_cn.groovy: the API (and `track`) since 4.1.0, the two sync fields since 4.4.12.
const CLOCK_TRACK_SINCE = [4, 1, 0] as const;
const CLOCK_SYNC_SINCE = [4, 4, 12] as const;

/** A node's version: the string it reports and the features that follow from it. */
export class ServerVersion {
  private readonly parts: readonly number[];

  /** @param text a dotted version such as `4.8.0` or `4.4.12` (what `schema_version` holds) */
  constructor(readonly text: string) {
    if (!/^\d+(\.\d+)*$/.test(text))
      throw new Error(`a ZStack version is dotted numbers such as 4.8.0, got ${JSON.stringify(text)}`);
    this.parts = text.split(".").map(Number);
  }

  /** Whether the node has APISetVmClockTrackMsg (else the action maps to nothing: 400). */
  get knowsClockTrack(): boolean {
    return this.atLeast(CLOCK_TRACK_SINCE);
  }

  /** Whether setVmClockTrack applies `syncAfterVMResume` and `intervalInSeconds` (older nodes drop them). */
  get appliesClockSync(): boolean {
    return this.atLeast(CLOCK_SYNC_SINCE);
  }

  private atLeast(other: readonly number[]): boolean {
    for (let i = 0; i < Math.max(this.parts.length, other.length); i++) {
      const a = this.parts[i] ?? 0;
      const b = other[i] ?? 0;
      if (a !== b) return a > b;
    }
    return true;
  }
}
