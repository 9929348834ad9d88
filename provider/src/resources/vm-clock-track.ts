import * as pulumi from "@pulumi/pulumi";

import type { PendingJob } from "../runtime/actions";
import type { ClockTrack, ManagedClock, ManagedOrigins } from "../runtime/vm-clock-track";
import type { OnDelete } from "./vm-pause-state";
import { QuietConstruction } from "./quiet-construction";
import { customResourceArgs, type VmInventoryResource } from "./vm-inventory-resource";

/** The intervals, in seconds, that ZStack accepts for periodic clock sync; `0` disables it. */
export type ClockSyncInterval = 0 | 60 | 600 | 1800 | 3600 | 7200 | 21600 | 43200 | 86400;

/** The inputs of a {@link VmClockTrack}. */
export interface VmClockTrackArgs {
  /** The uuid of an existing ZStack VM (32 hex characters). Changing it replaces the resource. */
  readonly vmUuid: pulumi.Input<string>;
  /** `"guest"` (the guest keeps its own clock) or `"host"` (it follows the host's). Required. */
  readonly track: pulumi.Input<ClockTrack>;
  /** Sync the guest clock when the VM resumes from pause. Left alone when not set. */
  readonly syncAfterVMResume?: pulumi.Input<boolean>;
  /** Periodic sync interval in seconds (`0` disables it). Left alone when not set. */
  readonly intervalInSeconds?: pulumi.Input<ClockSyncInterval>;
  /** Bounds every wait of one create, update or delete, in seconds (1 to 86400, default 600). */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /**
   * `"restore"` (the default): on delete, return each setting as it was before the first change (a value the VM had
   * of its own written back, an inherited one inherited again). `"leave"`: forget.
   */
  readonly onDelete?: pulumi.Input<OnDelete>;
}

const OWN_KEYS = [
  "vmUuid",
  "track",
  "syncAfterVMResume",
  "intervalInSeconds",
  "timeoutSeconds",
  "onDelete",
  "declaredClock",
  "restoreTo",
  "restoreOrigin",
  "pendingJob",
] as const;

/**
 * Declares a ZStack VM's clock track (`setVmClockTrack`): `track`, and optionally `syncAfterVMResume` and
 * `intervalInSeconds`. Only the settings the program sets are sent and compared; the values are read back from
 * the VM's resource configurations (`vm.clock.track`, `vm.clock.sync.after.vm.resume`,
 * `vm.clock.sync.interval.in.seconds`), so a change made elsewhere shows as drift after a refresh. Changes other
 * than `vmUuid` update in place. See `docs/vm-clock-track.md`.
 *
 * @example
 * ```ts
 * new VmClockTrack("db-clock", { vmUuid: "3f2a...", track: "guest", syncAfterVMResume: true, intervalInSeconds: 600 });
 * ```
 */
// The inventory outputs, merged into the class rather than inherited from a base class (see VmInventoryResource).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface VmClockTrack extends VmInventoryResource {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VmClockTrack extends pulumi.CustomResource {
  /** The managed VM's uuid. */
  declare public readonly vmUuid: pulumi.Output<string>;
  /** The clock track as read back from the VM. */
  declare public readonly track: pulumi.Output<ClockTrack>;
  /** Sync after resume, as read back from the VM (whether or not the program sets it). */
  declare public readonly syncAfterVMResume: pulumi.Output<boolean>;
  /** The periodic sync interval in seconds, as read back from the VM. */
  declare public readonly intervalInSeconds: pulumi.Output<number>;
  declare public readonly timeoutSeconds: pulumi.Output<number>;
  declare public readonly onDelete: pulumi.Output<OnDelete>;
  /**
   * The values the program declares; `null` for a setting it leaves alone. The whole value is `null` for a resource
   * read with {@link VmClockTrack.get}, which declares nothing.
   */
  declare public readonly declaredClock: pulumi.Output<ManagedClock | null>;
  /**
   * What `onDelete: "restore"` sets back: the values read before the first change; `null` where nothing is restored,
   * and as a whole for a resource read with {@link VmClockTrack.get}.
   */
  declare public readonly restoreTo: pulumi.Output<ManagedClock | null>;
  /**
   * How `onDelete: "restore"` returns each value of `restoreTo`: `"own"` (the VM had it of its own: written back) or
   * `"inherited"` (the VM inherited the global default: its own value is deleted, so it inherits again); `null` where
   * `restoreTo` is. Absent (`undefined`) in a state written before origins were recorded, where every value is written
   * back.
   */
  declare public readonly restoreOrigin: pulumi.Output<ManagedOrigins | null | undefined>;
  /** A `setVmClockTrack` ZStack accepted but that outlived `timeoutSeconds`; the next update waits for it. */
  declare public readonly pendingJob: pulumi.Output<PendingJob | null>;

  /** Reads an existing VM and its clock settings without managing them: `id` is the VM's uuid. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VmClockTrack {
    return new VmClockTrack(name, undefined, { ...opts, id });
  }

  /**
   * @param name
   *  the unique name of the resource.
   * @param args
   *  the VM and its declared clock settings.
   * @param opts
   *  resource options.
   */
  constructor(name: string, args: VmClockTrackArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal used by {@link VmClockTrack.get} */
  constructor(name: string, args: undefined, opts: pulumi.CustomResourceOptions);
  constructor(name: string, args: VmClockTrackArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    const resourceArgs = customResourceArgs("VmClockTrack", name, OWN_KEYS, args, opts);
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
