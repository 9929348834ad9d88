/**
 * Property-level comparison, used where the engine compares values itself: the DIFF_UNKNOWN fallback (old inputs vs
 * new inputs), the keys shown for an update or replace, and refresh drift (old vs new outputs).
 */
import { isSecret, type PropertyMap } from "../provider-host/properties";

/** One changed top-level property. `old`/`new` are `undefined` when the key was added/removed. */
export interface PropertyDiff {
  readonly key: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** Structural equality of JSON-like values; a secret equals its plain value (secretness alone is no change). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isSecret(a)) return deepEqual(a.value, b);
  if (isSecret(b)) return deepEqual(a, b.value);
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a).filter((k) => (a as PropertyMap)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as PropertyMap)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as PropertyMap)[k], (b as PropertyMap)[k]));
}

/**
 * The top-level keys whose values differ between `olds` and `news`, in the order of `news` then removed keys.
 * `null` and absent are treated alike (providers use `null` for "no value"; outputs never hold `undefined`).
 */
export function diffProperties(
  olds: PropertyMap,
  news: PropertyMap,
  ignore: readonly string[] = [],
): PropertyDiff[] {
  const keys = [...Object.keys(news), ...Object.keys(olds).filter((k) => !(k in news))];
  const diffs: PropertyDiff[] = [];
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const o = olds[key] ?? undefined;
    const n = news[key] ?? undefined;
    if (o === undefined && n === undefined) continue;
    if (!deepEqual(o, n)) diffs.push({ key, old: o, new: n });
  }
  return diffs;
}
