import { z } from "zod";

import type { VmInventoryOutputs } from "./vm-inventory";
import type { ClockTrackParams, VmInstanceInventory, ZStackClient } from "../zstack";
import { resumePendingJob, runAction, withPartialState, type PendingJob } from "./actions";
import { coordinationScope, deadlineAfter, readScope, unmanagedOutputs, zstackClient } from "./context";
import {
  claim,
  heldByOthers,
  newOwner,
  ownerOf,
  release,
  shareInFlight,
  underClaim,
  type Aspect,
} from "./coordination";
import type { ResourceController } from "./controller";
import type { ResourceKind as ResourceKindName } from "../vocabulary/resource-kinds";
import { vmNotFound } from "./errors";
import {
  checkInputs,
  isUnknown,
  onDeleteField,
  timeoutSecondsField,
  vmUuidField,
  type FieldSpec,
} from "./inputs";
import { debug, warn } from "./log";
import { inventoryOutputs } from "./outputs";
import { recordOnly } from "./record";
import { isJobLost } from "./settle";

/** Where the VM keeps its clock track: the guest's own clock or the host's. */
export type ClockTrack = "guest" | "host";

/** The intervals ZStack accepts for periodic clock sync, in seconds; 0 disables it (zstack-api.md §1, §3.1). */
export const CLOCK_SYNC_INTERVALS = [0, 60, 600, 1800, 3600, 7200, 21600, 43200, 86400] as const;

/** The three clock settings of a VM, as ZStack stores them in its resource configurations. */
export interface ClockValues {
  readonly track: ClockTrack;
  readonly syncAfterVMResume: boolean;
  readonly intervalInSeconds: number;
}

