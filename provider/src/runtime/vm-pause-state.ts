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
import { controllerOf, type KindRules, type ResourceController, type Unchecked } from "./controller";
import { notImportable, unreachableState, type Step } from "./errors";
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
  /** What the convergence is for, so an error advises the command that runs it again. */
  readonly step: Step;
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
  const { declared, deadline, timeoutSeconds, step } = options;
  let known = options.settled;
  for (;;) {
    const vm =
      known ?? (await settleExisting(client, vmUuid, { kind: KIND, deadline, timeoutSeconds, step }));
    known = undefined;
    options.onSettled?.(vm);
    if (vm.state === declared) return vm;
    const action = actionFor(vm.state, declared);
    if (action === undefined) throw unreachableState(vmUuid, vm.state, declared, step);
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
 * `converge`, shared with every concurrent operation of the runtime that brings the same VM to the same state (see
 * `coordination.ts`): one pause for 50 concurrent creates, and each of them records the state the VM was in before
 * it.
 */
function convergeShared(
  runtime: ProviderRuntime,
  vmUuid: string,
  options: Omit<ConvergeOptions, "onSettled">,
) {
  const client = runtime.client();
  return runtime.coordination.shareInFlight(
    `${KIND}|${vmUuid}|${options.declared}`,
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
 * actual state last read (which is what the preview shows as `state`), or an earlier job is pending.
 */
function mayAct(olds: VmPauseStateOutputs, news: Unchecked<VmPauseStateInputs>): boolean {
  return olds.pendingJob != null || isUnknown(news.state) || news.state !== olds.state;
}

/**
 * Converges a create (no `olds`: it records the state it adopted the VM in) or an update (which keeps the adopted
 * state of its record, and first waits for a job an earlier update left pending).
 */
async function apply(
  runtime: ProviderRuntime,
  inputs: VmPauseStateInputs & { readonly __provider?: string },
  olds: VmPauseStateOutputs | undefined,
): Promise<VmPauseStateOutputs> {
  const client = runtime.client();
  const deadline = deadlineAfter(inputs.timeoutSeconds);
  let notes: ConvergeNotes = {};
  const initial = () => (olds === undefined ? (notes.adopted ?? null) : olds.initialState);
  const vm = await withPartialState(
    client,
    {
      kind: KIND,
      id: inputs.vmUuid,
      timeoutSeconds: inputs.timeoutSeconds,
      providerText: inputs.__provider,
      outputs: (now, pending) => outputsOf(now, inputs, initial(), pending),
    },
    async () => {
      await resumePendingJob(client, olds?.pendingJob, deadline);
      const shared = convergeShared(runtime, inputs.vmUuid, {
        declared: inputs.state,
        deadline,
        timeoutSeconds: inputs.timeoutSeconds,
        step: "apply",
      });
      notes = shared.notes;
      return shared.result;
    },
  );
  return outputsOf(vm, inputs, initial());
}

/**
 * Returns the VM to the state it was adopted in, if it is still as declared: not when another resource of the
 * runtime declares its state now (the replacement after `--replace`, the new name after a rename without an alias),
 * nor when something else changed it since.
 */
async function restore(runtime: ProviderRuntime, props: VmPauseStateOutputs, owner: string): Promise<void> {
  const initial = props.initialState;
  if (initial === null || initial === props.declaredState) {
    debug(`VmPauseState: nothing to restore on VM ${props.vmUuid}; forgetting it`);
    return;
  }
  const heir = runtime.coordination.heldByOthers(KIND, props.vmUuid, "state", owner);
  if (heir !== undefined) {
    debug(
      `VmPauseState: VM ${props.vmUuid} stays ${String(heir.value)}: another resource of this deployment ` +
        `declares it, so it is not restored to ${initial}`,
    );
    return;
  }
  const client = runtime.client();
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
    step: "restore",
  });
  if (vm === undefined || vm.state === initial) return;
  if (vm.state !== props.declaredState) {
    warn(
      `VmPauseState: VM ${props.vmUuid} is ${vm.state}, not ${props.declaredState} as declared, so it was not ` +
        `restored to ${initial}: something else changed it since.`,
    );
    return;
  }
  await convergeShared(runtime, props.vmUuid, {
    declared: initial,
    deadline,
    timeoutSeconds: props.timeoutSeconds,
    step: "restore",
    settled: vm,
  }).result;
}

/**
 * An import: the VM as the adoption read of a create finds it (transitional states waited out), declared in the
 * state it is in, and recorded as a create that found it already so: `initialState` is that state, so delete
 * restores nothing. A VM neither Running nor Paused cannot be declared, so it cannot be imported.
 */
async function adopt(runtime: ProviderRuntime, scope: ReadScope) {
  const { vmUuid, deadline, timeoutSeconds } = scope;
  const vm = await settleExisting(runtime.client(), vmUuid, {
    kind: KIND,
    deadline,
    timeoutSeconds,
    step: "apply",
  });
  const state = asDeclared(vm.state);
  if (state === null) throw notImportable(vmUuid, vm.state);
  const inputs: VmPauseStateInputs = { vmUuid, state, timeoutSeconds, onDelete: DEFAULT_ON_DELETE };
  return { inputs: { vmUuid, state }, outputs: outputsOf(vm, inputs, state) };
}

/** What `VmPauseState` adds to the controller skeleton. */
const RULES: KindRules<VmPauseStateInputs, VmPauseStateOutputs> = {
  kind: KIND,
  fields: FIELDS,
  recordKeys: ["vmUuid", "declaredState", "initialState", "timeoutSeconds", "onDelete"],
  agreed: (olds, news) => (news.state === olds.declaredState ? { state: olds.declaredState } : null),
  declared: (inputs) => ({ state: inputs.state }),
  mayAct,
  keepRecord: (olds, news) =>
    recordOnly(olds, {
      declaredState: news.state,
      timeoutSeconds: news.timeoutSeconds,
      onDelete: news.onDelete,
    }),
  apply,
  describe: async (_client, vm) => inventoryOutputs(vm),
  manages: (props) => props.declaredState != null,
  undeclared: { declaredState: null, initialState: null },
  // The refreshed inputs carry the actual state, so the next preview shows e.g. `state: "Running" => "Paused"`.
  refreshedInputs: (props, live, vmUuid) => ({
    vmUuid,
    state: (live as VmPauseStateOutputs).state,
    timeoutSeconds: props.timeoutSeconds,
    onDelete: props.onDelete,
  }),
  adopt,
  restore,
};

/** The controller of `VmPauseState` bound to a runtime: the dynamic-provider methods, run inside the host. */
export function vmPauseStateController(
  runtime: ProviderRuntime,
): ResourceController<VmPauseStateInputs, VmPauseStateOutputs> {
  return controllerOf(runtime, RULES);
}
