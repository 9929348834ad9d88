/**
 * zod 4 schemas of the inventories the client reads (docs/zstack-behaviour.md#inventories) and of the small
 * envelopes around them.
 *
 * - Every field of those inventories is declared; fields ZStack's example replies leave out, and fields the
 *   server omits when null (Gson without `serializeNulls`), are optional. A `null` is read as absent.
 * - Unknown fields pass through (`.loose()`): newer servers add fields, and the runtime exposes what it gets.
 * - Integers (`int`/`long`) accept floats and numeric strings (`8.589934592E9`, `1.0`, `"42"`) and are normalized to
 *   integral numbers; dates stay the server's strings (`Nov 14, 2017 10:20:57 PM`, local time without zone).
 * - Lists a VM always has (`vmNics`, `allVolumes`, `vmCdRoms`) default to `[]` when omitted.
 *
 * These schemas live only in the provider runtime (never serialized into Pulumi state), so module-level constants are fine.
 */
import { z } from "zod";

import type {
  SessionInventory,
  UsedIpInventory,
  VmCdRomInventory,
  VmInstanceInventory,
  VmNicInventory,
  VolumeInventory,
} from "../vocabulary/inventories";
import type { ObjectSchema, Schema, SchemaIssue } from "./schema";

const NUMERIC_STRING = /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/;

/** A ZStack `int`/`long`: a finite number (float or numeric string accepted), normalized to an integer. */
const zInteger = z
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
const zUsedIpInventory = z
  .object({
    uuid: str,
    ipRangeUuid: optional(str),
    ipVersion: optional(zInteger),
    ip: str,
    netmask: optional(str),
    gateway: optional(str),
    usedFor: optional(str),
    ipInLong: optional(zInteger),
    vmNicUuid: optional(str),
    createDate: optional(date),
    lastOpDate: optional(date),
  })
  .loose();

/**
 * `VmNicInventory`: a VM network interface. ZStack's documented example omits `ipVersion`, `usedIps`,
 * `internalName`, `type` and `state`, and a NIC without an address omits `ip`/`netmask`/`gateway`: all
 * optional.
 */
const zVmNicInventory = z
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
    ipVersion: optional(zInteger),
    driverType: optional(str),
    usedIps: list(zUsedIpInventory),
    internalName: optional(str),
    deviceId: zInteger,
    type: optional(str),
    state: optional(str),
    createDate: date,
    lastOpDate: date,
  })
  .loose();

/** `VolumeInventory`: a root or data volume. */
const zVolumeInventory = z
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
    size: zInteger,
    actualSize: optional(zInteger),
    deviceId: optional(zInteger),
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
const zVmCdRomInventory = z
  .object({
    uuid: str,
    vmInstanceUuid: str,
    deviceId: zInteger,
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
const zVmInstanceInventory = z
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
    memorySize: zInteger,
    reservedMemorySize: optional(zInteger),
    cpuNum: zInteger,
    // ZStack's documented example omits cpuSpeed, so it is optional here.
    cpuSpeed: optional(zInteger),
    allocatorStrategy: str,
    createDate: date,
    lastOpDate: date,
    state: str,
    vmNics: list(zVmNicInventory),
    allVolumes: list(zVolumeInventory),
    vmCdRoms: list(zVmCdRomInventory),
    guestOsType: optional(str),
  })
  .loose();

/** `SessionInventory` of a login reply. */
const zSessionInventory = z
  .object({
    uuid: str,
    accountUuid: optional(str),
    userUuid: optional(str),
    userType: optional(str),
    expiredDate: optional(date),
    createDate: optional(date),
  })
  .loose();

/** `PUT /v1/accounts/login` → 200 `{"inventory": SessionInventory}`. */
export const LoginReplySchema: Schema<{ readonly inventory: SessionInventory }> = z
  .object({ inventory: zSessionInventory })
  .loose();

/** A query reply: `{"inventories": [...], "total"?, "schema"?}`. */
export const VmQueryReplySchema: Schema<{
  readonly inventories: readonly unknown[];
  readonly total?: number;
}> = z.object({ inventories: z.array(z.unknown()), total: optional(zInteger) }).loose();

/** An async submit's 202: `{"location": "...", "apiTimeout"?: ms}`. */
export const JobAcceptedSchema: Schema<{ readonly location?: string; readonly apiTimeout?: number }> = z
  .object({ location: optional(str), apiTimeout: optional(zInteger) })
  .loose();

/** A finished VM action's 200: `{"inventory": VmInstanceInventory}`. */
export const VmActionResultSchema: Schema<{ readonly inventory: VmInstanceInventory }> = z
  .object({ inventory: zVmInstanceInventory })
  .loose();

/** `GET /v1/resource-configurations/{uuid}/{category}/{name}` → `{"value": "...", "effectiveConfigs": [...]}`. */
export const ResourceConfigReplySchema: Schema<{
  readonly value?: string | number | boolean | null;
  readonly effectiveConfigs?: readonly unknown[] | null;
}> = z
  .object({
    value: z.union([z.string(), z.number(), z.boolean()]).nullish(),
    effectiveConfigs: z.array(z.unknown()).nullish(),
  })
  .loose();

// The published view of the schemas (see schema.ts for why it is not zod's type). Each assignment is also the
// compile-time check that the schema's output fits the hand-written interface of vocabulary/inventories.ts.

/** `UsedIpInventory`. */
export const UsedIpInventorySchema: ObjectSchema<UsedIpInventory> = zUsedIpInventory;
/** `VmNicInventory` (`usedIps` defaults to `[]`). */
export const VmNicInventorySchema: ObjectSchema<VmNicInventory> = zVmNicInventory;
/** `VolumeInventory`. */
export const VolumeInventorySchema: ObjectSchema<VolumeInventory> = zVolumeInventory;
/** `VmCdRomInventory`. */
export const VmCdRomInventorySchema: ObjectSchema<VmCdRomInventory> = zVmCdRomInventory;
/** `VmInstanceInventory` (`vmNics`, `allVolumes` and `vmCdRoms` default to `[]`). */
export const VmInstanceInventorySchema: ObjectSchema<VmInstanceInventory> = zVmInstanceInventory;
/** A short, path-qualified summary of a schema error (for `CLIENT.PROTOCOL` details). */
export function summarizeIssues(error: { readonly issues: readonly SchemaIssue[] }, max = 5): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > max) parts.push(`… ${error.issues.length - max} more`);
  return parts.join("; ");
}
