import { z } from "zod";

/**
 * The value the Pulumi engine sends, as a plain string in any position and whatever the property's type, for an
 * input that is not known yet during preview (pulumi/pulumi#6310).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key under which the host carries the serialized provider; it is never an input of ours. */
const PROVIDER_KEY = "__provider";

/** True when a value is the engine's preview-time unknown. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/**
 * What {@link checkInputs} needs of a property's schema. A zod schema fits; the interface is spelled out so that the
 * published `.d.ts` does not import zod's declarations (they need `esModuleInterop`, which Pulumi's TypeScript
 * template does not set).
 */
export interface FieldSchema {
  safeParse(value: unknown): { readonly success: boolean; readonly data?: unknown };
}

/** One input property: how to validate it, what is allowed (for messages), and its default. */
export interface FieldSpec {
  readonly schema: FieldSchema;
  /** Completes "expected …" in failure messages, e.g. `one of "Paused", "Running" (case-sensitive)`. */
  readonly allowed: string;
  readonly required?: boolean;
  readonly default?: unknown;
  /** Values a wrong-case or near-miss input may have meant, offered as "did you mean". */
  readonly choices?: readonly (string | number)[];
}

/** A check failure in the shape of the Pulumi `CheckFailure`. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** The result of validating inputs: the checked inputs (defaults filled in) or the failures. */
export interface CheckOutcome {
  readonly inputs: Record<string, unknown>;
  readonly failures: CheckFailure[];
}

/**
 * Validates `news` against the field specs, field by field with zod, so that every failure names the property,
 * quotes the bad value and lists what is allowed. Unknown sentinels pass through untouched: during preview they
 * stand for values that will only be known at `up`. Extra keys are rejected rather than dropped, because a
 * misspelt optional input (`timeoutSecond`) silently ignored is worse than an error.
 */
export function checkInputs(
  fields: Readonly<Record<string, FieldSpec>>,
  news: Record<string, unknown>,
): CheckOutcome {
  const failures: CheckFailure[] = [];
  const inputs: Record<string, unknown> = {};
  const known = Object.keys(fields);

  for (const [property, value] of Object.entries(news)) {
    if (property === PROVIDER_KEY || property in fields) continue;
    failures.push({
      property,
      reason: `${property}: unknown property (value ${render(value)}); allowed properties are ${known.join(", ")}`,
    });
  }

  for (const [property, spec] of Object.entries(fields)) {
    const value = news[property];
    if (value === undefined || value === null) {
      if (spec.required) {
        failures.push({ property, reason: `${property}: missing; expected ${spec.allowed}` });
      } else if (spec.default !== undefined) {
        inputs[property] = spec.default;
      }
      continue;
    }
    if (isUnknown(value)) {
      inputs[property] = value;
      continue;
    }
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) {
      inputs[property] = parsed.data;
    } else {
      failures.push({
        property,
        reason: `${property}: ${render(value)} is not allowed; expected ${spec.allowed}${hint(spec, value)}`,
      });
    }
  }
  return { inputs, failures };
}

/** A short, single-line rendering of a bad value for messages. */
export function render(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = JSON.stringify(value) ?? String(value);
  const kind = Array.isArray(value) ? "a list" : "an object";
  return `${kind} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

function hint(spec: FieldSpec, value: unknown): string {
  if (typeof value !== "string") return "";
  // A value of the right type written as a string (`"true"`, `"600"`): say which type is expected, because a
  // "did you mean" that quotes the same string back reads as if the case were the problem.
  const meant = unquoted(spec, value);
  if (meant !== undefined) {
    return ` (a ${typeof meant}, not the string ${JSON.stringify(value)}: write ${String(meant)} without quotes)`;
  }
  const caseless = spec.choices?.find(
    (choice) => typeof choice === "string" && choice.toLowerCase() === value.trim().toLowerCase(),
  );
  if (caseless !== undefined) return ` (did you mean ${JSON.stringify(caseless)}? values are case-sensitive)`;
  if (
    spec.choices?.some((choice) => typeof choice === "number") &&
    value.trim() !== "" &&
    !isNaN(Number(value))
  ) {
    return ` (a number, not the string ${JSON.stringify(value)})`;
  }
  return "";
}

/** The boolean or number a string spells (`"True"` is `true`, `" 600 "` is `600`), if the field accepts it. */
function unquoted(spec: FieldSpec, text: string): boolean | number | undefined {
  const trimmed = text.trim();
  const lowered = trimmed.toLowerCase();
  const candidate =
    lowered === "true" ? true : lowered === "false" ? false : trimmed === "" ? undefined : Number(trimmed);
  if (candidate === undefined || (typeof candidate === "number" && isNaN(candidate))) return undefined;
  return spec.schema.safeParse(candidate).success ? candidate : undefined;
}

/**
 * Schema and message for a ZStack uuid: 32 lowercase hex characters, no dashes (zstackio/zstack
 * `core/src/main/java/org/zstack/core/Platform.java`, `getUuid()`: a random UUID with its dashes removed).
 */
export const vmUuidField: FieldSpec = {
  schema: z.string().regex(/^[0-9a-f]{32}$/),
  allowed: "the VM's ZStack UUID: 32 lowercase hexadecimal characters without dashes",
  required: true,
};

/** The default of `timeoutSeconds`, as terraform-provider-zstack's `operation_timeout`. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Bounds every wait of one operation; a day is far beyond any pause, resume or clock-track job. */
export const timeoutSecondsField: FieldSpec = {
  schema: z.number().int().min(1).max(86_400),
  allowed: "a whole number of seconds from 1 to 86400",
  default: DEFAULT_TIMEOUT_SECONDS,
};

/** The default of `onDelete`: what a resource that leaves it out, or an imported one, does on delete. */
export const DEFAULT_ON_DELETE = "restore";

/** What delete does to the VM. */
export const onDeleteField: FieldSpec = {
  schema: z.enum(["restore", "leave"]),
  allowed: 'one of "restore", "leave"',
  default: DEFAULT_ON_DELETE,
  choices: ["restore", "leave"],
};
