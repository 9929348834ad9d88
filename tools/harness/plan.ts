/**
 * The structured result of a harness run: steps in engine terms, a summary, diagnostics and outputs.
 */
import type { PropertyDiff } from "./diff";
import type { PropertyMap } from "../provider-host/properties";

export type { PropertyDiff } from "./diff";

/**
 * What happened (or, in a preview, would happen) to one resource. `refresh` is a refresh that found drift (a refresh
 * without drift is `same`, and one that found the resource gone is `delete`).
 */
export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh";

/** One step of a run. */
export interface Step {
  readonly op: StepOp;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN ("" for the stack). */
  readonly parent: string;
  /** Custom (provider-managed) resource, as opposed to a component or the stack. */
  readonly custom: boolean;
  /** True for custom resources that are not dynamic: the harness only simulated them. */
  readonly simulated: boolean;
  /** The id after the step (the old id for a delete; "" for a preview of a new resource). */
  readonly id: string;
  /**
   * Changed properties: input keys for update/replace (old inputs vs new checked inputs), output keys for a refresh.
   * Values are in wire form (secret-wrapped values stay wrapped).
   */
  readonly diffs: readonly PropertyDiff[];
  /** For a replace, the keys the provider said force it. */
  readonly replaces: readonly string[];
  /** The outputs after the step, in wire form (previews: the checked inputs for new or changed resources). */
  readonly outputs?: PropertyMap;
  /** The provider's error message when the step failed. */
  readonly error?: string;
}

/** Counts per kind of step. */
export interface Summary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly same: number;
  readonly read: number;
}

/** A message for the user, attached to a resource when it has one. */
export interface Diagnostic {
  readonly severity: "error" | "warning" | "info";
  /** The resource the message is about, or the stack's URN (or "" before the stack exists). */
  readonly urn: string;
  readonly message: string;
}

/** Which engine operation a run was. */
export type RunKind = "preview" | "up" | "refresh-preview" | "refresh" | "destroy";

/** The result of `preview()`, `up()`, `refresh()` or `destroy()`. Runs never throw on provider or program errors. */
export interface RunResult {
  readonly kind: RunKind;
  readonly status: "succeeded" | "failed";
  readonly steps: readonly Step[];
  /**
   * Stack outputs as plain values (secrets unwrapped; see `secretOutputs`). In a preview, a value not yet known is
   * the unknown sentinel string.
   */
  readonly outputs: PropertyMap;
  /** Names of the stack outputs that are secret. */
  readonly secretOutputs: readonly string[];
  readonly summary: Summary;
  readonly diagnostics: readonly Diagnostic[];
  /** The printed plan, line by line (also sent to the `out` callback). */
  readonly lines: readonly string[];
}

/** Counts steps; a refresh with drift counts as an update, as Pulumi's summary does. */
export function summarize(steps: readonly Step[]): Summary {
  const count = (ops: StepOp[]): number =>
    steps.filter((s) => ops.includes(s.op) && s.error === undefined).length;
  return {
    create: count(["create"]),
    update: count(["update", "refresh"]),
    replace: count(["replace"]),
    delete: count(["delete"]),
    same: count(["same"]),
    read: count(["read"]),
  };
}
