/**
 * Example: how a platform repo composes the VM resources with the rest of its infrastructure.
 *
 * - dependsOn ordering: db-1's clock track is set before db-1 is resumed (so the resume already syncs the guest
 *   clock), and the standby front end web-2 is paused only once the database is Running.
 * - Outputs feeding another provider's resource: a `@pulumi/random` RandomPet names the current "placement" of the
 *   database and is renewed whenever db-1 moves to another host (its `keepers` are db-1's host and IP).
 * - Outputs for other stacks: the database endpoint and the clock policy are stack outputs, read by the app stack
 *   in `consumer/` through a `pulumi.StackReference`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

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

const placement = new random.RandomPet("db-placement", {
  prefix: "db",
  length: 2,
  // A new name whenever the database VM lands on another host or address.
  keepers: { hostUuid: db.hostUuid.apply((h) => h ?? "none"), ip: dbIp.apply((ip) => ip ?? "none") },
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
/** The placement name: changes when db-1 moves. */
export const dbPlacement = placement.id;
