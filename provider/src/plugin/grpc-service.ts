/**
 * The plugin's thin gRPC layer: Pulumi's `pulumirpc.ResourceProvider` service over a {@link NativeProvider},
 * converting the generated messages to plain values and back. `@pulumi/pulumi`'s own provider server is not used:
 * it answers CheckConfig and DiffConfig with UNIMPLEMENTED, has no Configure hook for the provider's inputs, and
 * prints stack traces beside the errors of Read and Delete. Here every error reaches the engine as its message
 * alone; an error that is not the runtime's own (a bug) keeps its stack for `PULUMI_ZSTACK_VM_DEBUG=1` only.
 *
 * Methods the plugin does not serve (Handshake, Parameterize, Construct, Call, List, GetMapping(s), Attach) are
 * left out of the implementation, and gRPC answers them UNIMPLEMENTED: the engine then falls back to the protocol
 * this layer speaks.
 */
import type * as grpc from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";

import { ResourceInitFailedError } from "../runtime/errors";
import { debug } from "../runtime/log";
import type { NativeProvider } from "./native-provider";
import { PLUGIN_VERSION } from "./package-info";
import { schemaText } from "./schema";
import type { WireModules } from "./wire-modules";
import type { PropertyMap } from "./wire-values";

/** A request message of the service: only what the handlers read of it. */
type Request = {
  getUrn?(): string;
  getType?(): string;
};

/** The type token of a request: its own field, or the last part of its URN's type (older engines). */
function typeOf(request: Request): string {
  const type = request.getType?.() ?? "";
  if (type !== "") return type;
  const qualified = (request.getUrn?.() ?? "").split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

/** The plain object of a Struct, or an empty one. */
function plain(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() as PropertyMap | undefined) ?? {};
}

