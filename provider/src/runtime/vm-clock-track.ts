import { z } from "zod";

import type { VmInventoryOutputs } from "./vm-inventory";
import { unsupportedClockTrackFields, type VmInstanceInventory, type ZStackClient } from "../zstack";
import {
  ActionStillRunning,
  resumePendingJob,
  runAction,
  withPartialState,
  type PendingJob,
} from "./actions";
import {
  converge,
  convergeShared,
  readClock,
  readVmClock,
  type ClockReads,
  type ConvergeNotes,
} from "./clock-converge";
import {
  deleteTarget,
  handBacks,
  handBackTarget,
  handedOver,
  nothingDeclared,
  restoreValues,
  withPendingHandBacks,
  type ClockRecord,
} from "./clock-restore";
import {
  CLOCK_KEYS,
  CLOCK_SYNC_INTERVALS,
  differing,
  paramsOf,
  type ClockTrack,
  type ClockValues,
  type ManagedClock,
} from "./clock-values";
import { requireClockFields } from "./clock-versions";
import { controllerOf, type KindRules, type ResourceController, type Unchecked } from "./controller";
import { ProviderError } from "./errors";
import {
  DEFAULT_ON_DELETE,
  isUnknown,
  onDeleteField,
  timeoutSecondsField,
  vmUuidField,
  type FieldSpec,
} from "./inputs";
import { debug, warn } from "./log";
import { inventoryOutputs } from "./outputs";
import type { ProviderRuntime } from "./provider-runtime";
import { deadlineAfter, type ReadScope } from "./read-scope";
import { recordOnly } from "./record";
import type { ResourceKind } from "../vocabulary/resource-kinds";

export { CLOCK_SYNC_INTERVALS, type ClockTrack, type ClockValues, type ManagedClock } from "./clock-values";

/** Checked inputs of a VmClockTrack. */
export interface VmClockTrackInputs {
  readonly vmUuid: string;
  readonly track: ClockTrack;
  readonly syncAfterVMResume?: boolean;
  readonly intervalInSeconds?: number;
  readonly timeoutSeconds: number;
  readonly onDelete: "restore" | "leave";
}

/** Outputs of a VmClockTrack: the VM inventory, the clock values as read back, and what restore will set. */
export interface VmClockTrackOutputs extends VmInventoryOutputs, ClockValues, ClockRecord {
  readonly vmUuid: string;
  readonly timeoutSeconds: number;
  readonly onDelete: "restore" | "leave";
  /**
   * The values the program declares (`null` where it leaves a setting alone). In the partial state of an update
   * that was cut short, a setting the program dropped keeps its former value here until it has been handed back.
   */
  readonly declaredClock: ManagedClock;
  /**
   * The values read before the first change, for every setting the stack has changed and not yet handed back;
   * what delete restores.
   */
  readonly restoreTo: ManagedClock;
  readonly pendingJob: PendingJob | null;
}

const KIND: ResourceKind = "VmClockTrack";

const FIELDS: Readonly<Record<keyof VmClockTrackInputs, FieldSpec>> = {
  vmUuid: vmUuidField,
  track: {
    schema: z.enum(["guest", "host"]),
    allowed: 'one of "guest", "host" (case-sensitive)',
    required: true,
    choices: ["guest", "host"],
  },
  syncAfterVMResume: { schema: z.boolean(), allowed: "true or false" },
  intervalInSeconds: {
    schema: z.union(CLOCK_SYNC_INTERVALS.map((seconds) => z.literal(seconds))),
    allowed: `one of ${CLOCK_SYNC_INTERVALS.join(", ")} (seconds; 0 disables periodic sync)`,
    choices: CLOCK_SYNC_INTERVALS,
  },
  timeoutSeconds: timeoutSecondsField,
  onDelete: onDeleteField,
};

function managedOf(inputs: VmClockTrackInputs): ManagedClock {
  return {
    track: inputs.track,
    syncAfterVMResume: inputs.syncAfterVMResume ?? null,
    intervalInSeconds: inputs.intervalInSeconds ?? null,
  };
}

function outputsOf(
  vm: VmInstanceInventory,
  clock: ClockValues,
  inputs: VmClockTrackInputs,
  restoreTo: ManagedClock,
  pendingJob: PendingJob | null = null,
): VmClockTrackOutputs {
  return {
    ...inventoryOutputs(vm),
    ...clock,
    vmUuid: inputs.vmUuid,
    timeoutSeconds: inputs.timeoutSeconds,
    onDelete: inputs.onDelete,
    declaredClock: managedOf(inputs),
    restoreTo,
    pendingJob,
  };
}

/** The clock values of stored outputs. */
function clockOf(outputs: VmClockTrackOutputs): ClockValues {
  return {
    track: outputs.track,
    syncAfterVMResume: outputs.syncAfterVMResume,
    intervalInSeconds: outputs.intervalInSeconds,
  };
}

