import { readdirSync } from "node:fs";

/**
 * The pids of the live processes, from `/proc` (none where there is no `/proc`). One process may end between this
 * listing and a read of its `/proc/<pid>/…` files; callers skip the ones that did.
 */
export function livePids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name)).map(Number);
}
