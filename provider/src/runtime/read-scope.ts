/**
 * What each call of a controller works under: its deadline, and for a read, the VM and timeout it reads with.
 */
import { DEFAULT_TIMEOUT_SECONDS } from "./inputs";

/** The epoch-millisecond deadline of an operation that may take `timeoutSeconds`. */
export function deadlineAfter(timeoutSeconds: number): number {
  return Date.now() + timeoutSeconds * 1000;
}

/** What a read works on: the VM and the deadline of its waits. */
export interface ReadScope {
  readonly vmUuid: string;
  readonly deadline: number;
  readonly timeoutSeconds: number;
}

/**
 * The scope of a read. A refresh passes the stored outputs, which name the VM and its `timeoutSeconds`; a static
 * `get` passes none, so the resource id (the VM uuid) names the VM and the default timeout applies.
 */
export function readScope(
  id: string,
  props: { readonly vmUuid?: unknown; readonly timeoutSeconds?: unknown },
): ReadScope {
  const timeoutSeconds =
    typeof props.timeoutSeconds === "number" ? props.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  return {
    vmUuid: typeof props.vmUuid === "string" ? props.vmUuid : id,
    deadline: deadlineAfter(timeoutSeconds),
    timeoutSeconds,
  };
}

/** The bookkeeping outputs both kinds share, as a resource read by a static `get` (which manages nothing) has them. */
export interface UnmanagedOutputs {
  readonly vmUuid: string;
  readonly timeoutSeconds: number;
  readonly onDelete: "leave";
  readonly pendingJob: null;
}

/**
 * The bookkeeping outputs of a static `get`: every output the resource class declares must resolve to a value, so a
 * program reading one gets what is true rather than `undefined`: the timeout the read ran under, `"leave"` (deleting
 * a `get` resource does nothing to the VM) and no pending job. Each kind adds its own, `null` where nothing is
 * declared.
 */
export function unmanagedOutputs(scope: ReadScope): UnmanagedOutputs {
  return { vmUuid: scope.vmUuid, timeoutSeconds: scope.timeoutSeconds, onDelete: "leave", pendingJob: null };
}
