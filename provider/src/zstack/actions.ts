/**
 * The asynchronous actions the client drives and their requests: the VM actions (`PUT /v1/vm-instances/{uuid}/actions`)
 * and the deletion of a VM's own resource configuration (`DELETE /v1/resource-configurations/...`), each answered by a
 * job to poll.
 */
import type { EndpointKind } from "../vocabulary/endpoint-kinds";

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
 * `APIDeleteResourceConfigMsg` on one of a VM's resource configurations (category `vm`): drops the VM's own value, so
 * that it inherits the global one again. Its event carries no inventory.
 */
export interface DeleteVmConfigAction {
  readonly name: "deleteResourceConfig";
  /** The configuration's name, e.g. `vm.clock.track`. */
  readonly params: { readonly config: string };
}

/** An action answered by a job: a VM action or the deletion of a VM's own resource configuration. */
export type JobAction = VmAction | DeleteVmConfigAction;

/** The name of a {@link JobAction}. */
export type JobActionName = JobAction["name"];

/** The HTTP request that submits an action. */
export interface ActionRequest {
  readonly kind: EndpointKind;
  readonly method: "PUT" | "DELETE";
  readonly apiPath: string;
  readonly body?: string;
}

/**
 * The request of an action on VM `vmUuid`: `PUT /v1/vm-instances/{uuid}/actions` with {@link actionBody}, or
 * `DELETE /v1/resource-configurations/vm/{name}/{uuid}` (zstackio/zstack
 * `resourceconfig/src/main/java/org/zstack/resourceconfig/APIDeleteResourceConfigMsg.java`, path
 * `/resource-configurations/{category}/{name}/{resourceUuid}`) with no body.
 */
export function actionRequest(vmUuid: string, action: JobAction): ActionRequest {
  const vm = encodeURIComponent(vmUuid);
  if (action.name === "deleteResourceConfig") {
    return {
      kind: "resourceConfig",
      method: "DELETE",
      apiPath: `/v1/resource-configurations/vm/${encodeURIComponent(action.params.config)}/${vm}`,
    };
  }
  return {
    kind: "actionSubmit",
    method: "PUT",
    apiPath: `/v1/vm-instances/${vm}/actions`,
    body: actionBody(action),
  };
}

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
