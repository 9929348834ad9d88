/**
 * Pulumi's wire conventions for property values, as the engine and the Node.js SDK encode them
 * (`@pulumi/pulumi/runtime/rpc.js`): the unknown sentinel, secret wrapping, and URNs.
 *
 * Kept separate from the gRPC driver so that tests can build and read property bags without loading gRPC.
 */

import type { PropertyMap } from "../../provider/src/plugin/wire-values";

// The unknown sentinel and the secret marker are the ones the runtime and the native plugin read.
export { UNKNOWN } from "../../provider/src/runtime/inputs";
export { isSecret, secret, unwrapSecrets, type PropertyMap } from "../../provider/src/plugin/wire-values";

/**
 * Drops `undefined` object members and turns `undefined` array items into `null`, as a JSON round trip would.
 * `Struct.fromJavaScript` throws "Unexpected struct type." on `undefined`; the engine never sends one.
 */
export function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : stripUndefined(x)));
  if (typeof v === "object" && v !== null) {
    const out: PropertyMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
    return out;
  }
  return v;
}

/**
 * Builds a resource URN the way the engine does: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the
 * qualified type of a child is its parent's type chain joined with `$` (e.g. `my:Component$pulumi-nodejs:dynamic:X`).
 */
export function urn(stack: string, project: string, type: string, name: string, parentType?: string): string {
  const qualified = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The parts of a URN: the qualified type (with parents), the resource's own type and its name. */
export interface UrnParts {
  readonly stack: string;
  readonly project: string;
  readonly qualifiedType: string;
  readonly type: string;
  readonly name: string;
}

/** Splits a URN built by {@link urn}. Names may contain `::`, so everything after the type is the name. */
export function parseUrn(u: string): UrnParts {
  const parts = u.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`not a Pulumi URN: ${u}`);
  const qualifiedType = parts[2];
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1],
    qualifiedType,
    type: qualifiedType.split("$").pop() ?? qualifiedType,
    name: parts.slice(3).join("::"),
  };
}
