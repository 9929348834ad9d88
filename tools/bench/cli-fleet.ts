/**
 * Fleet scale through the real engine: one stack of N `VmPauseState` on N simulator VMs, driven by the real Pulumi
 * CLI (tools/pulumi-cli) with a local file backend and checkpoints on, as users run it: preview, up at the default
 * parallelism, refresh, destroy, up at a wide parallelism, and an up that changes every resource.
 *
 * Beside each command, in the same run, the same command on the **floor**: a stack of N resources of the
 * benchmark's own (cli-fleet-project/floor.js) that only sleep the job time and return their inputs, with the same
 * CLI, N and parallelism. `ours / floor` is then what this package adds (host CPU, requests, state bytes) to what
 * the engine costs anyway. The stacks' commands alternate (which goes first rotates too), so that load from
 * other jobs on the shared machine falls on both.
 *
 * The destroy comes before the up that changes every resource: that up returns each VM to the state it was adopted
 * in, after which a destroy has nothing to restore and would make no ZStack call at all, unlike the floor's.
 *
 * The native provider plugin (`zstackvm:index:VmPauseState`, `pulumi-resource-zstackvm`) runs preview, up, refresh
 * and destroy in the same rotation, on a third stack of the same N against a simulator of its own (the same VMs and
 * job time: sharing one would let one stack's up find the VMs already paused by the other's), and is set beside the
 * same floor. Its start-up time is measured apart (plugin-startup.ts): each command pays it once per provider
 * instance.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { generateVms, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import { PulumiCommandError, PulumiWorkspace } from "../pulumi-cli/workspace";
import { cliProfileShare, type CliProfileShare } from "./cli-profile";
import {
  HOST_CATEGORIES,
  PROGRAM_CATEGORIES,
  profileBreakdown,
  profilesIn,
  profilingEnv,
  type ProfileBreakdown,
  type ProfileCategories,
} from "./cpu-profile";
import { PLUGIN_PACKAGE, namePluginInProject, providerConfig } from "../pulumi-cli/plugin-project";
import { measurePluginStartup, type PluginStartup } from "./plugin-startup";
import { ioOf, reapedChildrenCpuMs, sampleTree } from "./proc-tree";

/** The fleet program, copied into the workspace once per implementation. */
const PROJECT_DIR = path.join(__dirname, "cli-fleet-project");
/** Its project name (Pulumi.yaml), under which the file backend keeps the stacks. */
const PROJECT_NAME = "fleet";

/**
 * The implementations measured side by side: the dynamic resources (`ours`), the native provider plugin (`plugin`)
 * and the floor.
 */
export type FleetImplementation = "ours" | "plugin" | "floor";

/** The type token each implementation's resources have in the checkpoint. */
const RESOURCE_TYPES: Readonly<Record<FleetImplementation, string>> = {
  ours: "pulumi-nodejs:dynamic/zstack:VmPauseState",
  plugin: `${PLUGIN_PACKAGE}:index:VmPauseState`,
  floor: "pulumi-nodejs:dynamic/bench:Floor",
};

/** The schema the plugin serves, whose resource outputs the fleet program declares as the generated SDK does. */
const PLUGIN_SCHEMA = path.join(__dirname, "..", "..", "provider", "schema.json");

/** Plugin starts measured for its start-up time. */
const PLUGIN_STARTS = 7;

/** Options of {@link measureCliFleet}. */
export interface CliFleetOptions {
  /** Resources (and VMs) in the stack. */
  readonly resources: number;
  /** Server-side pause and resume time, and the floor's sleep, ms. */
  readonly jobMs: number;
  /** The parallelism of the wide up and of the update that follows it. */
  readonly wideParallel: number;
  /** Progress messages. */
  readonly progress?: (message: string) => void;
}

