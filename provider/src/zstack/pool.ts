/**
 * One keep-alive undici `Pool` per endpoint per process, with a connection limit and the endpoint's TLS options.
 *
 * Pools are reference-counted: every client on the same endpoint (and TLS options) shares one pool, which is closed
 * when the last client releases it.
 */
import type { Pool } from "undici";
import type { Endpoint } from "./endpoint";

/**
 * undici, loaded when the first pool is made rather than with this module: a program that only declares resources
 * and a provider host that only checks and diffs them (a preview) never send a request, and loading undici takes
 * about 0.2 s of every such command.
 */
function loadUndici(): typeof import("undici") {
  return require("undici") as typeof import("undici");
}

/** How long an idle keep-alive connection is kept (ms). */
export const KEEP_ALIVE_TIMEOUT_MS = 30_000;

interface PoolEntry {
  readonly pool: Pool;
  refs: number;
}

const pools = new Map<string, PoolEntry>();

/** The undici options of an endpoint's pool: keep-alive, connection limit, TLS (CA bundle / explicit insecure). */
export function poolOptions(endpoint: Endpoint, connections: number): Pool.Options {
  const connect: Record<string, unknown> = {};
  if (endpoint.scheme === "https") {
    // Without a CA bundle Node's default (system/bundled) trust store applies.
    if (endpoint.tls?.caBundle) connect.ca = endpoint.tls.caBundle;
    if (endpoint.tls?.insecure === true) connect.rejectUnauthorized = false;
  }
  return {
    connections,
    pipelining: 1,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    keepAliveMaxTimeout: 10 * KEEP_ALIVE_TIMEOUT_MS,
    connect: connect as Pool.Options["connect"],
  };
}

/** Takes a reference on the process-wide pool of an endpoint, creating it on first use. */
export function acquirePool(endpoint: Endpoint, connections: number): Pool {
  let entry = pools.get(endpoint.key);
  if (entry === undefined || entry.pool.closed || entry.pool.destroyed) {
    const { Pool } = loadUndici();
    entry = { pool: new Pool(endpoint.origin, poolOptions(endpoint, connections)), refs: 0 };
    pools.set(endpoint.key, entry);
  }
  entry.refs++;
  return entry.pool;
}

/** Releases a reference taken by {@link acquirePool}; closes the pool when no client uses it any more. */
export async function releasePool(endpoint: Endpoint, pool: Pool): Promise<void> {
  const entry = pools.get(endpoint.key);
  if (entry === undefined || entry.pool !== pool) {
    if (!pool.closed && !pool.destroyed) await pool.close().catch(() => pool.destroy());
    return;
  }
  entry.refs--;
  if (entry.refs <= 0) {
    pools.delete(endpoint.key);
    await pool.close().catch(() => pool.destroy());
  }
}

/** Number of live pools in this process (diagnostics and tests). */
export function livePoolCount(): number {
  return pools.size;
}
