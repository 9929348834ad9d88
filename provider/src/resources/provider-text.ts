/**
 * The `__provider` text of each resource kind: what the engine stores twice per resource (in inputs and outputs)
 * and what the dynamic-provider host loads, once per distinct text, with `requireFromString(text).handler()`.
 *
 * It is written here by hand rather than produced by Pulumi's closure serializer. The serialized shim of 0.1.0 was
 * 2.6 KB per copy, mostly the serializer's per-function wrapping, so it was a third of every stored resource and
 * was rewritten N times per checkpoint (docs/pulumi-semantics.md#__provider-in-state); and its bytes depended on the
 * installed `@pulumi/pulumi`'s serializer, not only on this package. This text is one line: the host's `handler()`
 * asks the installed runtime for the kind's provider, so refresh and destroy run the installed code.
 *
 * The text is a protocol, frozen from here on: changing a single byte shows `~__provider` on every resource of
 * every stack. `test/serialization/golden` guards it, and `provider(kind)` must stay in the runtime for good (as
 * must `dispatch` and `configure`, which the 0.1.0 shim text calls).
 */
import type { ResourceKind } from "../vocabulary/resource-kinds";

/** The `__provider` text of one kind: a CommonJS module whose `handler()` returns the installed runtime's provider. */
export function providerText(kind: ResourceKind): string {
  return `exports.handler = () => require("pulumi-zstack-vm/runtime").provider(${JSON.stringify(kind)});\n`;
}
