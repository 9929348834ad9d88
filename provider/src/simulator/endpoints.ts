// The endpoint kinds: how requests are classified for fault matching, counters and the request log.
// Other helpers (client tests, the benchmark) depend on these exact names.

/** Every endpoint kind. */
export const ENDPOINT_KINDS = [
  "login",
  "logout",
  "sessionValid",
  "vmQuery",
  "resourceConfig",
  "actionSubmit",
  "jobPoll",
] as const;

/**
 * The kind of a routed request: `login` (PUT /v1/accounts/login), `logout` (DELETE
 * /v1/accounts/sessions/{uuid}), `sessionValid` (GET .../sessions/{uuid}/valid), `vmQuery` (GET
 * /v1/vm-instances[/{uuid}]), `resourceConfig` (any /v1/resource-configurations call), `actionSubmit`
 * (PUT /v1/vm-instances/{uuid}/actions) and `jobPoll` (GET /v1/api-jobs/{uuid}).
 */
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];
