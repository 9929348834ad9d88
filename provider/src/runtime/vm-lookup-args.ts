import { z } from "zod";

import { VM_STATES, type VmState } from "../vocabulary/vm-states";
import { checkInputs, render, type FieldSpec } from "./inputs";
import { formatQueryCondition, parseQueryCondition, QUERY_OPERATORS } from "../zstack";
import { lookupError, type LookupName } from "./lookup-error";

/** The arguments of {@link getVmInstance}: exactly one of `uuid` and `name`. */
export type GetVmInstanceArgs =
  | {
      /** The VM's uuid (32 lowercase hexadecimal characters). */
      readonly uuid: string;
      readonly name?: undefined;
    }
  | {
      /** The VM's exact name (case-sensitive); it must name exactly one VM. */
      readonly name: string;
      readonly uuid?: undefined;
    };

/** The filters of {@link getVmInstances}; all optional, and every one given must match (AND). */
export interface GetVmInstancesArgs {
  /** The exact name (ZStack condition `name=`). */
  readonly name?: string;
  /**
   * A JavaScript regular expression the name must match, applied to the query's results (ZStack queries have no
   * regular expressions; for a server-side pattern use `conditions: ["name~=web-%"]`).
   */
  readonly nameRegex?: string;
  /** One state, or any of several (`state=` or `state?=`). */
  readonly state?: VmState | readonly VmState[];
  /** The cluster's uuid. */
  readonly clusterUuid?: string;
  /** The uuid of the host the VM runs on (only running and paused VMs have one). */
  readonly hostUuid?: string;
  /** The zone's uuid. */
  readonly zoneUuid?: string;
  /**
   * Further ZStack query conditions, as `field<operator>value` texts (`memorySize>4294967296`, `name~=web-%`,
   * `vmNics.ip=172.20.0.10`, `description is null`); see the docs page for the operators.
   */
  readonly conditions?: readonly string[];
  /**
   * The most VMs the lookup may return. When more match it fails, saying how many did, rather than cut the list:
   * a guard against a filter that is broader than meant. Default: no limit.
   */
  readonly limit?: number;
}

/** Options of the lookups. */
export interface LookupOptions {
  /** Bounds the whole lookup, every request and retry included, in seconds (1 to 3600, default 120). */
  readonly timeoutSeconds?: number;
  /** VMs per request (1 to 1000, default 1000, ZStack's own default page size). */
  readonly pageSize?: number;
}

/** A lookup's arguments as validated and turned into a ZStack query. */
interface VmQueryPlan {
  /** The ZStack conditions sent (`q=`), ANDed. */
  readonly conditions: readonly string[];
  /** Applied to the names the query returned. */
  readonly nameRegex?: RegExp;
  readonly limit?: number;
}

/** Validated lookup options. */
export interface CheckedLookupOptions {
  readonly timeoutSeconds: number;
  readonly pageSize: number;
}

const UUID = z.string().regex(/^[0-9a-f]{32}$/);
function uuidField(what: string): FieldSpec {
  return {
    schema: UUID,
    allowed: `the ${what}'s ZStack UUID: 32 lowercase hexadecimal characters without dashes`,
  };
}

const NAME_FIELD: FieldSpec = { schema: z.string().min(1), allowed: "a non-empty string" };

const STATE_ALLOWED = `one of ${VM_STATES.map((state) => JSON.stringify(state)).join(", ")} (case-sensitive), or a non-empty list of them`;

const INSTANCES_FIELDS: Readonly<Record<keyof GetVmInstancesArgs, FieldSpec>> = {
  name: NAME_FIELD,
  nameRegex: {
    schema: z.string().refine(isRegExp),
    allowed: 'a JavaScript regular expression, e.g. "^web-\\\\d+$"',
  },
  state: {
    schema: z.union([z.enum(VM_STATES), z.array(z.enum(VM_STATES)).min(1)]),
    allowed: STATE_ALLOWED,
    choices: VM_STATES,
  },
  clusterUuid: uuidField("cluster"),
  hostUuid: uuidField("host"),
  zoneUuid: uuidField("zone"),
  // Each condition is checked on its own below, so that the message names the one that is wrong.
  conditions: { schema: z.array(z.string()), allowed: 'a list of ZStack conditions such as "name~=web-%"' },
  limit: { schema: z.number().int().min(1), allowed: "a whole number of at least 1" },
};

