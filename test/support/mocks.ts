import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

/** A resource registration the mocks saw. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly id?: string;
}

/**
 * Installs `pulumi.runtime.setMocks` with mocks that record every registration and echo inputs as state, and
 * returns the list they fill. Serialization of dynamic providers still runs under mocks, which is what the
 * serialization tests inspect.
 */
export function recordRegistrations(preview = false): Registration[] {
  const seen: Registration[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id });
        return { id: args.id ?? `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "quickstart",
    "dev",
    preview,
  );
  return seen;
}

/** Resolves once every output of the given resources has settled. */
export async function settled(...resources: pulumi.CustomResource[]): Promise<void> {
  await Promise.all(resources.map((resource) => new Promise((resolve) => resource.urn.apply(resolve))));
  await new Promise((resolve) => setImmediate(resolve));
}

/** Pulumi's secret signature wrapping, as `__provider` looks when serialization captured a secret. */
export function providerText(inputs: Record<string, unknown>): string {
  const value = inputs.__provider;
  if (typeof value !== "string") throw new Error(`__provider is not plain text: ${JSON.stringify(value)}`);
  return value;
}

/**
 * The `__provider` text each resource type registers, by type token, as the real Resource classes produce it under
 * mocks: what the tests driving the dynamic-provider host directly must send, as the engine would.
 */
export async function providerTextsByType(): Promise<Record<string, string>> {
  const seen = recordRegistrations();
  const vmUuid = "0123456789abcdef0123456789abcdef";
  await settled(new VmPauseState("p", { vmUuid }), new VmClockTrack("c", { vmUuid, track: "guest" }));
  return Object.fromEntries(
    seen.map((registration) => [registration.type, providerText(registration.inputs)]),
  );
}
