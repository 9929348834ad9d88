/**
 * Error factories of the provider runtime. Each says what happened, why, and how to fix it, in words a Pulumi user
 * reads in `pulumi up` output. None may quote a credential: they receive only uuids, states and setting names.
 */
import type { ResourceKind } from "../vocabulary/resource-kinds";

/**
 * An error the runtime raises on purpose, whose message is all a user needs: its `stack` is the header alone, with no
 * frames, because the dynamic-provider host prints `stack` beside the message of a failed check, diff, read or
 * delete. An unexpected error (a bug) keeps its frames.
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  // Not ErrorOptions: the published .d.ts must compile with lib es2020, which does not declare it.
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * An error that tells the Pulumi engine the resource exists but did not finish initializing
 * (`ErrorResourceInitFailed`): the host packs `id`, `properties` and `reasons` into the gRPC error, the engine
 * records the partial outputs, and the next `pulumi up` runs an update from them instead of starting over.
 */
export class ResourceInitFailedError extends Error {
  override readonly name = "ResourceInitFailedError";
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: readonly string[],
    // Not ErrorOptions: the published .d.ts must compile with lib es2020, which does not declare it.
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One thing wrong with the connection settings: a setting that is not set, or one whose value is not valid. The text
 * names the setting, the value (never a secret's), what is allowed and both ways to set it.
 */
export interface SettingProblem {
  readonly kind: "missing" | "invalid";
  readonly text: string;
}

/**
 * Connection settings are missing or invalid. The heading says which, each line names one setting; the advice names
 * the secret settings by key rather than in words, because the Pulumi CLI masks every occurrence of a secret
 * config value in its output, and a password such as "password" would turn a plain word of the message into
 * `[secret]`.
 */
export function settingsError(problems: readonly SettingProblem[], advice = CONFIG_ADVICE): ProviderError {
  const kinds = new Set(problems.map((problem) => problem.kind));
  const state = kinds.size > 1 ? "incomplete and invalid" : kinds.has("invalid") ? "invalid" : "incomplete";
  return new ProviderError(
    `ZStack connection settings are ${state}:\n` +
      problems.map((problem) => `  - ${problem.text}`).join("\n") +
      `\n${advice}`,
  );
}

/** The closing advice of {@link settingsError} for settings read from the stack's `zstack:*` config. */
export const CONFIG_ADVICE =
  "Set them with `pulumi config set zstack:<key> <value>` (add --secret for zstack:accountPassword and " +
  "zstack:accessKeySecret) or with the ZSTACK_* environment variables; config wins over the environment.";

/** The VM does not exist (never did, or was expunged). */
export function vmNotFound(kind: ResourceKind, vmUuid: string): ProviderError {
  return new ProviderError(
    `${kind}: VM ${vmUuid} was not found on the ZStack management node (it does not exist or was expunged). ` +
      `Check vmUuid; to stop managing a VM that is gone, remove the resource from the program.`,
  );
}

/**
 * What a runtime step serves, so that an error advises the command that runs it again: `apply` is a create or update
 * (`pulumi up`), `restore` a delete (`pulumi destroy`, or the `pulumi up` that removes or replaces the resource).
 */
export type Step = "apply" | "restore";

/** The command that runs a step again, as advice names it. */
function commandOf(step: Step): string {
  return step === "apply"
    ? "`pulumi up`"
    : "`pulumi destroy` (or the `pulumi up` that removes or replaces this resource)";
}

/** The VM is in a state from which the declared state cannot be reached by pause or resume. */
export function unreachableState(
  vmUuid: string,
  actual: string,
  declared: string,
  step: Step,
): ProviderError {
  const hint =
    actual === "Stopped"
      ? `start the VM first (ZStack StartVmInstance), then run ${commandOf(step)} again`
      : actual === "Destroyed"
        ? "recover the VM (ZStack RecoverVmInstance) and start it, or remove this resource"
        : `bring the VM back to Running or Paused, then run ${commandOf(step)} again`;
  return new ProviderError(
    `VmPauseState: VM ${vmUuid} is ${actual}, so it cannot be made ${declared}: pause and resume only move a VM ` +
      `between Running and Paused. To fix it, ${hint}.`,
  );
}

/** An import found the VM in a state a VmPauseState cannot declare. */
export function notImportable(vmUuid: string, actual: string): ProviderError {
  return new ProviderError(
    `VmPauseState: VM ${vmUuid} is ${actual}, so it cannot be imported as a VmPauseState: an import adopts the VM ` +
      `as it is, and a VmPauseState declares only "Running" or "Paused". Bring the VM to Running or Paused ` +
      `(${actual === "Stopped" ? "start it with ZStack StartVmInstance" : "or wait until it settles there"}), ` +
      `then import it again.`,
  );
}

/** A transitional state (Starting, Migrating, ...) outlasted the resource's deadline. */
export function settleTimeout(
  kind: ResourceKind,
  vmUuid: string,
  state: string,
  timeoutSeconds: number,
  step: Step,
): ProviderError {
  // A delete runs with the timeoutSeconds of the stack's state: a larger one reaches it only through an up.
  const budget =
    step === "apply"
      ? "or raise timeoutSeconds"
      : "or raise timeoutSeconds and run `pulumi up` before the destroy";
  return new ProviderError(
    `${kind}: VM ${vmUuid} was still ${state} when timeoutSeconds (${timeoutSeconds}) ran out, so nothing was ` +
      `changed. Run ${commandOf(step)} again once the VM has settled, ${budget}.`,
  );
}
