/**
 * Renders a run the way Pulumi's non-interactive display does: a header, the resource tree with one plan/status
 * column, property changes under updated resources, diagnostics grouped by resource, outputs and a summary.
 * Secret values print as `[secret]` and unknown values as `output<string>`, as Pulumi prints them.
 */
import { isSecret, UNKNOWN, type PropertyMap } from "../provider-host/properties";
import { diffProperties } from "./diff";
import type { Diagnostic, RunKind, Step, StepOp, Summary } from "./plan";

const SYMBOL: Record<StepOp, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  same: "",
  read: ">",
  refresh: "~",
};

const PREVIEW_WORD: Record<StepOp, string> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "",
  read: "read",
  refresh: "update",
};

const DONE_WORD: Record<StepOp, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "",
  read: "read",
  refresh: "updated",
};

const FAILED_WORD: Record<StepOp, string> = {
  create: "**creating failed**",
  update: "**updating failed**",
  replace: "**replacing failed**",
  delete: "**deleting failed**",
  same: "**failed**",
  read: "**reading failed**",
  refresh: "**refreshing failed**",
};

/** Formats a property value for display. */
export function formatValue(v: unknown): string {
  if (v === UNKNOWN) return "output<string>";
  if (isSecret(v)) return "[secret]";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(v);
}

/** Everything the renderer needs. */
export interface RenderInput {
  readonly kind: RunKind;
  readonly stack: string;
  readonly steps: readonly Step[];
  readonly outputs: PropertyMap;
  readonly oldOutputs: PropertyMap;
  readonly summary: Summary;
  readonly diagnostics: readonly Diagnostic[];
  readonly failed: boolean;
}

const HEADERS: Record<RunKind, string> = {
  preview: "Previewing update",
  up: "Updating",
  "refresh-preview": "Previewing refresh",
  refresh: "Refreshing",
  destroy: "Destroying",
};

/** Renders the whole run as lines. */
export function renderRun(r: RenderInput): string[] {
  const preview = r.kind === "preview" || r.kind === "refresh-preview";
  const lines = [`${HEADERS[r.kind]} (${r.stack}):`, ""];
  lines.push(...renderTree(r.steps, preview));
  const diags = renderDiagnostics(r.steps, r.diagnostics);
  if (diags.length) lines.push("", "Diagnostics:", ...diags);
  const outs = renderOutputs(r.outputs, r.oldOutputs, r.kind);
  if (outs.length) lines.push("", "Outputs:", ...outs);
  lines.push("", "Resources:", ...renderSummary(r.summary, preview));
  return lines;
}

function renderTree(steps: readonly Step[], preview: boolean): string[] {
  const byUrn = new Map(steps.map((s) => [s.urn, s]));
  const children = new Map<string, Step[]>();
  const roots: Step[] = [];
  for (const s of steps) {
    if (s.parent && byUrn.has(s.parent) && s.parent !== s.urn) {
      const list = children.get(s.parent) ?? [];
      list.push(s);
      children.set(s.parent, list);
    } else roots.push(s);
  }
  const rows: { symbol: string; label: string; name: string; status: string; details: string[] }[] = [];
  const walk = (s: Step, prefix: string, branch: string): void => {
    const word = s.error !== undefined ? FAILED_WORD[s.op] : preview ? PREVIEW_WORD[s.op] : DONE_WORD[s.op];
    const info: string[] = [];
    if (s.diffs.length && s.op !== "create")
      info.push(`[diff: ${s.diffs.map((d) => diffMark(d.old, d.new) + d.key).join(", ")}]`);
    if (s.simulated && s.op !== "same") info.push("(simulated: not a dynamic resource)");
    const details =
      s.op === "update" || s.op === "replace" || s.op === "refresh"
        ? s.diffs.map((d) =>
            d.old === undefined
              ? `+ ${d.key}: ${formatValue(d.new)}`
              : d.new === undefined
                ? `- ${d.key}: ${formatValue(d.old)}`
                : `~ ${d.key}: ${formatValue(d.old)} => ${formatValue(d.new)}`,
          )
        : [];
    rows.push({
      symbol: SYMBOL[s.op],
      label: `${prefix}${branch}${s.type}`,
      name: s.name,
      status: [word, ...info].filter(Boolean).join(" "),
      details,
    });
    const kids = children.get(s.urn) ?? [];
    const childPrefix = prefix + (branch === "" ? "" : branch === "├─ " ? "│  " : "   ");
    kids.forEach((k, i) => walk(k, childPrefix, i === kids.length - 1 ? "└─ " : "├─ "));
  };
  roots.forEach((s) => walk(s, "", ""));
  const wLabel = Math.max(4, ...rows.map((r) => r.label.length));
  const wName = Math.max(4, ...rows.map((r) => r.name.length));
  const out = [`     ${"Type".padEnd(wLabel)}  ${"Name".padEnd(wName)}  ${preview ? "Plan" : "Status"}`];
  for (const r of rows) {
    out.push(
      ` ${r.symbol.padEnd(4)}${r.label.padEnd(wLabel)}  ${r.name.padEnd(wName)}  ${r.status}`.trimEnd(),
    );
    for (const d of r.details) out.push(`${" ".repeat(9)}${d}`);
  }
  return out;
}

