/**
 * The benchmark report: every figure with its target and a pass or miss, as a markdown document (the summary table
 * the README quotes, then the details per section) and as JSON (the same figures plus every raw result).
 *
 * Figures without a target in the issue are reported as information (`info`) rather than given an invented target.
 */
import type { CliCommandRun, CliFleetResult, CliStepResult } from "./cli-fleet";
import { PER_PROPERTY_OUTPUTS, type ProfileBreakdown } from "./cpu-profile";
import type { EconomyResult } from "./economy";
import type { FleetResult } from "./fleet";
import type { LatencyResult } from "./latency";
import type { StateSizeResult } from "./state-size";
import { round } from "./stats";

/** The report sections. */
export type Section = "latency" | "economy" | "fleet" | "engine" | "state";

/** One reported figure. */
export interface Figure {
  readonly section: Section;
  readonly name: string;
  /** The value, in the unit the display uses; undefined when it could not be measured here. */
  readonly value: number | undefined;
  /** The value as printed. */
  readonly display: string;
  /** The target as printed, e.g. `≤ 1.10`; undefined for information only. */
  readonly target: string | undefined;
  /** Whether the target is met; undefined for information only or when the value could not be measured. */
  readonly pass: boolean | undefined;
}

/** Where and how the benchmark ran. */
export interface ReportMeta {
  readonly mode: "quick" | "full";
  readonly startedAt: string;
  readonly durationS: number;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  /** 1-minute load average when the run started and ended: the machines are shared, and this says how much. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly commit: string | undefined;
}

/** Everything the benchmark measured. */
export interface BenchResults {
  readonly latency: readonly LatencyResult[];
  readonly economy: EconomyResult;
  readonly fleet: readonly FleetResult[];
  readonly cliFleet: CliFleetResult;
  readonly state: StateSizeResult;
}

/** A complete report. */
export interface BenchReport {
  readonly meta: ReportMeta;
  readonly figures: readonly Figure[];
  readonly results: BenchResults;
}

/** An upper bound, inclusive (`≤`) or strict (`<`). */
interface Bound {
  readonly max: number;
  readonly strict?: boolean;
}

function bounded(
  section: Section,
  name: string,
  value: number | undefined,
  display: string,
  bound: Bound,
  boundDisplay = String(bound.max),
): Figure {
  const pass = value === undefined ? undefined : bound.strict ? value < bound.max : value <= bound.max;
  return { section, name, value, display, target: `${bound.strict ? "<" : "≤"} ${boundDisplay}`, pass };
}

function equalTo(section: Section, name: string, value: number | undefined, expected: number): Figure {
  return {
    section,
    name,
    value,
    display: value === undefined ? "n/a" : String(value),
    target: `= ${expected}`,
    pass: value === undefined ? undefined : value === expected,
  };
}

function info(section: Section, name: string, value: number | undefined, display: string): Figure {
  return { section, name, value, display, target: undefined, pass: undefined };
}

const ratio = (value: number): string => `${value.toFixed(2)}×`;
const seconds = (ms: number): string => `${ms >= 1000 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;

/** The issue's p50 latency target for a job duration: 1.5 for short jobs (0.2 s), 1.10 from 1 s on. */
export function latencyTarget(jobMs: number): number {
  return jobMs < 1000 ? 1.5 : 1.1;
}

/** Polls per job at p50 must stay at or under this: latency must not be bought with load on the management node. */
export const MAX_POLLS_P50 = 6;
/** The fleet's wall time may be at most this multiple of the ideal. */
export const MAX_FLEET_RATIO = 1.25;
/** Host CPU per create in the host-level fleet may be at most this many ms. */
export const MAX_HOST_CPU_PER_CREATE_MS = 1.5;
/** A command on our stack may take at most this multiple of the same command on the floor stack. */
export const MAX_FLOOR_RATIO = 1.1;
/** A stored resource (inputs and outputs, as JSON) must stay at or under this many bytes. */
export const MAX_STATE_BYTES = 4096;
/** `__provider` must stay under this many bytes. */
export const MAX_PROVIDER_BYTES = 4096;

/** Derives every figure from the results. */
export function buildFigures(results: BenchResults): Figure[] {
  const figures: Figure[] = [];
  for (const run of results.latency) {
    const ours = run.strategies.find((s) => s.strategy.intervalMs === undefined);
    if (ours === undefined) continue;
    const job = seconds(run.jobMs);
    const target = latencyTarget(run.jobMs);
    figures.push(
      bounded(
        "latency",
        `${job} jobs: latency ratio p50`,
        ours.ratio.p50,
        ratio(ours.ratio.p50),
        {
          max: target,
        },
        target.toFixed(2),
      ),
      info("latency", `${job} jobs: latency ratio p95`, ours.ratio.p95, ratio(ours.ratio.p95)),
      bounded("latency", `${job} jobs: polls per job p50`, ours.polls.p50, String(ours.polls.p50), {
        max: MAX_POLLS_P50,
      }),
      info(
        "latency",
        `${job} jobs: first (cold) job ratio, polls`,
        ours.cold.ratio,
        `${ratio(ours.cold.ratio)}, ${ours.cold.polls}`,
      ),
    );
    const peers = run.strategies.filter((s) => s.strategy.intervalMs !== undefined);
    if (peers.length > 0) {
      figures.push(
        info(
          "latency",
          `${job} jobs: peers' ratio p50 (${peers.map((p) => p.strategy.id.replace("fixed-", "")).join(" / ")} fixed)`,
          undefined,
          peers.map((p) => ratio(p.ratio.p50)).join(" / "),
        ),
      );
    }
  }

  for (const cost of results.economy.costs) {
    const name = `${cost.resource} ${cost.operation}: requests (of which polls)`;
    figures.push(info("economy", name, cost.requests, `${cost.requests} (${cost.polls})`));
  }
  for (const run of results.fleet) {
    figures.push(
      equalTo(
        "economy",
        `logins per host process, ${run.resources} resources, ${run.parallel} in flight`,
        run.logins,
        1,
      ),
    );
  }

  for (const run of results.fleet) {
    const where = `${run.resources} creates, ${run.parallel} in flight`;
    figures.push(
      bounded(
        "fleet",
        `${where}: wall / ideal`,
        run.ratio,
        ratio(run.ratio),
        { max: MAX_FLEET_RATIO },
        "1.25",
      ),
      info(
        "fleet",
        `${where}: peak RSS of the host`,
        run.peakRssKb,
        run.peakRssKb === undefined ? "n/a" : `${Math.round(run.peakRssKb / 1024)} MiB`,
      ),
      bounded(
        "fleet",
        `${where}: host CPU per create`,
        run.hostCpuMs === undefined ? undefined : run.hostCpuMs / run.resources,
        run.hostCpuMs === undefined ? "n/a" : `${(run.hostCpuMs / run.resources).toFixed(2)} ms`,
        { max: MAX_HOST_CPU_PER_CREATE_MS },
        `${MAX_HOST_CPU_PER_CREATE_MS} ms`,
      ),
      bounded(
        "fleet",
        `${where}: open sockets to ZStack (peak)`,
        run.peakConnections,
        run.peakConnections === undefined ? "n/a" : String(run.peakConnections),
        { max: run.poolLimit },
        `${run.poolLimit} (pool limit)`,
      ),
    );
  }

  figures.push(...engineFigures(results.cliFleet));

  for (const provider of results.state.providers) {
    const kind = provider.type.split(":").pop() as string;
    figures.push(
      bounded("state", `${kind} __provider bytes`, provider.bytes, String(provider.bytes), {
        max: MAX_PROVIDER_BYTES,
        strict: true,
      }),
      equalTo(
        "state",
        `${kind} distinct __provider texts over ${provider.resources} resources`,
        provider.distinctTexts,
        1,
      ),
      {
        section: "state",
        name: `${kind} __provider equals the golden text; its ${provider.goldenVersions ?? "?"} committed versions are it or a tested legacy text`,
        value: undefined,
        display:
          provider.equalsGolden === undefined
            ? "n/a"
            : provider.equalsGolden && provider.goldenVersionsDiffering === 0
              ? "yes"
              : "no",
        target: "yes",
        pass:
          provider.equalsGolden === undefined
            ? undefined
            : provider.equalsGolden && (provider.goldenVersionsDiffering ?? 0) === 0,
      },
    );
  }
  for (const stored of results.state.stored) {
    const kind = stored.type.split(":").pop() as string;
    figures.push(
      bounded(
        "state",
        `${kind} state bytes per resource (inputs + outputs; of which __provider)`,
        stored.totalBytes,
        `${stored.totalBytes} (${stored.providerBytes})`,
        { max: MAX_STATE_BYTES },
      ),
      equalTo(
        "state",
        `${kind} VmInstanceInventory fields missing from the outputs`,
        stored.missingInventoryKeys.length,
        0,
      ),
    );
  }
  return figures;
}