/** One command on one stack. */
export interface CliCommandRun {
  readonly implementation: FleetImplementation;
  /** The command's wall time, spawn to exit, ms. */
  readonly wallMs: number;
  /** The stack's checkpoint file after the command, bytes. */
  readonly stateBytes: number;
  /** Bytes the CLI's process tree sent to storage (`write_bytes`), and passed to write calls (`wchar`). */
  readonly writeBytes: number | undefined;
  readonly writeChars: number | undefined;
  /** CPU time of the CLI's whole process tree (CLI, language host, program, provider host), ms. */
  readonly treeCpuMs: number | undefined;
  /** Of which the dynamic-provider host, ms. */
  readonly hostCpuMs: number | undefined;
  /** Peak resident memory of the CLI process and of the provider host, KiB. */
  readonly cliPeakRssKb: number | undefined;
  readonly hostPeakRssKb: number | undefined;
  /** 1-minute load average when the command started and ended. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  /** CPU time of the program's Node process (at its last sample), ms. */
  readonly programCpuMs: number | undefined;
  /** For a profiled command: the CLI's profiled CPU and the part spent writing checkpoints. */
  readonly checkpointProfile: CliProfileShare | undefined;
  /** For a profiled command: where the program's and the provider host's CPU went (V8 profiles). */
  readonly programProfile: ProfileBreakdown | undefined;
  readonly hostProfile: ProfileBreakdown | undefined;
}

/** The commands of the sequence. */
export type CliStepName =
  | "preview"
  | "preview-untraced"
  | "up"
  | "refresh"
  | "destroy"
  | "up-unsaved"
  | "destroy-unsaved"
  | "up-wide"
  | "update-all";

/** One command on both stacks. */
export interface CliStepResult {
  readonly step: CliStepName;
  /** The command as run (without the flags every command gets). */
  readonly command: string;
  /** Operations in flight the engine allows. */
  readonly parallel: number;
  readonly ours: CliCommandRun;
  readonly floor: CliCommandRun;
  /** `ours.wallMs / floor.wallMs`. */
  readonly ratio: number;
  /** The plugin's stack, for preview, up, refresh and destroy. */
  readonly plugin: CliCommandRun | undefined;
  /** `plugin.wallMs / floor.wallMs`. */
  readonly pluginRatio: number | undefined;
  /** `ceil(N / P) x job time` for the commands that run a job per resource; undefined for preview and refresh. */
  readonly idealMs: number | undefined;
  /**
   * A control rather than a command as users run it (see {@link SKIP_CHECKPOINTS} and {@link NO_STACK_TRACES}): its
   * ratios have no target; they say how much of the other commands' ratios one cost is.
   */
  readonly control: boolean;
}

/** The result of {@link measureCliFleet}. */
export interface CliFleetResult {
  readonly resources: number;
  readonly jobMs: number;
  /** The CLI's version. */
  readonly cliVersion: string;
  /** The engine's default parallelism here: 4 x GOMAXPROCS (see {@link defaultParallelism}). */
  readonly defaultParallel: number;
  readonly steps: readonly CliStepResult[];
  /** The plugin's start-up, spawn to its port line, of its package and tarball forms, ms (see plugin-startup.ts). */
  readonly pluginStartupMs: PluginStartup;
}

interface StepPlan {
  readonly step: CliStepName;
  readonly args: readonly string[];
  readonly parallel: number;
  /** Whether each resource runs one job (then the ideal applies). */
  readonly jobs: boolean;
  /** Whether the plugin's stack runs it too. */
  readonly plugin?: boolean;
  /**
   * Whether to profile the command, on both stacks: the CLI (`--profiling`: what share of its CPU the checkpoints
   * take) and its Node processes (the program and the provider host, V8 profiler preloaded).
   */
  readonly profile?: boolean;
  /** Config to set before the command, outside the timing. */
  readonly config?: Readonly<Record<string, string>>;
  /** Environment of the command; set only for the controls, which are not how users run the CLI. */
  readonly env?: Readonly<Record<string, string>>;
  /** Resources (the stack included) the checkpoint must hold afterwards, and the VMs' state for ours. */
  readonly expectResources: "all" | "none";
  readonly expectVmState: string;
}

/**
 * The engine's default parallelism, `4 x runtime.GOMAXPROCS(0)` (pkg/cmd/pulumi/operations/up.go), unless
 * `PULUMI_PARALLEL` is set. Go's GOMAXPROCS is the CPUs this process may use, capped by a cgroup CPU quota.
 */
