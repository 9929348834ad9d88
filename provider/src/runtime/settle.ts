import { setTimeout as sleep } from "node:timers/promises";

import { ZStackError, type VmInstanceInventory, type ZStackClient } from "../zstack";
import type { ResourceKind } from "../vocabulary/resource-kinds";
import type { VmState } from "../vocabulary/vm-states";
import { settleTimeout, vmNotFound, type Step } from "./errors";
import { debug } from "./log";

/**
 * States in which ZStack is already doing something to the VM (zstackio/zstack
 * `header/src/main/java/org/zstack/header/vm/VmInstanceState.java`, `intermediateStates`, plus Expunging). Pause and resume are refused in all of them, so the runtime waits them out before deciding.
 */
const TRANSITIONAL_STATES: ReadonlySet<string> = new Set<VmState>([
  "Starting",
  "Stopping",
  "Rebooting",
  "Destroying",
  "Migrating",
  "Pausing",
  "Resuming",
  "VolumeMigrating",
  "VolumeRecovering",
  "Expunging",
]);

/** Intervals between reads while waiting for a VM to settle: short first, growing, capped. */
const FIRST_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 2_000;

/** What `settle` needs to know about the operation it serves. */
interface SettleOptions {
  readonly kind: ResourceKind;
  readonly deadline: number;
  readonly timeoutSeconds: number;
  /** What the wait is for, so a timeout advises the command that runs it again. */
  readonly step: Step;
}

/**
 * Reads the VM until it is in a stable state, within the deadline, and returns it; `undefined` when the VM does not
 * exist. Throws a clear error when the VM is still transitional when the deadline passes.
 */
export async function settle(
  client: ZStackClient,
  vmUuid: string,
  options: SettleOptions,
): Promise<VmInstanceInventory | undefined> {
  let interval = FIRST_INTERVAL_MS;
  let waitingOn: string | undefined; // the transitional state of the last read, once we have waited on one
  for (;;) {
    let vm: VmInstanceInventory | undefined;
    try {
      vm = await client.getVm(vmUuid, { deadline: options.deadline, vmUuid });
    } catch (error) {
      // The wait ends at the deadline, so the read after it cannot be sent: what the user needs to hear is the
      // state the VM was stuck in, not that a request missed the deadline.
      if (waitingOn !== undefined && isDeadlineError(error)) {
        throw settleTimeout(options.kind, vmUuid, waitingOn, options.timeoutSeconds, options.step);
      }
      throw error;
    }
    if (vm === undefined) return undefined;
    if (!TRANSITIONAL_STATES.has(vm.state)) return vm;
    const left = options.deadline - Date.now();
    if (left <= 0) throw settleTimeout(options.kind, vmUuid, vm.state, options.timeoutSeconds, options.step);
    waitingOn = vm.state;
    debug(`VM ${vmUuid} is ${vm.state}; waiting ${Math.min(interval, left)} ms for it to settle`);
    await sleep(Math.min(interval, left));
    interval = Math.min(interval * 1.5, MAX_INTERVAL_MS);
  }
}

/** True when a request failed because the operation's deadline passed (before or while it was sent). */
function isDeadlineError(error: unknown): boolean {
  return ZStackError.isInstance(error) && error.fault === "timeout" && error.code !== "CLIENT.ABORTED";
}

/**
 * True when a pause or resume failed only because the VM's state changed under us (VM.1012 / VM.1013 wrapping
 * VM.1010): another client won the race, and the caller should re-read the VM and decide again.
 */
export function isLostRace(error: unknown): boolean {
  if (!ZStackError.isInstance(error)) return false;
  if (error.code !== "VM.1012" && error.code !== "VM.1013") return false;
  for (let cause = error.zstackCause; cause !== undefined; cause = cause.cause) {
    if (cause.code === "VM.1010") return true;
  }
  return false;
}

/** Like `settle`, for callers that need the VM to exist: a missing VM is a clear error. */
export async function settleExisting(
  client: ZStackClient,
  vmUuid: string,
  options: SettleOptions,
): Promise<VmInstanceInventory> {
  const vm = await settle(client, vmUuid, options);
  if (vm === undefined) throw vmNotFound(options.kind, vmUuid);
  return vm;
}

/** True when ZStack reports the VM does not exist (SYS.1003), as it does for an action on a missing VM. */
export function isNotFound(error: unknown): boolean {
  return ZStackError.isInstance(error) && error.code === "SYS.1003";
}

/**
 * True when the server no longer knows an accepted job (expired, or the management node restarted): the action's
 * outcome is unknown, so the caller reads the VM again and decides from what it finds.
 */
export function isJobLost(error: unknown): boolean {
  return ZStackError.isInstance(error) && error.code === "CLIENT.JOB_LOST";
}

/**
 * True when an action was (or may have been) accepted but its result could not be learned: the wait ran out of time,
 * or the polls (or the lost submit's recovery) kept failing on transport faults. The error then names the job to
 * resume, so the resource can be recorded with it instead of being forgotten while the action runs on.
 */
export function isOutcomeUnknown(error: unknown): error is ZStackError & { readonly jobUuid: string } {
  return (
    ZStackError.isInstance(error) &&
    error.jobUuid !== undefined &&
    (error.fault === "timeout" || error.fault === "transport") &&
    error.code !== "CLIENT.ABORTED"
  );
}

/** True when an accepted action's wait ran out of time; the error then names the job to resume. */
export function isWaitTimeout(error: unknown): error is ZStackError & { readonly jobUuid: string } {
  return ZStackError.isInstance(error) && error.fault === "timeout" && error.jobUuid !== undefined;
}
