/**
 * The kinds of ZStack API request the provider makes. A leaf module (it imports nothing of the package): the client
 * counts its requests by these kinds, and the simulator classifies, logs and injects faults by the same names.
 */

/**
 * Every endpoint kind: `login` (PUT /v1/accounts/login), `logout` (DELETE /v1/accounts/sessions/{uuid}),
 * `sessionValid` (GET /v1/accounts/sessions/{uuid}/valid), `vmQuery` (GET /v1/vm-instances[/{uuid}]),
 * `resourceConfig` (any /v1/resource-configurations call), `actionSubmit` (PUT /v1/vm-instances/{uuid}/actions),
 * `jobPoll` (GET /v1/api-jobs/{uuid}) and `version` (PUT /v1/management-nodes/actions with `getVersion`), in that
 * fixed order.
 */
export const ENDPOINT_KINDS = [
  "login",
  "logout",
  "sessionValid",
  "vmQuery",
  "resourceConfig",
  "actionSubmit",
  "jobPoll",
  "version",
] as const;

/** The kind of one request, one of {@link ENDPOINT_KINDS}. */
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];
