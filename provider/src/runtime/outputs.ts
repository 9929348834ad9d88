import type { VmInventoryOutputs } from "./vm-inventory";
import { VM_INVENTORY_KEYS } from "../vocabulary/vm-inventory-keys";
import type { VmInstanceInventory } from "../zstack";

const LIST_KEYS = new Set<string>(["vmNics", "allVolumes", "vmCdRoms"]);

/**
 * Flattens a VM inventory into the resources' top-level outputs. Every key is present: a field ZStack omitted is
 * `null` (a list is `[]`), because an `undefined` anywhere in outputs makes the host's Struct encoding fail
 * ("Unexpected struct type").
 */
export function inventoryOutputs(vm: VmInstanceInventory): VmInventoryOutputs {
  const outputs: Record<string, unknown> = {};
  for (const key of VM_INVENTORY_KEYS) {
    // Typed access: every output key must be a field of the inventory interface.
    const value: unknown = vm[key];
    outputs[key] =
      value === undefined || value === null ? (LIST_KEYS.has(key) ? [] : null) : definedOnly(value);
  }
  return outputs as unknown as VmInventoryOutputs;
}

/** A deep copy without `undefined` members, which the host cannot encode; `null` stays. */
export function definedOnly<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => definedOnly(item)) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) copy[key] = definedOnly(member);
    }
    return copy as T;
  }
  return value;
}
