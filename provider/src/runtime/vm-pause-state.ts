import { z } from "zod";

import type { VmInventoryOutputs } from "./vm-inventory";
import type { VmAction, VmInstanceInventory, ZStackClient } from "../zstack";
import {
  ActionStillRunning,
  resumePendingJob,
  runAction,
  withPartialState,
  type PendingJob,
} from "./actions";
import { coordinationScope, deadlineAfter, readScope, unmanagedOutputs, zstackClient } from "./context";
import { claim, heldByOthers, newOwner, ownerOf, release, shareInFlight, underClaim } from "./coordination";
import type { ResourceController } from "./controller";
import { unreachableState } from "./errors";
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
import { isJobLost, isLostRace, settle, settleExisting } from "./settle";

/** The states a VmPauseState can declare. */
export type DeclaredPauseState = "Paused" | "Running";

/** Checked inputs of a VmPauseState. */
export interface VmPauseStateInputs {
  readonly vmUuid: string;
  readonly state: DeclaredPauseState;
  readonly timeoutSeconds: number;
  readonly onDelete: "restore" | "leave";
}

/** Outputs of a VmPauseState: the VM inventory (`state` is the actual state) plus what the resource remembers. */
export interface VmPauseStateOutputs extends VmInventoryOutputs {
  readonly vmUuid: string;
  readonly declaredState: DeclaredPauseState;
  /** The settled state the VM was in when the resource adopted it; what `onDelete: "restore"` returns it to. */
  readonly initialState: DeclaredPauseState | null;
  readonly timeoutSeconds: number;
  readonly onDelete: "restore" | "leave";
  /** An accepted pause or resume whose wait ran out of time; the next update waits for it instead of resubmitting. */
  readonly pendingJob: PendingJob | null;
}

const KIND = "VmPauseState";

/**
 * The outputs that make up a resource's own record, which only its create and update write: what identifies it to
 * the per-process coordination (see `coordination.ts`).
 */
const RECORD_KEYS = ["vmUuid", "declaredState", "initialState", "timeoutSeconds", "onDelete"] as const;

function ownerOfRecord(outputs: object): string {
  return ownerOf(outputs, RECORD_KEYS);
}

const FIELDS: Readonly<Record<keyof VmPauseStateInputs, FieldSpec>> = {
  vmUuid: vmUuidField,
  state: {
    schema: z.enum(["Paused", "Running"]),
    allowed: 'one of "Paused", "Running" (case-sensitive)',
    default: "Paused",
    choices: ["Paused", "Running"],
  },
  timeoutSeconds: timeoutSecondsField,
  onDelete: onDeleteField,
};

/** The action that moves a VM from `actual` to `declared`, or undefined when pause and resume cannot. */
function actionFor(actual: string, declared: DeclaredPauseState): VmAction | undefined {
  if (actual === "Running" && declared === "Paused") return { name: "pauseVmInstance" };
  if (actual === "Paused" && declared === "Running") return { name: "resumeVmInstance" };
  return undefined;
}

function asDeclared(state: string): DeclaredPauseState | null {
  return state === "Paused" || state === "Running" ? state : null;
}

/** How one convergence runs. */
interface ConvergeOptions {
  readonly declared: DeclaredPauseState;
  readonly deadline: number;
  readonly timeoutSeconds: number;
  /** Called with each settled inventory before deciding, so create can record the state it adopted. */
  readonly onSettled?: (vm: VmInstanceInventory) => void;
  /** A settled inventory the caller has just read, used instead of reading the VM again the first time. */
  readonly settled?: VmInstanceInventory;
}

/**
 * Brings the VM to the declared state: waits out transitional states, does nothing when it is already there, else
 * pauses or resumes and waits for the job. A lost race (someone else changed the state between our read and our
 * action) is re-read and decided again, so it succeeds when the VM ended up where it should be.
 */
async function converge(
  client: ZStackClient,
  vmUuid: string,
  options: ConvergeOptions,
): Promise<VmInstanceInventory> {
  const { declared, deadline, timeoutSeconds } = options;
  let known = options.settled;
  for (;;) {
    const vm = known ?? (await settleExisting(client, vmUuid, { kind: KIND, deadline, timeoutSeconds }));
    known = undefined;
    options.onSettled?.(vm);
    if (vm.state === declared) return vm;
    const action = actionFor(vm.state, declared);
    if (action === undefined) throw unreachableState(vmUuid, vm.state, declared);
    try {
      return await runAction(client, KIND, vmUuid, action, deadline);
    } catch (error) {
      if (isJobLost(error)) {
        // The server forgot the job (expired, management node restarted): it may have run. The VM says.
        debug(`${action.name} job on VM ${vmUuid} was lost; reading the VM again`);
        continue;
      }
      if (!isLostRace(error)) throw error;
      debug(`${action.name} on VM ${vmUuid} lost a race with another client; reading the VM again`);
    }
  }
}

