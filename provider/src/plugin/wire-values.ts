/**
 * Property values as the engine sends them to a provider that accepts secrets (`@pulumi/pulumi`'s `runtime/rpc.js`
 * encodes them the same way), and back: secret markers, unwrapped on the way in and put back on the way out. The
 * preview-time unknown sentinel needs no mapping: the engine sends the very string the runtime checks for
 * ({@link UNKNOWN}), in any position, and the controllers take it as they do in the dynamic face.
 */
import { UNKNOWN } from "../runtime/inputs";

/** The key that marks a special object (secret, asset, resource reference...). */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The value of {@link SPECIAL_SIG_KEY} that marks a secret: `{[SPECIAL_SIG_KEY]: SECRET_SIG, value}`. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A property bag as it travels in a `google.protobuf.Struct`. */
export type PropertyMap = Record<string, unknown>;

/** A property bag with its secret markers taken off, and the top-level keys that held a secret. */
export interface Unwrapped {
  readonly values: PropertyMap;
  readonly secretKeys: ReadonlySet<string>;
}

/** A secret-marked value as it travels over the wire. */
export interface SecretValue<T = unknown> {
  readonly [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  readonly value: T;
}

/** `value` marked secret, as the engine reads it. */
export function secret<T>(value: T): SecretValue<T> {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True when `value` is a secret-marked value. */
export function isSecret(value: unknown): value is SecretValue {
  return (
    typeof value === "object" && value !== null && (value as PropertyMap)[SPECIAL_SIG_KEY] === SECRET_SIG
  );
}

/** `value` with every secret marker inside it taken off, deeply. */
export function unwrapSecrets(value: unknown): unknown {
  return unwrapValue(value).value;
}

/** `value` with every secret marker inside it taken off, and whether there was one. */
function unwrapValue(value: unknown): { readonly value: unknown; readonly secret: boolean } {
  if (isSecret(value)) return { value: unwrapValue(value.value).value, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrapValue);
    return { value: items.map((item) => item.value), secret: items.some((item) => item.secret) };
  }
  if (typeof value === "object" && value !== null) {
    const { values, secretKeys } = unwrap(value as PropertyMap);
    return { value: values, secret: secretKeys.size > 0 };
  }
  return { value, secret: false };
}

/**
 * Takes every secret marker off a property bag, deeply, and notes which top-level properties held one: the runtime
 * works on plain values, and the plugin marks what it returns under those names secret again ({@link rewrap}).
 */
export function unwrap(props: PropertyMap | undefined): Unwrapped {
  const values: PropertyMap = {};
  const secretKeys = new Set<string>();
  for (const [key, raw] of Object.entries(props ?? {})) {
    const { value, secret: wasSecret } = unwrapValue(raw);
    values[key] = value;
    if (wasSecret) secretKeys.add(key);
  }
  return { values, secretKeys };
}

/**
 * `props` with the properties named in `secretKeys` marked secret, so that what was secret in a request stays
 * secret in the state the engine writes from the answer.
 */
export function rewrap(props: object, secretKeys: ReadonlySet<string>): PropertyMap {
  const out: PropertyMap = {};
  for (const [key, value] of Object.entries(props)) {
    out[key] = secretKeys.has(key) && value !== null && value !== undefined ? secret(value) : value;
  }
  return out;
}

/** True when `value` is the unknown sentinel or holds it anywhere inside. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
