/**
 * `pulumi-zstack-vm/zstack`: the ZStack REST client (undici) used by the provider runtime.
 *
 * Start with {@link ZStackClient}: one client per endpoint and credentials, which owns its connection pool and its
 * session until {@link ZStackClient.close}.
 */
export type { VmActionName, ClockTrackParams, VmAction } from "./actions";
export { actionBody, VM_ACTION_NAMES } from "./actions";
export type { CallOptions } from "./call-options";
export { DEFAULT_ACTION_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS } from "./call-options";
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
  DEFAULT_CONTEXT_PATH,
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  resolveEndpoint,
  rewriteLocation,
} from "./endpoint";
export { hashPassword, signRequest, formatHttpDate } from "./auth";
export type { ClientOptions } from "./client";
export { ZStackClient } from "./client";
export type { SubmittedJob, SubmitOptions } from "./jobs";
export type { QueryCondition, QueryOperator, QueryOptions, QueryResult } from "./query";
export { QUERY_OPERATORS, DEFAULT_QUERY_PAGE_SIZE, parseQueryCondition, formatQueryCondition } from "./query";
export { newJobUuid } from "./jobs";
export type { ZStackFault, ClientErrorCode, ZStackErrorCode, ZStackErrorInit } from "./errors";
export { ZStackError, rootCause } from "./errors";
export {
  VmInstanceInventorySchema,
  VmNicInventorySchema,
  UsedIpInventorySchema,
  VolumeInventorySchema,
  VmCdRomInventorySchema,
  SessionInventorySchema,
  IntegerSchema,
} from "./inventory";
export type {
  VmInstanceInventory,
  VmNicInventory,
  UsedIpInventory,
  VolumeInventory,
  VmCdRomInventory,
  SessionInventory,
} from "./inventories";
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
export { ExponentialBackoffRetry, NO_RETRY } from "./retry";
export type { ClientStats, RequestKind } from "./stats";
export type { ZStackLogger, RequestLogEntry } from "./logging";
