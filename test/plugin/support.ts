/**
 * What the plugin specs share: the plugin executable driven over gRPC as the engine drives it (the provider-host
 * driver, tools/provider-host), against a simulator of its own; the provider inputs that point at that simulator.
 * The plugin runs as a child process, as under the engine, so that what it logs can be read.
 */
import path from "node:path";

import {
  connectionSettings,
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "pulumi-zstack-vm/simulator";
import { SETTING_SOURCES } from "pulumi-zstack-vm/runtime";

import {
  secret,
  startProviderHost,
  urn,
  type PropertyMap,
  type ProviderHost,
} from "../../tools/provider-host/host";

/** The launcher the engine runs (after `npm run build`). */
export const PLUGIN_BIN = path.join(__dirname, "..", "..", "provider", "bin", "pulumi-resource-zstackvm");

export const PAUSE = "zstackvm:index:VmPauseState";
export const CLOCK = "zstackvm:index:VmClockTrack";
export const PROVIDER = "pulumi:providers:zstackvm";

/** A URN of the specs' stack. */
export function urnOf(type: string, name: string): string {
  return urn("dev", "plugin-spec", type, name);
}

/** An environment with no `ZSTACK_*` variable, so that only the provider's inputs count. */
export function withoutZStackEnv(
  extra: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  return {
    ...Object.fromEntries(Object.values(SETTING_SOURCES).map((source) => [source.envVar, undefined])),
    ...extra,
  };
}

/** Starts the plugin executable with `env` over the parent's environment (no `ZSTACK_*` unless given). */
export function startPlugin(env: Readonly<Record<string, string>> = {}): Promise<ProviderHost> {
  return startProviderHost({
    cwd: path.join(__dirname, "..", ".."),
    project: "plugin-spec",
    command: PLUGIN_BIN,
    env: withoutZStackEnv(env),
  });
}

/**
 * The provider inputs that reach `sim`: its connection settings by name, `port` a number (the schema's integer),
 * the password marked secret as the engine sends a secret input.
 */
export function providerInputs(sim: Simulator): PropertyMap {
  return Object.fromEntries(
    connectionSettings(sim.endpoint, sim.credentials).map((setting) => [
      setting.name,
      setting.name === "port"
        ? Number(setting.value)
        : setting.secret
          ? secret(setting.value)
          : setting.value,
    ]),
  );
}

/** A simulator with fast jobs and a configured plugin pointing at it. */
export interface PluginWorld {
  readonly sim: Simulator;
  readonly plugin: ProviderHost;
  close(): Promise<void>;
}

/** Starts a simulator and the plugin, configured with the simulator's settings as the provider's inputs. */
export async function startPluginWorld(options: SimulatorOptions = {}): Promise<PluginWorld> {
  const sim = await startSimulator({ timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 }, ...options });
  const plugin = await startPlugin();
  await plugin.configure(providerInputs(sim));
  return {
    sim,
    plugin,
    async close() {
      await plugin.close();
      await sim.close();
    },
  };
}
