/**
 * The quickstart stack: declares the run-time state of two existing ZStack VMs.
 *
 * - `web-paused`: the VM `pausedVmUuid` (default: the simulator's demo VM web-1) is kept Paused.
 * - `db-clock`: the VM `clockVmUuid` (default: demo VM db-1) keeps its own clock (`track: guest`), syncs it after a
 *   resume, and syncs periodically every `syncIntervalSeconds` (default 600).
 *
 * The connection comes from the `zstack:*` config (or the `ZSTACK_*` environment), which the provider reads at call
 * time; this program never touches it. Run it with `pulumi up`, or with `npm run demo` (no CLI needed).
 */
import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState, type ClockSyncInterval } from "pulumi-zstack-vm";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

const config = new pulumi.Config();
// The demo VMs are the defaults so that the stack runs as is against `npm run simulator`; point these at your own
// VMs for a real ZStack (`pulumi config set pausedVmUuid <uuid>`).
const pausedVmUuid = config.get("pausedVmUuid") ?? DEMO_VM_UUIDS["web-1"];
const clockVmUuid = config.get("clockVmUuid") ?? DEMO_VM_UUIDS["db-1"];
// Not narrowed here: the provider's check rejects an interval ZStack does not accept, naming the allowed values.
const syncIntervalSeconds = (config.getNumber("syncIntervalSeconds") ?? 600) as ClockSyncInterval;

const web = new VmPauseState("web-paused", { vmUuid: pausedVmUuid, state: "Paused" });

const db = new VmClockTrack("db-clock", {
  vmUuid: clockVmUuid,
  track: "guest",
  syncAfterVMResume: true,
  intervalInSeconds: syncIntervalSeconds,
});

/** The paused VM's name. */
export const pausedVmName = web.name;
/** Its actual state when last read: "Paused" after `up`, "Running" after a refresh that found it resumed. */
export const pausedVmState = web.state;
/** The host it runs on (ZStack keeps a paused VM on its host). */
export const pausedVmHostUuid = web.hostUuid;
/** The state `pulumi destroy` returns it to. */
export const pausedVmRestoreTo = web.initialState;
/** The clock-tracked VM's name. */
export const clockVmName = db.name;
/** The clock settings as read back from the VM. */
export const clockTrack = db.track;
export const clockSyncAfterResume = db.syncAfterVMResume;
export const clockIntervalSeconds = db.intervalInSeconds;
/** The clock settings `pulumi destroy` sets back. */
export const clockRestoreTo = db.restoreTo;
