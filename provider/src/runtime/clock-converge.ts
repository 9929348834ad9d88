/**
 * Reading a VM's clock settings and bringing them to a target: the ZStack calls of `VmClockTrack`.
 */
import type { VmInstanceInventory, ZStackClient } from "../zstack";
import { runAction } from "./actions";
import { differing, paramsOf, type ClockValues, type ManagedClock } from "./clock-values";
import { ProviderError, vmNotFound } from "./errors";
import { debug } from "./log";
import type { ProviderRuntime } from "./provider-runtime";
import { isJobLost } from "./settle";
import type { ResourceKind } from "../vocabulary/resource-kinds";

const KIND: ResourceKind = "VmClockTrack";

/** Resource-configuration names of the three settings (category `vm`). */
const CONFIG_NAMES: Readonly<Record<keyof ClockValues, string>> = {
  track: "vm.clock.track",
  syncAfterVMResume: "vm.clock.sync.after.vm.resume",
  intervalInSeconds: "vm.clock.sync.interval.in.seconds",
};

/** Reads the three settings back from the VM's resource configurations, concurrently. */
export async function readClock(
  client: ZStackClient,
  vmUuid: string,
  deadline?: number,
): Promise<ClockValues> {
  const read = (key: keyof ClockValues) =>
    client.getResourceConfig(vmUuid, "vm", CONFIG_NAMES[key], { deadline, vmUuid });
  const [track, sync, interval] = await Promise.all([
    read("track"),
    read("syncAfterVMResume"),
    read("intervalInSeconds"),
  ]);
  return {
    track: track === "guest" ? "guest" : "host",
    syncAfterVMResume: sync.trim().toLowerCase() === "true",
    intervalInSeconds: Number(interval),
  };
}

/**
 * The adoption read of a VmClockTrack, which create (each round of {@link converge}) and import share: the VM, then
 * its three settings. The VM first: a missing VM then costs one request, not four, and a failure names the read
 * that failed.
 */
export async function readVmClock(client: ZStackClient, vmUuid: string, deadline: number) {
  const vm = await client.getVm(vmUuid, { deadline, vmUuid });
  if (vm === undefined) throw vmNotFound(KIND, vmUuid);
  return { vm, clock: await readClock(client, vmUuid, deadline) };
}

/** The clock before the resource first changed it (what restore returns to) and as last read. */
export interface ClockReads {
  readonly before: ClockValues;
  readonly current: ClockValues;
}

/** The VM and its clock after a convergence, and the clock as it was before. */
export interface ClockState {
  readonly vm: VmInstanceInventory;
  readonly before: ClockValues;
  readonly after: ClockValues;
}

/**
 * Brings the managed settings to their target for the clock as read: reads the VM and its clock, does nothing when
 * every managed setting already matches, else sends one `setVmClockTrack` and waits for its job. ZStack accepts the
 * action in any VM state (it is not in the VM's allowed-operations table, zstackio/zstack
 * `compute/src/main/java/org/zstack/compute/vm/AbstractVmInstance.java`), so there is nothing to wait out first.
 */
export async function converge(
  client: ZStackClient,
  vmUuid: string,
  targetFor: (current: ClockValues) => ManagedClock,
  deadline: number,
  onRead: (read: ClockReads) => void,
): Promise<ClockState> {
  // The clock as first read is what restore returns to, even when a lost job makes us read it again.
  let first: ClockValues | undefined;
  for (;;) {
    const { vm: found, clock: current } = await readVmClock(client, vmUuid, deadline);
    const before = (first ??= current);
    onRead({ before, current });
    const target = targetFor(current);
    if (differing(current, target).length === 0) return { vm: found, before, after: current };
    try {
      const vm = await runAction(
        client,
        KIND,
        vmUuid,
        { name: "setVmClockTrack", params: paramsOf(target) },
        deadline,
      );
      return { vm, before, after: await readBack(client, vmUuid, target, deadline) };
    } catch (error) {
      if (!isJobLost(error)) throw error;
      // The server forgot the job (expired, management node restarted): it may have run. The clock says.
      debug(`setVmClockTrack job on VM ${vmUuid} was lost; reading the clock again`);
    }
  }
}

/**
 * Reads the clock again after a `setVmClockTrack` whose job succeeded. A node older than 4.4.12 accepts the action
 * and ignores `syncAfterVMResume` and `intervalInSeconds`: a setting it did not apply is an error naming it, not a
 * success followed by the same change in every preview.
 */
async function readBack(
  client: ZStackClient,
  vmUuid: string,
  target: ManagedClock,
  deadline: number,
): Promise<ClockValues> {
  const after = await readClock(client, vmUuid, deadline);
  const ignored = differing(after, target);
  if (ignored.length === 0) return after;
  const found = ignored
    .map((key) => `${key} is ${String(after[key])}, not ${String(target[key])}`)
    .join("; ");
  throw new ProviderError(
    `VmClockTrack: setVmClockTrack on VM ${vmUuid} succeeded, but the management node did not apply ` +
      `${ignored.join(" and ")}: read back, ${found}. A node older than 4.4.12 ignores syncAfterVMResume and ` +
      `intervalInSeconds; remove them from the program or upgrade the node.`,
  );
}

/** What the operation converging a VM's clock observed, shared with the operations that joined it. */
export interface ConvergeNotes {
  /** The clock as first read (what restore returns to) and as last read. */
  seen?: ClockReads;
}

/**
 * {@link converge} to `declared`, shared with every concurrent operation of the runtime that sets the same values
 * on the same VM (see `coordination.ts`): one `setVmClockTrack` for all of them, each recording the clock as it was
 * before.
 */
export function convergeShared(
  runtime: ProviderRuntime,
  vmUuid: string,
  declared: ManagedClock,
  deadline: number,
) {
  const client = runtime.client();
  return runtime.coordination.shareInFlight(
    `${KIND}|${vmUuid}|${JSON.stringify(declared)}`,
    (): ConvergeNotes => ({}),
    (notes) =>
      converge(
        client,
        vmUuid,
        () => declared,
        deadline,
        (read) => (notes.seen = read),
      ),
  );
}
