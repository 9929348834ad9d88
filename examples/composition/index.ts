/**
 * Example: how a platform repo composes the VM resources with the rest of its infrastructure.
 *
 * - dependsOn ordering: db-1's clock track is set before db-1 is resumed (so the resume already syncs the guest
 *   clock), and the standby front end web-2 is paused only once the database is Running.
 * - Outputs feeding another provider's resource: a `PlacementRecord` (a second dynamic provider, placement-record.ts)
 *   writes db-1's host and IP to a file, and rewrites it whenever db-1 moves to another host or address.
 * - Outputs for other stacks: the database endpoint and the clock policy are stack outputs, read by the app stack
 *   in `consumer/` through a `pulumi.StackReference`.
 */
import * as path from "node:path";

import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { PlacementRecord } from "./placement-record";

const config = new pulumi.Config();
const dbUuid = config.get("dbVmUuid") ?? DEMO_VM_UUIDS["db-1"];
const standbyVmUuid = config.get("standbyVmUuid") ?? DEMO_VM_UUIDS["web-2"];
// The platform's clock policy, which the app stack applies to its own VMs.
const syncAfterResume = config.getBoolean("syncAfterResume") ?? true;

const dbClock = new VmClockTrack("db-clock", {
  vmUuid: dbUuid,
  track: "guest",
  syncAfterVMResume: syncAfterResume,
  intervalInSeconds: 600,
});

const db = new VmPauseState("db-running", { vmUuid: dbUuid, state: "Running" }, { dependsOn: [dbClock] });

const standby = new VmPauseState(
  "standby-paused",
  { vmUuid: standbyVmUuid, state: "Paused" },
  { dependsOn: [db] },
);

/** The database's address on its default network, from the VM inventory outputs. */
const dbIp = db.vmNics.apply((nics) => nics[0]?.ip ?? null);

const placement = new PlacementRecord("db-placement", {
  // Relative to the project directory, where `pulumi` runs the program.
  file: path.resolve(config.get("placementFile") ?? "db-placement.json"),
  vmUuid: db.vmUuid,
  // Rewritten whenever the database VM lands on another host or address.
  hostUuid: db.hostUuid.apply((h) => h ?? "none"),
  ip: dbIp.apply((ip) => ip ?? "none"),
});

/** The database VM, for other stacks. */
export const dbVmUuid = db.vmUuid;
export const dbIpAddress = dbIp;
export const dbHostUuid = db.hostUuid;
export const dbState = db.state;
/** The clock policy other stacks apply (read back from db-1). */
export const clockTrack = dbClock.track;
export const clockSyncAfterResume = dbClock.syncAfterVMResume;
export const standbyState = standby.state;
/** Where db-1 runs, as recorded in the placement file; its revision counts the rewrites (db-1's moves). */
export const dbPlacement = placement.placement;
export const dbPlacementFile = placement.file;
export const dbPlacementRevision = placement.revision;
