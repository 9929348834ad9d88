/**
 * Serves one provider instance over gRPC on a free loopback port, as the engine expects of a plugin: the port is
 * what the plugin prints on its first line of standard output (main.ts).
 */
import type * as grpc from "@grpc/grpc-js";

import { resourceProviderService } from "./grpc-service";
import type { NativeProvider } from "./native-provider";
import { wireModules } from "./wire-modules";

/**
 * The message size limit the Pulumi SDKs set on their gRPC servers (`grpcChannelOptions`): a large state (many
 * NICs and volumes per VM) must not fail on the default 4 MB.
 */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** Starts serving `provider` and resolves with the loopback port it listens on; it serves until the process ends. */
export async function servePlugin(provider: NativeProvider): Promise<number> {
  const wire = wireModules();
  const server: grpc.Server = new wire.grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(wire.providerGrpc.ResourceProviderService, resourceProviderService(provider, wire));
  return new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", wire.grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
}
