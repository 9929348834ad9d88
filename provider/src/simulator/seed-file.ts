// Reads a JSON seed fixture. Two shapes are accepted: a plain array of (partial) VM inventories, or a whole
// `GET /v1/vm-instances` reply (`{"inventories":[...]}`), so that a real management node's answer can be
// saved with curl and replayed offline. The object form may also carry `"accessKeys": [{"id", "secret"}]`, the
// AccessKeys the node accepts, so one file describes a whole test setup.

import { readFileSync } from "node:fs";
import { z } from "zod";
import type { AccessKeyCredentials } from "./auth";
import { VM_STATES } from "../vocabulary/vm-states";
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
const accessKeySchema = z.object({
  id: z
    .string()
    .regex(/^[^\s:]+$/, "must be non-empty, without spaces or ':' (it goes into 'ZStack <id>:<sig>')"),
  secret: z.string().min(1),
});
const queryReplySchema = z.object({
  inventories: seedListSchema,
  accessKeys: z.array(accessKeySchema).optional(),
});

/** What a seed file holds: the VMs, and the AccessKeys the node accepts (none unless the file lists some). */
export interface SeedContents {
  readonly vms: readonly VmSeed[];
  readonly accessKeys: readonly AccessKeyCredentials[];
}

/** Parses seed JSON text; throws an Error naming the file and the offending path when it does not fit. */
function parseSeedContents(text: string, source: string): SeedContents {
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
  if (Array.isArray(parsed.data)) return { vms: parsed.data as VmSeed[], accessKeys: [] };
  const data = parsed.data as { inventories: VmSeed[]; accessKeys?: AccessKeyCredentials[] };
  return { vms: data.inventories, accessKeys: data.accessKeys ?? [] };
}

/** Reads and parses a seed file: its VMs and AccessKeys (see {@link parseSeedContents}). */
export function readSeedContents(path: string): SeedContents {
  return parseSeedContents(readFileSync(path, "utf8"), path);
}
