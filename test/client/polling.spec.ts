// The poll schedule against the simulator: growth and cap, learning, the benchmark targets, and debug logs.
import assert from "node:assert/strict";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import {
  AdaptivePollSchedule,
  ZStackClient,
  hashPassword,
  type PollSchedule,
  type VmAction,
} from "pulumi-zstack-vm/zstack";
import { fastRetry, rig, settingsFor } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `rounds` rounds of one clock-track job per VM (in parallel) whose server-side time is `jobMs`, and returns,
 * for the rounds after the first (learned), each job's ratio (client time submit → result / server job time) and
 * its number of polls.
 */
async function measure(jobMs: number, rounds: number, vmCount: number) {
  const vms = Array.from({ length: vmCount }, (_, i) => ({
    uuid: (i + 1).toString(16).padStart(32, "c"),
    name: `m-${i}`,
  }));
  const r = await rig({ vms, timings: { clockTrackMs: jobMs } });
  const learned: { ratio: number; polls: number }[] = [];
  const firstRound: { ratio: number; polls: number }[] = [];
  try {
    await r.client.getVm(vms[0].uuid);
    for (let round = 0; round < rounds; round++) {
      const action: VmAction = { name: "setVmClockTrack", params: { track: round % 2 ? "host" : "guest" } };
      const results = await Promise.all(
        vms.map(async (vm) => {
          const started = performance.now();
          const job = await r.client.submitVmAction(vm.uuid, action, { deadline: Date.now() + 30_000 });
          await r.client.waitForJob(job, { deadline: Date.now() + 30_000 });
          const clientMs = performance.now() - started;
          const serverMs = r.sim.jobs.get(job.jobUuid)?.durationMs ?? NaN;
          const polls = r.sim.log.entries.filter(
            (e) => e.kind === "jobPoll" && e.jobUuid === job.jobUuid,
          ).length;
          return { ratio: clientMs / serverMs, polls };
        }),
      );
      (round === 0 ? firstRound : learned).push(...results);
    }
    return {
      first: firstRound,
      learned,
      expected: r.schedule.expected({ action: "setVmClockTrack", endpointKey: r.client.endpoint.key }),
    };
  } finally {
    await r.stop();
  }
}

describe("client: poll schedule", () => {
  it("polls at growing intervals up to the cap when nothing is learned", async () => {
    // Record what the schedule asked for, and compare with when the simulator saw the polls.
    const inner = new AdaptivePollSchedule({ maxMs: 200 });
    const planned: number[] = [];
    const schedule: PollSchedule = {
      plan: (ctx) => {
        const plan = inner.plan(ctx);
        return {
          nextDelay: (i, elapsed) => {
            const ms = plan.nextDelay(i, elapsed);
            planned.push(ms);
            return ms;
          },
        };
      },
      record: (ctx, observation) => inner.record(ctx, observation),
    };
    const r = await rig({ timings: { pauseMs: 1500 } }, { pollSchedule: schedule });
    try {
      await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, { deadline: Date.now() + 10_000 });
      const shownPlan = planned.map((ms) => Math.round(ms)).join(", ");
      assert.deepEqual(
        planned.slice(0, 6).map((ms) => Math.round(ms)),
        [50, 75, 113, 169, 200, 200],
        shownPlan,
      );
      assert.ok(
        planned.every((ms) => ms <= 200),
        shownPlan,
      );
      const polls = r.sim.log.entries.filter((e) => e.kind === "jobPoll").map((e) => e.receivedAt);
      const submit = r.sim.log.entries.find((e) => e.kind === "actionSubmit");
      assert.ok(submit);
      assert.equal(polls.length, planned.length);
      assert.equal(polls.length, r.client.stats.polls);
      // Each poll came no earlier than its planned delay after the previous answer, and not much later.
      const intervals = polls.map((t, i) => t - (i === 0 ? submit.finishedAt : polls[i - 1]));
      const shown = intervals.map((ms) => Math.round(ms)).join(", ");
      intervals.forEach((ms, i) => {
        assert.ok(ms >= planned[i] - 2, `poll ${i} early: planned ${shownPlan}; seen ${shown}`);
        assert.ok(ms <= planned[i] + 80, `poll ${i} late: planned ${shownPlan}; seen ${shown}`);
      });
    } finally {
      await r.stop();
    }
  });

  it("learns per action: the first poll lands just before the expected completion, and the estimate refines", async () => {
    const r = await rig({ timings: { pauseMs: 600, resumeMs: 300 } });
    try {
      const deadline = () => ({ deadline: Date.now() + 10_000 });
      await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, deadline());
      await r.client.runVmAction(WEB1, { name: "resumeVmInstance" }, deadline());
      const ctx = (action: string) => ({ action, endpointKey: r.client.endpoint.key });
      const pauseExpected = r.schedule.expected(ctx("pauseVmInstance")) ?? 0;
      const resumeExpected = r.schedule.expected(ctx("resumeVmInstance")) ?? 0;
      assert.ok(pauseExpected > 450 && pauseExpected < 800, `learned ${pauseExpected} for a 600 ms pause`);
      assert.ok(
        resumeExpected > 200 && resumeExpected < 450,
        `learned ${resumeExpected} for a 300 ms resume`,
      );
      // The next pause is first polled at 0.92 × the expected time (within timer slack), then in short steps.
      r.sim.log.clear();
      await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, deadline());
      const submit = r.sim.log.entries.find((e) => e.kind === "actionSubmit");
      const polls = r.sim.log.entries.filter((e) => e.kind === "jobPoll");
      assert.ok(submit);
      assert.ok(polls.length <= 6, `${polls.length} polls`);
      const firstAt = polls[0].receivedAt - submit.receivedAt;
      assert.ok(
        firstAt > 0.92 * pauseExpected - 5 && firstAt < 0.92 * pauseExpected + 60,
        `first poll at ${firstAt} ms, expected ${pauseExpected}`,
      );
      // A few more jobs refine the estimate: then at most 4 polls.
      for (let i = 0; i < 3; i++) {
        await r.client.runVmAction(WEB1, { name: "resumeVmInstance" }, deadline());
        await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, deadline());
      }
      const refined = r.schedule.expected(ctx("pauseVmInstance")) ?? 0;
      assert.ok(Math.abs(refined - 600) < 60, `refined estimate ${refined} for a 600 ms pause`);
      r.sim.log.clear();
      await r.client.runVmAction(WEB1, { name: "resumeVmInstance" }, deadline());
      const resumePolls = r.sim.log.entries.filter((e) => e.kind === "jobPoll").length;
      assert.ok(resumePolls <= 4, `${resumePolls} polls for a learned resume`);
    } finally {
      await r.stop();
    }
  });

  it("meets the targets once learned: p50 ratio ≤ 1.5 for 0.2 s jobs, ≤ 1.10 for 1 s jobs, ≤ 6 polls", async function () {
    this.timeout(30_000);
    const short = await measure(200, 4, 8);
    const medium = await measure(1000, 4, 8);
    const report = (name: string, m: Awaited<ReturnType<typeof measure>>) =>
      `${name}: first round p50 ratio ${median(m.first.map((x) => x.ratio)).toFixed(3)} polls ${median(m.first.map((x) => x.polls))}; ` +
      `learned p50 ratio ${median(m.learned.map((x) => x.ratio)).toFixed(3)} polls ${median(m.learned.map((x) => x.polls))} ` +
      `(expected ${Math.round(m.expected ?? 0)} ms)`;
    const text = `${report("0.2 s", short)}\n${report("1 s", medium)}`;
    if (process.env.ZSTACK_POLL_REPORT) console.log(text);
    assert.ok(median(short.learned.map((x) => x.ratio)) <= 1.5, text);
    assert.ok(median(medium.learned.map((x) => x.ratio)) <= 1.1, text);
    assert.ok(median(short.learned.map((x) => x.polls)) <= 6, text);
    assert.ok(median(medium.learned.map((x) => x.polls)) <= 6, text);
  });

  it("meets the target for 5 s jobs: p50 ratio ≤ 1.10 with ≤ 6 polls once learned", async function () {
    this.timeout(40_000);
    const long = await measure(5000, 3, 8);
    const text =
      `5 s: first round p50 ratio ${median(long.first.map((x) => x.ratio)).toFixed(3)} polls ${median(long.first.map((x) => x.polls))}; ` +
      `learned p50 ratio ${median(long.learned.map((x) => x.ratio)).toFixed(3)} polls ${median(long.learned.map((x) => x.polls))}`;
    if (process.env.ZSTACK_POLL_REPORT) console.log(text);
    assert.ok(median(long.learned.map((x) => x.ratio)) <= 1.1, text);
    assert.ok(median(long.learned.map((x) => x.polls)) <= 6, text);
  });
});

