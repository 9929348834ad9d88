import * as pulumi from "@pulumi/pulumi";

import type { PendingJob } from "../runtime/actions";
import { QuietConstruction } from "./quiet-construction";
import { customResourceArgs, type VmInventoryResource } from "./vm-inventory-resource";

/** The state a {@link VmPauseState} declares for its VM. */
export type PauseState = "Paused" | "Running";

/** What deleting a resource does to the VM: return it to how it was found, or leave it as it is. */
export type OnDelete = "restore" | "leave";

/** The inputs of a {@link VmPauseState}. */
export interface VmPauseStateArgs {
  /** The uuid of an existing ZStack VM (32 hex characters). Changing it replaces the resource. */
  readonly vmUuid: pulumi.Input<string>;
  /** The declared state: `"Paused"` (the default) or `"Running"`. Changing it pauses or resumes the live VM. */
  readonly state?: pulumi.Input<PauseState>;
  /** Bounds every wait of one create, update or delete, in seconds (1 to 86400, default 600). */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /**
   * `"restore"` (the default): on delete, return the VM to the state it was adopted in, if it is still in the
   * declared state. `"leave"`: only forget it.
   */
  readonly onDelete?: pulumi.Input<OnDelete>;
}

const OWN_KEYS = [
  "vmUuid",
  "declaredState",
  "initialState",
  "timeoutSeconds",
  "onDelete",
  "pendingJob",
] as const;

/**
 * Declares that an existing ZStack VM is `Paused` or `Running` (ZStack `pauseVmInstance` / `resumeVmInstance`).
 *
 * Create adopts the VM: it waits out transitional states, does nothing when the VM is already as declared, and
 * otherwise pauses or resumes it and waits for the job. Refresh reads the actual state into `state`, so a VM paused
 * or resumed by someone else shows as a diff and the next `pulumi up` converges it. Delete restores the adopted
 * state or leaves the VM, as `onDelete` says. See `docs/vm-pause-state.md`.
 *
 * @example
 * ```ts
 * const paused = new VmPauseState("batch-paused", { vmUuid: "3f2a...", state: "Paused" });
 * export const host = paused.hostUuid;
 * ```
 */
// The inventory outputs, merged into the class rather than inherited from a base class (see VmInventoryResource).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface VmPauseState extends VmInventoryResource {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VmPauseState extends pulumi.CustomResource {
  /** The managed VM's uuid. */
  declare public readonly vmUuid: pulumi.Output<string>;
  /** The state the program declares; `null` for a resource read with {@link VmPauseState.get}, which declares none. */
  declare public readonly declaredState: pulumi.Output<PauseState | null>;
  /** The state the VM was in when adopted, which `onDelete: "restore"` returns it to. */
  declare public readonly initialState: pulumi.Output<PauseState | null>;
  declare public readonly timeoutSeconds: pulumi.Output<number>;
  declare public readonly onDelete: pulumi.Output<OnDelete>;
  /** A pause or resume ZStack accepted but that outlived `timeoutSeconds`; the next update waits for it. */
  declare public readonly pendingJob: pulumi.Output<PendingJob | null>;

  /**
   * Reads the state of an existing VM without managing it: `id` is the VM's uuid. Deleting the resulting resource
   * does nothing to the VM.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VmPauseState {
    return new VmPauseState(name, undefined, { ...opts, id });
  }

  /**
   * @param name
   *  the unique name of the resource.
   * @param args
   *  the VM and its declared state.
   * @param opts
   *  resource options.
   */
  constructor(name: string, args: VmPauseStateArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal used by {@link VmPauseState.get} */
  constructor(name: string, args: undefined, opts: pulumi.CustomResourceOptions);
  constructor(name: string, args: VmPauseStateArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    const resourceArgs = customResourceArgs("VmPauseState", name, OWN_KEYS, args, opts);
    const quiet = new QuietConstruction();
    try {
      super(...resourceArgs);
    } catch (error) {
      throw quiet.failed(error, new.target);
    } finally {
      quiet.end();
    }
  }
}
