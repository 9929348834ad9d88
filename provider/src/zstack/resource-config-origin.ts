/**
 * Where a VM's resource config value comes from, as GetResourceConfig tells it
 * (docs/zstack-behaviour.md#resource-configurations): the VM's own value, or a value it inherits.
 */

import { ZStackError } from "./errors";

/** A resource config as read: its effective value and whether the resource has a value of its own. */
export interface ResourceConfigReading {
  readonly value: string;
  /** `own`: set on this resource (restore by writing it back); `inherited`: from a global or parent value. */
  readonly origin: "own" | "inherited";
}

/**
 * Reads the 200 body of `GET /v1/resource-configurations/{resourceUuid}/{category}/{name}`
 * (`{"value", "effectiveConfigs": [ResourceConfigInventory…]}`). The value is the resource's own when
 * `effectiveConfigs` lists an entry bound to that resource; entries bound to another resource (a cluster or host
 * the VM belongs to) or none at all mean it inherits.
 */
export function parseResourceConfigReply(
  resourceUuid: string,
  name: string,
  body: unknown,
): ResourceConfigReading {
  const reply = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const value = reply["value"];
  const effective = reply["effectiveConfigs"] ?? [];
  if (typeof value !== "string" || !Array.isArray(effective))
    throw new ZStackError({
      operation: "getResourceConfig",
      vmUuid: resourceUuid,
      code: "CLIENT.PROTOCOL",
      description: "Unexpected answer",
      details: `resource config ${name} of ${resourceUuid} read without a "value" string and an "effectiveConfigs" list: ${JSON.stringify(body)}`,
      fault: "protocol",
    });
  return { value, origin: originOf(resourceUuid, effective) };
}

/**
 * Where a resource's value comes from, by the `effectiveConfigs` of its GetResourceConfig reply: `own` when an entry
 * is bound to the resource itself, else `inherited` (no entry, or entries bound to a resource above it).
 */
export function originOf(
  resourceUuid: string,
  effectiveConfigs: readonly unknown[] | null | undefined,
): ResourceConfigReading["origin"] {
  const own = (effectiveConfigs ?? []).some(
    (config: unknown) =>
      typeof config === "object" &&
      config !== null &&
      (config as Record<string, unknown>)["resourceUuid"] === resourceUuid,
  );
  return own ? "own" : "inherited";
}