/** What the operation converging a VM observed, shared with the operations that joined it. */
interface ConvergeNotes {
  /** The state the VM was first seen settled in: what restore returns to, even if the job outlives the deadline. */
  adopted?: DeclaredPauseState | null;
}

/**
 * `converge`, shared with every concurrent operation of this process that brings the same VM to the same state
 * (see `coordination.ts`): one pause for 50 concurrent creates, and each of them records the state the VM was in
 * before it.
 */
function convergeShared(
  scope: string,
  client: ZStackClient,
  vmUuid: string,
  options: Omit<ConvergeOptions, "onSettled">,
) {
  return shareInFlight(
    `${scope}|${KIND}|${vmUuid}|${options.declared}`,
    (): ConvergeNotes => ({}),
    (notes) =>
      converge(client, vmUuid, {
        ...options,
        onSettled: (settled) => (notes.adopted ??= asDeclared(settled.state)),
      }),
  );
}

function outputsOf(
  vm: VmInstanceInventory,
  inputs: VmPauseStateInputs,
  initialState: DeclaredPauseState | null,
  pendingJob: PendingJob | null = null,
): VmPauseStateOutputs {
  return {
    ...inventoryOutputs(vm),
    vmUuid: inputs.vmUuid,
    declaredState: inputs.state,
    initialState,
    timeoutSeconds: inputs.timeoutSeconds,
    onDelete: inputs.onDelete,
    pendingJob,
  };
}

/**
 * True when going from the stored outputs to `news` may pause or resume the VM: the declared state differs from the
 * actual state last read (which is what the preview shows as `state`), or an earlier job is pending. Diff and update
 * share this test, so an update sends an action only where the preview showed a change that could.
 */
function mayAct(
  olds: VmPauseStateOutputs,
  news: { readonly [K in keyof VmPauseStateInputs]: unknown },
): boolean {
  return olds.pendingJob != null || isUnknown(news.state) || news.state !== olds.state;
}

