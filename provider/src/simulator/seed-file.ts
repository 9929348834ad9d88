// Reads a JSON seed fixture. Two shapes are accepted: a plain array of (partial) VM inventories, or a whole
// `GET /v1/vm-instances` reply (`{"inventories":[...]}`), so that a real management node's answer can be
// saved with curl and replayed offline.

import { readFileSync } from "node:fs";
import { z } from "zod";
import { VM_STATES } from "./inventory";
import type { VmSeed } from "./vm-factory";

const vmSeedSchema = z.looseObject({
  uuid: z
    .string()
    .regex(/^[0-9a-f]{32}$/, "must be 32 lowercase hex characters (a uuid without dashes)")
    .optional(),
  name: z.string().min(1),
  state: z.enum(VM_STATES).optional(),
});

// Picked by shape rather than z.union, so that errors keep the path of the offending field.
const seedListSchema = z.array(vmSeedSchema);
const queryReplySchema = z.object({ inventories: seedListSchema });

/** Parses seed JSON text; throws an Error naming the file and the offending path when it does not fit. */
export function parseSeed(text: string, source: string): VmSeed[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`seed file ${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = Array.isArray(json) ? seedListSchema.safeParse(json) : queryReplySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? "" : issue.path.join(".");
    throw new Error(`seed file ${source} is not a list of VM inventories: ${path}: ${issue?.message ?? ""}`);
  }
  // The schema checked the fields the simulator relies on; other inventory fields pass through as given.
  return ("inventories" in parsed.data ? parsed.data.inventories : parsed.data) as VmSeed[];
}

/** Reads and parses a seed file (see {@link parseSeed}). */
export function readSeedFile(path: string): VmSeed[] {
  return parseSeed(readFileSync(path, "utf8"), path);
}
