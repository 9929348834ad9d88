/**
 * The quickstart project as the tools and tests drive it: where it is, its files, its name, the type tokens the
 * engine sends for the two resources, its stack config for a simulator, and a real dynamic-provider host configured
 * with that config as the engine would.
 */
import { connectionSettings, type Simulator } from "pulumi-zstack-vm/simulator";

import { secret, startProviderHost, type PropertyMap, type ProviderHost } from "./provider-host/host";
import { REPO_ROOT, type ConfigValue } from "./pulumi-cli/workspace";

/** The repository root is the quickstart's Pulumi project directory, from which the host resolves the package. */
export { REPO_ROOT };

/** The quickstart project's files at the repository root, as copied into a throw-away Pulumi workspace. */
export const QUICKSTART_FILES = ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"] as const;

/** The quickstart project's name, which the host is started with. */
export const PROJECT = "quickstart";

/** The type token of `VmPauseState`, as the engine sends it to the host. */
export const PAUSE_TYPE = "pulumi-nodejs:dynamic/zstack:VmPauseState";
/** The type token of `VmClockTrack`, as the engine sends it to the host. */
export const CLOCK_TYPE = "pulumi-nodejs:dynamic/zstack:VmClockTrack";

/**
 * The stack config pointing the provider at a simulator, as a user sets it with `pulumi config set`: the `zstack:*`
 * keys, the password (or access-key secret) as a secret.
 */
export function zstackConfig(sim: Simulator): Record<string, ConfigValue> {
  return Object.fromEntries(
    connectionSettings(sim.endpoint, sim.credentials).map((setting) => [
      setting.configKey,
      setting.secret ? { secret: setting.value } : setting.value,
    ]),
  );
}

/**
 * Starts the real dynamic-provider host in the repository and configures it for the simulator as the engine would:
 * the stack's {@link zstackConfig}, its secrets secret-wrapped.
 */
export async function startConfiguredHost(
  sim: Simulator,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: REPO_ROOT, project: PROJECT, ...(env ? { env } : {}) });
  const config: PropertyMap = Object.fromEntries(
    Object.entries(zstackConfig(sim)).map(([key, value]) => [
      key,
      typeof value === "string" ? value : secret(value.secret),
    ]),
  );
  await host.configure(config);
  return host;
}
