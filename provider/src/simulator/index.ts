// pulumi-zstack-vm/simulator: a local, loopback ZStack management node for the demo, the tests, the
// benchmark and users' own offline tests. See docs/zstack-behaviour.md for the behaviour it reproduces.

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
  SimulatorSessions,
  SimulatorTimings,
  SimulatorVms,
} from "./simulator";
export type { ApiActionName } from "./api-actions";
export { VM_ACTION_NAMES, type VmActionName } from "../vocabulary/vm-actions";
export {
  accessKeySignature,
  type AccessKeyCredentials,
  type AccountCredentials,
  type SessionCounts,
} from "./auth";
export { manualClock, type Clock, type ManualClock } from "./clock";
export { connectionSettings, type SimulatorLogin, type SimulatorSetting } from "./connection";
export { DEMO_VM_UUIDS } from "./demo-vms";
export { ENDPOINT_KINDS, type EndpointKind } from "../vocabulary/endpoint-kinds";
export type { Fault, FaultHandle, FaultKind, FaultRule } from "./faults";
export type { VmState } from "../vocabulary/vm-states";
export type {
  UsedIpInventory,
  VmCdRomInventory,
  VmInstanceInventory,
  VmNicInventory,
  VolumeInventory,
} from "./inventory";
export type { JobRecord, JobState } from "./jobs";
export type { CountersSnapshot, RequestLogEntry } from "./request-log";
export type { GlobalConfigValues, ResourceConfigInventory, ResourceConfigName } from "./resource-configs";
export { DEFAULT_ZSTACK_VERSION } from "./server-version";
export type { SeedContents } from "./seed-file";
export type { TlsOptions } from "./server";
export { generateVms, type GenerateVmsOptions, type VmSeed } from "./vm-factory";
export type { VmHold } from "./vm-store";
export { ZStackApiError, type ZStackErrorCode } from "./wire";
