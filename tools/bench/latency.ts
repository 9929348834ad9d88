/**
 * Convergence latency: how long a `VmPauseState` create takes, relative to the server-side job it waits for, with
 * our adaptive poll schedule and, against the same simulator in the same run, the fixed-interval pollers of the
 * official SDKs (Java/Python 1 s, Go 2 s) and terraform's `zstack_instance_state` (5 s).
 *
 * Every create runs through the real runtime controller (`vmPauseStateController(runtime).create`), the code the
 * dynamic-provider host runs: it reads the VM, submits `pauseVmInstance`, polls the job and returns the outputs.
 * The only difference between strategies is the runtime's poll schedule. The ratio is
 * `(client wall time from the create call to its result) / (server-side job time, submit to completion, from the
 * simulator's job record)`; polls per job are counted on the simulator side from its request log.
 *
 * The adaptive schedule learns per action and endpoint within a runtime, as it would over the many resources of
 * one `pulumi up`; so the first job of each strategy (the cold one) is reported on its own and the percentiles are
 * over the jobs after it.
 */
import { performance } from "node:perf_hooks";
import { ProviderRuntime, resolveConnectionSettings, vmPauseStateController } from "pulumi-zstack-vm/runtime";
import { generateVms, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { FixedPollSchedule } from "pulumi-zstack-vm/zstack";

import { summarize, type Summary } from "./stats";

/** A way of polling jobs: ours (adaptive) or a fixed interval. */
export interface PollerStrategy {
  /** Short id used in the JSON report, e.g. `fixed-2s`. */
  readonly id: string;
  /** Who polls this way, for the report. */
  readonly label: string;
  /** The fixed interval between polls in ms; absent for the package's default adaptive schedule. */
  readonly intervalMs?: number;
}

/**
 * The strategies compared: ours, then the peers' fixed intervals
 * (provider/docs/zstack-behaviour.md#what-the-official-sdks-do).
 */
export const STRATEGIES: readonly PollerStrategy[] = [
  { id: "adaptive", label: "pulumi-zstack-vm (adaptive)" },
  { id: "fixed-1s", label: "fixed 1 s (Java, Python SDK)", intervalMs: 1000 },
  { id: "fixed-2s", label: "fixed 2 s (Go SDK)", intervalMs: 2000 },
  { id: "fixed-5s", label: "fixed 5 s (terraform zstack_instance_state)", intervalMs: 5000 },
];

/** Options of {@link measureLatency}. */
export interface LatencyOptions {
  /** The simulated job duration (pause) in ms. */
  readonly jobMs: number;
  /** Steady-state jobs per strategy, after the cold one. */
  readonly runs: number;
  /** Creates in flight per strategy (a `pulumi up` runs resources in parallel). */
  readonly concurrency: number;
  /** The strategies to compare (default {@link STRATEGIES}). */
  readonly strategies?: readonly PollerStrategy[];
}

/** One measured create. */
export interface JobSample {
  readonly vmUuid: string;
  readonly jobUuid: string;
  /** Client wall time, create call to result, ms. */
  readonly clientMs: number;
  /** Server-side job time, submit to completion, ms (the simulator's job record). */
  readonly serverMs: number;
  /** `clientMs / serverMs`. */
  readonly ratio: number;
  /** Job polls the server received for this job. */
  readonly polls: number;
}

/** The figures of one strategy at one job duration. */
export interface StrategyLatency {
  readonly strategy: PollerStrategy;
  /** The first job of the strategy's runtime: nothing learned yet. */
  readonly cold: JobSample;
  /** Ratio over the steady-state jobs. */
  readonly ratio: Summary;
  /** Polls per job over the steady-state jobs. */
  readonly polls: Summary;
  /** Every steady-state sample. */
  readonly samples: readonly JobSample[];
}

/** The result of {@link measureLatency}. */
export interface LatencyResult {
  readonly jobMs: number;
  readonly runs: number;
  readonly concurrency: number;
  readonly strategies: readonly StrategyLatency[];
}

interface Lane {
  readonly strategy: PollerStrategy;
  /** The lane's own runtime: its account, its client and its poll schedule. */
  readonly runtime: ProviderRuntime;
  readonly vms: string[];
}

/**
 * Measures one job duration: starts a simulator whose pause jobs take `jobMs`, with one account per strategy so
 * that each strategy gets its own runtime (its own client, session and poll schedule), then runs one cold create
 * per strategy and `runs` steady-state creates per strategy, `concurrency` at a time, all strategies interleaved.
 */
export async function measureLatency(options: LatencyOptions): Promise<LatencyResult> {
  const strategies = options.strategies ?? STRATEGIES;
  const perLane = options.runs + 1;
  const accounts = strategies.map((s) => ({ name: `bench-${s.id}`, password: `pw-${s.id}` }));
  const sim = await startSimulator({
    timings: { pauseMs: options.jobMs, resumeMs: options.jobMs },
    vms: generateVms(strategies.length * perLane, { namePrefix: "lat" }),
    accounts,
  });
  const allVms = sim.vms.list().map((vm) => vm.uuid);
  const lanes: Lane[] = strategies.map((strategy, i) => {
    const config = sim.stackConfig({ accountName: accounts[i]!.name, password: accounts[i]!.password });
    // The adaptive lane uses the runtime's default schedule, as the provider host does; fixed lanes a fixed one.
    const runtime = new ProviderRuntime({
      settings: () => resolveConnectionSettings({ get: (key) => config[key] }),
      ...(strategy.intervalMs === undefined
        ? {}
        : { pollSchedule: new FixedPollSchedule(strategy.intervalMs) }),
    });
    return { strategy, runtime, vms: allVms.slice(i * perLane, (i + 1) * perLane) };
  });
  try {
    const measured = new Map<string, { vmUuid: string; clientMs: number }[]>();
    const create = async (lane: Lane, vmUuid: string): Promise<void> => {
      const provider = vmPauseStateController(lane.runtime);
      const inputs = { vmUuid, state: "Paused", timeoutSeconds: 600, onDelete: "restore" } as const;
      const started = performance.now();
      await provider.create(inputs);
      const clientMs = performance.now() - started;
      let list = measured.get(lane.strategy.id);
      if (list === undefined) measured.set(lane.strategy.id, (list = []));
      list.push({ vmUuid, clientMs });
    };

    // Cold: the first job of every lane, all lanes at once.
    await Promise.all(lanes.map((lane) => create(lane, lane.vms[0]!)));
    // Steady state: the rest, `concurrency` in flight per lane.
    await Promise.all(
      lanes.map((lane) => runPool(lane.vms.slice(1), options.concurrency, (vmUuid) => create(lane, vmUuid))),
    );

    verifyLanes(lanes, perLane);
    const results = lanes.map((lane) => {
      const samples = samplesOf(sim, measured.get(lane.strategy.id) ?? []);
      const [cold, ...steady] = samples;
      if (cold === undefined || steady.length === 0) throw new Error(`${lane.strategy.id}: no samples`);
      return {
        strategy: lane.strategy,
        cold,
        ratio: summarize(steady.map((s) => s.ratio)),
        polls: summarize(steady.map((s) => s.polls)),
        samples: steady,
      };
    });
    return {
      jobMs: options.jobMs,
      runs: options.runs,
      concurrency: options.concurrency,
      strategies: results,
    };
  } finally {
    await Promise.all(lanes.map((lane) => lane.runtime.close()));
    await sim.close();
  }
}

/** Runs `work` over `items` with at most `limit` in flight; resolves when all are done, rejects on the first error. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Guards the measure itself: every lane's client must have completed exactly its own jobs, so no create ran with
 * another lane's poll schedule.
 */
function verifyLanes(lanes: readonly Lane[], perLane: number): void {
  for (const lane of lanes) {
    const completed = lane.runtime.client().stats.jobsCompleted;
    if (completed !== perLane) {
      throw new Error(`latency: lane ${lane.strategy.id} completed ${completed} jobs, expected ${perLane}`);
    }
  }
}

/** Joins client-side times with the server's job records and per-job poll counts, in the order measured. */
function samplesOf(sim: Simulator, measured: readonly { vmUuid: string; clientMs: number }[]): JobSample[] {
  const pollsByJob = new Map<string, number>();
  for (const entry of sim.log.entries) {
    if (entry.kind === "jobPoll" && entry.jobUuid !== undefined)
      pollsByJob.set(entry.jobUuid, (pollsByJob.get(entry.jobUuid) ?? 0) + 1);
  }
  const jobs = sim.jobs.list();
  return measured.map(({ vmUuid, clientMs }) => {
    const forVm = jobs.filter((j) => j.resourceUuid === vmUuid && j.action === "pauseVmInstance");
    const job = forVm[0];
    if (
      forVm.length !== 1 ||
      job === undefined ||
      job.state !== "succeeded" ||
      job.durationMs === undefined
    ) {
      throw new Error(`latency: expected one succeeded pause job on VM ${vmUuid}, found ${forVm.length}`);
    }
    return {
      vmUuid,
      jobUuid: job.uuid,
      clientMs,
      serverMs: job.durationMs,
      ratio: clientMs / job.durationMs,
      polls: pollsByJob.get(job.uuid) ?? 0,
    };
  });
}