/** Converges create and update alike; `olds` holds the stored outputs of an update (none on create). */
async function apply(
  runtime: ProviderRuntime,
  inputs: VmClockTrackInputs & { readonly __provider?: string },
  olds: VmClockTrackOutputs | undefined,
): Promise<VmClockTrackOutputs> {
  const client = runtime.client();
  const declared = managedOf(inputs);
  const deadline = deadlineAfter(inputs.timeoutSeconds);
  const returning = handBacks(declared, inputs.onDelete, olds);
  // The clock as read, for the partial outputs if an accepted action outlives the deadline; an update starts from
  // the stored values.
  const stored: ClockReads | undefined = olds && { before: clockOf(olds), current: clockOf(olds) };
  let notes: ConvergeNotes = {};
  const state = await withPartialState(
    client,
    {
      kind: KIND,
      id: inputs.vmUuid,
      timeoutSeconds: inputs.timeoutSeconds,
      providerText: inputs.__provider,
      outputs: (vm, pending) => {
        // An action is only ever accepted after the clock was read (create) or known from the stored outputs (update).
        const read = (notes.seen ?? stored) as ClockReads;
        const restoreTo = restoreValues(declared, read.before, olds?.restoreTo);
        return withPendingHandBacks(outputsOf(vm, read.current, inputs, restoreTo, pending), returning, olds);
      },
    },
    async () => {
      await resumePendingJob(client, olds?.pendingJob, deadline);
      if (olds !== undefined && returning.length > 0) {
        // Handing settings back is this resource's own business (its target depends on its record): not shared.
        const targetFor = (current: ClockValues) => {
          const plan = handBackTarget(declared, returning, olds, current);
          for (const key of plan.changedElsewhere) {
            warn(
              `VmClockTrack: ${key} of VM ${inputs.vmUuid} changed since it was set, so it was not restored when ` +
                `the program stopped declaring it.`,
            );
          }
          return plan.target;
        };
        return converge(client, inputs.vmUuid, targetFor, deadline, (read) => (notes.seen = read));
      }
      const shared = convergeShared(runtime, inputs.vmUuid, declared, deadline);
      notes = shared.notes;
      return shared.result;
    },
  );
  return outputsOf(state.vm, state.after, inputs, restoreValues(declared, state.before, olds?.restoreTo));
}

/**
 * True when going from the stored outputs to `news` may send `setVmClockTrack` or change what delete restores. Only
 * the settings the program sets are compared with the values read back (so refreshed drift shows), and the set of
 * managed settings is compared with the stored one: a setting the program starts setting is a change even when its
 * live value already matches, because restore must record it now (else destroy would restore whatever it finds
 * later); one it stops setting is a change of what delete restores.
 */
function mayAct(olds: VmClockTrackOutputs, news: Unchecked<VmClockTrackInputs>): boolean {
  return (
    olds.pendingJob != null ||
    CLOCK_KEYS.some((key) => {
      const wanted = news[key] ?? null;
      const managed = olds.declaredClock?.[key] ?? null;
      if (wanted === null) return managed !== null;
      return isUnknown(wanted) || wanted !== olds[key] || wanted !== managed;
    })
  );
}

/**
 * Returns what the resource changed and still declares to the recorded values (see `clock-restore.ts`): not the
 * settings another resource of the runtime declares now, nor those someone else changed since.
 */
async function restore(runtime: ProviderRuntime, props: VmClockTrackOutputs, owner: string): Promise<void> {
  const declared = handedOver(
    props.declaredClock,
    (key) => runtime.coordination.heldByOthers(KIND, props.vmUuid, key, owner) !== undefined,
  );
  if (nothingDeclared(declared)) {
    debug(`VmClockTrack: another resource of this deployment declares the clock of VM ${props.vmUuid} now`);
    return;
  }
  const client = runtime.client();
  const deadline = deadlineAfter(props.timeoutSeconds);
  // The stack's own job first: reading the clock while it runs would take its coming change for someone else's,
  // and a restore sent now would run behind it and be undone when it lands.
  await awaitPendingJob(client, props, deadline);
  const vm = await client.getVm(props.vmUuid, { deadline, vmUuid: props.vmUuid });
  if (vm === undefined) return;
  const current = await readClock(client, props.vmUuid, deadline);
  const plan = deleteTarget(current, declared, props.restoreTo);
  const { target } = plan;
  // A pending job that failed left a setting as the stack found it: nobody else changed it.
  const changedElsewhere =
    props.pendingJob == null
      ? plan.changedElsewhere
      : plan.changedElsewhere.filter((key) => current[key] !== props.restoreTo[key]);
  if (changedElsewhere.length > 0) {
    warn(
      `VmClockTrack: ${changedElsewhere.join(", ")} of VM ${props.vmUuid} changed since it was set, so ` +
        `${changedElsewhere.length === 1 ? "it was" : "they were"} not restored.`,
    );
  }
  if (differing(current, target).length === 0) return;
  const params = paramsOf(target);
  await runtime.coordination.shareInFlight(
    `${KIND}|${props.vmUuid}|restore:${JSON.stringify(params)}`,
    () => ({}),
    () => runAction(client, KIND, props.vmUuid, { name: "setVmClockTrack", params }, deadline),
  ).result;
}