/** Clock settings a resource manages: `null` for an optional one the program does not set. */
export interface ManagedClock {
  readonly track: ClockTrack;
  readonly syncAfterVMResume: boolean | null;
  readonly intervalInSeconds: number | null;
}

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
export interface VmClockTrackOutputs extends VmInventoryOutputs, ClockValues {
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

const KIND: ResourceKindName = "VmClockTrack";

/**
 * The outputs that make up a resource's own record, which only its create and update write: what identifies it to
 * the per-process coordination (see `coordination.ts`).
 */
const RECORD_KEYS = ["vmUuid", "declaredClock", "restoreTo", "timeoutSeconds", "onDelete"] as const;

function ownerOfRecord(outputs: object): string {
  return ownerOf(outputs, RECORD_KEYS);
}

/** Resource-configuration names of the three settings (category `vm`). */
const CONFIG_NAMES: Readonly<Record<keyof ClockValues, string>> = {
  track: "vm.clock.track",
  syncAfterVMResume: "vm.clock.sync.after.vm.resume",
  intervalInSeconds: "vm.clock.sync.interval.in.seconds",
};

const CLOCK_KEYS = ["track", "syncAfterVMResume", "intervalInSeconds"] as const;

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

/** Reads the three settings back from the VM's resource configurations, concurrently. */
async function readClock(client: ZStackClient, vmUuid: string, deadline?: number): Promise<ClockValues> {
  const read = (key: keyof ClockValues) =>
    client.getResourceConfig(vmUuid, "vm", CONFIG_NAMES[key], { deadline, vmUuid });
  const [track, sync, interval] = await Promise.all([
    read("track"),
    read("syncAfterVMResume"),
    read("intervalInSeconds"),
  ]);
  return {
    track: track === "guest" ? "guest" : "host",
    syncAfterVMResume: sync.trim().toLowerCase() === "true",
    intervalInSeconds: Number(interval),
  };
}

function managedOf(inputs: VmClockTrackInputs): ManagedClock {
  return {
    track: inputs.track,
    syncAfterVMResume: inputs.syncAfterVMResume ?? null,
    intervalInSeconds: inputs.intervalInSeconds ?? null,
  };
}

/** Clock settings some of which may be nobody's to touch (`null`), `track` included. */
type PartialClock = { readonly [K in keyof ClockValues]: ClockValues[K] | null };

/** The managed settings whose current value differs from the declared one. */
function differing(current: ClockValues, declared: PartialClock): (keyof ClockValues)[] {
  return CLOCK_KEYS.filter((key) => declared[key] !== null && declared[key] !== current[key]);
}

/** The `setVmClockTrack` parameters: `track` (which the API requires) and only the optional settings given. */
function paramsOf(target: ManagedClock): ClockTrackParams {
  return {
    track: target.track,
    ...(target.syncAfterVMResume !== null ? { syncAfterVMResume: target.syncAfterVMResume } : {}),
    ...(target.intervalInSeconds !== null ? { intervalInSeconds: target.intervalInSeconds } : {}),
  };
}

/** The values the VM has after a successful `setVmClockTrack` with `target`, without reading them again. */
function applied(current: ClockValues, target: ManagedClock): ClockValues {
  return {
    track: target.track,
    syncAfterVMResume: target.syncAfterVMResume ?? current.syncAfterVMResume,
    intervalInSeconds: target.intervalInSeconds ?? current.intervalInSeconds,
  };
}

/** The VM and its clock after a convergence, and the clock as it was before. */
interface ClockState {
  readonly vm: VmInstanceInventory;
  readonly before: ClockValues;
  readonly after: ClockValues;
}

/**
 * Brings the managed settings to their declared values: reads the VM and its clock, does nothing when every
 * managed setting already matches, else sends one `setVmClockTrack` and waits for its job. ZStack accepts the
 * action in any VM state (it is not in the VM's allowed-operations table), so there is nothing to wait out first.
 */
async function converge(
  client: ZStackClient,
  vmUuid: string,
  targetFor: (current: ClockValues) => ManagedClock,
  deadline: number,
  onRead: (read: ClockReads) => void,
): Promise<ClockState> {
  // The clock as first read is what restore returns to, even when a lost job makes us read it again.
  let first: ClockValues | undefined;
  for (;;) {
    // The VM first: a missing VM then costs one request, not four, and a failure names the read that failed.
    const found = await client.getVm(vmUuid, { deadline, vmUuid });
    if (found === undefined) throw vmNotFound(KIND, vmUuid);
    const current = await readClock(client, vmUuid, deadline);
    const before = (first ??= current);
    onRead({ before, current });
    const target = targetFor(current);
    if (differing(current, target).length === 0) return { vm: found, before, after: current };
    try {
      const vm = await runAction(
        client,
        KIND,
        vmUuid,
        { name: "setVmClockTrack", params: paramsOf(target) },
        deadline,
      );
      return { vm, before, after: applied(current, target) };
    } catch (error) {
      if (!isJobLost(error)) throw error;
      // The server forgot the job (expired, management node restarted): it may have run. The clock says.
      debug(`setVmClockTrack job on VM ${vmUuid} was lost; reading the clock again`);
    }
  }
}

/** What the operation converging a VM's clock observed, shared with the operations that joined it. */
interface ConvergeNotes {
  /** The clock as first read (what restore returns to) and as last read. */
  seen?: ClockReads;
}

/**
 * `converge`, shared with every concurrent operation of this process that sets the same values on the same VM (see
 * `coordination.ts`): one `setVmClockTrack` for all of them, each recording the clock as it was before.
 */
function convergeShared(
  scope: string,
  client: ZStackClient,
  vmUuid: string,
  declared: ManagedClock,
  deadline: number,
) {
  return shareInFlight(
    `${scope}|${KIND}|${vmUuid}|${JSON.stringify(declared)}`,
    (): ConvergeNotes => ({}),
    (notes) =>
      converge(
        client,
        vmUuid,
        () => declared,
        deadline,
        (read) => (notes.seen = read),
      ),
  );
}

/**
 * What restore will set: the pre-change value of every managed setting. A setting managed before keeps the value
 * recorded then; one the program starts managing now records its current value; one it stopped managing is dropped
 * (the update that drops it hands it back first, see {@link handBacks}).
 */
function restoreValues(
  declared: ManagedClock,
  before: ClockValues,
  previous: ManagedClock | undefined,
): ManagedClock {
  const pick = <K extends keyof ClockValues>(key: K): ClockValues[K] | null =>
    declared[key] === null ? null : ((previous?.[key] ?? before[key]) as ClockValues[K]);
  return {
    track: pick("track") ?? before.track,
    syncAfterVMResume: pick("syncAfterVMResume"),
    intervalInSeconds: pick("intervalInSeconds"),
  };
}

/** The optional settings; `track` is required, so a program cannot stop declaring it. */
const OPTIONAL_KEYS = ["syncAfterVMResume", "intervalInSeconds"] as const;
type OptionalKey = (typeof OPTIONAL_KEYS)[number];

/**
 * The settings the program stopped declaring that the stack is to hand back: each was declared before and has a
 * recorded pre-change value. With `onDelete: "leave"` nothing is handed back, as on delete: the settings are left as
 * they are and forgotten.
 */
function handBacks(
  declared: ManagedClock,
  inputs: VmClockTrackInputs,
  previous: Previous | undefined,
): OptionalKey[] {
  if (previous === undefined || inputs.onDelete === "leave") return [];
  return OPTIONAL_KEYS.filter(
    (key) =>
      declared[key] === null && previous.declaredClock[key] !== null && previous.restoreTo[key] !== null,
  );
}

/**
 * The values an update sets: the declared ones, and for each setting handed back its pre-change value, but only
 * while it still holds what the stack set (a later change by someone else is theirs to keep, as on delete).
 */
function targetWithHandBacks(
  declared: ManagedClock,
  keys: readonly OptionalKey[],
  previous: Previous | undefined,
  vmUuid: string,
): (current: ClockValues) => ManagedClock {
  return (current) => {
    const target: { -readonly [K in keyof ManagedClock]: ManagedClock[K] } = { ...declared };
    for (const key of keys) {
      const restore = previous?.restoreTo[key] ?? null;
      const set = previous?.declaredClock[key] ?? null;
      if (restore === null || current[key] === restore) continue;
      if (current[key] === set) (target as Record<OptionalKey, unknown>)[key] = restore;
      else
        warn(
          `VmClockTrack: ${key} of VM ${vmUuid} changed since it was set, so it was not restored when the ` +
            `program stopped declaring it.`,
        );
    }
    return target;
  };
}

/**
 * The record an update leaves when cut short: a setting whose hand-back did not complete stays declared and
 * recorded as before, so that the next update (or delete) still returns it.
 */
function withPendingHandBacks(
  outputs: VmClockTrackOutputs,
  keys: readonly OptionalKey[],
  previous: Previous | undefined,
): VmClockTrackOutputs {
  if (keys.length === 0 || previous === undefined) return outputs;
  const declaredClock = { ...outputs.declaredClock };
  const restoreTo = { ...outputs.restoreTo };
  for (const key of keys) {
    (declaredClock as Record<OptionalKey, unknown>)[key] = previous.declaredClock[key];
    (restoreTo as Record<OptionalKey, unknown>)[key] = previous.restoreTo[key];
  }
  return { ...outputs, declaredClock, restoreTo };
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

/** The clock before the resource first changed it (what restore returns to) and as last read. */
interface ClockReads {
  readonly before: ClockValues;
  readonly current: ClockValues;
}

/** What an update carries over from the stored outputs. */
interface Previous {
  readonly clock: ClockValues;
  readonly declaredClock: ManagedClock;
  readonly restoreTo: ManagedClock;
  readonly pendingJob: PendingJob | null;
}

/** Converges create and update alike; `previous` holds the stored outputs' record (none on create). */
async function apply(
  scope: string,
  client: ZStackClient,
  inputs: VmClockTrackInputs & { readonly __provider?: string },
  previous: Previous | undefined,
): Promise<VmClockTrackOutputs> {
  const declared = managedOf(inputs);
  const deadline = deadlineAfter(inputs.timeoutSeconds);
  const returning = handBacks(declared, inputs, previous);
  // The clock as read, for the partial outputs if an accepted action outlives the deadline; an update starts from
  // the stored values.
  const stored: ClockReads | undefined = previous && { before: previous.clock, current: previous.clock };
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
        const restoreTo = restoreValues(declared, read.before, previous?.restoreTo);
        return withPendingHandBacks(
          outputsOf(vm, read.current, inputs, restoreTo, pending),
          returning,
          previous,
        );
      },
    },
    async () => {
      await resumePendingJob(client, previous?.pendingJob, deadline);
      if (returning.length > 0) {
        // Handing settings back is this resource's own business (its target depends on its record): not shared.
        const targetFor = targetWithHandBacks(declared, returning, previous, inputs.vmUuid);
        return converge(client, inputs.vmUuid, targetFor, deadline, (read) => (notes.seen = read));
      }
      const shared = convergeShared(scope, client, inputs.vmUuid, declared, deadline);
      notes = shared.notes;
      return shared.result;
    },
  );
  return outputsOf(state.vm, state.after, inputs, restoreValues(declared, state.before, previous?.restoreTo));
}

