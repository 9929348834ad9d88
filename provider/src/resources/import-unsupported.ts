import type * as pulumi from "@pulumi/pulumi";

/**
 * The error for the `import` resource option. The engine imports by sending Read with the id alone, and the Node.js
 * dynamic-provider host cannot load a provider without the serialized `__provider` that only state or inputs carry
 * (pulumi/pulumi#16175), so it fails deep in the host with "code must be a string". Ours says what to do instead:
 * creating the resource adopts the VM as it is, and sends nothing when it already is as declared.
 */
export function importUnsupported(kind: string, name: string, id: pulumi.Input<string>): Error {
  const shown = typeof id === "string" ? `"${id}"` : "an Output";
  return new Error(
    `${kind} "${name}": the import option (import: ${shown}) is not supported: Pulumi cannot import dynamic ` +
      `resources (pulumi/pulumi#16175). Remove the import option and declare the resource: creating a ${kind} adopts ` +
      `the VM as it is, sends nothing when it is already in the declared state, and records what it found so that ` +
      `delete can restore it.`,
  );
}
