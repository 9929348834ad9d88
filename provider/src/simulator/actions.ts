// The async APIs the simulator serves and how an accepted job runs: parameter validation (SYS.1007),
// resource existence (SYS.1003), session (ID.1001, renewed on success), then execution on the resource's
// chain (docs/zstack-behaviour.md#async-jobs and #how-the-server-runs-an-action).

import type { ApiActionName } from "./api-actions";
import type { Auth, Credential } from "./auth";
import { INVENTORY_CLASSES, type VmInstanceInventory } from "./inventory";
import type { Job } from "./jobs";
import {
  CLOCK_SYNC_INTERVALS,
  invalidResourceConfigValue,
  resourceConfigDefinition,
  unknownResourceConfig,
  type ResourceConfigStore,
} from "./resource-configs";
import { addVmSchema, type Schema } from "./schema";
import type { ServerVersion } from "./server-version";
import { trimmed, validateParams, type ApiMessage, type FieldSpec } from "./validation";
import { vmChain, vmNotFound, type VmStore } from "./vm-store";
import { resourceNotFound, zstackError, ZStackApiError, type ZStackErrorCode } from "./wire";

/** The `@APIParam` fields of each API, in declaration order (docs/zstack-behaviour.md#the-vm-actions). */
const ACTION_FIELDS: Readonly<Record<ApiActionName, readonly FieldSpec[]>> = {
  pauseVmInstance: [],
  resumeVmInstance: [],
  setVmClockTrack: [
    { name: "track", type: "string", required: true, validValues: ["guest", "host"] },
    { name: "syncAfterVMResume", type: "boolean", required: false },
    { name: "intervalInSeconds", type: "integer", required: false, validValues: CLOCK_SYNC_INTERVALS },
  ],
  updateResourceConfig: [{ name: "value", type: "string", required: true }],
  deleteResourceConfig: [],
};

const CLOCK_SYNC_FIELDS: ReadonlySet<string> = new Set(["syncAfterVMResume", "intervalInSeconds"]);

/**
 * The fields an API's message class has on a node of this version: before 4.4.12 APISetVmClockTrackMsg has only
 * `track`, so Gson drops the two sync fields unread and unchecked, and the node applies the track alone.
 */
export function actionFields(action: ApiActionName, version: ServerVersion): readonly FieldSpec[] {
  const fields = ACTION_FIELDS[action];
  if (action !== "setVmClockTrack" || version.appliesClockSync) return fields;
  return fields.filter((f) => !CLOCK_SYNC_FIELDS.has(f.name));
}

/** An accepted API call, as the job will process it. */
export interface Submission {
  readonly action: ApiActionName;
  /** The VM uuid (from the URL; it wins over the body, as RestServer copies URL variables last). */
  readonly resourceUuid: string;
  /** The type-checked message fields. */
  readonly message: ApiMessage;
  readonly credential: Credential;
  /** For resource-config APIs: the `{category}` and `{name}` of the URL. */
  readonly config?: { readonly category: string; readonly name: string };
  /** Whether the request asked for a `schema` map (`X-JSON-Schema`, RestConstants). */
  readonly withSchema: boolean;
}

// Pause and resume share the VM's chain; setVmClockTrack has its own (VmInstanceBase); config writes one per
// resource.
function chainOf(submission: Submission): string {
  switch (submission.action) {
    case "pauseVmInstance":
    case "resumeVmInstance":
      return vmChain(submission.resourceUuid);
    case "setVmClockTrack":
      return `set-vm-clock-track-${submission.resourceUuid}`;
    case "updateResourceConfig":
    case "deleteResourceConfig":
      return `resource-config-${submission.resourceUuid}`;
  }
}

function asErrorCode(e: unknown): ZStackErrorCode {
  return e instanceof ZStackApiError ? e.error : zstackError("SYS.1000", String(e));
}

/** Durations of the jobs that do not go through VM transitional states. */
interface JobTimings {
  readonly clockTrackMs: number;
  readonly resourceConfigMs: number;
}

/** Runs accepted jobs against the VM store, the resource configs and the sessions. */
export class ActionRunner {
  constructor(
    private readonly vms: VmStore,
    private readonly configs: ResourceConfigStore,
    private readonly auth: Auth,
    private readonly timings: JobTimings,
    /** Called when a job ran to success (the `executedActions` counter). */
    private readonly onExecuted: (job: Job) => void,
  ) {}

