// pulumi-zstack-vm/simulator: a local, loopback ZStack management node for the demo, the tests, the
// benchmark and users' own offline tests. See zstack-api.md §8 for the behaviour it reproduces.

export { startSimulator } from "./simulator";
export type {
  OutOfBandOperation,
  Simulator,
  SimulatorCounters,
  SimulatorEndpoint,
  SimulatorFaults,
  SimulatorJobs,
  SimulatorLog,
  SimulatorOptions,
  SimulatorResourceConfigs,
  SimulatorTimings,
  SimulatorVms,
} from "./simulator";
export { VM_ACTIONS, type ApiActionName, type VmActionName } from "./actions";
export { accessKeySignature, sha512Hex, type AccessKeyCredentials, type AccountCredentials } from "./auth";
export { manualClock, type Clock, type ManualClock } from "./clock";
export { connectionSettings, type SimulatorLogin, type SimulatorSetting } from "./connection";
export { DEMO_VM_UUIDS, demoVms } from "./demo-vms";
export { ENDPOINT_KINDS, type EndpointKind } from "./endpoints";
export type { Fault, FaultHandle, FaultKind, FaultRule } from "./faults";
export {
  VM_STATES,
  type UsedIpInventory,
  type VmCdRomInventory,
  type VmInstanceInventory,
  type VmNicInventory,
  type VmState,
  type VolumeInventory,
} from "./inventory";
export type { JobRecord, JobState } from "./jobs";
export type { CountersSnapshot, RequestLogEntry } from "./request-log";
export type { ResourceConfigInventory, ResourceConfigName } from "./resource-configs";
export { parseSeed, parseSeedContents, readSeedContents, readSeedFile, type SeedContents } from "./seed-file";
export type { TlsOptions } from "./server";
export { generateVms, type GenerateVmsOptions, type VmSeed } from "./vm-factory";
export type { VmHold } from "./vm-store";
export { formatZStackDate, ZStackApiError, type ZStackErrorCode } from "./wire";
