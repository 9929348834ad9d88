import type { VmActionName } from "../vocabulary/vm-actions";

/**
 * Every async API the simulator runs as a job: the VM actions and the resource-config writes. Its own module, so
 * that the action table and the job registry can both name an action without importing each other.
 */
export type ApiActionName = VmActionName | "updateResourceConfig" | "deleteResourceConfig";
