/**
 * A reusable maintenance window over existing ZStack VMs, as one Pulumi component.
 *
 * While the window is active each VM is paused; before that, its clock track is set to `guest` with sync after
 * resume, so that the guest clock is corrected as soon as the VM is resumed. Ending the window (`active: false`)
 * declares the VMs Running: the preview shows one `state: "Paused" => "Running"` per VM and `pulumi up` resumes them.
 * The clock settings stay while the component exists; removing it (or `pulumi destroy`) gives every VM back the
 * state and the clock settings it had before the window.
 */
import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

/** The inputs of a {@link MaintenanceWindow}. */
export interface MaintenanceWindowArgs {
  /**
   * The uuids of the VMs in the window. Plain strings, not outputs: each VM gets its own pair of resources, named
   * after its uuid so that reordering the list changes nothing.
   */
  readonly vmUuids: readonly string[];
  /** Whether the window is open (VMs paused) or over (VMs running). Default true. */
  readonly active?: boolean;
  /** Why the VMs are paused; shown in the summary. */
  readonly reason?: string;
}

/** One VM of the window, as the summary reports it. */
export interface MaintenanceVm {
  readonly uuid: string;
  readonly name: string;
  /** The VM's actual state after the last `up` or refresh. */
  readonly state: string;
  readonly clockTrack: string;
  readonly syncAfterVMResume: boolean;
}

/** Pauses a list of VMs for maintenance, with their guest clocks resynchronised on resume. */
export class MaintenanceWindow extends pulumi.ComponentResource {
  /** Each VM's state and clock settings. */
  readonly vms: pulumi.Output<MaintenanceVm[]>;
  /** One line for people: whether the window is open, and which VMs are in it. */
  readonly summary: pulumi.Output<string>;
  /** Whether the window is open. */
  readonly active: boolean;

  constructor(name: string, args: MaintenanceWindowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zstack-examples:index:MaintenanceWindow", name, {}, opts);
    validate(args.vmUuids);
    this.active = args.active ?? true;
    const reason = args.reason ?? "maintenance";

    const vms = args.vmUuids.map((vmUuid) => {
      const clock = new VmClockTrack(
        `${name}-${vmUuid}-clock`,
        { vmUuid, track: "guest", syncAfterVMResume: true },
        { parent: this },
      );
      // dependsOn: the clock is set before the VM is paused, so no resume can happen with the old settings; and on
      // destroy, the VM is resumed (with sync after resume still on) before its clock settings are restored.
      const pause = new VmPauseState(
        `${name}-${vmUuid}-pause`,
        { vmUuid, state: this.active ? "Paused" : "Running" },
        { parent: this, dependsOn: [clock] },
      );
      return pulumi
        .all([pause.name, pause.state, clock.track, clock.syncAfterVMResume])
        .apply(([vmName, state, clockTrack, syncAfterVMResume]) => ({
          uuid: vmUuid,
          name: vmName,
          state,
          clockTrack,
          syncAfterVMResume,
        }));
    });

    this.vms = pulumi.all(vms);
    const active = this.active;
    this.summary = this.vms.apply((list) => {
      const names = list.map((v) => `${v.name} (${v.state})`).join(", ");
      return active ? `maintenance window open (${reason}): ${names}` : `maintenance window closed: ${names}`;
    });
    this.registerOutputs({ vms: this.vms, summary: this.summary, active });
  }
}

/**
 * A clear message for a config mistake, before any resource is declared. A `RunError`, not an `Error`: the Pulumi
 * CLI prints a RunError's message alone, where any other exception comes with the program's stack trace.
 */
function validate(vmUuids: unknown): asserts vmUuids is readonly string[] {
  if (!Array.isArray(vmUuids) || vmUuids.length === 0 || !vmUuids.every((u) => typeof u === "string")) {
    throw new pulumi.RunError(
      `MaintenanceWindow: vmUuids must be a non-empty list of VM uuids, got ${JSON.stringify(vmUuids)} ` +
        `(set it with: pulumi config set --path 'maintenance:vmUuids[0]' <uuid>)`,
    );
  }
  const duplicates = vmUuids.filter((u, i) => vmUuids.indexOf(u) !== i);
  if (duplicates.length)
    throw new pulumi.RunError(`MaintenanceWindow: VM ${duplicates[0]} is listed twice in vmUuids`);
}
