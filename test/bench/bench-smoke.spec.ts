// Exercises the benchmark's code on tiny inputs so that CI keeps it working; the benchmark itself is `npm run bench`.
import assert from "node:assert/strict";

import type { CliCommandRun } from "../../tools/bench/cli-fleet";
import { PER_PROPERTY_OUTPUTS } from "../../tools/bench/cpu-profile";
import { summarizeCosts } from "../../tools/bench/economy";
import { measureLatency, runPool, STRATEGIES } from "../../tools/bench/latency";
import { memoryOf } from "../../tools/bench/proc";
import {
  buildFigures,
  latencyTarget,
  renderJson,
  renderMarkdown,
  tally,
  type BenchReport,
  type BenchResults,
} from "../../tools/bench/report";
import { providerTextSize, storedStateSize } from "../../tools/bench/state-size";
import { median, percentile, summarize } from "../../tools/bench/stats";

/** A command of the CLI fleet that took `wallMs`. */
function cliRun(wallMs: number): CliCommandRun {
  return {
    implementation: "ours",
    wallMs,
    stateBytes: 10_000,
    writeBytes: 1_000_000,
    writeChars: 1_000_000,
    treeCpuMs: 500,
    hostCpuMs: 100,
    cliPeakRssKb: 100_000,
    hostPeakRssKb: 150_000,
    loadAverage: { start: 1, end: 1 },
    programCpuMs: 200,
    checkpointProfile: { totalMs: 4000, functionMs: 3000 },
    programProfile: { busyMs: 200, shares: [{ category: PER_PROPERTY_OUTPUTS, ms: 50, fraction: 0.25 }] },
    hostProfile: { busyMs: 100, shares: [{ category: "validation (zod)", ms: 10, fraction: 0.1 }] },
  };
}

