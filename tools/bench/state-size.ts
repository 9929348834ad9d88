/**
 * State size: the bytes every resource adds to a stack's state. Two parts:
 * - `__provider`, the provider text: its size, whether it is the same for every resource of a kind, and whether it
 *   equals the golden text, with every other version of that golden text in the repository's history recorded as a
 *   legacy text under `golden/v<version>/` (the text is a protocol: if it changed between package versions, every
 *   stack would show `~__provider`, and the old text stays in state, so it must keep working: the legacy-state
 *   tests run it);
 * - the whole stored resource: the JSON of the checked inputs and the outputs the engine keeps after a create
 *   (`__provider` is stored in both).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { VM_INVENTORY_KEYS } from "pulumi-zstack-vm";

import type { StoredState } from "./economy";
import { REPO_ROOT } from "../quickstart";
import { type ProviderTexts } from "./setup";

/** Where the golden `__provider` texts live, relative to the repository root. */
export const GOLDEN_DIR = "test/serialization/golden";

/** `__provider` figures of one resource kind. */
export interface ProviderTextSize {
  readonly type: string;
  /** UTF-8 bytes of the text. */
  readonly bytes: number;
  /** Resources constructed (with varied inputs) and how many distinct texts they produced. */
  readonly resources: number;
  readonly distinctTexts: number;
  /** Whether the text equals the golden file; undefined when there is no golden file. */
  readonly equalsGolden: boolean | undefined;
  /**
   * Versions of the golden file in git history, and how many of them are neither the text nor a recorded legacy
   * text (undefined without git): each such version would be a text in users' states that no test runs.
   */
  readonly goldenVersions: number | undefined;
  readonly goldenVersionsDiffering: number | undefined;
}

/** Size of one stored resource. */
export interface StoredStateSize {
  readonly type: string;
  /** Bytes of `JSON.stringify({inputs, outputs})`. */
  readonly totalBytes: number;
  /** Of which the two copies of `__provider` (the strings' UTF-8 bytes). */
  readonly providerBytes: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  /** `VmInstanceInventory` fields missing from the outputs (expected none: shrinking state must not drop them). */
  readonly missingInventoryKeys: readonly string[];
}

/** The result of {@link measureStateSize}. */
export interface StateSizeResult {
  readonly providers: readonly ProviderTextSize[];
  readonly stored: readonly StoredStateSize[];
}

/** Measures the `__provider` texts collected from the Resource classes and the stored states of real creates. */
export function measureStateSize(texts: ProviderTexts, states: readonly StoredState[]): StateSizeResult {
  const providers = Object.entries(texts.byType).map(([type, list]) => providerTextSize(type, list));
  const stored = states.map(storedStateSize);
  return { providers, stored };
}

/** Figures of one kind's `__provider` texts (one per resource constructed). */
export function providerTextSize(type: string, list: readonly string[]): ProviderTextSize {
  const text = list[0];
  if (text === undefined) throw new Error(`no __provider text for ${type}`);
  const kind = type.split(":").pop() as string;
  const relative = `${GOLDEN_DIR}/${kind}.provider.js`;
  const file = path.join(REPO_ROOT, relative);
  const equalsGolden = existsSync(file) ? readFileSync(file, "utf8") === text : undefined;
  const history = goldenHistory(relative);
  const legacy = legacyTexts(kind);
  return {
    type,
    bytes: Buffer.byteLength(text),
    resources: list.length,
    distinctTexts: new Set(list).size,
    equalsGolden,
    goldenVersions: history?.length,
    goldenVersionsDiffering: history?.filter((version) => version !== text && !legacy.has(version)).length,
  };
}

/** The legacy texts of a kind recorded under `golden/v<version>/`. */
function legacyTexts(kind: string): Set<string> {
  const dir = path.join(REPO_ROOT, GOLDEN_DIR);
  const texts = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name, `${kind}.provider.js`);
    if (entry.isDirectory() && /^v\d/.test(entry.name) && existsSync(file))
      texts.add(readFileSync(file, "utf8"));
  }
  return texts;
}

/** Every committed version of a file, oldest first; undefined when git or the history is not available. */
function goldenHistory(relative: string): string[] | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const commits = git("log", "--format=%H", "--", relative).split("\n").filter(Boolean).reverse();
    return commits.length === 0 ? undefined : commits.map((commit) => git("show", `${commit}:${relative}`));
  } catch {
    return undefined;
  }
}

/** Bytes of one stored resource, as JSON. */
export function storedStateSize(state: StoredState): StoredStateSize {
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  const providerText = (props: Record<string, unknown>) =>
    typeof props.__provider === "string" ? Buffer.byteLength(props.__provider) : 0;
  return {
    type: state.type,
    totalBytes: bytes({ inputs: state.inputs, outputs: state.outputs }),
    providerBytes: providerText(state.inputs) + providerText(state.outputs),
    inputBytes: bytes(state.inputs),
    outputBytes: bytes(state.outputs),
    missingInventoryKeys: VM_INVENTORY_KEYS.filter((key) => !(key in state.outputs)),
  };
}
