import { clientFor, type ZStackClient } from "../zstack";
import { resolveConnectionSettings, type ConfigSource } from "./settings";

/**
 * Process-wide runtime state of the dynamic-provider host. The host deserializes each distinct `__provider` text
 * once and calls its `configure` with the stack config; every shim delegates here, so the last configuration wins
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

/** The epoch-millisecond deadline of an operation that may take `timeoutSeconds`. */
export function deadlineAfter(timeoutSeconds: number): number {
  return Date.now() + timeoutSeconds * 1000;
}