  /**
   * Processes the job to completion; never rejects (failures become the job's 503 error). The job
   * completes inside its chain, before the next queued job of that chain starts, as the event is
   * published before ZStack's chain moves on.
   */
  async run(job: Job, submission: Submission): Promise<void> {
    try {
      this.admit(submission);
    } catch (e) {
      job.fail(asErrorCode(e));
      return;
    }
    await this.vms.serialize(chainOf(submission), async () => {
      job.start();
      try {
        job.succeed(await this.execute(submission));
        this.onExecuted(job);
      } catch (e) {
        job.fail(asErrorCode(e));
      }
    });
  }

  // The interceptor chain, in GlobalApiMessageInterceptor.InterceptorPosition's order: ApiParamValidator
  // (SYSTEM: parameters, then resource existence), then AuthorizationManager (FRONT: the session).
  private admit(submission: Submission): void {
    const { action, resourceUuid, message, config } = submission;
    const invalid = validateParams(message, ACTION_FIELDS[action]);
    if (invalid !== undefined) throw new ZStackApiError(invalid);
    if (config !== undefined) {
      const definition = resourceConfigDefinition(config.category, config.name);
      if (definition === undefined)
        throw new ZStackApiError(unknownResourceConfig(config.category, config.name));
      const value = message["value"];
      if (value !== undefined && !definition.validValues.includes(String(value).trim()))
        throw new ZStackApiError(invalidResourceConfigValue(definition, String(value).trim()));
    }
    if (this.vms.get(resourceUuid) === undefined)
      throw new ZStackApiError(
        config === undefined
          ? vmNotFound(resourceUuid)
          : resourceNotFound("resourceUuid", resourceUuid, "ResourceVO"),
      );
    const unauthorized = this.auth.authorize(submission.credential);
    if (unauthorized !== undefined) throw new ZStackApiError(unauthorized);
  }

  private async execute(submission: Submission): Promise<unknown> {
    const uuid = submission.resourceUuid;
    const message = trimmed(submission.message);
    switch (submission.action) {
      case "pauseVmInstance":
        return this.vmResult(await this.vms.transition(uuid, "pause"), submission);
      case "resumeVmInstance":
        return this.vmResult(await this.vms.transition(uuid, "resume"), submission);
      case "setVmClockTrack": {
        await this.vms.heldAt(uuid, this.existingVm(uuid));
        await this.vms.sleep(this.timings.clockTrackMs);
        const vm = this.existingVm(uuid);
        // The QGA step (closed source) stores the two sync settings when given; then the track
        // (VmInstanceBase.setVmClockTrack).
        this.store(uuid, "vm.clock.sync.after.vm.resume", message["syncAfterVMResume"]);
        this.store(uuid, "vm.clock.sync.interval.in.seconds", message["intervalInSeconds"]);
        this.store(uuid, "vm.clock.track", message["track"]);
        return this.vmResult(vm, submission);
      }
      case "updateResourceConfig":
      case "deleteResourceConfig":
        await this.vms.sleep(this.timings.resourceConfigMs);
        return this.writeConfig(submission, message);
    }
  }

  private writeConfig(submission: Submission, message: ApiMessage): unknown {
    const { category = "", name = "" } = submission.config ?? {};
    const definition = resourceConfigDefinition(category, name);
    if (definition === undefined) throw new ZStackApiError(unknownResourceConfig(category, name));
    if (submission.action === "deleteResourceConfig") {
      this.configs.delete(submission.resourceUuid, definition);
      return {};
    }
    const inventory = this.configs.set(submission.resourceUuid, definition, String(message["value"]));
    return submission.withSchema
      ? { inventory, schema: { inventory: INVENTORY_CLASSES.resourceConfig } }
      : { inventory };
  }

  private store(uuid: string, name: string, value: string | boolean | number | undefined): void {
    const definition = resourceConfigDefinition("vm", name);
    if (value !== undefined && definition !== undefined) this.configs.set(uuid, definition, String(value));
  }

  private existingVm(uuid: string): VmInstanceInventory {
    const vm = this.vms.get(uuid);
    if (vm === undefined) throw new ZStackApiError(vmNotFound(uuid));
    return vm;
  }

  // Success bodies: the events' `@RestResponse(allTo = "inventory")`, plus the schema when asked for.
  private vmResult(vm: VmInstanceInventory, submission: Submission): unknown {
    if (!submission.withSchema) return { inventory: vm };
    const schema: Schema = {};
    addVmSchema(schema, "inventory", vm);
    return { inventory: vm, schema };
  }
}
