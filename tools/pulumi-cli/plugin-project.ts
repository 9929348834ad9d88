/**
 * Pulumi projects that use the native provider plugin `pulumi-resource-zstackvm` as the repository builds it, for the
 * tests and the benchmark: naming the plugin in a copied project's `Pulumi.yaml` (`plugins: providers:`, which the
 * CLI prefers to PATH and to installed plugins, and which prints no PATH warning), and the stack config that points a
 * provider instance at a simulator.
 */
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";

import { connectionSettings, type Simulator } from "pulumi-zstack-vm/simulator";

import { REPO_ROOT, type ConfigValue } from "./workspace";

/** The plugin's package name, the namespace of the default provider's stack config (`zstackvm:host`...). */
export const PLUGIN_PACKAGE = "zstackvm";

/**
 * The directory holding the plugin executable `pulumi-resource-zstackvm` (a launcher of `provider/dist/plugin`, so
 * the package must be built).
 */
export const PLUGIN_BIN_DIR = path.join(REPO_ROOT, "provider", "bin");

/**
 * Names the plugin in a project's `Pulumi.yaml` (`plugins: providers: [{name: zstackvm, path: <dir>}]`). For copies
 * of projects in a throw-away workspace: the repository's examples leave the choice of installation to their users.
 *
 * @param projectDir the project directory (its `Pulumi.yaml` must not name plugins already)
 * @param binDir the directory of the plugin executable (default: the repository's `provider/bin`)
 */
export function namePluginInProject(projectDir: string, binDir: string = PLUGIN_BIN_DIR): void {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (/^plugins:/m.test(readFileSync(file, "utf8"))) {
    throw new Error(`${file} already has a plugins: section; name the plugin there instead`);
  }
  appendFileSync(
    file,
    `\nplugins:\n  providers:\n    - name: ${PLUGIN_PACKAGE}\n      path: ${JSON.stringify(binDir)}\n`,
  );
}

/**
 * The connection settings of a simulator as stack config under `namespace`, each under its setting name
 * (`<namespace>:host`, `<namespace>:port`, ..., `<namespace>:accountPassword` as a secret): with the default
 * namespace, what the engine hands the default provider; under another, what a program reads to configure an
 * explicit provider.
 */
export function providerConfig(
  sim: Simulator,
  namespace: string = PLUGIN_PACKAGE,
): Record<string, ConfigValue> {
  return Object.fromEntries(
    connectionSettings(sim.endpoint, sim.credentials).map((setting) => [
      `${namespace}:${setting.name}`,
      setting.secret ? { secret: setting.value } : setting.value,
    ]),
  );
}