describe("client: debug logging and secrets", () => {
  it("logs one line per request with ZSTACK_DEBUG=1, never a secret", async () => {
    const r = await rig({ timings: { pauseMs: 50 } });
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    const previous = process.env.ZSTACK_DEBUG;
    process.env.ZSTACK_DEBUG = "1";
    const client = new ZStackClient(settingsFor(r.sim), { retry: fastRetry() });
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await client.getVm(WEB1);
      r.sim.faults.inject({ on: "jobPoll", fault: { kind: "status", status: 502, body: "bad gateway" } });
      await client.runVmAction(WEB1, { name: "pauseVmInstance" }, { deadline: Date.now() + 10_000 });
      await client.close();
    } finally {
      process.stderr.write = original;
      if (previous === undefined) delete process.env.ZSTACK_DEBUG;
      else process.env.ZSTACK_DEBUG = previous;
      await r.stop();
    }
    const lines = written.join("").trim().split("\n");
    assert.ok(
      lines.every((l) =>
        /^zstack (GET|PUT|DELETE) \/zstack\/v1\/\S+ (\d{3}|error \S+) \d+ms \(\w+( attempt \d+)?\)$/.test(l),
      ),
      lines.join("\n"),
    );
    assert.match(lines[0], /^zstack PUT \/zstack\/v1\/accounts\/login 200 \d+ms \(login\)$/);
    assert.ok(lines.some((l) => /^zstack GET \/zstack\/v1\/vm-instances\/\w+ 200 \d+ms \(getVm\)$/.test(l)));
    assert.ok(lines.some((l) => / 502 \d+ms \(pauseVmInstance\)$/.test(l)));
    assert.ok(lines.some((l) => / 202 \d+ms \(pauseVmInstance\)$/.test(l)));
    assert.ok(lines.some((l) => /^zstack DELETE \/zstack\/v1\/accounts\/sessions\/\*\*\* 200/.test(l)));
    const sessions = r.sim.log.entries
      .filter((e) => e.kind === "logout")
      .map((e) => e.path.split("/").pop() ?? "");
    assert.equal(sessions.length, 1);
    const all = lines.join("\n");
    for (const secret of [
      r.sim.credentials.password,
      hashPassword(r.sim.credentials.password),
      ...sessions,
    ]) {
      assert.ok(!all.includes(secret), "a secret was logged");
    }
  });
});