export function defaultParallelism(): number {
  const fromEnv = Number(process.env["PULUMI_PARALLEL"]);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  let cpus = os.availableParallelism();
  try {
    const [quota, period] = readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(" ");
    if (quota !== "max") cpus = Math.min(cpus, Math.max(1, Math.ceil(Number(quota) / Number(period))));
  } catch {
    // No cgroup v2 CPU controller: the affinity mask is the limit.
  }
  return 4 * cpus;
}

/**
 * The control: the engine writes the checkpoint once, at the end, instead of at the start and end of every
 * step (provider/docs/pulumi-semantics.md#large-stacks; pulumi/pulumi `pkg/backend/snapshot.go`). The same up
 * and destroy with and without it, on both stacks, measure what the checkpoints cost rather than inferring it
 * from a profile alone.
 */
const SKIP_CHECKPOINTS = { PULUMI_SKIP_CHECKPOINTS: "true" } as const;

/**
 * The control of the preview: every Node process the CLI starts records no stack traces. `@pulumi/pulumi` makes four
 * promises for every output a resource declares and formats a stack trace for each (`debuggablePromise`); the
 * generated SDK's classes declare every output, so the plugin's program pays that per output, where the dynamic
 * resources suspend it (provider/src/resources/quiet-construction.ts). The SDK still records each resource's source
 * position: it lifts the limit around that capture.
 */
const NO_STACK_TRACES = { NODE_OPTIONS: "--stack-trace-limit=0" } as const;

function plan(defaultParallel: number, wide: number): StepPlan[] {
  const apply = ["--yes", "--skip-preview"];
  return [
    {
      step: "preview",
      args: ["preview"],
      parallel: defaultParallel,
      plugin: true,
      jobs: false,
      profile: true,
      expectResources: "none",
      expectVmState: "Running",
    },
    {
      step: "preview-untraced",
      args: ["preview"],
      parallel: defaultParallel,
      plugin: true,
      jobs: false,
      env: NO_STACK_TRACES,
      expectResources: "none",
      expectVmState: "Running",
    },
    {
      step: "up",
      args: ["up", ...apply],
      parallel: defaultParallel,
      plugin: true,
      jobs: true,
      profile: true,
      expectResources: "all",
      expectVmState: "Paused",
    },
    {
      step: "refresh",
      args: ["refresh", ...apply],
      parallel: defaultParallel,
      plugin: true,
      jobs: false,
      expectResources: "all",
      expectVmState: "Paused",
    },
    {
      step: "destroy",
      args: ["destroy", ...apply],
      parallel: defaultParallel,
      plugin: true,
      jobs: true,
      expectResources: "none",
      expectVmState: "Running",
    },
    {
      step: "up-unsaved",
      args: ["up", ...apply],
      parallel: defaultParallel,
      jobs: true,
      env: SKIP_CHECKPOINTS,
      expectResources: "all",
      expectVmState: "Paused",
    },
    {
      step: "destroy-unsaved",
      args: ["destroy", ...apply],
      parallel: defaultParallel,
      jobs: true,
      env: SKIP_CHECKPOINTS,
      expectResources: "none",
      expectVmState: "Running",
    },
    {
      step: "up-wide",
      args: ["up", ...apply, "--parallel", String(wide)],
      parallel: wide,
      jobs: true,
      expectResources: "all",
      expectVmState: "Paused",
    },
    {
      step: "update-all",
      args: ["up", ...apply, "--parallel", String(wide)],
      parallel: wide,
      jobs: true,
      profile: true,
      config: { "fleet:state": "Running" },
      expectResources: "all",
      expectVmState: "Running",
    },
  ];
}

/** `A=1, B=2`: how a command's label shows the variables or config it ran with. */
function assignments(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}

