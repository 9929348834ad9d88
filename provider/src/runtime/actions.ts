import {
  ZStackError,
  type VmAction,
  type VmActionName,
  type VmInstanceInventory,
  type ZStackClient,
} from "../zstack";
import { ResourceInitFailedError, vmNotFound, type ResourceKindName } from "./errors";
import { debug } from "./log";
import { isNotFound, isOutcomeUnknown, isWaitTimeout } from "./settle";

/** An action ZStack accepted whose result the resource has not seen yet. */
export interface PendingJob {
  readonly jobUuid: string;
  readonly vmUuid: string;
  readonly action: VmActionName;
}

/**
 * Thrown when an accepted action did not finish before the deadline, or when its result could not be learned
 * (the polls kept failing); carries the job to resume.
 */
export class ActionStillRunning extends Error {
  override readonly name = "ActionStillRunning";
  constructor(
    readonly pending: PendingJob,
    cause: unknown,
  ) {
    super(
      `${pending.action} on VM ${pending.vmUuid} was accepted (job ${pending.jobUuid}) but has not finished`,
      {
        cause,
      },
    );
  }

  /** True when the deadline ran out; false when the job's result could not be learned for another reason. */
  get timedOut(): boolean {
    return isWaitTimeout(this.cause);
  }
}

/**
 * Submits an action and waits for its job under the deadline. A missing VM becomes the resource's not-found error;
 * an accepted job that outlives the deadline becomes `ActionStillRunning`, so the caller can record it.
 */
export async function runAction(
  client: ZStackClient,
  kind: ResourceKindName,
  vmUuid: string,
  action: VmAction,
  deadline: number,
): Promise<VmInstanceInventory> {
  try {
    return await client.runVmAction(vmUuid, action, { deadline, vmUuid });
  } catch (error) {
    // The action was (or may have been) accepted and may still run: record the job rather than forget it, or a
    // failed create leaves the VM changed with no resource, and the next `up` adopts the changed state as initial.
    if (isOutcomeUnknown(error)) {
      throw new ActionStillRunning({ jobUuid: error.jobUuid, vmUuid, action: action.name }, error);
    }
    if (isNotFound(error)) throw vmNotFound(kind, vmUuid);
    throw error;
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
    if (isWaitTimeout(error)) throw new ActionStillRunning(pending, error);
    if (!ZStackError.isInstance(error) || error.fault === "transport") throw error;
    debug(`pending job ${pending.jobUuid} ended with ${error.code}; reading the VM again`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How long the re-read that describes a partial state may take, once the operation's own deadline has passed. */
const PARTIAL_READ_BUDGET_MS = 10_000;

/** What `withPartialState` reports when an accepted action outlives the deadline. */
export interface PartialStateContext {
  readonly kind: ResourceKindName;
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
    const what = error.timedOut
      ? `was accepted by ZStack (job ${pending.jobUuid}) but had not finished when timeoutSeconds ` +
        `(${context.timeoutSeconds}) ran out`
      : `was sent to ZStack (job ${pending.jobUuid}), which may have accepted it, but its result could not be ` +
        `learned (${messageOf(error.cause)})`;
    const message =
      `${context.kind}: ${pending.action} on VM ${pending.vmUuid} ${what}; the VM is ${vm.state}. ` +
      `Pulumi keeps the resource with this partial state: run \`pulumi up\` again to wait for the job and ` +
      `finish, or raise timeoutSeconds.`;
    const properties: Record<string, unknown> = { ...context.outputs(vm, pending) };
    if (context.providerText !== undefined) properties.__provider = context.providerText;
    throw new ResourceInitFailedError(message, context.id, properties, [message], { cause: error.cause });
  }
}
