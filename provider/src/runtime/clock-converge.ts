/**
 * Reading a VM's clock settings and bringing them to a target: the ZStack calls of `VmClockTrack`.
 */
import type { VmInstanceInventory, ZStackClient } from "../zstack";
import { runAction } from "./actions";
import {
  differing,
  paramsOf,
  type ClockPlan,
  type ClockReading,
  type ClockValues,
  type ManagedClock,
} from "./clock-values";
import { ProviderError, vmNotFound } from "./errors";
import { debug } from "./log";
import type { ProviderRuntime } from "./provider-runtime";
import { isJobLost, isOutcomeUnknown } from "./settle";
import type { ResourceKind } from "../vocabulary/resource-kinds";

const KIND: ResourceKind = "VmClockTrack";

/** Resource-configuration names of the three settings (category `vm`). */
const CONFIG_NAMES: Readonly<Record<keyof ClockValues, string>> = {
  track: "vm.clock.track",
  syncAfterVMResume: "vm.clock.sync.after.vm.resume",
  intervalInSeconds: "vm.clock.sync.interval.in.seconds",
};

/**
 * Reads the three settings back from the VM's resource configurations, concurrently, each with whether the VM has
 * its own value or inherits the global one.
 */
export async function readClock(
  client: ZStackClient,
  vmUuid: string,
  deadline?: number,
): Promise<ClockReading> {
  const read = (key: keyof ClockValues) =>
    client.readResourceConfig(vmUuid, "vm", CONFIG_NAMES[key], { deadline, vmUuid });
  const [track, sync, interval] = await Promise.all([
    read("track"),
    read("syncAfterVMResume"),
    read("intervalInSeconds"),
  ]);
  return {
    values: {
      track: track.value === "guest" ? "guest" : "host",
      syncAfterVMResume: sync.value.trim().toLowerCase() === "true",
      intervalInSeconds: Number(interval.value),
    },
    origins: { track: track.origin, syncAfterVMResume: sync.origin, intervalInSeconds: interval.origin },
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
  readonly before: ClockReading;
  readonly current: ClockReading;
}

/** The VM and its clock after a convergence, and the clock as it was before. */
export interface ClockState {
  readonly vm: VmInstanceInventory;
  readonly before: ClockReading;
  readonly after: ClockValues;
}

/**
 * Deletes the VM's own value of each setting in `keys`, one job after the other, so that the VM inherits the global
 * value again. A delete whose outcome is still unknown at the deadline fails with what to do: a delete is safe to
 * send again, and the next run reads whether the VM still has its own value.
 */
export async function inheritAgain(
  client: ZStackClient,
  vmUuid: string,
  keys: readonly (keyof ClockValues)[],
  deadline: number,
): Promise<void> {
  for (const key of keys) {
    try {
      await client.deleteResourceConfig(vmUuid, CONFIG_NAMES[key], { deadline, vmUuid });
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error;
      throw new ProviderError(
        `VmClockTrack: deleteResourceConfig of ${CONFIG_NAMES[key]} on VM ${vmUuid} (job ${error.jobUuid}), which ` +
          `returns ${key} to the global value it inherited, had not finished in time. Run the command again: it ` +
          `reads which values the VM still has of its own and deletes only those.`,
        { cause: error },
      );
    }
  }
}

/**
 * Brings the managed settings to their plan for the clock as read: reads the VM and its clock, does nothing when
 * every managed setting already matches and nothing is to inherit again, else sends one `setVmClockTrack` where a
 * value differs and waits for its job, then deletes the VM's own values the plan returns to inheritance. ZStack
 * accepts the action in any VM state (it is not in the VM's allowed-operations table, zstackio/zstack
 * `compute/src/main/java/org/zstack/compute/vm/AbstractVmInstance.java`), so there is nothing to wait out first.
 */
export async function converge(
  client: ZStackClient,
  vmUuid: string,
  planFor: (current: ClockReading) => ClockPlan,
  deadline: number,
  onRead: (read: ClockReads) => void,
): Promise<ClockState> {
  // The clock as first read is what restore returns to, even when a lost job makes us read it again.
  let first: ClockReading | undefined;
  for (;;) {
    const { vm: found, clock: current } = await readVmClock(client, vmUuid, deadline);
    const before = (first ??= current);
    onRead({ before, current });
    const { target, inherit } = planFor(current);
    const sets = differing(current.values, target).length > 0;
    if (!sets && inherit.length === 0) return { vm: found, before, after: current.values };
    let vm = found;
    let after = current.values;
    if (sets) {
      try {
        vm = await runAction(
          client,
          KIND,
          vmUuid,
          { name: "setVmClockTrack", params: paramsOf(target) },
          deadline,
        );
      } catch (error) {
        if (!isJobLost(error)) throw error;
        // The server forgot the job (expired, management node restarted): it may have run. The clock says.
        debug(`setVmClockTrack job on VM ${vmUuid} was lost; reading the clock again`);
        continue;
      }
      after = await readBack(client, vmUuid, target, deadline);
    }
    if (inherit.length === 0) return { vm, before, after };
    await inheritAgain(client, vmUuid, inherit, deadline);
    return { vm, before, after: (await readClock(client, vmUuid, deadline)).values };
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
  const after = (await readClock(client, vmUuid, deadline)).values;
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
        () => ({ target: declared, inherit: [] }),
        deadline,
        (read) => (notes.seen = read),
      ),
  );
}
