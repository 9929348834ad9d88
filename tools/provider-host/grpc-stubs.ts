/**
 * The gRPC runtime and the generated provider stubs for the host driver: the plugin's own loader
 * (`provider/src/plugin/wire-modules.ts`), which resolves them from the installed `@pulumi/pulumi`, so that the driver,
 * the plugin and the stubs share one `google-protobuf` copy whatever the hoisting of the workspace.
 */
import { wireModules, type WireModules } from "../../provider/src/plugin/wire-modules";

/** The modules the host driver needs, all from the same `@pulumi/pulumi` installation. */
export type GrpcStubs = WireModules;

/** Returns the stubs (Node caches the modules, so every call returns the same ones). */
export function loadGrpcStubs(): GrpcStubs {
  return wireModules();
}
