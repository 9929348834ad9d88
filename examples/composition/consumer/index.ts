/**
 * The app stack of the composition example: a separate project (its own state, typically its own team and repo)
 * that reads the platform stack's outputs through a `pulumi.StackReference` and builds on them.
 *
 * - `vm-app:platformStack`: the platform stack's name, `organization/vm-platform/dev` with a local backend
 *   (`<org>/vm-platform/dev` with Pulumi Cloud).
 * - `vm-app:webVmUuid`: the app's VM (default: the simulator's demo VM web-1).
 */
import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, type ClockTrack } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

const config = new pulumi.Config();
const platform = new pulumi.StackReference("platform", { name: config.require("platformStack") });

// The app's VM follows the platform's clock policy: when the platform changes it, this stack's preview shows it.
const webClock = new VmClockTrack("web-clock", {
  vmUuid: config.get("webVmUuid") ?? DEMO_VM_UUIDS["web-1"],
  track: platform.requireOutput("clockTrack") as pulumi.Output<ClockTrack>,
  syncAfterVMResume: platform.requireOutput("clockSyncAfterResume") as pulumi.Output<boolean>,
});

/** Where the app finds its database: the platform's output, passed on (e.g. into the app's own config). */
export const databaseUrl = pulumi.interpolate`postgres://${platform.requireOutput("dbIpAddress")}:5432/app`;
export const webClockTrack = webClock.track;
export const webSyncAfterResume = webClock.syncAfterVMResume;
