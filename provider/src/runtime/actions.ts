import {
  ZStackError,
  type SubmittedJob,
  type VmAction,
  type VmActionName,
  type VmInstanceInventory,
  type ZStackClient,
} from "../zstack";
import type { ResourceKind } from "../vocabulary/resource-kinds";
import { ResourceInitFailedError, vmNotFound } from "./errors";
import { debug } from "./log";
import { isNotFound, isOutcomeUnknown, isWaitTimeout } from "./settle";

/** An action ZStack accepted whose result the resource has not seen yet. */
export interface PendingJob {
  readonly jobUuid: string;
  readonly vmUuid: string;
  readonly action: VmActionName;
}

/**
 * Thrown when an action's outcome is not known by the deadline: ZStack accepted it and it did not finish (or its
 * result could not be learned because the polls kept failing), or the submit itself got no answer, so whether ZStack
 * accepted it at all is unknown. Carries the job to resume or ask about.
 */
export class ActionStillRunning extends Error {
  override readonly name = "ActionStillRunning";
  constructor(
    readonly pending: PendingJob,
    cause: unknown,
    /** True when ZStack answered the submit (202), so the job exists; false when the submit got no answer. */
    readonly accepted: boolean,
  ) {
    super(
      accepted
        ? `${pending.action} on VM ${pending.vmUuid} was accepted (job ${pending.jobUuid}) but has not finished`
        : `${pending.action} on VM ${pending.vmUuid} was sent (job ${pending.jobUuid}) but got no answer`,
      { cause },
    );
  }

  /** True when the deadline ran out; false when the job's result could not be learned for another reason. */
  get timedOut(): boolean {
    return isWaitTimeout(this.cause);
  }
}

/**
 * Submits an action and waits for its job under the deadline. A missing VM becomes the resource's not-found error;
 * an action whose outcome is unknown at the deadline becomes `ActionStillRunning`, so the caller can record the job.
 * Submit and wait are told apart because only a 202 proves that ZStack accepted the action.
 */
export async function runAction(
  client: ZStackClient,
  kind: ResourceKind,
  vmUuid: string,
  action: VmAction,
  deadline: number,
): Promise<VmInstanceInventory> {
  // The action was (or may have been) accepted and may still run: record the job rather than forget it, or a failed
  // create leaves the VM changed with no resource, and the next `up` adopts the changed state as initial.
  const unknownOutcome = (error: unknown, accepted: boolean): unknown => {
    if (isOutcomeUnknown(error)) {
      return new ActionStillRunning({ jobUuid: error.jobUuid, vmUuid, action: action.name }, error, accepted);
    }
    return isNotFound(error) ? vmNotFound(kind, vmUuid) : error;
  };
  let job: SubmittedJob;
  try {
    job = await client.submitVmAction(vmUuid, action, { deadline, vmUuid });
  } catch (error) {
    throw unknownOutcome(error, false);
  }
  try {
    return await client.waitForJob(job, { deadline, vmUuid });
  } catch (error) {
    throw unknownOutcome(error, true);
  }
}

/**
 * Waits for an action an earlier run left pending, so that an `up` after a timeout continues that job instead of
 * submitting another. A job that failed or that the server no longer knows (expired, management node restarted) is
 * not an error here: the caller reads the VM next and decides from what it finds.
 */
export async function resumePendingJob(
  client: ZStackClient,
  pending: PendingJob | null | undefined,
  deadline: number,
): Promise<void> {
  if (!pending) return;
  try {
    await client.waitForJob(pending, { deadline, vmUuid: pending.vmUuid });
    debug(`pending ${pending.action} job ${pending.jobUuid} on VM ${pending.vmUuid} finished`);
  } catch (error) {
    // The job was recorded because its outcome was unknown; whether ZStack holds it is still unknown here.
    if (isWaitTimeout(error)) throw new ActionStillRunning(pending, error, false);
    if (!ZStackError.isInstance(error) || error.fault === "transport") throw error;
    debug(`pending job ${pending.jobUuid} ended with ${error.code}; reading the VM again`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a partial-state message says happened to the action, from what is known: a 202 proves ZStack accepted the
 * job; a submit that got no answer proves nothing, and saying "accepted" would tell the user the VM is changing when
 * it may never have been touched.
 */
function whatHappened(error: ActionStillRunning, context: PartialStateContext): string {
  const { jobUuid } = error.pending;
  if (!error.accepted) {
    return (
      `was sent to ZStack (job ${jobUuid}), but no answer confirmed it (${messageOf(error.cause)}), so whether ` +
      `ZStack accepted it is unknown`
    );
  }
  return error.timedOut
    ? `was accepted by ZStack (job ${jobUuid}) but had not finished when timeoutSeconds ` +
        `(${context.timeoutSeconds}) ran out`
    : `was accepted by ZStack (job ${jobUuid}), but its result could not be learned (${messageOf(error.cause)})`;
}

/** How long the re-read that describes a partial state may take, once the operation's own deadline has passed. */
const PARTIAL_READ_BUDGET_MS = 10_000;

/** What `withPartialState` reports when an accepted action outlives the deadline. */
interface PartialStateContext {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly timeoutSeconds: number;
  /** The serialized provider, which the host does not add to a failed operation's properties by itself. */
  readonly providerText: string | undefined;
  /** The outputs to record for the VM as it is now, with the job still pending. */
  readonly outputs: (vm: VmInstanceInventory, pending: PendingJob) => object;
}

/**
 * Runs a create or update; when an accepted action outlives the deadline, re-reads the VM and throws the engine's
 * "created but failed to initialize" error with the partial outputs and the pending job. Pulumi then records the
 * resource, and the next `pulumi up` updates it from there: it waits for that job instead of starting over.
 */
export async function withPartialState<T>(
  client: ZStackClient,
  context: PartialStateContext,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof ActionStillRunning)) throw error;
    const { pending } = error;
    const vm = await client
      .getVm(pending.vmUuid, { deadline: Date.now() + PARTIAL_READ_BUDGET_MS, vmUuid: pending.vmUuid })
      .catch(() => undefined);
    if (vm === undefined) throw error.cause;
    const next = error.accepted
      ? "run `pulumi up` again to wait for the job and finish"
      : `run \`pulumi up\` again to learn the outcome of job ${pending.jobUuid} and finish`;
    const message =
      `${context.kind}: ${pending.action} on VM ${pending.vmUuid} ${whatHappened(error, context)}; ` +
      `the VM is ${vm.state}. Pulumi keeps the resource with this partial state: ${next}, or raise timeoutSeconds.`;
    const properties: Record<string, unknown> = { ...context.outputs(vm, pending) };
    if (context.providerText !== undefined) properties.__provider = context.providerText;
    throw new ResourceInitFailedError(message, context.id, properties, [message], { cause: error.cause });
  }
}
