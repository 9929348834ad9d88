import { clientFor, resolveEndpoint, type ZStackClient } from "../zstack";
import { DEFAULT_TIMEOUT_SECONDS } from "./inputs";
import { resolveConnectionSettings, type ConfigSource } from "./settings";

/**
 * Process-wide runtime state of the dynamic-provider host. The host deserializes each distinct `__provider` text
 * once and calls its `configure` with the stack config; every kind's provider delegates here, so the last configuration wins
 * and all resources of the process share one ZStack client (one connection pool, one session).
 */
let configured: ConfigSource | undefined;

/** Keeps the stack config for later calls; nothing is resolved or validated until a call needs the network. */
export function configure(config: ConfigSource | undefined): void {
  configured = config;
}

/**
 * The ZStack client for this call, from the connection settings resolved now: config from `configure`, else the
 * `ZSTACK_*` environment. Resolving per call (not at configure time) lets check and diff run with no settings at
 * all, and lets a fixed environment apply without restarting the host.
 */
export function zstackClient(): ZStackClient {
  return clientFor(resolveConnectionSettings(configured));
}

/**
 * The scope of per-VM coordination for this call (see `coordination.ts`): the configured endpoint, since VM uuids are
 * per management node. Check and diff may run without settings; they then share one unnamed scope, which is enough
 * to compare the declarations of one deployment.
 */
export function coordinationScope(): string {
  try {
    return resolveEndpoint(resolveConnectionSettings(configured)).key;
  } catch {
    return "unconfigured";
  }
}

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
