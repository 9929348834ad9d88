// API message parameters, checked in the server's two stages: the REST layer's TypeVerifier turns JSON into
// the message's Java field types and rejects mismatches synchronously with a plain-text 400; later the
// ApiMessageParamValidator checks required fields and valid values, failing the API with SYS.1007
// (docs/zstack-behaviour.md#parameter-validation).

import { zstackError, type ZStackErrorCode } from "./wire";

/** The Java type of a message field, as far as TypeVerifier cares. */
type FieldType = "string" | "boolean" | "integer";

/** One `@APIParam` field of an API message. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** `@APIParam(required)`, which defaults to true in ZStack; here it must be said. */
  readonly required: boolean;
  readonly validValues?: readonly string[];
}

/** A message after type conversion: field name → string, boolean or integer. Unknown fields are dropped. */
export type ApiMessage = Readonly<Record<string, string | boolean | number>>;

/** The outcome of TypeVerifier: the converted message, or the exact plain-text 400 body. */
type TypeCheck = { readonly message: ApiMessage } | { readonly typeError: string };

// Java's rendering of a JSON value inside the TypeVerifier messages: strings bare, others as JSON.
function javaText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function convert(
  field: FieldSpec,
  value: unknown,
): string | boolean | number | { readonly typeError: string } {
  switch (field.type) {
    case "integer": {
      // Gson reads numbers and numeric strings into Integer/Long; whole-number floats like 60.0 pass
      // (TypeVerifier).
      const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
      if (Number.isInteger(n) && !(typeof value === "string" && value.trim() === "")) return n;
      return { typeError: `[${field.name}] field is excepted an int or long, but was [${javaText(value)}].` };
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      return {
        typeError:
          `Invalid value for boolean field [${field.name}], [${javaText(value)}] ` +
          `is not a valid boolean string[true, false].`,
      };
    }
    case "string":
      // Gson coerces JSON primitives into a String field; objects and arrays do not fit. The wording of
      // this case is not from the source: it mirrors the int/long message.
      if (typeof value === "object")
        return { typeError: `[${field.name}] field is excepted a string, but was [${javaText(value)}].` };
      return String(value);
  }
}

/** TypeVerifier: converts the action's JSON object into typed message fields (nulls mean absent). */
export function verifyTypes(
  params: Readonly<Record<string, unknown>>,
  fields: readonly FieldSpec[],
): TypeCheck {
  const message: Record<string, string | boolean | number> = {};
  for (const field of fields) {
    const value = params[field.name];
    if (value === undefined || value === null) continue;
    const converted = convert(field, value);
    if (typeof converted === "object") return converted;
    message[field.name] = converted;
  }
  return { message };
}

// The validator prints its own class instead of the message's (a bug in getClass().getName(),
// ApiMessageParamValidator).
const VALIDATOR_CLASS = "org.zstack.header.message.ApiMessageParamValidator";

/**
 * ApiMessageParamValidator: trims strings, then checks, field by field in declaration order, mandatory
 * fields, empty strings and valid values. Returns the SYS.1007 error of the first violation, if any.
 */
export function validateParams(
  message: ApiMessage,
  fields: readonly FieldSpec[],
): ZStackErrorCode | undefined {
  for (const field of fields) {
    const raw = message[field.name];
    const value = typeof raw === "string" ? raw.trim() : raw;
    if (value === undefined) {
      if (field.required)
        return zstackError(
          "SYS.1007",
          `field[${field.name}] of message[${VALIDATOR_CLASS}] is mandatory, can not be null`,
        );
      continue;
    }
    if (value === "") return zstackError("SYS.1007", `field[${field.name}] cannot be an empty string`);
    if (field.validValues !== undefined && !field.validValues.includes(String(value)))
      return zstackError(
        "SYS.1007",
        `valid value for field[${field.name}] of message[${VALIDATOR_CLASS}] are ` +
          `[${field.validValues.join(", ")}], but ${String(value)} found`,
      );
  }
  return undefined;
}

/** The message with its string fields trimmed, as the validator leaves it for the handler. */
export function trimmed(message: ApiMessage): ApiMessage {
  return Object.fromEntries(
    Object.entries(message).map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]),
  );
}
