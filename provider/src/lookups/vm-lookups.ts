import type { VmInstanceInventory, ZStackClient } from "../zstack";
import { resolveConnectionSettings } from "../runtime";
import type { GetVmInstanceArgs, GetVmInstancesArgs, LookupOptions } from "../runtime/vm-lookup-args";
import { findVmInstance, findVmInstances, type GetVmInstancesResult } from "../runtime/vm-lookups";
import { lookupClient } from "./lookup-clients";
import { programConfigSource } from "./program-config";

export type { GetVmInstancesResult } from "../runtime/vm-lookups";

/**
 * The program process's client for the stack's connection settings (the `zstack:*` config, then the `ZSTACK_*`
 * environment): one login for all the program's lookups, logged out when the program's work ends
 * (lookup-clients.ts).
 */
async function programClient(): Promise<ZStackClient> {
  return lookupClient(resolveConnectionSettings(await programConfigSource()));
}

/**
 * Finds exactly one VM, by uuid or by exact name, and returns its inventory. It reads only, so it runs in
 * `pulumi preview` as in `pulumi up`. Connection settings are the resources': the stack's `zstack:*` config, then
 * the `ZSTACK_*` environment variables.
 *
 * Fails with a {@link LookupError} when no VM or several match (saying how many, and how to narrow the lookup),
 * when an argument is invalid, or when ZStack cannot be reached.
 *
 * @example
 * ```ts
 * const db = await getVmInstance({ name: "db-1" });
 * new VmPauseState("db-paused", { vmUuid: db.uuid, state: "Paused" });
 * ```
 */
export function getVmInstance(
  args: GetVmInstanceArgs,
  options?: LookupOptions,
): Promise<VmInstanceInventory> {
  return findVmInstance(programClient, args, options);
}

/**
 * Finds the VMs that match every given filter (none given: every VM), reading every page of the ZStack query, and
 * returns their inventories ordered by name, then uuid, so that a program iterating over them is stable from one
 * run to the next. No match is an empty list, not an error. It reads only, so it runs in `pulumi preview` as in
 * `pulumi up`; connection settings are the resources'.
 *
 * Fails with a {@link LookupError} when an argument is invalid, when more VMs than `limit` match (saying how many),
 * or when ZStack cannot be reached or rejects a condition.
 *
 * @example
 * ```ts
 * const running = await getVmInstances({ clusterUuid: "6c9e...", state: "Running" });
 * for (const vm of running.vmInstances) new VmPauseState(`pause-${vm.name}`, { vmUuid: vm.uuid });
 * ```
 */
export function getVmInstances(
  args?: GetVmInstancesArgs,
  options?: LookupOptions,
): Promise<GetVmInstancesResult> {
  return findVmInstances(programClient, args, options);
}