/** Runs the sequence on both stacks and measures every command. */
export async function measureCliFleet(options: CliFleetOptions): Promise<CliFleetResult> {
  const { resources, jobMs, wideParallel } = options;
  const fleetSimulator = () =>
    startSimulator({
      timings: { pauseMs: jobMs, resumeMs: jobMs },
      vms: generateVms(resources, { namePrefix: "fleet" }),
    });
  const [sim, pluginSim] = await Promise.all([fleetSimulator(), fleetSimulator()]);
  const sims: Readonly<Record<FleetImplementation, Simulator>> = { ours: sim, floor: sim, plugin: pluginSim };
  const ws = await PulumiWorkspace.create();
  try {
    options.progress?.(`cli fleet: the plugin's start-up, ${PLUGIN_STARTS} starts`);
    const pluginStartupMs = await measurePluginStartup(PLUGIN_STARTS);
    const dirs = {} as Record<FleetImplementation, string>;
    for (const implementation of ["ours", "plugin", "floor"] as const) {
      const implementationSim = sims[implementation];
      const dir = ws.project(PROJECT_DIR, { name: `fleet-${implementation}` });
      writeFileSync(
        path.join(dir, "vms.json"),
        JSON.stringify(implementationSim.vms.list().map((vm) => vm.uuid)),
      );
      if (implementation === "plugin") {
        namePluginInProject(dir);
        writeFileSync(path.join(dir, "plugin-outputs.json"), JSON.stringify(pluginOutputNames()));
      }
      await ws.initStack(dir, implementation, {
        ...(implementation === "plugin"
          ? providerConfig(implementationSim)
          : {
              ...implementationSim.stackConfig(),
              "zstack:accountPassword": { secret: implementationSim.credentials.password },
            }),
        "fleet:kind": implementation,
        "fleet:state": "Paused",
        "fleet:jobMs": String(jobMs),
      });
      dirs[implementation] = dir;
    }
    const defaultParallel = defaultParallelism();
    const steps: CliStepResult[] = [];
    for (const [index, step] of plan(defaultParallel, wideParallel).entries()) {
      options.progress?.(`cli fleet: ${step.step} (pulumi ${step.args.join(" ")}), ${resources} resources`);
      const stacks: FleetImplementation[] = step.plugin ? ["ours", "plugin", "floor"] : ["ours", "floor"];
      // Which stack goes first rotates, so that load from other jobs on the shared machine falls on each.
      const order = stacks.map((_, i) => stacks[(i + index) % stacks.length]!);
      const runs: Partial<Record<FleetImplementation, CliCommandRun>> = {};
      for (const implementation of order) {
        if (step.config) await ws.setConfig(dirs[implementation], step.config);
        runs[implementation] = await measureCommand(
          ws,
          dirs[implementation],
          implementation,
          step.args,
          step.profile === true && implementation !== "plugin",
          step.env ?? {},
        );
        verify(ws, sims[implementation], implementation, step, resources);
      }
      const ours = runs.ours!;
      const floor = runs.floor!;
      steps.push({
        step: step.step,
        command:
          `pulumi ${step.args.filter((a) => a !== "--yes" && a !== "--skip-preview").join(" ")}` +
          (step.env ? ` (${assignments(step.env)})` : "") +
          (step.config ? ` (${assignments(step.config)}: all change)` : ""),
        parallel: step.parallel,
        ours,
        floor,
        ratio: ours.wallMs / floor.wallMs,
        plugin: runs.plugin,
        pluginRatio: runs.plugin === undefined ? undefined : runs.plugin.wallMs / floor.wallMs,
        idealMs: step.jobs ? Math.ceil(resources / step.parallel) * jobMs : undefined,
        control: step.env !== undefined,
      });
    }
    return { resources, jobMs, cliVersion: ws.cli.version, defaultParallel, steps, pluginStartupMs };
  } finally {
    ws.dispose();
    await Promise.all([sim.close(), pluginSim.close()]);
  }
}

/**
 * The output names of the plugin's `VmPauseState`, from the schema: the generated SDK's class declares each as a
 * property of the resource (an Output per property, as for the dynamic resource), and so does the fleet program.
 */
function pluginOutputNames(): string[] {
  const schema = JSON.parse(readFileSync(PLUGIN_SCHEMA, "utf8")) as {
    resources: Record<string, { properties: Record<string, unknown> }>;
  };
  const resource = schema.resources[RESOURCE_TYPES.plugin];
  if (resource === undefined) throw new Error(`${PLUGIN_SCHEMA} has no ${RESOURCE_TYPES.plugin}`);
  return Object.keys(resource.properties);
}

