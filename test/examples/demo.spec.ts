/**
 * `npm run demo` end to end: spawns `tsx tools/demo/main.ts` (the script's build step is the test run's own
 * `tsc -b provider`) and checks the transcript a new user would read: every section, the drift shown and converged,
 * the action log, a clean exit and no stack trace. Bounded in time: the demo must stay well under a minute.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./support";

/** Generous for a loaded CI machine; the demo takes 15-25 s on an idle one. */
const BOUND_MS = 90_000;

interface Transcript {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function runDemo(): Promise<Transcript> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "tools/demo/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), BOUND_MS);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("examples: npm run demo", function () {
  this.timeout(BOUND_MS + 10_000);
  this.slow(30_000);
  let t: Transcript;
  let lines: string[];

  before(async () => {
    t = await runDemo();
    lines = t.stdout.split("\n");
  });

  it("exits 0 within the bound, with nothing on stderr and no stack trace", () => {
    assert.equal(t.code, 0, `exit ${t.code}\n${t.stdout}\n${t.stderr}`);
    assert.ok(t.ms < BOUND_MS, `took ${t.ms} ms`);
    assert.equal(t.stderr.trim(), "");
    const all = t.stdout + t.stderr;
    assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(all), "a stack trace was printed");
    assert.doesNotMatch(all, /Error:|unhandled|DeprecationWarning/i);
    assert.match(t.stdout, /Demo finished in [\d.]+ s: 6 actions sent to ZStack, every VM restored\./);
  });

  it("prints every section in order, with the pulumi command it stands for", () => {
    const headings = lines.filter((l) => /^── \d\/8 /.test(l)).map((l) => l.replace(/ ─+$/, ""));
    assert.deepEqual(headings, [
      "── 1/8  Preview: what would change",
      "── 2/8  Up: converge the VMs to the program",
      "── 3/8  Out of band: another client resumes web-1",
      "── 4/8  Refresh: Pulumi reads the VMs and finds the drift",
      "── 5/8  Up: converge the drift",
      "── 6/8  Change the program: sync db-1's clock every 3600 s",
      "── 7/8  Up: apply the change in place",
      "── 8/8  Destroy: restore the VMs as they were found",
    ]);
    for (const command of [
      "$ pulumi preview --diff",
      "$ pulumi up --yes",
      "$ pulumi refresh --yes",
      "$ pulumi config set syncIntervalSeconds 3600 && pulumi preview --diff",
      "$ pulumi destroy --yes",
    ]) {
      assert.ok(lines.includes(command), `missing ${command}`);
    }
    assert.ok(lines.some((l) => l.startsWith("── What was sent to ZStack")));
  });

  it("shows the drift found by refresh, then converged by up", () => {
    const refresh = t.stdout.slice(t.stdout.indexOf("Refreshing (dev):"), t.stdout.indexOf("── 5/8"));
    assert.match(
      refresh,
      /~ {3}├─ pulumi-nodejs:dynamic\/zstack:VmPauseState\s+web-paused\s+updated \[diff: .*~state/,
    );
    assert.match(refresh, /~ state: "Paused" => "Running"/);
    const converge = t.stdout.slice(t.stdout.indexOf("── 5/8"), t.stdout.indexOf("── 6/8"));
    assert.match(converge, /web-paused\s+updated \[diff: ~state\]/);
    assert.match(converge, /~ state: "Running" => "Paused"/);
    const change = t.stdout.slice(t.stdout.indexOf("── 6/8"), t.stdout.indexOf("── 7/8"));
    assert.match(change, /db-clock\s+update \[diff: ~intervalInSeconds\]/);
    assert.match(change, /~ intervalInSeconds: 600 => 3600/);
  });

  it("ends with the action log: every action, its VM, status and job time", () => {
    const log = t.stdout.slice(t.stdout.indexOf("── What was sent to ZStack"));
    const actions = log
      .split("\n")
      .filter((l) => l.includes("/actions"))
      .map((l) => {
        const m = /PUT\s+(\S+)\s+(\w+)\s+([\w-]+)\s+(\d+)\s+(\w+), (\d+) ms/.exec(l);
        assert.ok(m, `unexpected action row: ${l}`);
        return [m[1], m[2], m[3], m[4], m[5]].join(" ");
      });
    const row = (action: string, vm: string) =>
      `/v1/vm-instances/{uuid}/actions ${action} ${vm} 202 succeeded`;
    assert.deepEqual(actions, [
      row("pauseVmInstance", "web-1"),
      row("setVmClockTrack", "db-1"),
      row("pauseVmInstance", "web-1"),
      row("setVmClockTrack", "db-1"),
      row("setVmClockTrack", "db-1"),
      row("resumeVmInstance", "web-1"),
    ]);
    assert.match(log, /1 preview\s+\(nothing sent\)/);
    assert.match(log, /6 preview\s+\(nothing sent\)/);
    assert.match(log, /6 actions submitted \(6 accepted, 6 executed\)/);
  });

  it("keeps its state outside the repository", () => {
    const stateLine = lines.find((l) => l.includes("state file:"));
    assert.ok(stateLine, "the state file location is printed");
    const dir = /state file: (\S+)/.exec(stateLine)?.[1] ?? "";
    assert.ok(!path.resolve(dir).startsWith(REPO_ROOT), `state in the repository: ${dir}`);
  });
});
