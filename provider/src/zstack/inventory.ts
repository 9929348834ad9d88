/**
 * zod 4 schemas of the inventories the client reads (API reference §7) and of the small envelopes around them.
 *
 * - Every field of the reference is declared; fields the table marks optional, and fields the server omits when
 *   null (Gson without `serializeNulls`), are optional. A `null` is read as absent.
 * - Unknown fields pass through (`.loose()`): newer servers add fields, and the runtime exposes what it gets.
 * - Integers (`int`/`long`) accept floats and numeric strings (`8.589934592E9`, `1.0`, `"42"`) and are normalized to
 *   integral numbers; dates stay the server's strings (`Nov 14, 2017 10:20:57 PM`, local time without zone).
 * - Lists a VM always has (`vmNics`, `allVolumes`, `vmCdRoms`) default to `[]` when omitted.
 *
 * These schemas live only in the provider runtime (never serialized into Pulumi state), so module-level constants are fine.
 */
import { z } from "zod";

const NUMERIC_STRING = /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/;

/** A ZStack `int`/`long`: a finite number (float or numeric string accepted), normalized to an integer. */
export const IntegerSchema = z
  .preprocess(
    (v) => (typeof v === "string" && NUMERIC_STRING.test(v) ? Number(v) : v),
    z.number().refine(Number.isFinite, "expected a finite number"),
  )
  .transform((n) => Math.round(n));

/** Makes a field optional and reads `null` as absent. */
function optional<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();
}

/** A list that defaults to `[]` when omitted or null. */
function list<T extends z.ZodType>(schema: T) {
  return z
    .array(schema)
    .nullish()
    .transform((v) => v ?? []);
}

const str = z.string();
/** Dates are kept as the server's strings. */
const date = z.string();

/** `UsedIpInventory`: an IP address used by a NIC. */
export const UsedIpInventorySchema = z
  .object({
    uuid: str,
    ipRangeUuid: optional(str),
    ipVersion: optional(IntegerSchema),
    ip: str,
    netmask: optional(str),
    gateway: optional(str),
    usedFor: optional(str),
    ipInLong: optional(IntegerSchema),
    vmNicUuid: optional(str),
    createDate: optional(date),
    lastOpDate: optional(date),
  })
  .loose();

/**
 * `VmNicInventory`: a VM network interface. The reference's doc example omits `ipVersion`, `usedIps`,
 * `internalName`, `type` and `state`, and a NIC without an address omits `ip`/`netmask`/`gateway`: all optional.
 */
export const VmNicInventorySchema = z
  .object({
    uuid: str,
    vmInstanceUuid: str,
    l3NetworkUuid: str,
    ip: optional(str),
    mac: str,
    hypervisorType: optional(str),
    netmask: optional(str),
    gateway: optional(str),
    metaData: optional(str),
    ipVersion: optional(IntegerSchema),
    driverType: optional(str),
    usedIps: list(UsedIpInventorySchema),
    internalName: optional(str),
    deviceId: IntegerSchema,
    type: optional(str),
    state: optional(str),
    createDate: date,
    lastOpDate: date,
  })
  .loose();

/** `VolumeInventory`: a root or data volume. */
export const VolumeInventorySchema = z
  .object({
    uuid: str,
    name: str,
    description: optional(str),
    primaryStorageUuid: str,
    vmInstanceUuid: optional(str),
    diskOfferingUuid: optional(str),
    rootImageUuid: optional(str),
    installPath: str,
    type: str,
    format: str,
    size: IntegerSchema,
    actualSize: optional(IntegerSchema),
    deviceId: optional(IntegerSchema),
    state: str,
    status: str,
    createDate: date,
    lastOpDate: date,
    isShareable: optional(z.boolean()),
    volumeQos: optional(str),
    lastDetachDate: optional(date),
    lastVmInstanceUuid: optional(str),
    lastAttachDate: optional(date),
    protocol: optional(str),
  })
  .loose();

