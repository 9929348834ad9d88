/**
 * Shared setup of the example tests: a simulator with fast jobs, a temporary directory for state files, and engine
 * harnesses for a project's stacks pointed at the simulator. Each `describe` is one stack's life, so its tests run
 * in order, like the successive `pulumi` commands they stand for.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";
import { closeAllClients } from "pulumi-zstack-vm/zstack";
import { EngineHarness, type RunResult, type Step } from "../../tools/harness/engine";
import { loadProject } from "../../tools/harness/program";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** An example project's directory. */
export const exampleDir = (name: string): string => path.join(REPO_ROOT, "examples", name);

/** A simulator and a scratch directory for one example's stacks. */
export interface ExampleWorld {
  readonly sim: Simulator;
  /** Temporary directory (state files); removed by `close`. */
  readonly dir: string;
  /** A harness for `stack` of the project in `projectDir`, with the simulator's `zstack:*` config plus `config`. */
  harness(projectDir: string, stack: string, config?: Record<string, string>): EngineHarness;
  /** The state file of a stack of a project (`<dir>/<project>/<stack>.json`). */
  statePath(projectName: string, stack: string): string;
  close(): Promise<void>;
}

/** Starts a simulator (demo VMs, short jobs) and returns the world of one example test. */
export async function startExampleWorld(options: SimulatorOptions = {}): Promise<ExampleWorld> {
  const sim = await startSimulator({
    timings: { pauseMs: 40, resumeMs: 40, clockTrackMs: 20, resourceConfigMs: 20 },
    ...options,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zstack-example-"));
  const statePath = (projectName: string, stack: string): string =>
    path.join(dir, projectName, `${stack}.json`);
  return {
    sim,
    dir,
    statePath,
    harness(projectDir, stack, config = {}) {
      const zstack = sim.stackConfig();
      return new EngineHarness({
        projectDir,
        stack,
        config: {
          ...zstack,
          // As a user would set it: `pulumi config set --secret zstack:accountPassword ...`.
          "zstack:accountPassword": { secret: sim.credentials.password },
          ...config,
        },
        secretsPassphrase: "example-tests",
        statePath: statePath(loadProject(projectDir).name, stack),
      });
    },
    async close() {
      await closeAllClients();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The step of the resource named `name`; fails the test when there is none. */
export function stepOf(result: RunResult, name: string): Step {
  const s = result.steps.find((x) => x.name === name);
  assert.ok(s, `no step for ${name}: ${result.steps.map((x) => x.name).join(", ")}`);
  return s;
}

/** `{name: op}` of every step, for one-line assertions on a whole plan. */
export function opsOf(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.steps.map((s) => [s.name, s.op]));
}

/** Asserts the run succeeded, showing its printed plan otherwise. */
export function assertSucceeded(result: RunResult): void {
  assert.equal(result.status, "succeeded", result.lines.join("\n"));
}
