/**
 * The dynamic face of the runtime: what the `__provider` texts call inside the Pulumi dynamic-provider host. The
 * host is one process per `pulumi` command and hands it one stack config, so this module keeps the one
 * {@link ProviderRuntime} of the process, made on first need, with its controllers. This slot is the only
 * process-wide state of the package, and it belongs to this face: a native provider makes a runtime per provider
 * instance, a test per world, and neither comes here.
 *
 * The runtime is closed (its session logged out) when the engine ends the host: see `process-end.ts`.
 *
 * The functions are a versioned protocol: `provider` (today's texts) and `dispatch` and `configure` (0.1.0's
 * serialized shims call them from each method) must keep accepting what older versions of the `__provider` texts
 * and of the runtime wrote.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

import { controllersFor, isResourceKind, type Controllers } from "./controllers";
import { closeAtProcessEnd } from "./process-end";
import { ProviderRuntime } from "./provider-runtime";
import { checkSetConnectionSettings, resolveConnectionSettings, type ConfigSource } from "./settings";

/** The stack config of the host's last `configure`; settings are resolved from it (and the environment) lazily. */
let configured: ConfigSource | undefined;

/** The process's runtime and its controllers, made on the first call that needs them. */
let hostRuntime: { readonly runtime: ProviderRuntime; readonly controllers: Controllers } | undefined;

/** The dynamic provider objects of each kind, as `provider` hands them to the host. */
const providers = new Map<string, dynamic.ResourceProvider>();

function controllers(): Controllers {
  if (hostRuntime === undefined) {
    // Settings are resolved from the config the host sent last, whenever the runtime first needs the network:
    // check and diff run with none (check only rejects a value that is set and invalid), and a configure that
    // comes after a check still applies.
    const runtime = new ProviderRuntime({
      settings: () => resolveConnectionSettings(configured),
      checkSettings: () => checkSetConnectionSettings(configured),
    });
    // The engine ends the host with SIGINT once the command is done (or failed): log out then.
    closeAtProcessEnd(() => runtime.close());
    hostRuntime = { runtime, controllers: controllersFor(runtime) };
  }
  return hostRuntime.controllers;
}

/**
 * The dynamic-provider methods of one resource kind, bound to the process's runtime. Throws for a kind this version
 * does not know, which can only happen when state written by a newer version meets an older installed package.
 */
export function dispatch(kind: string): dynamic.ResourceProvider {
  if (!isResourceKind(kind)) {
    throw new Error(
      `pulumi-zstack-vm: this installed version does not know the resource kind ${JSON.stringify(kind)}; ` +
        `the stack's state was written by a newer version. Upgrade pulumi-zstack-vm in the project.`,
    );
  }
  return controllers()[kind] as unknown as dynamic.ResourceProvider;
}

/**
 * The dynamic provider of one resource kind, as the `__provider` text's `handler()` returns it to the host: the
 * kind's controller and {@link configure}. One object per kind and process; the host caches it per text anyway.
 */
export function provider(kind: string): dynamic.ResourceProvider {
  let found = providers.get(kind);
  if (found === undefined) {
    const controller = dispatch(kind);
    // Methods delegate rather than being copied, so that a controller's methods keep their own `this`.
    found = {
      configure,
      check: (olds, news) => controller.check!(olds, news),
      diff: (id, olds, news) => controller.diff!(id, olds, news),
      create: (inputs) => controller.create(inputs),
      read: (id, props) => controller.read!(id, props),
      update: (id, olds, news) => controller.update!(id, olds, news),
      delete: (id, props) => controller.delete!(id, props),
    };
    providers.set(kind, found);
  }
  return found;
}

/**
 * Receives the stack configuration from the host (Pulumi `configure`, once per `__provider` text it loads, each
 * time with the process's one config); nothing is resolved or validated until a call needs the network.
 */
export async function configure(request: dynamic.ConfigureRequest): Promise<void> {
  configured = request.config;
}
