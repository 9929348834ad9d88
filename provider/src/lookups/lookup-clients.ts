import { createHash } from "node:crypto";

import { closeAtProcessEnd, forgetAtProcessEnd } from "../runtime";
import { ZStackClient, type ConnectionSettings } from "../zstack";

/**
 * The program process's ZStack clients, one per connection settings: every lookup of a program shares one, so the
 * program logs in once however many lookups it runs, and logs out when its work ends (its event loop empties, after
 * success or failure, or SIGINT/SIGTERM; see the runtime's `process-end.ts`) or at {@link endLookupSessions}.
 * Keyed by a digest of the settings, so that no credential is kept here beside the client that needs it.
 */
const clients = new Map<string, ZStackClient>();

/** The process's client for `settings`, made on first need. Throws `CLIENT.CONFIG` errors for invalid settings. */
export function lookupClient(settings: ConnectionSettings): ZStackClient {
  const key = createHash("sha256").update(JSON.stringify(settings)).digest("hex");
  let client = clients.get(key);
  if (client === undefined) {
    client = new ZStackClient(settings);
    clients.set(key, client);
    if (clients.size === 1) closeAtProcessEnd(endLookupSessions);
  }
  return client;
}

/**
 * Logs out the sessions the VM lookups of this process opened and closes their connections. The package does it by
 * itself when the process's work ends; call it to end them earlier, for example in a long-lived process that runs
 * programs with the Automation API. A lookup after it logs in again.
 */
export async function endLookupSessions(): Promise<void> {
  const open = [...clients.values()];
  clients.clear();
  forgetAtProcessEnd(endLookupSessions);
  await Promise.all(open.map((client) => client.close()));
}
