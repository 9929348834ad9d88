/**
 * The login the node refuses because the account holds `session.maxConcurrent` sessions (`ID.1006`,
 * docs/zstack-behaviour.md#login-and-sessions), turned into an error that says what to do.
 */

import { ZStackError } from "./errors";

/** `IdentityErrors.MAX_CONCURRENT_SESSION_EXCEEDED`. */
export const SESSION_LIMIT_CODE = "ID.1006";

/**
 * `error` itself unless it is the node's `ID.1006` answer to a login; then the same error with a message that names
 * the limit, the account and the remedies. The server's details carry no figures, so the limit is named by its
 * global config.
 */
export function explainSessionLimit(error: unknown, accountName: string | undefined): unknown {
  if (!ZStackError.isInstance(error) || error.code !== SESSION_LIMIT_CODE) return error;
  return new ZStackError({
    operation: error.operation,
    code: error.code,
    description: error.description,
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    fault: "auth",
    cause: error,
    message:
      `login as ${accountName === undefined ? "the account" : `account "${accountName}"`} refused (${SESSION_LIMIT_CODE}): the account already holds the ` +
      `maximum number of concurrent sessions the node allows (global config identity session.maxConcurrent, ` +
      `500 by default). Sessions left open by other clients expire after identity session.timeout ` +
      `(7200 s by default). Use AccessKey authentication (zstack:accessKeyId / zstack:accessKeySecret), which ` +
      `opens no session, or ask the administrator to raise session.maxConcurrent.`,
  });
}