/** The gRPC implementation of the provider service, bound to one provider instance. */
export function resourceProviderService(
  provider: NativeProvider,
  wire: WireModules,
): grpc.UntypedServiceImplementation {
  const { grpc: grpcJs, provider: proto, struct, empty, plugin, any, status } = wire;
  const toStruct = (props: PropertyMap) => struct.Struct.fromJavaScript(props as never);

  /** The engine's view of an error: its message; the partial state of a resource that failed to initialize. */
  function serviceError(error: unknown): Partial<grpc.StatusObject> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name !== "ProviderError" && error.stack) debug(error.stack);
    const metadata = new grpcJs.Metadata();
    if (error instanceof ResourceInitFailedError) {
      // The engine records the partial outputs and the next `pulumi up` updates from them (as the dynamic host).
      const detail = new proto.ErrorResourceInitFailed();
      detail.setId(error.id);
      detail.setProperties(toStruct(error.properties));
      detail.setReasonsList([...error.reasons]);
      const packed = new any.Any();
      packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
      const details = new status.Status();
      details.setCode(grpcJs.status.UNKNOWN);
      details.setMessage(message);
      details.addDetails(packed);
      metadata.add("grpc-status-details-bin", Buffer.from(details.serializeBinary()));
    }
    return { code: grpcJs.status.UNKNOWN, details: message, metadata };
  }

  /** A unary handler: runs `answer` on the request and sends its response, or the error. */
  function unary<Req, Res>(answer: (request: Req) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      Promise.resolve()
        .then(() => answer(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(serviceError(error), null),
        );
    };
  }

  const failures = (list: readonly { readonly property: string; readonly reason: string }[]) =>
    list.map((item) => {
      const failure = new proto.CheckFailure();
      failure.setProperty(item.property);
      failure.setReason(item.reason);
      return failure;
    });

  return {
    getPluginInfo: unary(() => new plugin.PluginInfo().setVersion(PLUGIN_VERSION)),

    getSchema: unary((request: InstanceType<typeof proto.GetSchemaRequest>) => {
      if (request.getVersion() !== 0) throw new Error(`unsupported schema version ${request.getVersion()}`);
      return new proto.GetSchemaResponse().setSchema(schemaText());
    }),

    checkConfig: unary((request: InstanceType<typeof proto.CheckRequest>) => {
      const answer = provider.checkConfig(plain(request.getNews()));
      return new proto.CheckResponse()
        .setInputs(toStruct(answer.inputs))
        .setFailuresList(failures(answer.failures));
    }),

    diffConfig: unary((request: InstanceType<typeof proto.DiffRequest>) => {
      const olds = request.getOldInputs() ?? request.getOlds();
      const answer = provider.diffConfig(plain(olds), plain(request.getNews()));
      return new proto.DiffResponse()
        .setChanges(
          answer.changes
            ? proto.DiffResponse.DiffChanges.DIFF_SOME
            : proto.DiffResponse.DiffChanges.DIFF_NONE,
        )
        .setDiffsList([...answer.diffs]);
    }),

    configure: unary((request: InstanceType<typeof proto.ConfigureRequest>) => {
      const args = request.getArgs();
      // An engine that sends no args sends the config as `zstackvm:config:<name>` variables.
      const inputs =
        args !== undefined
          ? plain(args)
          : Object.fromEntries(
              [...request.getVariablesMap().entries()].map(([key, value]) => [key.split(":").pop(), value]),
            );
      provider.configure(inputs);
      return new proto.ConfigureResponse()
        .setAcceptsecrets(true)
        .setSupportspreview(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false);
    }),

    invoke: unary(async (request: InstanceType<typeof proto.InvokeRequest>) => {
      const result = await provider.invoke(request.getTok(), plain(request.getArgs()));
      return new proto.InvokeResponse().setReturn(toStruct(result));
    }),

    check: unary(async (request: InstanceType<typeof proto.CheckRequest>) => {
      const answer = await provider.check(
        typeOf(request),
        plain(request.getOlds()),
        plain(request.getNews()),
      );
      return new proto.CheckResponse()
        .setInputs(toStruct(answer.inputs))
        .setFailuresList(failures(answer.failures));
    }),

    diff: unary(async (request: InstanceType<typeof proto.DiffRequest>) => {
      const answer = await provider.diff(
        typeOf(request),
        request.getId(),
        plain(request.getOlds()),
        plain(request.getNews()),
      );
      return new proto.DiffResponse()
        .setChanges(
          answer.changes
            ? proto.DiffResponse.DiffChanges.DIFF_SOME
            : proto.DiffResponse.DiffChanges.DIFF_NONE,
        )
        .setReplacesList([...answer.replaces])
        .setDeletebeforereplace(answer.deleteBeforeReplace);
    }),

    create: unary(async (request: InstanceType<typeof proto.CreateRequest>) => {
      const { id, props } = await provider.create(typeOf(request), plain(request.getProperties()));
      return new proto.CreateResponse().setId(id).setProperties(toStruct(props));
    }),

    read: unary(async (request: InstanceType<typeof proto.ReadRequest>) => {
      const answer = await provider.read(
        typeOf(request),
        request.getId(),
        plain(request.getProperties()),
        plain(request.getInputs()),
      );
      const response = new proto.ReadResponse().setId(answer.id);
      if (answer.props !== undefined) response.setProperties(toStruct(answer.props));
      if (answer.inputs !== undefined) response.setInputs(toStruct(answer.inputs));
      return response;
    }),

    update: unary(async (request: InstanceType<typeof proto.UpdateRequest>) => {
      const props = await provider.update(
        typeOf(request),
        request.getId(),
        plain(request.getOlds()),
        plain(request.getNews()),
      );
      return new proto.UpdateResponse().setProperties(toStruct(props));
    }),

    delete: unary(async (request: InstanceType<typeof proto.DeleteRequest>) => {
      await provider.delete(typeOf(request), request.getId(), plain(request.getProperties()));
      return new empty.Empty();
    }),

    cancel: unary(async () => {
      await provider.cancel();
      return new empty.Empty();
    }),
  };
}
