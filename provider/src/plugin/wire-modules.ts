/**
 * The gRPC runtime and the generated Pulumi provider protocol, loaded *from the installed `@pulumi/pulumi`*.
 *
 * Why through its location: the package's dependencies are fixed (`@pulumi/pulumi` is a peer, `@grpc/grpc-js` and
 * `google-protobuf` are its dependencies, not ours), and the generated stubs register their message classes on the
 * `google-protobuf` copy beside them: a `Struct` made with another copy is not recognised by their serializer. So
 * the plugin resolves all of them from the `@pulumi/pulumi` directory, and shares one copy with the stubs whatever
 * the hoisting of the installation. The plugin's esbuild bundle replaces this module with plain requires resolved
 * from that same directory (tools/plugin/bundle.ts).
 */
import { createRequire } from "node:module";

import type * as GrpcJs from "@grpc/grpc-js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";

/** The modules the plugin's gRPC layer needs, all from one `@pulumi/pulumi` installation. */
export interface WireModules {
  readonly grpc: typeof GrpcJs;
  readonly empty: typeof EmptyPb;
  readonly struct: typeof StructPb;
  readonly any: typeof AnyPb;
  readonly plugin: typeof PluginPb;
  readonly provider: typeof ProviderPb;
  readonly providerGrpc: typeof ProviderGrpcPb;
  readonly status: typeof StatusPb;
}

/**
 * Where each module is, as `@pulumi/pulumi`'s directory resolves it: the one list this module and the bundle's
 * replacement of it (tools/plugin/bundle.ts) load.
 */
export const WIRE_MODULE_PATHS: Readonly<Record<keyof WireModules, string>> = {
  grpc: "@grpc/grpc-js",
  empty: "google-protobuf/google/protobuf/empty_pb",
  struct: "google-protobuf/google/protobuf/struct_pb",
  any: "google-protobuf/google/protobuf/any_pb",
  plugin: "./proto/plugin_pb",
  provider: "./proto/provider_pb",
  providerGrpc: "./proto/provider_grpc_pb",
  status: "./proto/status_pb",
};

/** Loads the modules (Node caches them, so every call returns the same ones). */
export function wireModules(): WireModules {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  return Object.fromEntries(
    Object.entries(WIRE_MODULE_PATHS).map(([name, specifier]) => [name, fromPulumi(specifier)]),
  ) as unknown as WireModules;
}
