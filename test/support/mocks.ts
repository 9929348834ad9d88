import * as pulumi from "@pulumi/pulumi";

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
