/**
 * Reads what `pulumi <command> --json` prints: for `preview` one JSON document (`steps`, `changeSummary`); for
 * `up`, `refresh` and `destroy` (with `--skip-preview`) the engine's event stream, one JSON object per line. Both
 * become one {@link EngineReport}, so that tests assert on the engine's own account of a run.
 */

/** One resource step as the engine reported it. */
export interface StepReport {
  /** The engine's operation: `create`, `update`, `same`, `delete`, `replace`, `create-replacement`, `refresh`... */
  readonly op: string;
  readonly urn: string;
  /** The URN's last part: the resource's name. */
  readonly name: string;
  /**
   * Keys the engine lists as changed (`diffs`, `diffReasons` or `detailedDiff`). Dynamic providers report no
   * detailed diff, so for them this is often empty: see {@link changedKeys}.
   */
  readonly diffs: readonly string[];
  /** Inputs before the step, if any. */
  readonly oldInputs?: Readonly<Record<string, unknown>>;
  /** Inputs after the step, if any. */
  readonly newInputs?: Readonly<Record<string, unknown>>;
  /** Outputs before the step, if any. */
  readonly oldOutputs?: Readonly<Record<string, unknown>>;
  /** Outputs after the step, if any. */
  readonly newOutputs?: Readonly<Record<string, unknown>>;
}

/** A diagnostic the engine printed (errors and warnings of a resource or of the run). */
export interface Diagnostic {
  readonly severity: string;
  readonly message: string;
  readonly urn?: string;
}

/** The engine's account of one command. */
export interface EngineReport {
  readonly steps: readonly StepReport[];
  /** Resource counts by operation (`{ create: 3 }`). */
  readonly changes: Readonly<Record<string, number>>;
  readonly diagnostics: readonly Diagnostic[];
  /** `succeeded` or `failed` (from the summary event; a preview document that parsed is `succeeded`). */
  readonly result: string;
}

/** Parses the `--json` output of any command (see the module comment). */
export function parseEngineReport(stdout: string): EngineReport {
  const docs = jsonDocuments(stdout);
  const events = docs.filter((d) => typeof d["sequence"] === "number");
  if (events.length === 0) return fromPreviewDocument(docs.at(-1) ?? {});
  const steps: StepReport[] = [];
  const diagnostics: Diagnostic[] = [];
  let changes: Record<string, number> = {};
  let result = "unknown";
  for (const event of events) {
    const outputs = event["resOutputsEvent"] as { metadata?: StepMetadata } | undefined;
    if (outputs?.metadata) steps.push(step(outputs.metadata));
    const diag = event["diagnosticEvent"] as
      { severity?: string; message?: string; urn?: string } | undefined;
    if (diag && diag.severity !== "debug") {
      diagnostics.push({
        severity: diag.severity ?? "",
        message: diag.message ?? "",
        ...(diag.urn ? { urn: diag.urn } : {}),
      });
    }
    const summary = event["summaryEvent"] as
      { resourceChanges?: Record<string, number>; result?: string } | undefined;
    if (summary) {
      changes = summary.resourceChanges ?? {};
      result = summary.result ?? (diagnostics.some((d) => d.severity === "error") ? "failed" : "succeeded");
    }
  }
  return { steps, changes, diagnostics, result };
}

interface StepMetadata {
  readonly op: string;
  readonly urn: string;
  readonly diffs?: readonly string[];
  readonly diffReasons?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, unknown>> | null;
  readonly old?: StateMetadata | null;
  readonly new?: StateMetadata | null;
  readonly oldState?: StateMetadata | null;
  readonly newState?: StateMetadata | null;
}

interface StateMetadata {
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

function step(m: StepMetadata): StepReport {
  const before = m.old ?? m.oldState;
  const after = m.new ?? m.newState;
  return {
    op: m.op,
    urn: m.urn,
    name: m.urn.split("::").at(-1) ?? m.urn,
    diffs: m.diffs ?? m.diffReasons ?? Object.keys(m.detailedDiff ?? {}),
    ...(before?.inputs ? { oldInputs: before.inputs } : {}),
    ...(after?.inputs ? { newInputs: after.inputs } : {}),
    ...(before?.outputs ? { oldOutputs: before.outputs } : {}),
    ...(after?.outputs ? { newOutputs: after.outputs } : {}),
  };
}

function fromPreviewDocument(doc: Record<string, unknown>): EngineReport {
  const steps = ((doc["steps"] as StepMetadata[] | undefined) ?? []).map(step);
  const diagnostics = ((doc["diagnostics"] as Diagnostic[] | undefined) ?? []).filter(
    (d) => d.severity !== "debug",
  );
  return {
    steps,
    changes: (doc["changeSummary"] as Record<string, number> | undefined) ?? {},
    diagnostics,
    result: diagnostics.some((d) => d.severity === "error") ? "failed" : "succeeded",
  };
}

/**
 * The keys whose values differ between the step's old and new inputs (or outputs), as the CLI's `--diff` display
 * computes them; `__provider` is left out.
 */
export function changedKeys(step: StepReport, of: "inputs" | "outputs"): string[] {
  const [before, after] =
    of === "inputs" ? [step.oldInputs, step.newInputs] : [step.oldOutputs, step.newOutputs];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])).sort();
}

/** Splits concatenated JSON objects (pretty-printed documents and one-line events alike). */
function jsonDocuments(text: string): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) {
      docs.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return docs;
}
