/**
 * The YAML programs of the plugin's CLI specs: examples/yaml-two-endpoints as the specs copy it, and the edits a user
 * makes to such a program (resources added at the top of its `resources:` section, such as the code `pulumi import`
 * generates).
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { exampleDir } from "./support";

/** examples/yaml-two-endpoints: the default provider on endpoint A, the explicit provider `east` on endpoint B. */
export const YAML_TWO_ENDPOINTS = exampleDir("yaml-two-endpoints");

/**
 * Adds resource entries (YAML text indented as entries of `resources:`, two spaces) at the top of the `resources:`
 * section of the project's `Pulumi.yaml`.
 */
export function addResources(projectDir: string, entries: string): void {
  const file = path.join(projectDir, "Pulumi.yaml");
  const program = readFileSync(file, "utf8");
  assert.match(program, /^resources:\n/m, `${file} has no resources: section`);
  writeFileSync(file, program.replace(/^resources:\n/m, `resources:\n${entries.replace(/\n*$/, "\n")}`));
}

/** The resource entries of a YAML program that `pulumi import --out` wrote: its `resources:` section's body. */
export function resourceEntries(generated: string): string {
  const match = /^resources:\n((?:(?: {2}.*)?\n?)*)/m.exec(generated);
  assert.ok(match?.[1], `no resources: section in the generated program:\n${generated}`);
  return match[1];
}

/**
 * `PATH` without the directories that hold a `pulumi-resource-zstackvm`: `npm run` and `npx` put the workspace's
 * `node_modules/.bin` on it, and the CLI prefers a plugin on PATH to an installed one, so a test of an installed
 * plugin runs its commands with this.
 */
export function pathWithoutPlugin(pathValue: string): string {
  return pathValue
    .split(path.delimiter)
    .filter((dir) => !existsSync(path.join(dir, "pulumi-resource-zstackvm")))
    .join(path.delimiter);
}