const INSTANCE_FIELDS: Readonly<Record<"uuid" | "name", FieldSpec>> = {
  uuid: uuidField("VM"),
  name: NAME_FIELD,
};

const OPTION_FIELDS: Readonly<Record<keyof LookupOptions, FieldSpec>> = {
  timeoutSeconds: {
    schema: z.number().int().min(1).max(3600),
    allowed: "a whole number of seconds from 1 to 3600",
    default: 120,
  },
  pageSize: {
    schema: z.number().int().min(1).max(1000),
    allowed: "a whole number from 1 to 1000",
    default: 1000,
  },
};

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Validates `args` against the field specs with the runtime's own checker, so that a bad argument is reported as
 * a bad resource input is: the property, the value and what is allowed. Throws one error listing every problem.
 */
function checked(
  lookup: LookupName,
  fields: Readonly<Record<string, FieldSpec>>,
  args: unknown,
  what: string,
): Record<string, unknown> {
  if (args === undefined || args === null) return checked(lookup, fields, {}, what);
  if (typeof args !== "object" || Array.isArray(args)) {
    throw lookupError(lookup, `${what} must be an object, got ${render(args)}`);
  }
  const outcome = checkInputs(fields, args as Record<string, unknown>);
  if (outcome.failures.length > 0) {
    throw lookupError(
      lookup,
      `invalid ${what}:\n${outcome.failures.map((f) => `  - ${f.reason}`).join("\n")}`,
    );
  }
  return outcome.inputs;
}

/** Validates the options of a lookup and fills in the defaults. */
export function checkLookupOptions(
  lookup: LookupName,
  options: LookupOptions | undefined,
): CheckedLookupOptions {
  const inputs = checked(lookup, OPTION_FIELDS, options, "options");
  return { timeoutSeconds: inputs.timeoutSeconds as number, pageSize: inputs.pageSize as number };
}

/** The plan of `getVmInstance`: the uuid or the name, exactly one of them. */
export function planVmInstance(args: GetVmInstanceArgs): {
  readonly by: "uuid" | "name";
  readonly value: string;
} {
  const inputs = checked("getVmInstance", INSTANCE_FIELDS, args, "arguments");
  const given = (["uuid", "name"] as const).filter((key) => inputs[key] !== undefined);
  if (given.length !== 1) {
    throw lookupError(
      "getVmInstance",
      given.length === 0
        ? "give the VM's uuid or its name: getVmInstance({ uuid }) or getVmInstance({ name })"
        : "give either uuid or name, not both (the uuid alone identifies the VM)",
    );
  }
  const by = given[0] as "uuid" | "name";
  return { by, value: inputs[by] as string };
}

/** The plan of `getVmInstances`: the arguments as ZStack conditions, the name pattern and the limit. */
export function planVmInstances(args: GetVmInstancesArgs | undefined): VmQueryPlan {
  const inputs = checked("getVmInstances", INSTANCES_FIELDS, args, "arguments");
  const conditions: string[] = [];
  if (inputs.name !== undefined) conditions.push(`name=${inputs.name as string}`);
  const state = inputs.state as VmState | readonly VmState[] | undefined;
  if (typeof state === "string") conditions.push(`state=${state}`);
  else if (state !== undefined) conditions.push(`state?=${[...new Set(state)].join(",")}`);
  for (const key of ["clusterUuid", "hostUuid", "zoneUuid"] as const) {
    if (inputs[key] !== undefined) conditions.push(`${key}=${inputs[key] as string}`);
  }
  const extra = (inputs.conditions as readonly string[] | undefined) ?? [];
  extra.forEach((text, index) => {
    const condition = parseQueryCondition(text);
    if (condition === undefined) {
      throw lookupError(
        "getVmInstances",
        `invalid arguments:\n  - conditions[${index}]: ${render(text)} is not allowed; expected a ZStack ` +
          `condition field<operator>value, where field is an inventory field (dotted for nested ones, e.g. ` +
          `vmNics.ip) and operator is one of ${QUERY_OPERATORS.map((op) => op.trim()).join(", ")}`,
      );
    }
    conditions.push(formatQueryCondition(condition));
  });
  return {
    conditions,
    ...(inputs.nameRegex !== undefined ? { nameRegex: new RegExp(inputs.nameRegex as string) } : {}),
    ...(inputs.limit !== undefined ? { limit: inputs.limit as number } : {}),
  };
}
