/**
 * `npm run bench [-- --quick] [-- --out <dir>]`: measures convergence latency, request economy, fleet scale and
 * state size against the embedded simulator and writes `report.md` and `report.json`. A full run writes the
 * committed report (`bench/`) and regenerates the README's summary from it. `--quick` runs fewer jobs and a smaller
 * fleet, and skips the 5 s jobs; it writes under `.bench/quick/` (ignored by git), never over the committed report.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import * as prettier from "prettier";

import { measureCliFleet } from "./cli-fleet";
import { measureEconomy } from "./economy";
import { measureFleet, type FleetResult } from "./fleet";
import { measureLatency, type LatencyResult } from "./latency";
import { buildFigures, renderJson, renderMarkdown, summaryTable, tally, type BenchReport } from "./report";
import { COMMITTED_REPORT_DIR, readCommittedReport, updateReadmeSummary } from "./readme-summary";
import { PAUSE_TYPE, REPO_ROOT } from "../quickstart";
import { collectProviderTexts, providerTextOf } from "./setup";
import { measureStateSize } from "./state-size";

/** How much of everything to run. */
export interface BenchPlan {
  readonly mode: "quick" | "full";
  /** Simulated job durations of the latency section, ms. */
  readonly latencyJobsMs: readonly number[];
  /** Steady-state jobs per poller and duration. */
  readonly latencyRuns: number;
  /** Creates in flight per poller. */
  readonly latencyConcurrency: number;
  /** VMs per resource kind in the economy section. */
  readonly economyVms: number;
  /** Resources of the fleet section. */
  readonly fleetResources: number;
  /** Operations in flight in the fleet section (Pulumi's parallelism). */
  readonly fleetParallel: readonly number[];
  /** Resources of the stack the real CLI drives. */
  readonly cliFleetResources: number;
}

/** The full run: what the committed report comes from (several minutes). */
export const FULL_PLAN: BenchPlan = {
  mode: "full",
  latencyJobsMs: [200, 1000, 5000],
  latencyRuns: 64,
  latencyConcurrency: 8,
  economyVms: 10,
  fleetResources: 1000,
  fleetParallel: [16, 64],
  cliFleetResources: 1000,
};

/** About a minute: fewer jobs, no 5 s jobs, 200 VMs. */
export const QUICK_PLAN: BenchPlan = {
  mode: "quick",
  latencyJobsMs: [200, 1000],
  latencyRuns: 16,
  latencyConcurrency: 8,
  economyVms: 3,
  fleetResources: 200,
  fleetParallel: [16, 64],
  cliFleetResources: 200,
};

/** The command line of `npm run bench`. */
export interface BenchArgs {
  readonly quick: boolean;
  /** The directory the report goes to. */
  readonly out: string;
}

/** Where a quick run writes unless told otherwise: scratch, ignored by git. */
export const QUICK_REPORT_DIR = path.join(REPO_ROOT, ".bench", "quick");

/** Reads the command line; the default directory follows the mode, so a quick run never lands on the committed one. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") quick = true;
    else if (arg === "--out") {
      const dir = argv[++i];
      if (dir === undefined) throw new Error("--out needs a directory");
      out = path.resolve(dir);
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: npm run bench [-- --quick] [-- --out <dir>]\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return { quick, out: out ?? (quick ? QUICK_REPORT_DIR : COMMITTED_REPORT_DIR) };
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Runs every section of a plan and assembles the report. */
export async function runBench(plan: BenchPlan): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg()[0] ?? 0;
  const t0 = performance.now();

  progress("collecting __provider texts");
  const texts = await collectProviderTexts();

  progress(`request economy: ${plan.economyVms} VMs per resource kind through the real host`);
  const economy = await measureEconomy({ vmsPerKind: plan.economyVms, texts });
  const state = measureStateSize(texts, economy.states);

  const fleet: FleetResult[] = [];
  for (const parallel of plan.fleetParallel) {
    progress(`fleet: ${plan.fleetResources} creates, ${parallel} in flight`);
    fleet.push(
      await measureFleet({
        resources: plan.fleetResources,
        parallel,
        jobMs: 200,
        providerText: providerTextOf(texts, PAUSE_TYPE),
        // One run is profiled to say where a create's CPU goes; the other's CPU figures carry no profiler overhead.
        profile: parallel === plan.fleetParallel[0],
      }),
    );
  }

  const cliFleet = await measureCliFleet({
    resources: plan.cliFleetResources,
    jobMs: 200,
    wideParallel: 64,
    progress,
  });

  const latency: LatencyResult[] = [];
  for (const jobMs of plan.latencyJobsMs) {
    progress(`latency: ${jobMs} ms jobs, 1 + ${plan.latencyRuns} creates per poller`);
    latency.push(
      await measureLatency({ jobMs, runs: plan.latencyRuns, concurrency: plan.latencyConcurrency }),
    );
  }

  const results = { latency, economy, fleet, cliFleet, state };
  return {
    meta: {
      mode: plan.mode,
      startedAt,
      durationS: (performance.now() - t0) / 1000,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
      commit: gitCommit(),
    },
    figures: buildFigures(results),
    results,
  };
}

/**
 * Whether `dir` is the committed report's directory; throws when a run of `mode` must not write there (a quick
 * run's figures are not comparable with the full run's).
 */
function isCommittedReportDir(mode: BenchPlan["mode"], dir: string): boolean {
  const committed = path.resolve(dir) === COMMITTED_REPORT_DIR;
  if (committed && mode !== "full") {
    throw new Error(
      `a ${mode} run must not replace the committed full report in ${COMMITTED_REPORT_DIR}: ` +
        `leave out --out (a quick run writes to ${QUICK_REPORT_DIR}) or name another directory`,
    );
  }
  return committed;
}

/**
 * Writes `report.md` and `report.json` into `dir`. Only a full run may write the committed report, and then the
 * README's summary is regenerated from it.
 */
export async function saveReport(report: BenchReport, dir: string): Promise<void> {
  const committed = isCommittedReportDir(report.meta.mode, dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "report.md"), renderMarkdown(report));
  // Written as the repository's formatter would write it, so that the committed report passes `prettier --check`.
  const jsonPath = path.join(dir, "report.json");
  const options = (await prettier.resolveConfig(jsonPath)) ?? {};
  writeFileSync(jsonPath, await prettier.format(renderJson(report), { ...options, filepath: jsonPath }));
  // From the JSON as written (rounded), so that the summary is what `npm run bench:readme` renders from it.
  if (committed) updateReadmeSummary(readCommittedReport());
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const plan = args.quick ? QUICK_PLAN : FULL_PLAN;
  isCommittedReportDir(plan.mode, args.out); // refused before the measuring rather than after it
  const report = await runBench(plan);
  await saveReport(report, args.out);
  const counts = tally(report.figures);
  process.stdout.write(`${summaryTable(report.figures)}\n\n`);
  process.stdout.write(
    `${counts.pass} pass, ${counts.miss} miss; wrote ${path.join(args.out, "report.md")} and report.json ` +
      `(${Math.round(report.meta.durationS)} s)\n`,
  );
}

if (require.main === module) {
  main().then(
    // Pools and timers of the sections are closed; exit anyway so that a straggling handle cannot hang the CLI.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
