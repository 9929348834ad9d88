/**
 * A maintenance window over one ZStack cluster, with the VMs found by lookup rather than listed by uuid.
 *
 * The cluster is named by one of its VMs (`getVmInstance({ name })` gives its `clusterUuid`), or given directly.
 * While the window is open, every VM of the cluster that can be paused, that is Running or already Paused, gets a
 * `VmPauseState` declaring it Paused. Closing the window declares no resources: Pulumi deletes them, and each one
 * gives its VM back the state it was found in (`onDelete: "restore"`, the default), so a VM that was already
 * Paused before the window stays Paused.
 *
 * Why Running *and* Paused: the lookup runs on every `preview` and `up`. Selecting only Running VMs would drop the
 * VMs this program paused itself from the next run's selection, and Pulumi would delete (and so resume) them.
 * Selecting by what cannot change under the program (the cluster, a name pattern) keeps the set stable.
 */
import { getVmInstance, getVmInstances, VmPauseState, type VmInstanceInventory } from "pulumi-zstack-vm";

/** The inputs of {@link clusterMaintenance}. */
export interface ClusterMaintenanceArgs {
  /** The cluster's uuid; when absent, the cluster of the VM named `clusterOf`. */
  readonly clusterUuid?: string;
  /** The name of a VM of the cluster (exact); used when `clusterUuid` is absent. */
  readonly clusterOf?: string;
  /** Only VMs whose name matches this JavaScript regular expression. */
  readonly nameRegex?: string;
  /** Whether the window is open. */
  readonly active: boolean;
  /** The most VMs the window may pause: a guard against pausing a whole cloud by mistake. */
  readonly limit: number;
}

/** What {@link clusterMaintenance} declared. */
export interface ClusterMaintenance {
  /** The cluster the window is about. */
  readonly clusterUuid: string;
  /** The VMs the lookup found, ordered by name (empty while the window is closed). */
  readonly vms: readonly VmInstanceInventory[];
  /** One resource per VM, in the same order. */
  readonly pauses: readonly VmPauseState[];
}

/** The VM states a window adopts: those that pause and resume move between. */
const PAUSABLE = ["Running", "Paused"] as const;

/** Finds the cluster and its pausable VMs, and declares them Paused while the window is open. */
export async function clusterMaintenance(args: ClusterMaintenanceArgs): Promise<ClusterMaintenance> {
  const clusterUuid = args.clusterUuid ?? (await clusterOfVm(args.clusterOf));
  if (!args.active) return { clusterUuid, vms: [], pauses: [] };
  const found = await getVmInstances({
    clusterUuid,
    state: [...PAUSABLE],
    ...(args.nameRegex !== undefined ? { nameRegex: args.nameRegex } : {}),
    limit: args.limit,
  });
  // Named after the uuid: a renamed VM keeps its resource, and two VMs of one name cannot collide.
  const pauses = found.vmInstances.map(
    (vm) => new VmPauseState(`pause-${vm.uuid}`, { vmUuid: vm.uuid, state: "Paused" }),
  );
  return { clusterUuid, vms: found.vmInstances, pauses };
}

async function clusterOfVm(name: string | undefined): Promise<string> {
  if (name === undefined) {
    throw new Error(
      "vm-lookup: set vm-lookup:clusterOf to the name of a VM of the cluster, or vm-lookup:clusterUuid to its uuid",
    );
  }
  const vm = await getVmInstance({ name });
  if (vm.clusterUuid === undefined) {
    throw new Error(
      `vm-lookup: VM ${JSON.stringify(name)} (${vm.uuid}) belongs to no cluster; name a VM that does in ` +
        `vm-lookup:clusterOf, or set vm-lookup:clusterUuid`,
    );
  }
  return vm.clusterUuid;
}
