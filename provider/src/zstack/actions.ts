/**
 * The VM actions the client drives (`PUT /v1/vm-instances/{uuid}/actions`) and their request bodies.
 */

/** Parameters of `setVmClockTrack`; only the ones that are set are sent. */
export interface ClockTrackParams {
  readonly track: "guest" | "host";
  readonly syncAfterVMResume?: boolean;
  /** One of 0, 60, 600, 1800, 3600, 7200, 21600, 43200, 86400 (the server validates). */
  readonly intervalInSeconds?: number;
}

/** One action with its parameters. */
export type VmAction =
  | { readonly name: "pauseVmInstance" }
  | { readonly name: "resumeVmInstance" }
  | { readonly name: "setVmClockTrack"; readonly params: ClockTrackParams };

/**
 * The JSON body of an action: `{"pauseVmInstance":{}}`, `{"resumeVmInstance":{}}`, or
 * `{"setVmClockTrack":{"track":…[,"syncAfterVMResume":…][,"intervalInSeconds":…]}}` with only the set parameters.
 */
export function actionBody(action: VmAction): string {
  switch (action.name) {
    case "pauseVmInstance":
      return JSON.stringify({ pauseVmInstance: {} });
    case "resumeVmInstance":
      return JSON.stringify({ resumeVmInstance: {} });
    case "setVmClockTrack": {
      const { track, syncAfterVMResume, intervalInSeconds } = action.params;
      const params: Record<string, unknown> = { track };
      if (syncAfterVMResume !== undefined) params.syncAfterVMResume = syncAfterVMResume;
      if (intervalInSeconds !== undefined) params.intervalInSeconds = intervalInSeconds;
      return JSON.stringify({ setVmClockTrack: params });
    }
    default: {
      const unknown: never = action;
      throw new TypeError(`unknown VM action ${JSON.stringify((unknown as { name?: unknown }).name)}`);
    }
  }
}