/** `VmCdRomInventory`: a virtual CD-ROM drive. */
export const VmCdRomInventorySchema = z
  .object({
    uuid: str,
    vmInstanceUuid: str,
    deviceId: IntegerSchema,
    isoUuid: optional(str),
    isoInstallPath: optional(str),
    name: str,
    description: optional(str),
    protocol: optional(str),
    createDate: date,
    lastOpDate: date,
  })
  .loose();

/** `VmInstanceInventory`: a VM as returned by queries and by the actions' results. */
export const VmInstanceInventorySchema = z
  .object({
    uuid: str,
    name: str,
    description: optional(str),
    zoneUuid: str,
    clusterUuid: optional(str),
    imageUuid: optional(str),
    hostUuid: optional(str),
    lastHostUuid: optional(str),
    instanceOfferingUuid: optional(str),
    rootVolumeUuid: str,
    platform: str,
    architecture: optional(str),
    defaultL3NetworkUuid: optional(str),
    type: str,
    hypervisorType: str,
    memorySize: IntegerSchema,
    reservedMemorySize: optional(IntegerSchema),
    cpuNum: IntegerSchema,
    // The reference's doc example omits cpuSpeed, so it is optional here.
    cpuSpeed: optional(IntegerSchema),
    allocatorStrategy: str,
    createDate: date,
    lastOpDate: date,
    state: str,
    vmNics: list(VmNicInventorySchema),
    allVolumes: list(VolumeInventorySchema),
    vmCdRoms: list(VmCdRomInventorySchema),
    guestOsType: optional(str),
  })
  .loose();

/** A VM inventory (unknown server fields kept). */
export type VmInstanceInventory = z.infer<typeof VmInstanceInventorySchema>;
/** A NIC inventory. */
export type VmNicInventory = z.infer<typeof VmNicInventorySchema>;
/** A used-IP inventory. */
export type UsedIpInventory = z.infer<typeof UsedIpInventorySchema>;
/** A volume inventory. */
export type VolumeInventory = z.infer<typeof VolumeInventorySchema>;
/** A CD-ROM inventory. */
export type VmCdRomInventory = z.infer<typeof VmCdRomInventorySchema>;

/** `SessionInventory` of a login reply. */
export const SessionInventorySchema = z
  .object({
    uuid: str,
    accountUuid: optional(str),
    userUuid: optional(str),
    userType: optional(str),
    expiredDate: optional(date),
    createDate: optional(date),
  })
  .loose();

/** A session inventory. */
export type SessionInventory = z.infer<typeof SessionInventorySchema>;

/** `PUT /v1/accounts/login` → 200 `{"inventory": SessionInventory}`. */
export const LoginReplySchema = z.object({ inventory: SessionInventorySchema }).loose();

/** A query reply: `{"inventories": [...], "total"?, "schema"?}`. */
export const VmQueryReplySchema = z
  .object({ inventories: z.array(z.unknown()), total: optional(IntegerSchema) })
  .loose();

/** An async submit's 202: `{"location": "...", "apiTimeout"?: ms}`. */
export const JobAcceptedSchema = z
  .object({ location: optional(str), apiTimeout: optional(IntegerSchema) })
  .loose();

/** A finished VM action's 200: `{"inventory": VmInstanceInventory}`. */
export const VmActionResultSchema = z.object({ inventory: VmInstanceInventorySchema }).loose();

/** `GET /v1/resource-configurations/{uuid}/{category}/{name}` → `{"value": "...", "effectiveConfigs": [...]}`. */
export const ResourceConfigReplySchema = z
  .object({
    value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
    effectiveConfigs: z.array(z.unknown()).nullish(),
  })
  .loose();

/** A short, path-qualified summary of a zod error (for `CLIENT.PROTOCOL` details). */
export function summarizeIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > max) parts.push(`… ${error.issues.length - max} more`);
  return parts.join("; ");
}
