/**
 * The keep-alive undici `Pool` of one client: a connection limit and the endpoint's TLS options. Each client opens
 * its own pool and closes it with itself, so a closed client leaves no connection behind.
 */
import type { Pool } from "undici";
import type { Endpoint } from "./endpoint";

/**
 * undici, loaded when the first pool is made rather than with this module: a program that only declares resources
 * and a provider host that only checks and diffs them (a preview) never make a client, and loading undici takes
 * about 0.2 s of every such command.
 */
function loadUndici(): typeof import("undici") {
  return require("undici") as typeof import("undici");
}

/** How long an idle keep-alive connection is kept (ms). */
export const KEEP_ALIVE_TIMEOUT_MS = 30_000;

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

/** Opens a pool of at most `connections` keep-alive connections to the endpoint. */
export function openPool(endpoint: Endpoint, connections: number): Pool {
  const { Pool } = loadUndici();
  return new Pool(endpoint.origin, poolOptions(endpoint, connections));
}

/** Closes a pool: lets requests in flight finish, then closes its connections; destroys it if closing fails. */
export async function closePool(pool: Pool): Promise<void> {
  if (pool.closed || pool.destroyed) return;
  await pool.close().catch(() => pool.destroy());
}
