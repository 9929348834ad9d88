/**
 * Error factories of the provider runtime. Each says what happened, why, and how to fix it, in words a Pulumi user
 * reads in `pulumi up` output. None may quote a credential: they receive only uuids, states and setting names.
 */
import type { ResourceKind } from "../vocabulary/resource-kinds";

/** An error the runtime raises on purpose; the dynamic-provider host reports its message as is. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
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

/** Connection settings are missing or malformed. */
export function settingsError(problems: readonly string[]): ProviderError {
  return new ProviderError(
    `ZStack connection settings are incomplete:\n` +
      problems.map((problem) => `  - ${problem}`).join("\n") +
      `\nSet them with \`pulumi config set zstack:<key> <value>\` (use --secret for passwords and access-key ` +
      `secrets) or with the ZSTACK_* environment variables; config wins over the environment.`,
  );
}

/** The VM does not exist (never did, or was expunged). */
export function vmNotFound(kind: ResourceKind, vmUuid: string): ProviderError {
  return new ProviderError(
    `${kind}: VM ${vmUuid} was not found on the ZStack management node (it does not exist or was expunged). ` +
      `Check vmUuid; to stop managing a VM that is gone, remove the resource from the program.`,
  );
}

/** The VM is in a state from which the declared state cannot be reached by pause or resume. */
export function unreachableState(vmUuid: string, actual: string, declared: string): ProviderError {
  const hint =
    actual === "Stopped"
      ? "start the VM first (ZStack StartVmInstance), then run `pulumi up` again"
      : actual === "Destroyed"
        ? "recover the VM (ZStack RecoverVmInstance) and start it, or remove this resource"
        : "bring the VM back to Running or Paused, then run `pulumi up` again";
  return new ProviderError(
    `VmPauseState: VM ${vmUuid} is ${actual}, so it cannot be made ${declared}: pause and resume only move a VM ` +
      `between Running and Paused. To fix it, ${hint}.`,
  );
}

/** A transitional state (Starting, Migrating, ...) outlasted the resource's deadline. */
export function settleTimeout(
  kind: ResourceKind,
  vmUuid: string,
  state: string,
  timeoutSeconds: number,
): ProviderError {
  return new ProviderError(
    `${kind}: VM ${vmUuid} was still ${state} when timeoutSeconds (${timeoutSeconds}) ran out, so nothing was ` +
      `changed. Run \`pulumi up\` again once the VM has settled, or raise timeoutSeconds.`,
  );
}
