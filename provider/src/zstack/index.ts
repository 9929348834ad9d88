/**
 * `pulumi-zstack-vm/zstack`: the ZStack REST client (undici) used by the provider runtime.
 *
 * Start with {@link ZStackClient}: one client per endpoint and credentials, which owns its connection pool and its
 * session until {@link ZStackClient.close}.
 * What it relies on from the server, and how it uses it: docs/zstack-behaviour.md#how-this-packages-client-uses-it.
 */
export type { ClockTrackParams, DeleteVmConfigAction, JobAction, JobActionName, VmAction } from "./actions";
export { actionBody } from "./actions";
export type { VmActionName } from "../vocabulary/vm-actions";
export type { CallOptions } from "./call-options";
export type {
  AccountCredentials,
  AccessKeyCredentials,
  Credentials,
  TlsOptions,
  ConnectionSettings,
  Endpoint,
} from "./endpoint";
export {
  DEFAULT_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  resolveEndpoint,
  rewriteLocation,
} from "./endpoint";
export { hashPassword, signRequest, formatHttpDate } from "./auth";
export type { ClientOptions } from "./client";
export { ZStackClient } from "./client";
export type { ClockTrackField, ZStackVersion } from "./server-version";
export type { ResourceConfigReading } from "./resource-config-origin";
export { CLOCK_TRACK_FIELD_SINCE, unsupportedClockTrackFields } from "./server-version";
export type { SubmittedJob, SubmitOptions } from "./jobs";
export type { QueryCondition, QueryOperator, QueryOptions, QueryResult } from "./query";
export { QUERY_OPERATORS, DEFAULT_QUERY_PAGE_SIZE, parseQueryCondition, formatQueryCondition } from "./query";
export type { ZStackFault, ClientErrorCode, ZStackErrorCode, ZStackErrorInit } from "./errors";
export { ZStackError } from "./errors";
export {
  VmInstanceInventorySchema,
  VmNicInventorySchema,
  UsedIpInventorySchema,
  VolumeInventorySchema,
  VmCdRomInventorySchema,
} from "./inventory";
export type {
  VmInstanceInventory,
  VmNicInventory,
  UsedIpInventory,
  VolumeInventory,
  VmCdRomInventory,
  SessionInventory,
} from "../vocabulary/inventories";
export type { Schema, ObjectSchema, SchemaResult, SchemaIssue } from "./schema";
export type {
  PollSchedule,
  PollPlan,
  PollContext,
  JobObservation,
  AdaptivePollScheduleOptions,
} from "./poll-schedule";
export { AdaptivePollSchedule, FixedPollSchedule } from "./poll-schedule";
export type { RetryStrategy, ExponentialBackoffOptions } from "./retry";
export { ExponentialBackoffRetry } from "./retry";
export type { ClientStats } from "./stats";
export type { EndpointKind } from "../vocabulary/endpoint-kinds";
export type { ZStackLogger, RequestLogEntry } from "./logging";
