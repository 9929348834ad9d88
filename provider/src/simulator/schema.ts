// The `schema` map of replies: JSON path → Java class of each typed object in the reply. Query replies always
// carry it; other replies only when the request sent `X-JSON-Schema`
// (docs/zstack-behaviour.md#json-on-the-wire).

import { INVENTORY_CLASSES, type VmInstanceInventory } from "./inventory";

/** A reply's `schema` map. */
export type Schema = Record<string, string>;

/** The nested lists of a VM inventory; any may be absent when a query projects `fields`. */
type VmLists = Partial<Pick<VmInstanceInventory, "vmNics" | "allVolumes" | "vmCdRoms">>;

/** Adds the entries of one VM inventory placed at `path` (e.g. `inventories[0]` or `inventory`). */
export function addVmSchema(schema: Schema, path: string, vm: VmLists): void {
  schema[path] = INVENTORY_CLASSES.vm;
  (vm.vmNics ?? []).forEach((nic, i) => {
    const nicPath = `${path}.vmNics[${i}]`;
    schema[nicPath] = INVENTORY_CLASSES.nic;
    nic.usedIps.forEach((_ip, j) => (schema[`${nicPath}.usedIps[${j}]`] = INVENTORY_CLASSES.usedIp));
  });
  (vm.allVolumes ?? []).forEach((_v, i) => (schema[`${path}.allVolumes[${i}]`] = INVENTORY_CLASSES.volume));
  (vm.vmCdRoms ?? []).forEach((_c, i) => (schema[`${path}.vmCdRoms[${i}]`] = INVENTORY_CLASSES.cdRom));
}

/** The schema of a query reply listing `inventories`, each either a VM or a flat inventory of `className`. */
export function querySchema(inventories: readonly unknown[], className: string): Schema {
  const schema: Schema = {};
  inventories.forEach((inventory, i) => {
    if (className === INVENTORY_CLASSES.vm) addVmSchema(schema, `inventories[${i}]`, inventory as VmLists);
    else schema[`inventories[${i}]`] = className;
  });
  return schema;
}