/**
 * Waits for the `setVmClockTrack` an earlier run left pending (see `resumePendingJob`). One still running when the
 * deadline passes fails the delete, which Pulumi then keeps in the stack: restoring behind it would be undone when it
 * lands, and forgetting it would leave the VM changed with nothing recording it.
 */
async function awaitPendingJob(client: ZStackClient, props: VmClockTrackOutputs, deadline: number) {
  try {
    await resumePendingJob(client, props.pendingJob, deadline);
  } catch (error) {
    if (!(error instanceof ActionStillRunning)) throw error;
    throw new ProviderError(
      `VmClockTrack: the setVmClockTrack job ${error.pending.jobUuid} an earlier run left pending on VM ` +
        `${props.vmUuid} had not finished when timeoutSeconds (${props.timeoutSeconds}) ran out, so the clock ` +
        `was not restored (a restore sent now would be undone when that job lands). Pulumi keeps the resource: ` +
        `run the command again to wait for the job and restore, or raise timeoutSeconds.`,
      { cause: error },
    );
  }
}

/** The settings a stored record and the new inputs agree on: what a diff claims. */
function agreed(olds: VmClockTrackOutputs, news: Unchecked<VmClockTrackInputs>) {
  if (olds.declaredClock == null) return null;
  const same = (key: keyof ClockValues) => {
    const declared = olds.declaredClock[key];
    return declared !== null && news[key] === declared ? declared : null;
  };
  return {
    track: same("track"),
    syncAfterVMResume: same("syncAfterVMResume"),
    intervalInSeconds: same("intervalInSeconds"),
  };
}

/**
 * An import: the VM and its clock as create's adoption read finds them, declared as they are (`track`, and the two
 * sync settings where the management node has them, since 4.4.12), and recorded as a create that found them so:
 * `restoreTo` holds the values read, so delete restores nothing.
 */
async function adopt(runtime: ProviderRuntime, scope: ReadScope) {
  const { vmUuid, deadline, timeoutSeconds } = scope;
  const client = runtime.client();
  const [{ vm, clock }, version] = await Promise.all([
    readVmClock(client, vmUuid, deadline),
    client.getVersion({ deadline, vmUuid }),
  ]);
  const has = (key: "syncAfterVMResume" | "intervalInSeconds") =>
    unsupportedClockTrackFields(version, [key]).length === 0;
  const declared = {
    vmUuid,
    track: clock.track,
    ...(has("syncAfterVMResume") ? { syncAfterVMResume: clock.syncAfterVMResume } : {}),
    ...(has("intervalInSeconds") ? { intervalInSeconds: clock.intervalInSeconds } : {}),
  };
  const inputs: VmClockTrackInputs = { ...declared, timeoutSeconds, onDelete: DEFAULT_ON_DELETE };
  const restoreTo = restoreValues(managedOf(inputs), clock, undefined);
  return { inputs: declared, outputs: outputsOf(vm, clock, inputs, restoreTo) };
}

/** What `VmClockTrack` adds to the controller skeleton. */
const RULES: KindRules<VmClockTrackInputs, VmClockTrackOutputs> = {
  kind: KIND,
  fields: FIELDS,
  recordKeys: ["vmUuid", "declaredClock", "restoreTo", "timeoutSeconds", "onDelete"],
  agreed,
  declared: managedOf,
  mayAct,
  supported: (runtime, news) => requireClockFields(runtime, news.vmUuid as string, news, news.timeoutSeconds),
  keepRecord: (olds, news) =>
    recordOnly(olds, { timeoutSeconds: news.timeoutSeconds, onDelete: news.onDelete }),
  apply,
  describe: async (client, vm, scope) => ({
    ...inventoryOutputs(vm),
    ...(await readClock(client, scope.vmUuid, scope.deadline)),
  }),
  manages: (props) => props.declaredClock != null,
  undeclared: { declaredClock: null, restoreTo: null },
  // The refreshed inputs carry the values read back for the managed settings, so drift shows in the next preview.
  refreshedInputs: (props, live, vmUuid) => {
    const clock = live as ClockValues;
    const declared = props.declaredClock as ManagedClock;
    return {
      vmUuid,
      track: clock.track,
      timeoutSeconds: props.timeoutSeconds,
      onDelete: props.onDelete,
      ...(declared.syncAfterVMResume !== null ? { syncAfterVMResume: clock.syncAfterVMResume } : {}),
      ...(declared.intervalInSeconds !== null ? { intervalInSeconds: clock.intervalInSeconds } : {}),
    };
  },
  adopt,
  restore,
};

/** The controller of `VmClockTrack` bound to a runtime: the dynamic-provider methods, run inside the host. */
export function vmClockTrackController(
  runtime: ProviderRuntime,
): ResourceController<VmClockTrackInputs, VmClockTrackOutputs> {
  return controllerOf(runtime, RULES);
}
