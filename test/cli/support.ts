/**
 * Shared setup of the suites that run the real `pulumi` CLI: a simulator with short jobs in this process (the CLI and
 * its provider host reach it over loopback), a throw-away Pulumi workspace, and projects copied into it with the
 * simulator's `zstack:*` config set as a user would set it. Each `describe` is one stack's life: its tests run in
 * order, like the successive commands they stand for.
 */
import { strict as assert } from "node:assert";
import path from "node:path";

import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";

import { parseEngineReport, type EngineReport, type StepReport } from "../../tools/pulumi-cli/events";
import {
  PulumiWorkspace,
  type ConfigValue,
  type RunOptions,
  type RunningPulumi,
} from "../../tools/pulumi-cli/workspace";
import { QUICKSTART_FILES, REPO_ROOT, zstackConfig as zstackConfigOf } from "../../tools/quickstart";

export { QUICKSTART_FILES, REPO_ROOT };

/** A simulator, a Pulumi workspace, and the commands of one suite. */
export interface CliWorld {
  readonly sim: Simulator;
  readonly ws: PulumiWorkspace;
  /** The simulator's connection as stack config, the password as a secret. */
  zstackConfig(): Record<string, ConfigValue>;
  /** Copies a project into the workspace and inits `stack` there with the zstack config plus `config`. */
  stack(source: string, stack: string, options?: StackOptions): Promise<string>;
  /** Runs `pulumi <args> --json` (`--yes --skip-preview` for up/refresh/destroy) and parses the engine's report. */
  json(cwd: string, args: readonly string[], options?: RunOptions): Promise<CliReport>;
  close(): Promise<void>;
}

/** The engine's report of one command, with what the CLI printed on stderr (errors outside the event stream). */
export interface CliReport extends EngineReport {
  readonly stderr: string;
  /** The `--json` output itself, for checks on everything the CLI printed (no secret in it, for one). */
  readonly stdout: string;
}

/** Options of {@link CliWorld.stack}. */
export interface StackOptions {
  readonly config?: Readonly<Record<string, ConfigValue>>;
  readonly files?: readonly string[];
  readonly name?: string;
}

/** Options of {@link startCliWorld} beyond the simulator's. */
export interface CliWorldOptions extends SimulatorOptions {
  /**
   * Let ts-node type-check the program at each command, as it does for users by default. Off unless asked: the
   * repository's programs (the quickstart, the examples, the fixtures) are type-checked once by `npm run typecheck`,
   * and ts-node's check costs seconds of CPU per command; the suites run them in transpile-only mode
   * (`PULUMI_NODEJS_TRANSPILE_ONLY`). The suite whose program only a user's project holds keeps the check on.
   */
  readonly typeCheck?: boolean;
}

/** The simulator's job and transition times in the CLI suites: tens of ms, so that a command waits for little. */
export const CLI_TIMINGS = { pauseMs: 40, resumeMs: 40, clockTrackMs: 20, resourceConfigMs: 20 } as const;

/**
 * Runs `pulumi <args> --json` in `cwd` (`--yes --skip-preview` for up, refresh and destroy) and parses the engine's
 * report; a command that fails resolves with `result: "failed"` rather than throwing.
 */
export async function jsonCommand(
  ws: PulumiWorkspace,
  cwd: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliReport> {
  const applies = ["up", "refresh", "destroy"].includes(args[0] ?? "");
  const run = await ws.run([...args, "--json", ...(applies ? ["--yes", "--skip-preview"] : [])], {
    allowFailure: true,
    ...options,
    cwd,
  });
  const report = parseEngineReport(run.stdout);
  return {
    ...report,
    result: run.code === 0 ? report.result : "failed",
    stderr: run.stderr,
    stdout: run.stdout,
  };
}

/** Starts the simulator (demo VMs, jobs of tens of ms unless overridden) and a workspace. */
export async function startCliWorld(options: CliWorldOptions = {}): Promise<CliWorld> {
  const { typeCheck, ...simulatorOptions } = options;
  const sim = await startSimulator({ timings: CLI_TIMINGS, ...simulatorOptions });
  const ws = await PulumiWorkspace.create(typeCheck ? {} : { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
  const zstackConfig = (): Record<string, ConfigValue> => zstackConfigOf(sim);
  return {
    sim,
    ws,
    zstackConfig,
    async stack(source, stack, opts = {}) {
      const dir = ws.project(source, {
        ...(opts.files ? { files: opts.files } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      });
      await ws.initStack(dir, stack, { ...zstackConfig(), ...opts.config });
      return dir;
    },
    json: (cwd, args, opts) => jsonCommand(ws, cwd, args, opts),
    async close() {
      ws.dispose();
      await sim.close();
    },
  };
}

/** The step of the resource named `name`; fails the test when there is none. */
export function stepOf(report: EngineReport, name: string): StepReport {
  const s = report.steps.find((x) => x.name === name);
  assert.ok(s, `no step for ${name}: ${report.steps.map((x) => `${x.name}:${x.op}`).join(", ")}`);
  return s;
}

/** `{name: op}` of every step, for one-line assertions on a whole run. */
export function opsOf(report: EngineReport): Record<string, string> {
  return Object.fromEntries(report.steps.map((s) => [s.name, s.op]));
}

/** Asserts the command succeeded, showing the engine's diagnostics otherwise. */
export function assertSucceeded(report: CliReport): void {
  assert.equal(
    report.result,
    "succeeded",
    `${JSON.stringify(report.diagnostics, null, 2)}\n${report.stderr}`,
  );
}

/** Every error diagnostic of a run, joined. */
export function errorsOf(report: CliReport): string {
  const diagnostics = report.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  return [...diagnostics, report.stderr].join("\n");
}

/** The directory of an example project. */
export const exampleDir = (name: string): string => path.join(REPO_ROOT, "examples", name);

/** Resolves once the command has printed `text` on stdout. */
export function printed(running: RunningPulumi, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!running.output().includes(text)) return;
      running.child.stdout!.off("data", check);
      resolve();
    };
    running.child.stdout!.on("data", check);
    check();
  });
}
