/**
 * The VM lookups' one mechanism, whichever face runs them: the program side's `getVmInstance(s)` (one client per
 * program process, settings from the stack's `zstack:*` config) and the native provider's invokes (the provider
 * instance's runtime). Each face passes how it gets its client.
 */
import { ZStackError, type VmInstanceInventory, type ZStackClient } from "../zstack";
import { LookupError, lookupError, type LookupName } from "./lookup-error";
import {
  checkLookupOptions,
  planVmInstance,
  planVmInstances,
  type CheckedLookupOptions,
  type GetVmInstanceArgs,
  type GetVmInstancesArgs,
  type LookupOptions,
} from "./vm-lookup-args";

/**
 * How a face gets the ZStack client a lookup reads with. Throws a {@link LookupError} (or any error, which becomes
 * one) when the connection settings are missing or invalid.
 */
export type LookupConnect = (lookup: LookupName) => ZStackClient | Promise<ZStackClient>;

/** The result of {@link findVmInstances}. */
export interface GetVmInstancesResult {
  /** The matching VMs' inventories, ordered by name, then uuid. */
  readonly vmInstances: readonly VmInstanceInventory[];
  /** Their uuids, in the same order. */
  readonly uuids: readonly string[];
  /** The ZStack query conditions the arguments became (`q=`), for the record. */
  readonly conditions: readonly string[];
}

/** At most this many VMs are listed in an error about several matches. */
const LISTED_IN_ERRORS = 10;

/**
 * Finds exactly one VM, by uuid or by exact name, with the client `connect` gives, and returns its inventory. It
 * reads only. Fails with a {@link LookupError} when no VM or several match (saying how many, and how to narrow the
 * lookup), when an argument is invalid, or when ZStack cannot be reached.
 */
export async function findVmInstance(
  connect: LookupConnect,
  args: GetVmInstanceArgs,
  options?: LookupOptions,
): Promise<VmInstanceInventory> {
  const lookup: LookupName = "getVmInstance";
  const plan = planVmInstance(args);
  const opts = checkLookupOptions(lookup, options);
  if (plan.by === "uuid") {
    const vm = await readZStack(connect, lookup, (client) => client.getVm(plan.value, callOptions(opts)));
    if (vm === undefined) {
      throw lookupError(
        lookup,
        `no VM has uuid ${plan.value} (0 matched): it does not exist or was expunged. Check the uuid, or look ` +
          `the VM up by name with getVmInstance({ name }).`,
        0,
      );
    }
    return vm;
  }
  const condition = `name=${plan.value}`;
  const found = sorted(
    (await readZStack(connect, lookup, (client) => client.queryVms([condition], callOptions(opts))))
      .inventories,
  );
  const [only, ...others] = found;
  if (only === undefined) {
    throw lookupError(
      lookup,
      `no VM is named ${JSON.stringify(plan.value)} (0 matched ${condition}). Names are exact and ` +
        `case-sensitive; to search, use getVmInstances({ nameRegex }) or a condition such as ` +
        `"name~=${plan.value}%".`,
      0,
    );
  }
  if (others.length > 0) {
    throw lookupError(
      lookup,
      `${found.length} VMs are named ${JSON.stringify(plan.value)}, so the name does not identify one: ` +
        `${listed(found)}. Pass the uuid of the one you mean (getVmInstance({ uuid })), or take them all with ` +
        `getVmInstances({ name, ... }) narrowed by state, clusterUuid, hostUuid or zoneUuid.`,
      found.length,
    );
  }
  return only;
}

/**
 * Finds the VMs that match every given filter (none given: every VM) with the client `connect` gives, reading every
 * page of the ZStack query, and returns their inventories ordered by name, then uuid, so that a program iterating
 * over them is stable from one run to the next. No match is an empty list, not an error. Fails with a
 * {@link LookupError} when an argument is invalid, when more VMs than `limit` match (saying how many), or when
 * ZStack cannot be reached or rejects a condition.
 */
export async function findVmInstances(
  connect: LookupConnect,
  args?: GetVmInstancesArgs,
  options?: LookupOptions,
): Promise<GetVmInstancesResult> {
  const lookup: LookupName = "getVmInstances";
  const plan = planVmInstances(args);
  const opts = checkLookupOptions(lookup, options);
  const { inventories } = await readZStack(connect, lookup, (client) =>
    client.queryVms(plan.conditions, { ...callOptions(opts), pageSize: opts.pageSize }),
  );
  const nameRegex = plan.nameRegex;
  const found = sorted(nameRegex ? inventories.filter((vm) => nameRegex.test(vm.name)) : inventories);
  if (plan.limit !== undefined && found.length > plan.limit) {
    const query = [...plan.conditions, ...(nameRegex ? [`name matching /${nameRegex.source}/`] : [])].join(
      " and ",
    );
    throw lookupError(
      lookup,
      `${found.length} VMs matched (${query || "no filter: every VM"}), more than limit ${plan.limit}. Narrow the ` +
        `lookup with name, nameRegex, state, clusterUuid, hostUuid, zoneUuid or conditions, or raise limit.`,
      found.length,
    );
  }
  return { vmInstances: found, uuids: found.map((vm) => vm.uuid), conditions: plan.conditions };
}

/**
 * Runs one lookup's reads on the client `connect` gives. A failure to connect (settings missing or invalid) becomes
 * a {@link LookupError} with its message, a ZStack failure one that keeps the `ZStackError` as cause.
 */
async function readZStack<T>(
  connect: LookupConnect,
  lookup: LookupName,
  read: (client: ZStackClient) => Promise<T>,
): Promise<T> {
  let client: ZStackClient;
  try {
    client = await connect(lookup);
  } catch (error) {
    if (error instanceof LookupError) throw error;
    throw lookupError(lookup, (error as Error).message, undefined, error);
  }
  try {
    return await read(client);
  } catch (error) {
    if (!ZStackError.isInstance(error)) throw error;
    throw lookupError(lookup, `reading VMs from ZStack failed: ${error.message}`, undefined, error);
  }
}

function callOptions(opts: CheckedLookupOptions): { readonly deadline: number } {
  return { deadline: Date.now() + opts.timeoutSeconds * 1000 };
}

/**
 * By name, then uuid, comparing UTF-16 code units rather than with `localeCompare`, whose order depends on the ICU
 * data of the Node.js build: the order must be the same on every machine and Node version.
 */
function sorted(vms: readonly VmInstanceInventory[]): VmInstanceInventory[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...vms].sort((a, b) => compare(a.name, b.name) || compare(a.uuid, b.uuid));
}

function listed(vms: readonly VmInstanceInventory[]): string {
  const shown = vms
    .slice(0, LISTED_IN_ERRORS)
    .map(
      (vm) => `${vm.uuid} (${vm.state}, cluster ${vm.clusterUuid ?? "none"}, host ${vm.hostUuid ?? "none"})`,
    );
  const more = vms.length - shown.length;
  return shown.join(", ") + (more > 0 ? ` and ${more} more` : "");
}