/**
 * True when going from the stored outputs to `news` may send `setVmClockTrack` or change what delete restores. Only
 * the settings the program sets are compared with the values read back (so refreshed drift shows), and the set of
 * managed settings is compared with the stored one: a setting the program starts setting is a change even when its
 * live value already matches, because restore must record it now (else destroy would restore whatever it finds
 * later); one it stops setting is a change of what delete restores. Diff and update share this test, so an update
 * touches the VM only where the preview showed a change that could.
 */
function mayAct(
  olds: VmClockTrackOutputs,
  news: { readonly [K in keyof VmClockTrackInputs]: unknown },
): boolean {
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

/** The controller of `VmClockTrack`: the dynamic-provider methods, run inside the host. */
export const vmClockTrack: ResourceController<VmClockTrackInputs, VmClockTrackOutputs> = {
  async check(_olds, news) {
    return checkInputs(FIELDS, news);
  },

  async diff(_id, olds, news) {
    // A resource of the program already in the stack keeps declaring these settings: a conflict with another
    // resource fails now, in the preview, and a delete of this deployment will not undo them. Only the settings the
    // stored record and the new inputs agree on are claimed: a refresh also calls diff, with inputs that may hold
    // refreshed actual values rather than the program's, and a changed setting is claimed by its update.
    if (typeof news.vmUuid === "string" && olds.declaredClock != null) {
      const agreed = (key: keyof ClockValues) => {
        const declared = olds.declaredClock[key];
        return declared !== null && news[key] === declared ? declared : null;
      };
      const values = {
        track: agreed("track"),
        syncAfterVMResume: agreed("syncAfterVMResume"),
        intervalInSeconds: agreed("intervalInSeconds"),
      };
      claim(coordinationScope(), KIND, news.vmUuid, values, { owner: ownerOfRecord(olds), origin: "diff" });
    }
    const replaces = isUnknown(news.vmUuid) || news.vmUuid !== olds.vmUuid ? ["vmUuid"] : [];
    const changes =
      replaces.length > 0 ||
      mayAct(olds, news) ||
      (["timeoutSeconds", "onDelete"] as const).some(
        (key) => isUnknown(news[key]) || news[key] !== olds[key],
      );
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const scope = coordinationScope();
    const declaration = { scope, kind: KIND, vmUuid: inputs.vmUuid, values: managedOf(inputs) };
    const outs = await underClaim(declaration, { owner: newOwner(), origin: "create" }, ownerOfRecord, () =>
      apply(scope, zstackClient(), inputs, undefined),
    );
    return { id: inputs.vmUuid, outs };
  },

  async read(id, props) {
    const client = zstackClient();
    const reading = readScope(id, props);
    const { vmUuid, deadline } = reading;
    const vm = await client.getVm(vmUuid, { deadline, vmUuid });
    if (vm === undefined) return { id: "" };
    const clock = await readClock(client, vmUuid, deadline);
    // A static `get` (or a refresh of one, whose stored declaredClock is null): there are no inputs to refresh.
    if (props.declaredClock == null) {
      // Only the VM and its clock to describe; nothing is declared.
      const outs = {
        ...inventoryOutputs(vm),
        ...clock,
        ...unmanagedOutputs(reading),
        declaredClock: null,
        restoreTo: null,
      };
      return { id, props: outs };
    }
    const declared = props.declaredClock;
    const outs = { ...props, ...inventoryOutputs(vm), ...clock };
    // The refreshed inputs carry the values read back for the managed settings, so drift shows in the next preview.
    const inputs: Record<string, unknown> = {
      vmUuid,
      track: clock.track,
      timeoutSeconds: props.timeoutSeconds,
      onDelete: props.onDelete,
    };
    if (declared.syncAfterVMResume !== null) inputs.syncAfterVMResume = clock.syncAfterVMResume;
    if (declared.intervalInSeconds !== null) inputs.intervalInSeconds = clock.intervalInSeconds;
    return { id, props: outs, inputs };
  },

  async update(_id, olds, news) {
    const scope = coordinationScope();
    const declaration = { scope, kind: KIND, vmUuid: news.vmUuid, values: managedOf(news) };
    const claimant = { owner: ownerOfRecord(olds), origin: "update" } as const;
    const outs = await underClaim(declaration, claimant, ownerOfRecord, async () => {
      if (!mayAct(olds, news)) {
        return recordOnly(olds, { timeoutSeconds: news.timeoutSeconds, onDelete: news.onDelete });
      }
      const previous: Previous = {
        clock: {
          track: olds.track,
          syncAfterVMResume: olds.syncAfterVMResume,
          intervalInSeconds: olds.intervalInSeconds,
        },
        declaredClock: olds.declaredClock,
        restoreTo: olds.restoreTo,
        pendingJob: olds.pendingJob,
      };
      return apply(scope, zstackClient(), news, previous);
    });
    return { outs };
  },

  async delete(_id, props) {
    const scope = coordinationScope();
    const owner = ownerOfRecord(props);
    release(scope, props.vmUuid, owner);
    if (props.onDelete === "leave") {
      debug(`VmClockTrack: leaving the clock of VM ${props.vmUuid} as it is (onDelete: "leave")`);
      return;
    }
    // Settings another resource of this deployment declares now (the replacement after `--replace`, the new name
    // after a rename without an alias) are that resource's: this delete does not undo them.
    const declared = handedOver(scope, props.vmUuid, owner, props.declaredClock);
    if (CLOCK_KEYS.every((key) => declared[key] === null)) {
      debug(`VmClockTrack: another resource of this deployment declares the clock of VM ${props.vmUuid} now`);
      return;
    }
    const client = zstackClient();
    const deadline = deadlineAfter(props.timeoutSeconds);
    const vm = await client.getVm(props.vmUuid, { deadline, vmUuid: props.vmUuid });
    if (vm === undefined) return;
    const current = await readClock(client, props.vmUuid, deadline);
    // Restore only what is still as this resource declared it: a later change by someone else is theirs to keep.
    const target: ManagedClock = {
      track:
        declared.track !== null && current.track === declared.track ? props.restoreTo.track : current.track,
      syncAfterVMResume:
        declared.syncAfterVMResume !== null && current.syncAfterVMResume === declared.syncAfterVMResume
          ? props.restoreTo.syncAfterVMResume
          : null,
      intervalInSeconds:
        declared.intervalInSeconds !== null && current.intervalInSeconds === declared.intervalInSeconds
          ? props.restoreTo.intervalInSeconds
          : null,
    };
    const changedElsewhere = differing(current, declared);
    if (changedElsewhere.length > 0) {
      warn(
        `VmClockTrack: ${changedElsewhere.join(", ")} of VM ${props.vmUuid} changed since it was set, so ` +
          `${changedElsewhere.length === 1 ? "it was" : "they were"} not restored.`,
      );
    }
    if (differing(current, target).length === 0) return;
    const params = paramsOf(target);
    await shareInFlight(
      `${scope}|${KIND}|${props.vmUuid}|restore:${JSON.stringify(params)}`,
      () => ({}),
      () => runAction(client, KIND, props.vmUuid, { name: "setVmClockTrack", params }, deadline),
    ).result;
  },
};

/** The declared settings of a deleted resource, without those another owner of this process declares now. */
function handedOver(scope: string, vmUuid: string, owner: string, declared: ManagedClock): PartialClock {
  const mine = (key: Aspect) => heldByOthers(scope, KIND, vmUuid, key, owner) === undefined;
  return {
    track: mine("track") ? declared.track : null,
    syncAfterVMResume: mine("syncAfterVMResume") ? declared.syncAfterVMResume : null,
    intervalInSeconds: mine("intervalInSeconds") ? declared.intervalInSeconds : null,
  };
}