/** The controller of `VmPauseState`: the dynamic-provider methods, run inside the host. */
export const vmPauseState: ResourceController<VmPauseStateInputs, VmPauseStateOutputs> = {
  async check(_olds, news) {
    return checkInputs(FIELDS, news);
  },

  async diff(_id, olds, news) {
    // A resource of the program already in the stack keeps declaring its VM's state: a conflict with another
    // resource fails now, in the preview, and a delete of this deployment will not undo it. Only a declaration the
    // stored record and the new inputs agree on is claimed: a refresh also calls diff, with inputs that may hold a
    // refreshed actual state rather than the program's, and a changed declaration is claimed by its update.
    if (typeof news.vmUuid === "string" && news.state === olds.declaredState) {
      claim(
        coordinationScope(),
        KIND,
        news.vmUuid,
        { state: olds.declaredState },
        { owner: ownerOfRecord(olds), origin: "diff" },
      );
    }
    const replaces = isUnknown(news.vmUuid) || news.vmUuid !== olds.vmUuid ? ["vmUuid"] : [];
    // `state` is compared with the actual state in the outputs, so drift found by a refresh is a change.
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
    const declaration = {
      scope,
      kind: KIND,
      vmUuid: inputs.vmUuid,
      values: { state: inputs.state },
    } as const;
    const outs = await underClaim(
      declaration,
      { owner: newOwner(), origin: "create" },
      ownerOfRecord,
      async () => {
        const client = zstackClient();
        let notes: ConvergeNotes = {};
        const vm = await withPartialState(
          client,
          {
            kind: KIND,
            id: inputs.vmUuid,
            timeoutSeconds: inputs.timeoutSeconds,
            providerText: inputs.__provider,
            outputs: (now, pending) => outputsOf(now, inputs, notes.adopted ?? null, pending),
          },
          () => {
            const shared = convergeShared(scope, client, inputs.vmUuid, {
              declared: inputs.state,
              deadline: deadlineAfter(inputs.timeoutSeconds),
              timeoutSeconds: inputs.timeoutSeconds,
            });
            notes = shared.notes;
            return shared.result;
          },
        );
        return outputsOf(vm, inputs, notes.adopted ?? null);
      },
    );
    return { id: inputs.vmUuid, outs };
  },

  async read(id, props) {
    const client = zstackClient();
    const reading = readScope(id, props);
    const { vmUuid, deadline } = reading;
    const vm = await client.getVm(vmUuid, { deadline, vmUuid });
    if (vm === undefined) return { id: "" };
    // A static `get` (or a refresh of one, whose stored declaredState is null): there are no inputs to refresh.
    if (props.declaredState == null) {
      // Only the VM to describe; nothing is declared.
      const outs = {
        ...inventoryOutputs(vm),
        ...unmanagedOutputs(reading),
        declaredState: null,
        initialState: null,
      };
      return { id, props: outs };
    }
    const outs = { ...props, ...inventoryOutputs(vm) };
    // The refreshed inputs carry the actual state, so the next preview shows e.g. `state: "Running" => "Paused"`.
    const inputs = {
      vmUuid,
      state: vm.state,
      timeoutSeconds: props.timeoutSeconds,
      onDelete: props.onDelete,
    };
    return { id, props: outs, inputs };
  },

  async update(_id, olds, news) {
    const scope = coordinationScope();
    const declaration = { scope, kind: KIND, vmUuid: news.vmUuid, values: { state: news.state } } as const;
    const claimant = { owner: ownerOfRecord(olds), origin: "update" } as const;
    const outs = await underClaim(declaration, claimant, ownerOfRecord, async () => {
      if (!mayAct(olds, news)) {
        return recordOnly(olds, {
          declaredState: news.state,
          timeoutSeconds: news.timeoutSeconds,
          onDelete: news.onDelete,
        });
      }
      const client = zstackClient();
      const deadline = deadlineAfter(news.timeoutSeconds);
      const vm = await withPartialState(
        client,
        {
          kind: KIND,
          id: news.vmUuid,
          timeoutSeconds: news.timeoutSeconds,
          providerText: news.__provider,
          outputs: (now, pending) => outputsOf(now, news, olds.initialState, pending),
        },
        async () => {
          await resumePendingJob(client, olds.pendingJob, deadline);
          return convergeShared(scope, client, news.vmUuid, {
            declared: news.state,
            deadline,
            timeoutSeconds: news.timeoutSeconds,
          }).result;
        },
      );
      return outputsOf(vm, news, olds.initialState);
    });
    return { outs };
  },

  async delete(_id, props) {
    const scope = coordinationScope();
    const owner = ownerOfRecord(props);
    release(scope, props.vmUuid, owner);
    const initial = props.initialState;
    if (props.onDelete === "leave" || initial === null || initial === props.declaredState) {
      debug(`VmPauseState: nothing to restore on VM ${props.vmUuid}; forgetting it`);
      return;
    }
    // Replaced (`--replace`) or renamed without an alias: the new resource has taken the VM over in this deployment.
    const heir = heldByOthers(scope, KIND, props.vmUuid, "state", owner);
    if (heir !== undefined) {
      debug(
        `VmPauseState: VM ${props.vmUuid} stays ${String(heir.value)}: another resource of this deployment ` +
          `declares it, so it is not restored to ${initial}`,
      );
      return;
    }
    const client = zstackClient();
    const deadline = deadlineAfter(props.timeoutSeconds);
    try {
      await resumePendingJob(client, props.pendingJob, deadline);
    } catch (error) {
      if (!(error instanceof ActionStillRunning)) throw error;
    }
    const vm = await settle(client, props.vmUuid, {
      kind: KIND,
      deadline,
      timeoutSeconds: props.timeoutSeconds,
    });
    if (vm === undefined || vm.state === initial) return;
    if (vm.state !== props.declaredState) {
      warn(
        `VmPauseState: VM ${props.vmUuid} is ${vm.state}, not ${props.declaredState} as declared, so it was not ` +
          `restored to ${initial}: something else changed it since.`,
      );
      return;
    }
    await convergeShared(scope, client, props.vmUuid, {
      declared: initial,
      deadline,
      timeoutSeconds: props.timeoutSeconds,
      settled: vm,
    }).result;
  },
};