const wall = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const kib = (kb: number | undefined): string => (kb === undefined ? "n/a" : `${Math.round(kb / 1024)} MiB`);
const megabytes = (bytes: number | undefined): string =>
  bytes === undefined ? "n/a" : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** `9.1 s of 12.2 s (75%)`: the CLI's CPU in `saveSnapshot` out of its profiled CPU. */
function checkpointShare(run: CliCommandRun): string {
  const p = run.checkpointProfile;
  if (p === undefined) return "n/a";
  return `${wall(p.functionMs)} of ${wall(p.totalMs)} (${Math.round((100 * p.functionMs) / p.totalMs)}%)`;
}

/** `7.6 s, of which 2.9 s (38%)`: the program's profiled CPU and the part in the SDK's per-property Outputs. */
function programShare(run: CliCommandRun): string {
  const p = run.programProfile;
  if (p === undefined) return "n/a";
  const outputs = p.shares.find((share) => share.category === PER_PROPERTY_OUTPUTS)?.ms ?? 0;
  return `${wall(p.busyMs)}, of which ${wall(outputs)} (${Math.round((100 * outputs) / p.busyMs)}%)`;
}

/** A command's time over the floor's: held to the target, except in a control, which is information. */
function floorRatio(name: string, value: number, display: string, control: boolean): Figure {
  return control
    ? info("engine", name, value, display)
    : bounded("engine", name, value, display, { max: MAX_FLOOR_RATIO }, MAX_FLOOR_RATIO.toFixed(2));
}

