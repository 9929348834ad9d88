/**
 * The quickstart project as the tools and tests drive it without the Pulumi CLI: where it is, its name, the type
 * tokens the engine sends for the two resources, and a real dynamic-provider host configured for a simulator.
 */
import path from "node:path";

import type { Simulator } from "pulumi-zstack-vm/simulator";

import { secret, startProviderHost, type PropertyMap, type ProviderHost } from "./provider-host/host";

/** The repository root: the quickstart's Pulumi project directory, from which the host resolves the package. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** The quickstart project's name, which the host is started with. */
export const PROJECT = "quickstart";

/** The type token of `VmPauseState`, as the engine sends it to the host. */
export const PAUSE_TYPE = "pulumi-nodejs:dynamic/zstack:VmPauseState";
/** The type token of `VmClockTrack`, as the engine sends it to the host. */
export const CLOCK_TYPE = "pulumi-nodejs:dynamic/zstack:VmClockTrack";

/**
 * Starts the real dynamic-provider host in the repository and configures it for the simulator as the engine would:
 * the stack's `zstack:*` config, the password secret-wrapped.
 */
export async function startConfiguredHost(
  sim: Simulator,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<ProviderHost> {
  const host = await startProviderHost({ cwd: REPO_ROOT, project: PROJECT, ...(env ? { env } : {}) });
  const config: PropertyMap = { ...sim.stackConfig() };
  config["zstack:accountPassword"] = secret(sim.credentials.password);
  await host.configure(config);
  return host;
}