function diffMark(o: unknown, n: unknown): string {
  return o === undefined ? "+" : n === undefined ? "-" : "~";
}

function renderDiagnostics(steps: readonly Step[], diagnostics: readonly Diagnostic[]): string[] {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = groups.get(d.urn) ?? [];
    list.push(d);
    groups.set(d.urn, list);
  }
  const out: string[] = [];
  for (const [urn, list] of groups) {
    const step = steps.find((s) => s.urn === urn);
    const parts = urn.split("::");
    const type =
      step?.type ?? (parts.length >= 4 ? (parts[2].split("$").pop() ?? "") : "pulumi:pulumi:Stack");
    const name = step?.name ?? (parts.length >= 4 ? parts.slice(3).join("::") : "");
    if (out.length) out.push("");
    out.push(`  ${type} (${name}):`);
    for (const d of list) {
      const [first, ...rest] = d.message.split("\n");
      out.push(`    ${d.severity === "info" ? "" : `${d.severity}: `}${first}`);
      for (const l of rest) out.push(`    ${l}`);
    }
  }
  return out;
}

function renderOutputs(outputs: PropertyMap, oldOutputs: PropertyMap, kind: RunKind): string[] {
  if (kind === "destroy") {
    const keys = Object.keys(oldOutputs);
    const w = Math.max(0, ...keys.map((k) => k.length));
    return keys.map((k) => `  - ${k.padEnd(w)}: ${formatValue(oldOutputs[k])}`);
  }
  const keys = [...Object.keys(outputs), ...Object.keys(oldOutputs).filter((k) => !(k in outputs))];
  const w = Math.max(0, ...keys.map((k) => k.length));
  const changed = new Map(diffProperties(oldOutputs, outputs).map((d) => [d.key, d]));
  return keys.map((k) => {
    const d = changed.get(k);
    if (!d) return `    ${k.padEnd(w)}: ${formatValue(outputs[k])}`;
    if (d.old === undefined) return `  + ${k.padEnd(w)}: ${formatValue(d.new)}`;
    if (d.new === undefined) return `  - ${k.padEnd(w)}: ${formatValue(d.old)}`;
    return `  ~ ${k.padEnd(w)}: ${formatValue(d.old)} => ${formatValue(d.new)}`;
  });
}

function renderSummary(s: Summary, preview: boolean): string[] {
  const out: string[] = [];
  const line = (symbol: string, n: number, future: string, past: string): void => {
    if (n > 0) out.push(`    ${symbol} ${n} ${preview ? `to ${future}` : past}`);
  };
  line("+", s.create, "create", "created");
  line("~", s.update, "update", "updated");
  line("-/+", s.replace, "replace", "replaced");
  line("-", s.delete, "delete", "deleted");
  line(">", s.read, "read", "read");
  if (s.same > 0) out.push(`    ${s.same} unchanged`);
  if (out.length === 0) out.push("    0 changes");
  return out;
}