/** The real-CLI fleet's figures: ours / floor per command (the target), and state, writes and memory as information. */
function engineFigures(cli: CliFleetResult): Figure[] {
  const figures: Figure[] = [];
  const n = cli.resources;
  for (const step of cli.steps) {
    const ideal = step.idealMs === undefined ? "" : `; ideal ${wall(step.idealMs)}`;
    const name = `${n} resources, ${step.command} (P=${step.parallel}): ours / floor`;
    const display = `${ratio(step.ratio)} (${wall(step.ours.wallMs)} / ${wall(step.floor.wallMs)}${ideal})`;
    figures.push(floorRatio(name, step.ratio, display, step.control));
  }
  for (const step of cli.steps) {
    if (step.plugin === undefined || step.pluginRatio === undefined) continue;
    const name = `${n} resources, ${step.command} (P=${step.parallel}): plugin / floor`;
    const display = `${ratio(step.pluginRatio)} (${wall(step.plugin.wallMs)} / ${wall(step.floor.wallMs)})`;
    figures.push(floorRatio(name, step.pluginRatio, display, step.control));
  }
  for (const [form, startup] of Object.entries(cli.pluginStartupMs)) {
    figures.push(
      info(
        "engine",
        `plugin start-up per command and provider instance, ${form} form, spawn to port (p50; max of ${startup.n})`,
        startup.p50,
        `${Math.round(startup.p50)} ms; ${Math.round(startup.max)} ms`,
      ),
    );
  }
  const preview = cli.steps.find((s) => s.step === "preview");
  if (preview !== undefined) {
    figures.push(
      info(
        "engine",
        `${n} resources: program CPU during preview, of which an Output per declared property (ours; floor)`,
        preview.ours.programProfile?.busyMs,
        `${programShare(preview.ours)}; ${programShare(preview.floor)}`,
      ),
    );
  }
  const up = cli.steps.find((s) => s.step === "up");
  if (up !== undefined) {
    const perResource = (run: CliCommandRun | undefined) =>
      run === undefined ? "n/a" : String(Math.round(run.stateBytes / n));
    figures.push(
      info(
        "engine",
        `${n} resources: checkpoint file bytes per resource after up (ours / plugin / floor)`,
        Math.round(up.ours.stateBytes / n),
        `${perResource(up.ours)} / ${perResource(up.plugin)} / ${perResource(up.floor)}`,
      ),
      info(
        "engine",
        `${n} resources: bytes the CLI wrote during up (ours / floor)`,
        up.ours.writeBytes,
        `${megabytes(up.ours.writeBytes)} / ${megabytes(up.floor.writeBytes)}`,
      ),
      info(
        "engine",
        `${n} resources: CLI CPU in checkpoint writes during up, of its profiled CPU (ours; floor)`,
        up.ours.checkpointProfile?.functionMs,
        `${checkpointShare(up.ours)}; ${checkpointShare(up.floor)}`,
      ),
      info(
        "engine",
        `${n} resources: peak RSS during up, CLI / provider host (ours; floor)`,
        up.ours.hostPeakRssKb,
        `${kib(up.ours.cliPeakRssKb)} / ${kib(up.ours.hostPeakRssKb)}; ` +
          `${kib(up.floor.cliPeakRssKb)} / ${kib(up.floor.hostPeakRssKb)}`,
      ),
    );
  }
  return figures;
}

