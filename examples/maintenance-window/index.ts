/**
 * Example: a maintenance window over a list of ZStack VMs, driven by config.
 *
 * - `maintenance:vmUuids`: the VMs (a list; default: the simulator's demo VMs web-1 and web-2);
 * - `maintenance:active`: `true` (default) pauses them; `false` ends the window and resumes them;
 * - `maintenance:reason`: shown in the summary.
 *
 * The connection comes from the `zstack:*` config, as in the quickstart.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { MaintenanceWindow } from "./maintenance-window";

const config = new pulumi.Config("maintenance");

const window = new MaintenanceWindow("mw", {
  // A structured value: `pulumi config set --path 'maintenance:vmUuids[0]' <uuid>`, or a JSON list.
  vmUuids: config.getObject<string[]>("vmUuids") ?? [DEMO_VM_UUIDS["web-1"], DEMO_VM_UUIDS["web-2"]],
  active: config.getBoolean("active") ?? true,
  reason: config.get("reason"),
});

/** Whether the window is open. */
export const active = window.active;
/** One line: open or closed, and each VM with its actual state. */
export const summary = window.summary;
/** Each VM's uuid, name, state and clock settings. */
export const vms = window.vms;
