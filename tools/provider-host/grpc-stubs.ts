/**
 * Loads the gRPC runtime and the generated provider stubs *from the installed `@pulumi/pulumi`*.
 *
 * Why not plain imports: the stubs register their message classes on the `google-protobuf` copy next to them, and a
 * `Struct` built with another copy is not recognised by the serializer ("not a Struct"). Resolving `@grpc/grpc-js`
 * and `google-protobuf` from the `@pulumi/pulumi` directory guarantees that this driver and the stubs share one copy,
 * whatever the hoisting of the workspace.
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";

/** The modules the host driver needs, all from the same `@pulumi/pulumi` installation. */
export interface GrpcStubs {
  /** Directory of the `@pulumi/pulumi` package the stubs come from. */
  readonly pulumiDir: string;
  readonly grpc: typeof GrpcJs;
  readonly struct: typeof StructPb;
  readonly any: typeof AnyPb;
  readonly empty: typeof EmptyPb;
  readonly provider: typeof ProviderPb;
  readonly providerGrpc: typeof ProviderGrpcPb;
  readonly status: typeof StatusPb;
}

let cached: GrpcStubs | undefined;

/** Returns the stubs (loaded once per process). */
export function loadGrpcStubs(): GrpcStubs {
  if (cached) return cached;
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const req = createRequire(path.join(pulumiDir, "package.json"));
  cached = {
    pulumiDir,
    grpc: req("@grpc/grpc-js") as typeof GrpcJs,
    struct: req("google-protobuf/google/protobuf/struct_pb") as typeof StructPb,
    any: req("google-protobuf/google/protobuf/any_pb") as typeof AnyPb,
    empty: req("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb,
    provider: req("./proto/provider_pb") as typeof ProviderPb,
    providerGrpc: req("./proto/provider_grpc_pb") as typeof ProviderGrpcPb,
    status: req("./proto/status_pb") as typeof StatusPb,
  };
  return cached;
}