function verdict(figure: Figure): string {
  return figure.pass === undefined
    ? figure.target === undefined
      ? "info"
      : "n/a"
    : figure.pass
      ? "pass"
      : "MISS";
}

const SECTION_TITLES: Readonly<Record<Section, string>> = {
  latency: "Convergence latency",
  economy: "Request economy",
  fleet: "Fleet scale",
  engine: "Fleet through the CLI",
  state: "State size",
};

/** The summary table: one row per figure, with its target and verdict. */
export function summaryTable(figures: readonly Figure[]): string {
  const rows = ["| Section | Figure | Value | Target | Result |", "|---|---|---|---|---|"];
  for (const f of figures) {
    rows.push(
      `| ${SECTION_TITLES[f.section]} | ${f.name} | ${f.display} | ${f.target ?? "—"} | ${verdict(f)} |`,
    );
  }
  return rows.join("\n");
}

/** Counts of passes and misses among the figures that have a target. */
export function tally(figures: readonly Figure[]): { readonly pass: number; readonly miss: number } {
  return {
    pass: figures.filter((f) => f.pass === true).length,
    miss: figures.filter((f) => f.pass === false).length,
  };
}

function latencyDetails(results: readonly LatencyResult[]): string {
  const rows = [
    "| Job | Poller | Cold ratio (polls) | Ratio p50 | Ratio p95 | Polls p50 | Jobs |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const run of results) {
    for (const s of run.strategies) {
      rows.push(
        `| ${seconds(run.jobMs)} | ${s.strategy.label} | ${ratio(s.cold.ratio)} (${s.cold.polls}) | ` +
          `${ratio(s.ratio.p50)} | ${ratio(s.ratio.p95)} | ${s.polls.p50} | ${s.ratio.n} |`,
      );
    }
  }
  return rows.join("\n");
}

function economyDetails(economy: EconomyResult): string {
  const rows = [
    "| Resource | Operation | Scenario | Requests | Not polls | Polls | By endpoint (median) |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const c of economy.costs) {
    const kinds = Object.entries(c.byKind)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ");
    rows.push(
      `| ${c.resource} | ${c.operation} | ${c.scenario} | ${c.requests} | ${c.nonPollRequests} | ${c.polls} | ${kinds} |`,
    );
  }
  return rows.join("\n");
}