describe("benchmark (smoke)", function () {
  this.timeout(10_000);

  it("percentiles interpolate between closest ranks and refuse empty samples", () => {
    assert.equal(percentile([4, 1, 3, 2], 50), 2.5);
    assert.equal(percentile([1, 2, 3, 4], 0), 1);
    assert.equal(percentile([1, 2, 3, 4], 100), 4);
    assert.ok(Math.abs(percentile([1, 2, 3, 4], 95) - 3.85) < 1e-9);
    assert.equal(median([7]), 7);
    assert.throws(() => percentile([], 50), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
    assert.deepEqual(summarize([2, 1, 3]), { n: 3, min: 1, p50: 2, p95: 2.9, max: 3, mean: 2 });
  });

  it("runPool keeps at most `limit` in flight and runs every item once", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5], 2, async (item) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item);
      inFlight--;
    });
    assert.equal(peak, 2);
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      [1, 2, 3, 4, 5],
    );
  });

  it("measures latency on 2 jobs per poller against the simulator's job records", async () => {
    const strategies = [STRATEGIES[0]!, { id: "fixed-100ms", label: "fixed 100 ms", intervalMs: 100 }];
    const result = await measureLatency({ jobMs: 60, runs: 1, concurrency: 1, strategies });
    assert.equal(result.strategies.length, 2);
    for (const s of result.strategies) {
      assert.equal(s.samples.length, 1);
      for (const sample of [s.cold, ...s.samples]) {
        // Waiting for a job cannot take less than the job: the ratio is at least 1.
        assert.ok(sample.ratio >= 1, `${s.strategy.id}: ratio ${sample.ratio}`);
        // Timers may fire a fraction of a ms early against the precise clock.
        assert.ok(sample.serverMs >= 55, `${s.strategy.id}: server ${sample.serverMs} ms`);
        assert.ok(sample.polls >= 1);
      }
    }
    // 100 ms fixed polling of a 60 ms job: one poll, at ~100 ms.
    assert.equal(result.strategies[1]!.cold.polls, 1);
  });

  it("reports figures with targets, pass and miss, as markdown and JSON", () => {
    assert.equal(latencyTarget(200), 1.5);
    assert.equal(latencyTarget(5000), 1.1);
    const sample = { vmUuid: "v", jobUuid: "j", clientMs: 230, serverMs: 200, ratio: 1.15, polls: 2 };
    const one = summarize([1.15]);
    const results: BenchResults = {
      latency: [
        {
          jobMs: 1000,
          runs: 1,
          concurrency: 1,
          strategies: [
            { strategy: STRATEGIES[0]!, cold: sample, ratio: one, polls: summarize([2]), samples: [sample] },
          ],
        },
      ],
      economy: {
        costs: summarizeCosts(
          new Map([["VmPauseState/create", [{ vmQuery: 1, actionSubmit: 1, jobPoll: 2 }]]]),
        ),
        logins: 1,
        states: [],
      },
      fleet: [
        {
          resources: 10,
          parallel: 5,
          jobMs: 200,
          wallMs: 440,
          checkWallMs: 10,
          checkRequests: 0,
          idealMs: 400,
          ratio: 1.1,
          serverJobMs: one,
          createMs: one,
          firstWaveMaxCreateMs: 1,
          peakRssKb: 1024,
          peakConnections: 40,
          poolLimit: 32,
          logins: 1,
          hostCpuMs: 10,
          driverCpuMs: 10,
          requestsPerResource: 4,
          pollsPerResource: 2,
          profile: { busyMs: 10, shares: [{ category: "validation (zod)", ms: 5, fraction: 0.5 }] },
        },
      ],
      cliFleet: {
        resources: 10,
        jobMs: 200,
        cliVersion: "v0.0.0",
        defaultParallel: 8,
        steps: [
          {
            step: "up",
            command: "pulumi up",
            parallel: 8,
            ours: cliRun(1200),
            floor: cliRun(1000),
            ratio: 1.2,
            plugin: cliRun(1050),
            pluginRatio: 1.05,
            idealMs: 400,
            control: false,
          },
          {
            step: "up-unsaved",
            command: "pulumi up (PULUMI_SKIP_CHECKPOINTS=true)",
            parallel: 8,
            ours: cliRun(1500),
            floor: cliRun(1000),
            ratio: 1.5,
            plugin: undefined,
            pluginRatio: undefined,
            idealMs: 400,
            control: true,
          },
          {
            step: "preview",
            command: "pulumi preview",
            parallel: 8,
            ours: cliRun(1000),
            floor: cliRun(1000),
            ratio: 1,
            plugin: cliRun(1300),
            pluginRatio: 1.3,
            idealMs: undefined,
            control: false,
          },
          {
            step: "preview-untraced",
            command: "pulumi preview (NODE_OPTIONS=--stack-trace-limit=0)",
            parallel: 8,
            ours: cliRun(1000),
            floor: cliRun(1000),
            ratio: 1,
            plugin: cliRun(1200),
            pluginRatio: 1.2,
            idealMs: undefined,
            control: true,
          },
        ],
        pluginStartupMs: {
          package: { n: 7, min: 110, p50: 140.4, p95: 180, max: 190.2, mean: 145 },
          tarball: { n: 7, min: 90, p50: 100.6, p95: 120, max: 130, mean: 105 },
        },
      },
      state: {
        providers: [providerTextSize("pulumi-nodejs:dynamic/zstack:Nope", ["abc", "abc"])],
        stored: [
          storedStateSize({ type: "t", inputs: { __provider: "abc" }, outputs: { __provider: "abc" } }),
        ],
      },
    };
    const figures = buildFigures(results);
    const byName = (part: string) => figures.find((f) => f.name.includes(part));
    assert.equal(byName("1 s jobs: latency ratio p50")?.pass, false, "1.15 > 1.10");
    assert.equal(byName("polls per job p50")?.pass, true);
    assert.equal(byName("wall / ideal")?.pass, true);
    assert.equal(byName("open sockets")?.pass, false, "40 > pool limit 32");
    assert.equal(byName("logins per host process")?.pass, true);
    assert.equal(byName("create: requests")?.display, "4 (2)");
    assert.equal(byName("__provider bytes")?.pass, true);
    assert.equal(
      byName("state bytes")?.display,
      `${JSON.stringify({ inputs: { __provider: "abc" }, outputs: { __provider: "abc" } }).length} (6)`,
    );
    assert.equal(byName("host CPU per create")?.pass, true, "1 ms per create");
    assert.equal(byName("ours / floor")?.pass, false, "1.2 > 1.10");
    assert.equal(byName("ours / floor")?.display, "1.20× (1.2 s / 1.0 s; ideal 0.4 s)");
    // A control (checkpoints skipped) is information: 1.5 would miss the target, but it is not one.
    const control = byName("(PULUMI_SKIP_CHECKPOINTS=true)");
    assert.equal(control?.display, "1.50× (1.5 s / 1.0 s; ideal 0.4 s)");
    assert.equal(control?.target, undefined);
    assert.equal(control?.pass, undefined);
    assert.equal(byName("checkpoint writes")?.display, "3.0 s of 4.0 s (75%); 3.0 s of 4.0 s (75%)");
    assert.equal(
      byName("Output per declared property")?.display,
      "0.2 s, of which 0.1 s (25%); 0.2 s, of which 0.1 s (25%)",
    );
    assert.equal(byName("missing from the outputs")?.pass, false, "outputs without inventory fields");
    assert.equal(byName("pulumi up (P=8): plugin / floor")?.display, "1.05× (1.1 s / 1.0 s)");
    assert.equal(byName("pulumi up (P=8): plugin / floor")?.pass, true);
    assert.equal(byName("pulumi preview (P=8): plugin / floor")?.pass, false, "1.3 > 1.10");
    // The plugin's side of a control is information too.
    const untraced = byName("(NODE_OPTIONS=--stack-trace-limit=0) (P=8): plugin / floor");
    assert.equal(untraced?.display, "1.20× (1.2 s / 1.0 s)");
    assert.equal(untraced?.target, undefined);
    assert.equal(untraced?.pass, undefined);
    assert.equal(
      byName("plugin start-up per command and provider instance, package form")?.display,
      "140 ms; 190 ms",
    );
    assert.equal(
      byName("plugin start-up per command and provider instance, tarball form")?.display,
      "101 ms; 130 ms",
    );
    assert.equal(byName("checkpoint file bytes per resource")?.display, "1000 / 1000 / 1000");
    assert.deepEqual(tally(figures), { pass: 9, miss: 5 });

    const report: BenchReport = {
      meta: {
        mode: "quick",
        startedAt: "2026-01-01T00:00:00.000Z",
        durationS: 1,
        node: process.version,
        platform: "test",
        cpus: 1,
        loadAverage: { start: 0, end: 0 },
        commit: undefined,
      },
      figures,
      results,
    };
    const markdown = renderMarkdown(report);
    assert.match(markdown, /\| Section \| Figure \| Value \| Target \| Result \|/);
    assert.match(markdown, /\| 1\.15× \| ≤ 1\.10 \| MISS \|/);
    assert.match(markdown, /9 pass, 5 miss/);
    assert.match(markdown, /\| pulumi up \| 8 \| ours \| 1\.2 s \|/);
    assert.match(markdown, /\| \| \| plugin \| 1\.1 s \|/);
    assert.match(markdown, /\| \| \| plugin \/ floor \| 1\.05× \|/);
    // The CPU difference by process (the runs differ only in wall time here) and the profiles side by side.
    assert.match(markdown, /\| pulumi up \| \+0\.2 s \| \+0\.0 s \| \+0\.0 s \| \+0\.0 s \| \+0\.0 s \|/);
    assert.match(
      markdown,
      /\| validation \(zod\) \| 0\.01 s \(1\.00 ms\) \| 0\.01 s \(1\.00 ms\) \| 0\.00 s \|/,
    );
    assert.deepEqual(JSON.parse(renderJson(report)).figures.length, figures.length);
  });

  it("reads the memory of a process from /proc where there is one", function () {
    if (process.platform !== "linux") this.skip();
    const memory = memoryOf(process.pid);
    assert.ok(memory !== undefined && memory.rssKb > 0 && memory.peakKb >= memory.rssKb);
  });
});