/** The checkpoint file of a stack in the workspace's file backend. */
function stateFile(ws: PulumiWorkspace, stack: FleetImplementation): string {
  return path.join(ws.backendDir, ".pulumi", "stacks", PROJECT_NAME, `${stack}.json`);
}

async function measureCommand(
  ws: PulumiWorkspace,
  cwd: string,
  implementation: FleetImplementation,
  args: readonly string[],
  profile: boolean,
  stepEnv: Readonly<Record<string, string>>,
): Promise<CliCommandRun> {
  const profileDir = profile ? mkdtempSync(path.join(ws.dir, "cli-profile-")) : undefined;
  const profiling = profileDir === undefined ? [] : ["--profiling", path.join(profileDir, "cli")];
  const env = { ...stepEnv, ...(profileDir === undefined ? {} : profilingEnv(profileDir)) };
  const loadStart = os.loadavg()[0] ?? 0;
  const ioBefore = ioOf("self");
  const cpuBefore = reapedChildrenCpuMs();
  const started = performance.now();
  // `--non-interactive`: the plain line-per-event display a CI log gets, the same for both stacks.
  const running = ws.start([...args, "--non-interactive", ...profiling], { cwd, env });
  const sampler = sampleTree(running.child.pid as number);
  const run = await running.done;
  const wallMs = performance.now() - started;
  const peaks = sampler.stop();
  if (run.code !== 0) throw new PulumiCommandError(run);
  const ioAfter = ioOf("self");
  const cpuAfter = reapedChildrenCpuMs();
  // The CLI names its profile after its pid: <prefix>.<pid>.cpu.
  const checkpointProfile =
    profileDir === undefined
      ? undefined
      : cliProfileShare(ws.cli.pulumi, path.join(profileDir, `cli.${running.child.pid}.cpu`));
  const breakdown = (role: "program" | "host", categories: ProfileCategories) => {
    const file = profileDir === undefined ? undefined : profilesIn(profileDir, role)[0];
    return file === undefined ? undefined : profileBreakdown(file, categories);
  };
  const programProfile = breakdown("program", PROGRAM_CATEGORIES);
  const hostProfile = breakdown("host", HOST_CATEGORIES);
  if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
  return {
    implementation,
    wallMs,
    stateBytes: statSync(stateFile(ws, implementation)).size,
    writeBytes: ioBefore && ioAfter ? ioAfter.writeBytes - ioBefore.writeBytes : undefined,
    writeChars: ioBefore && ioAfter ? ioAfter.writeChars - ioBefore.writeChars : undefined,
    treeCpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    hostCpuMs: peaks.hostCpuMs,
    programCpuMs: peaks.programCpuMs,
    cliPeakRssKb: peaks.cliPeakRssKb,
    hostPeakRssKb: peaks.hostPeakRssKb,
    loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
    checkpointProfile,
    programProfile,
    hostProfile,
  };
}

/**
 * Checks that a command did what it should: the checkpoint's resources, and for ours and the plugin the VMs' states
 * on their simulator.
 */
function verify(
  ws: PulumiWorkspace,
  sim: Simulator,
  implementation: FleetImplementation,
  step: StepPlan,
  resources: number,
): void {
  const checkpoint = JSON.parse(readFileSync(stateFile(ws, implementation), "utf8")) as {
    checkpoint?: { latest?: { resources?: readonly { type: string }[] } };
  };
  const held = (checkpoint.checkpoint?.latest?.resources ?? []).filter(
    (r) => r.type === RESOURCE_TYPES[implementation],
  );
  const expected = step.expectResources === "all" ? resources : 0;
  if (held.length !== expected) {
    throw new Error(
      `cli fleet: ${implementation} ${step.step} left ${held.length} resources, expected ${expected}`,
    );
  }
  if (implementation === "floor") return;
  const wrong = sim.vms.list().filter((vm) => vm.state !== step.expectVmState);
  if (wrong.length > 0) {
    throw new Error(
      `cli fleet: after ${implementation} ${step.step}, ${wrong.length} VMs are not ${step.expectVmState}`,
    );
  }
}
