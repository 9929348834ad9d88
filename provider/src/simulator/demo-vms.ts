// The default seed: a handful of demo VMs covering the states the resources care about (Running, Paused,
// Stopped), with readable, stable uuids so that demos, docs and tests can name them.

import type { VmInstanceInventory } from "./inventory";
import { completeVm, dataVolumeFor, type VmSeed } from "./vm-factory";

const GiB = 1024 * 1024 * 1024;

/** Uuids of the demo VMs, by name. */
export const DEMO_VM_UUIDS = {
  "web-1": "aaaa0000000000000000000000000001",
  "web-2": "aaaa0000000000000000000000000002",
  "db-1": "aaaa0000000000000000000000000003",
  "batch-1": "aaaa0000000000000000000000000004",
} as const;

const DEMO_SEEDS: readonly VmSeed[] = [
  {
    uuid: DEMO_VM_UUIDS["web-1"],
    name: "web-1",
    description: "nginx front end",
    state: "Running",
  },
  {
    uuid: DEMO_VM_UUIDS["web-2"],
    name: "web-2",
    description: "nginx front end",
    state: "Running",
  },
  {
    uuid: DEMO_VM_UUIDS["db-1"],
    name: "db-1",
    description: "PostgreSQL primary",
    state: "Paused",
    memorySize: 8 * GiB,
    cpuNum: 4,
  },
  {
    uuid: DEMO_VM_UUIDS["batch-1"],
    name: "batch-1",
    description: "nightly batch worker",
    state: "Stopped",
    memorySize: 4 * GiB,
    cpuNum: 4,
    platform: "Linux",
    architecture: "aarch64",
    guestOsType: "Ubuntu 22.04",
  },
];

/** The demo VMs: web-1 and web-2 Running, db-1 Paused (with a 100 GiB data volume), batch-1 Stopped. */
export function demoVms(nowMs: number = Date.now()): VmInstanceInventory[] {
  return DEMO_SEEDS.map((seed, i) => {
    const vm = completeVm(seed, i, nowMs);
    return seed.name === "db-1"
      ? { ...vm, allVolumes: [...vm.allVolumes, dataVolumeFor(vm, 1, 100 * GiB)] }
      : vm;
  });
}
