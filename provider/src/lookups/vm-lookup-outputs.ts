import * as pulumi from "@pulumi/pulumi";

import type { VmInstanceInventory } from "../zstack";
import type { GetVmInstanceArgs, GetVmInstancesArgs, LookupOptions } from "../runtime/vm-lookup-args";
import { getVmInstance, getVmInstances, type GetVmInstancesResult } from "./vm-lookups";

/** Arguments whose properties may each be an Input (a plain value, a Promise or another resource's Output). */
export type LookupInputs<T> = T extends unknown ? { readonly [K in keyof T]: pulumi.Input<T[K]> } : never;

/** The arguments of {@link getVmInstanceOutput}: those of {@link getVmInstance}, each an Input. */
export type GetVmInstanceOutputArgs = LookupInputs<GetVmInstanceArgs>;

/** The arguments of {@link getVmInstancesOutput}: those of {@link getVmInstances}, each an Input. */
export type GetVmInstancesOutputArgs = LookupInputs<GetVmInstancesArgs>;

/**
 * {@link getVmInstance} for Inputs: the lookup runs once every argument is known, and its result is an Output that
 * is secret when an argument was. During `pulumi preview`, an argument that is another resource's not-yet-known
 * output makes the result unknown instead of running the lookup.
 *
 * @example
 * ```ts
 * export const dbHost = getVmInstanceOutput({ name: config.require("dbVm") }).hostUuid;
 * ```
 */
export function getVmInstanceOutput(
  args: GetVmInstanceOutputArgs,
  options?: LookupOptions,
): pulumi.Output<VmInstanceInventory> {
  return pulumi
    .output(args)
    .apply((plain) =>
      getVmInstance(plain as unknown as GetVmInstanceArgs, options),
    ) as pulumi.Output<VmInstanceInventory>;
}

/**
 * {@link getVmInstances} for Inputs: the lookup runs once every argument is known, and its result is an Output that
 * is secret when an argument was; unknown during `pulumi preview` while an argument is.
 *
 * Resources cannot be declared inside `apply`; to declare one per VM found, await {@link getVmInstances} instead.
 *
 * @example
 * ```ts
 * export const runningVms = getVmInstancesOutput({ clusterUuid: cluster.uuid, state: "Running" }).uuids;
 * ```
 */
export function getVmInstancesOutput(
  args?: GetVmInstancesOutputArgs,
  options?: LookupOptions,
): pulumi.Output<GetVmInstancesResult> {
  return pulumi
    .output(args ?? {})
    .apply((plain) =>
      getVmInstances(plain as unknown as GetVmInstancesArgs, options),
    ) as pulumi.Output<GetVmInstancesResult>;
}