function fleetDetails(fleet: readonly FleetResult[]): string {
  const rows = [
    "| Creates | In flight | Check phase (requests) | Wall of the creates | Ideal | Wall / ideal | Create RPC p50 / p95 | First wave's slowest create | Server job p50 | Host CPU | Driver+simulator CPU | Requests / resource | Polls / resource |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of fleet) {
    rows.push(
      `| ${r.resources} | ${r.parallel} | ${(r.checkWallMs / 1000).toFixed(2)} s (${r.checkRequests}) | ` +
        `${(r.wallMs / 1000).toFixed(2)} s | ${(r.idealMs / 1000).toFixed(1)} s | ` +
        `${ratio(r.ratio)} | ${Math.round(r.createMs.p50)} / ${Math.round(r.createMs.p95)} ms | ` +
        `${Math.round(r.firstWaveMaxCreateMs)} ms | ` +
        `${Math.round(r.serverJobMs.p50)} ms | ` +
        `${r.hostCpuMs === undefined ? "n/a" : `${(r.hostCpuMs / 1000).toFixed(1)} s`} | ` +
        `${(r.driverCpuMs / 1000).toFixed(1)} s | ${round(r.requestsPerResource)} | ${round(r.pollsPerResource)} |`,
    );
  }
  return rows.join("\n");
}

function profileDetails(fleet: readonly FleetResult[]): string {
  const rows: string[] = [];
  for (const run of fleet) {
    if (run.profile === undefined) continue;
    rows.push(
      "",
      `Where the host's CPU went from the first Create on, ${run.resources} creates at ${run.parallel} in flight ` +
        `(V8 sampling profiler preloaded into the host; ${(run.profile.busyMs / 1000).toFixed(2)} s busy, ` +
        `${(run.profile.busyMs / run.resources).toFixed(2)} ms per create):`,
      "",
      "| Category | CPU | Per create | Share |",
      "|---|---|---|---|",
      ...run.profile.shares.map(
        (share) =>
          `| ${share.category} | ${(share.ms / 1000).toFixed(2)} s | ${(share.ms / run.resources).toFixed(2)} ms | ` +
          `${(share.fraction * 100).toFixed(0)}% |`,
      ),
    );
  }
  return rows.join("\n");
}

function cliRunCells(run: CliCommandRun): string {
  const cpu = (ms: number | undefined) => (ms === undefined ? "n/a" : `${(ms / 1000).toFixed(1)} s`);
  return (
    `${wall(run.wallMs)} | ${cpu(run.treeCpuMs)} | ${cpu(run.hostCpuMs)} | ${run.stateBytes} | ` +
    `${megabytes(run.writeBytes)} | ${kib(run.cliPeakRssKb)} / ${kib(run.hostPeakRssKb)} | ` +
    `${run.loadAverage.start.toFixed(1)} → ${run.loadAverage.end.toFixed(1)}`
  );
}

/** CPU of one run by process: the program and the host (last samples), the rest (CLI, language host) by difference. */
function cpuByProcess(
  run: CliCommandRun,
): { tree: number; program: number; host: number; cli: number } | undefined {
  const { treeCpuMs: tree, hostCpuMs: host } = run;
  if (tree === undefined || host === undefined) return undefined;
  // Refresh and destroy run no program: where /proc showed the host, a missing program is none.
  const program = run.programCpuMs ?? 0;
  return { tree, program, host, cli: tree - program - host };
}

