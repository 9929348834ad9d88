/**
 * Two ZStack endpoints and a throw-away Pulumi workspace for programs on the native provider plugin, in any language
 * the CLI runs: simulator `a` for the default provider (stack config `zstackvm:*`, the password a secret) and
 * simulator `b` for an explicit provider (stack config under the program's namespace for it, by default `east:*`).
 * Each simulator serves the demo VMs, so the same uuids exist on both endpoints: only the provider decides which
 * one a resource reaches. Projects are copied into the workspace with the repository's plugin named in their
 * `Pulumi.yaml`, as a user would name an unpacked plugin (`plugins: providers:`).
 */
import {
  startSimulator,
  type AccountCredentials,
  type Simulator,
  type SimulatorOptions,
} from "pulumi-zstack-vm/simulator";

import { namePluginInProject, providerConfig } from "../../tools/pulumi-cli/plugin-project";
import { PulumiWorkspace, type ConfigValue, type RunOptions } from "../../tools/pulumi-cli/workspace";
import { CLI_TIMINGS, jsonCommand, type CliReport } from "../cli/support";

/** The config namespace the story programs read endpoint B's settings from (`east:host`, ...). */
export const EXPLICIT_ENDPOINT_NAMESPACE = "east";

/**
 * Each endpoint's account: different names and passwords, so that a resource routed to the wrong endpoint cannot log
 * in, and so that a test can look for either password in what the CLI printed and stored.
 */
export const ENDPOINT_ACCOUNTS = {
  a: { name: "ops-west", password: "west-Pa55-9d1e7c" },
  b: { name: "ops-east", password: "east-Pa55-4b2f80" },
} as const satisfies Record<"a" | "b", AccountCredentials>;

/** Two simulators, a workspace, and the commands of one suite. */
export interface PluginWorld {
  /** Endpoint A: the default provider's. */
  readonly a: Simulator;
  /** Endpoint B: the explicit provider's. */
  readonly b: Simulator;
  readonly ws: PulumiWorkspace;
  /** The stack config of both endpoints: `zstackvm:*` for A and `east:*` for B, passwords as secrets. */
  endpointsConfig(): Record<string, ConfigValue>;
  /**
   * Copies a project into the workspace, names the repository's plugin in its `Pulumi.yaml` (unless
   * `namePlugin: false`, for a test that installs the plugin otherwise), and inits `stack` there with
   * {@link endpointsConfig} plus `config`.
   */
  stack(source: string, stack: string, options?: PluginStackOptions): Promise<string>;
  /** Runs `pulumi <args> --json` (`--yes --skip-preview` for up/refresh/destroy) and parses the engine's report. */
  json(cwd: string, args: readonly string[], options?: RunOptions): Promise<CliReport>;
  close(): Promise<void>;
}

/** Options of {@link PluginWorld.stack}. */
export interface PluginStackOptions {
  readonly config?: Readonly<Record<string, ConfigValue>>;
  /** The copy's directory name (default: the source's). */
  readonly name?: string;
  /** Name the repository's `provider/bin` in the project's `plugins:` (default true). */
  readonly namePlugin?: boolean;
}

/** Options of {@link startPluginWorld}. */
export interface PluginWorldOptions {
  /** Options of both simulators (fast jobs unless `timings` says otherwise). */
  readonly simulator?: SimulatorOptions;
  /** Environment of every command (for example `PULUMI_NODEJS_TRANSPILE_ONLY`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts both simulators and a workspace. */
export async function startPluginWorld(options: PluginWorldOptions = {}): Promise<PluginWorld> {
  const endpoint = (account: AccountCredentials) =>
    startSimulator({ timings: CLI_TIMINGS, accounts: [account], ...options.simulator });
  const [a, b] = await Promise.all([endpoint(ENDPOINT_ACCOUNTS.a), endpoint(ENDPOINT_ACCOUNTS.b)]);
  const ws = await PulumiWorkspace.create(options.env ? { env: options.env } : {});
  const endpointsConfig = (): Record<string, ConfigValue> => ({
    ...providerConfig(a),
    ...providerConfig(b, EXPLICIT_ENDPOINT_NAMESPACE),
  });
  return {
    a,
    b,
    ws,
    endpointsConfig,
    async stack(source, stack, opts = {}) {
      const dir = ws.project(source, opts.name ? { name: opts.name } : {});
      if (opts.namePlugin !== false) namePluginInProject(dir);
      await ws.initStack(dir, stack, { ...endpointsConfig(), ...opts.config });
      return dir;
    },
    json: (cwd, args, opts) => jsonCommand(ws, cwd, args, opts),
    async close() {
      ws.dispose();
      await Promise.all([a.close(), b.close()]);
    },
  };
}