/** Ours minus floor, per process, for every command: where the extra time goes. */
function cpuGapDetails(cli: CliFleetResult): string {
  const signed = (ms: number) => `${ms >= 0 ? "+" : "−"}${(Math.abs(ms) / 1000).toFixed(1)} s`;
  const rows = [
    "| Command | Wall, ours − floor | CPU, ours − floor | CLI and language host | Program | Provider host |",
    "|---|---|---|---|---|---|",
  ];
  for (const step of cli.steps) {
    const ours = cpuByProcess(step.ours);
    const floor = cpuByProcess(step.floor);
    const cells =
      ours === undefined || floor === undefined
        ? "n/a | n/a | n/a | n/a"
        : [ours.tree - floor.tree, ours.cli - floor.cli, ours.program - floor.program, ours.host - floor.host]
            .map(signed)
            .join(" | ");
    rows.push(`| ${step.command} | ${signed(step.ours.wallMs - step.floor.wallMs)} | ${cells} |`);
  }
  return rows.join("\n");
}

/** One profiled command: ours and the floor side by side, per category, for one process. */
function profileComparison(
  step: CliStepResult,
  resources: number,
  of: (run: CliCommandRun) => ProfileBreakdown | undefined,
): string {
  const ours = of(step.ours);
  const floor = of(step.floor);
  if (ours === undefined || floor === undefined) return "(no profile)";
  const categories = [...new Set([...ours.shares, ...floor.shares].map((share) => share.category))];
  const msOf = (profile: ProfileBreakdown, category: string) =>
    profile.shares.find((share) => share.category === category)?.ms ?? 0;
  const cell = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / resources).toFixed(2)} ms)`;
  return [
    "| Category | Ours (per resource) | Floor (per resource) | Ours − floor |",
    "|---|---|---|---|",
    ...categories
      .map((category) => ({ category, ours: msOf(ours, category), floor: msOf(floor, category) }))
      .sort((a, b) => b.ours - b.floor - (a.ours - a.floor))
      .map(
        (row) =>
          `| ${row.category} | ${cell(row.ours)} | ${cell(row.floor)} | ${((row.ours - row.floor) / 1000).toFixed(2)} s |`,
      ),
    `| busy | ${cell(ours.busyMs)} | ${cell(floor.busyMs)} | ${((ours.busyMs - floor.busyMs) / 1000).toFixed(2)} s |`,
  ].join("\n");
}

function cliProfileDetails(cli: CliFleetResult): string {
  const parts: string[] = [];
  for (const step of cli.steps) {
    if (step.ours.programProfile === undefined && step.ours.hostProfile === undefined) continue;
    parts.push(
      "",
      `\`${step.command}\` profiled on both stacks, the program's Node process:`,
      "",
      profileComparison(step, cli.resources, (run) => run.programProfile),
      "",
      `\`${step.command}\`, the provider host:`,
      "",
      profileComparison(step, cli.resources, (run) => run.hostProfile),
      "",
      `\`${step.command}\`, the CLI (Go profile): checkpoint writes ${checkpointShare(step.ours)} (ours); ` +
        `${checkpointShare(step.floor)} (floor).`,
    );
  }
  return parts.join("\n");
}

function engineDetails(cli: CliFleetResult): string {
  const rows = [
    "| Command | P | Stack | Wall | CPU of the CLI's tree | Of which the provider host | Checkpoint bytes | Written | Peak RSS CLI / host | Load average |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const step of cli.steps) {
    rows.push(
      `| ${step.command} | ${step.parallel} | ours | ${cliRunCells(step.ours)} |`,
      ...(step.plugin === undefined ? [] : [`| | | plugin | ${cliRunCells(step.plugin)} |`]),
      `| | | floor | ${cliRunCells(step.floor)} |`,
      `| | | ours / floor | ${ratio(step.ratio)} | | | | | | |`,
      ...(step.pluginRatio === undefined
        ? []
        : [`| | | plugin / floor | ${ratio(step.pluginRatio)} | | | | | | |`]),
    );
  }
  return rows.join("\n");
}

function stateDetails(state: StateSizeResult): string {
  const rows = [
    "| Resource | __provider bytes | Resources / distinct texts | Equals golden | Golden versions (differing) |",
    "|---|---|---|---|---|",
  ];
  for (const p of state.providers) {
    rows.push(
      `| ${p.type.split(":").pop()} | ${p.bytes} | ${p.resources} / ${p.distinctTexts} | ` +
        `${p.equalsGolden ?? "n/a"} | ${p.goldenVersions ?? "n/a"} (${p.goldenVersionsDiffering ?? "n/a"}) |`,
    );
  }
  rows.push(
    "",
    "| Resource | Stored bytes | Inputs | Outputs | Of which __provider (2 copies) |",
    "|---|---|---|---|---|",
  );
  for (const s of state.stored) {
    rows.push(
      `| ${s.type.split(":").pop()} | ${s.totalBytes} | ${s.inputBytes} | ${s.outputBytes} | ${s.providerBytes} |`,
    );
  }
  return rows.join("\n");
}

/** The markdown report. */
export function renderMarkdown(report: BenchReport): string {
  const { meta, figures, results } = report;
  const counts = tally(figures);
  return [
    "# Benchmark report",
    "",
    `Produced by \`npm run bench${meta.mode === "quick" ? " -- --quick" : ""}\` on ${meta.startedAt} ` +
      `(${meta.mode} mode, ${Math.round(meta.durationS)} s; Node ${meta.node}, ${meta.platform}, ${meta.cpus} CPUs, ` +
      `load average ${meta.loadAverage.start.toFixed(1)} at start and ${meta.loadAverage.end.toFixed(1)} at end` +
      `${meta.commit ? `; commit ${meta.commit}` : ""}). Against the embedded simulator on loopback; ratios rather ` +
      "than absolute times, since the machines are shared and noisy.",
    "",
    `**${counts.pass} pass, ${counts.miss} miss** (figures without a target are information).`,
    "",
    "## Summary",
    "",
    summaryTable(figures),
    "",
    "## Convergence latency",
    "",
    "A `VmPauseState` create through the runtime controller the host runs (read the VM, submit `pauseVmInstance`, " +
      "poll the job): client wall time from the create call to its result, divided by the server-side job time " +
      "(submit to completion) from the simulator's job record. Polls are counted by the simulator. All pollers run " +
      "interleaved against the same simulator, each through its own client; the adaptive schedule is the package " +
      "default, learning per action and endpoint. The first job of each poller is reported apart (cold); the " +
      "percentiles are over the jobs after it. Simulated jobs take exactly their nominal time, so a fixed poller " +
      "whose interval divides it (1 s polling of 1 s jobs, 5 s of 5 s) finds the job done at its first poll: real " +
      "job times vary, and such alignment is luck.",
    "",
    latencyDetails(results.latency),
    "",
    "## Request economy",
    "",
    "Each operation driven through the real dynamic-provider host in the engine's order (check before create; " +
      "check and diff before update), one at a time, requests counted by the simulator; medians over the VMs. The " +
      "session is opened by a warm-up read; logins are counted per host process across the fleet runs.",
    "",
    economyDetails(results.economy),
    "",
    `Logins in the economy section's host process: ${results.economy.logins}.`,
    "",
    "## Fleet scale",
    "",
    "`VmPauseState` resources through one real dynamic-provider host: every check first (no network call; the " +
      "engine issues checks from its step generator, outside the create workers), then the creates on P workers " +
      "(Pulumi's parallelism) against 0.2 s pause jobs; the creates' wall time, first call to last result, against " +
      "`ceil(N / P) × 0.2 s`. Peak RSS " +
      "is the host's `VmHWM`/`VmRSS`; sockets are the host's established TCP connections to the simulator's port, " +
      "sampled every 250 ms from `/proc`. CPU columns show where the time went: the host, and this process, which " +
      "plays both the engine (gRPC driver) and the management node (simulator) on the same machine.",
    "",
    fleetDetails(results.fleet),
    profileDetails(results.fleet),
    "",
    "## Fleet through the real CLI",
    "",
    `One stack of ${results.cliFleet.resources} \`VmPauseState\` on as many simulator VMs (${seconds(results.cliFleet.jobMs)} ` +
      `pause and resume jobs), driven by the real \`pulumi\` ${results.cliFleet.cliVersion} with a local file backend ` +
      "and checkpoints on, and beside it, command by command, the same on the floor stack: as many resources of " +
      "the benchmark's own that only sleep the job time and return their inputs (`tools/bench/cli-fleet-project/" +
      "floor.js`). The stacks' commands alternate, and which goes first rotates. P is the engine's parallelism: the default here is " +
      `${results.cliFleet.defaultParallel} (4 × GOMAXPROCS). The destroy comes before the up that changes every ` +
      "resource (it flips them to Running), because after that up every VM is back as it was adopted and a " +
      "destroy would have nothing to restore. After the destroy, an up and a destroy run again with " +
      "`PULUMI_SKIP_CHECKPOINTS=true`, which makes the engine write the checkpoint once at the end instead of at the " +
      "start and end of every step: a control, not how users run it (a run that dies loses its record of the work " +
      "done), so its ratio has no target; set beside the plain up and destroy, it measures what the checkpoints " +
      "cost each stack. Likewise a second preview runs with `NODE_OPTIONS=--stack-trace-limit=0` (every Node process " +
      "the CLI starts records no stack traces; the SDK still records each resource's source position), a control " +
      "that measures what the SDK's per-output stack traces cost each program. CPU is the whole tree the CLI started (CLI, language host, " +
      "program, provider host) from this process's reaped-children accounting, and the provider host's at its " +
      "last /proc sample; Written is `write_bytes` of that tree; peak RSS is `VmHWM` sampled every 250 ms. The " +
      "preview, the first up and the up that changes every resource are profiled (below): among other things, the share of the CLI's CPU spent in " +
      "`SnapshotManager.saveSnapshot` (serializing and rewriting the whole checkpoint, with its `.bak`, at every " +
      "step). The native provider plugin's stack (`zstackvm:index:VmPauseState`, the program declaring it as the " +
      "generated SDK does) runs preview, up, refresh and destroy in the same rotation, against a simulator of its " +
      "own with as many VMs and the same job time, and is set beside the same floor; its provider host column is " +
      "the plugin process. The plugin's start-up (spawn of `pulumi-resource-zstackvm` to the port it announces) is " +
      "paid by every command once per provider instance: measured for the package's launcher (`provider/bin`, as " +
      "a `plugins:` path or the npm bin on PATH runs it, which the stack above uses) and for the tarball's " +
      "(`npm run plugin`, one esbuild bundle), alternating.",
    "",
    engineDetails(results.cliFleet),
    "",
    "Where the difference goes, per command: CPU of ours minus the floor's, by process (the program's and the " +
      "provider host's at their last /proc sample, the CLI and its language host as the rest of the tree).",
    "",
    cpuGapDetails(results.cliFleet),
    "",
    "The profiled commands (their wall times include the profilers' overhead, on both stacks): V8 sampling " +
      "profiles of the program and the provider host, each sample charged to a category by its stack, and the " +
      "CLI's own Go profile. In the program, `@pulumi/pulumi` makes an `Output` of four promises for every property " +
      "a resource declares, and each promise records a stack trace formatted on the spot (`debuggablePromise`), " +
      "through the source maps ts-node's source-map-support applies. A `VmPauseState` declares every inventory field " +
      "and its own outputs, the floor only its three inputs and `__provider`, but ours are constructed with those " +
      "traces suspended (`provider/src/resources/quiet-construction.ts`), so what remains of that category for ours " +
      "is the promises themselves.",
    cliProfileDetails(results.cliFleet),
    "",
    "## State size",
    "",
    "`__provider` as the Resource classes serialize it under `pulumi.runtime.setMocks` (resources with varied " +
      "inputs), compared with `test/serialization/golden` and every committed version of it. Stored bytes: the JSON " +
      "of the checked inputs and the outputs the host returned for a create, as the engine stores them.",
    "",
    stateDetails(results.state),
    "",
  ].join("\n");
}

/** The JSON report. Fractions are rounded to 3 decimals: sub-microsecond digits of ms timings are noise. */
export function renderJson(report: BenchReport): string {
  const replacer = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? round(value, 3) : value;
  return `${JSON.stringify(report, replacer, 2)}\n`;
}
