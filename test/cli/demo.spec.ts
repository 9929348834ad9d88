/**
 * `npm run demo` end to end: spawns `tsx tools/demo/main.ts` (the script's build step is the test run's own
 * `tsc -b provider`) and checks the transcript a new user would read: every section with the real CLI's own output,
 * the drift shown and converged, the action log, a clean exit and no stack trace. Bounded in time: ten real `pulumi`
 * commands take about a minute on an idle machine.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./support";

/** Generous for a loaded CI machine. */
const BOUND_MS = 300_000;

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
    // The demo's program is type-checked by `npm run typecheck`; ts-node's check at each of its commands would only
    // cost time here (the demo passes its environment on to the CLI).
    env: { ...process.env, FORCE_COLOR: "0", PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
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

describe("cli: npm run demo", function () {
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
    assert.match(t.stdout, /Demo finished in [\d.]+ s: 8 actions sent to ZStack, every VM restored\./);
  });

  it("prints every section in order, with the pulumi command it runs", () => {
    const headings = lines.filter((l) => /^── \d\/9 /.test(l)).map((l) => l.replace(/ ─+$/, ""));
    assert.deepEqual(headings, [
      "── 1/9  Preview: what would change",
      "── 2/9  Up: converge the VMs to the program",
      "── 3/9  Out of band: another client resumes web-1",
      "── 4/9  Refresh: Pulumi reads the VMs and finds the drift",
      "── 5/9  Preview: the drift as the next up will fix it",
      "── 6/9  Up: converge the drift",
      "── 7/9  Change the program: sync db-1's clock every 3600 s",
      "── 8/9  Up: apply the change in place",
      "── 9/9  Destroy: restore the VMs as they were found",
    ]);
    for (const command of [
      "$ pulumi preview --diff",
      "$ pulumi up --yes",
      "$ pulumi refresh --yes --skip-preview",
      "$ pulumi config set syncIntervalSeconds 3600 && pulumi preview --diff",
      "$ pulumi destroy --yes",
    ]) {
      assert.ok(lines.includes(command), `missing ${command}`);
    }
    assert.ok(lines.some((l) => l.startsWith("── What was sent to ZStack")));
    assert.match(t.stdout, /➜ pulumi v\d+\.\d+\.\d+ \(/, "the CLI's version and origin are shown");
  });

  it("shows the CLI's own output: the drift found by refresh, previewed, then converged by up", () => {
    const section = (n: number) =>
      t.stdout.slice(t.stdout.indexOf(`── ${n}/9`), t.stdout.indexOf(`── ${n + 1}/9`));
    assert.match(section(1), /Previewing update \(dev\):/);
    assert.match(section(1), /\+ 3 to create/);
    assert.match(section(4), /Refreshing \(dev\):/);
    assert.match(section(4), /web-paused\s+updated/);
    assert.match(section(5), /~ pulumi-nodejs:dynamic\/zstack:VmPauseState: \(update\)/);
    assert.match(section(5), /~ state\s*: "Running" => "Paused"/);
    assert.match(section(6), /~ 1 updated/);
    assert.match(section(7), /~ intervalInSeconds\s*: 600 => 3600/);
    assert.match(section(9), /- 3 deleted/);
  });

  it("ends with the action log: every action, its VM, status and job time", () => {
    const log = t.stdout.slice(t.stdout.indexOf("── What was sent to ZStack"));
    const actions = log
      .split("\n")
      // VM actions only: the management node's `getVersion` (PUT /v1/management-nodes/actions) is a read.
      .filter((l) => l.includes("/vm-instances/{uuid}/actions"))
      .map((l) => {
        const m = /PUT\s+(\S+)\s+(\w+)\s+([\w-]+)\s+(\d+)\s+(\w+), (\d+) ms/.exec(l);
        assert.ok(m, `unexpected action row: ${l}`);
        return [m[1], m[2], m[3], m[4], m[5]].join(" ");
      });
    const row = (action: string, vm: string) =>
      `/v1/vm-instances/{uuid}/actions ${action} ${vm} 202 succeeded`;
    // Independent resources run in parallel, so within one step the order of their actions may vary.
    assert.deepEqual([...actions].sort(), [
      row("pauseVmInstance", "web-1"),
      row("pauseVmInstance", "web-1"),
      row("resumeVmInstance", "web-1"),
      row("setVmClockTrack", "db-1"),
      row("setVmClockTrack", "db-1"),
    ]);
    // db-1 inherited its clock settings from the global defaults when adopted: destroy deletes its own values (one
    // DeleteResourceConfig job each) instead of writing the defaults back, so it inherits them again.
    const destroy = log.slice(log.indexOf("9 destroy"));
    const deletes = destroy
      .split("\n")
      .filter((l) =>
        /DELETE\s+\/v1\/resource-configurations\/vm\/\{name\}\/\{uuid\}\s+deleteResourceConfig\s+db-1\s+202\s+succeeded/.test(
          l,
        ),
      );
    assert.equal(deletes.length, 3);
    assert.match(log, /1 preview\s+\(nothing sent\)/);
    assert.match(log, /5 preview\s+\(nothing sent\)/);
    // The preview of a clock change asks the node's version (a read that opens no session), since a field the node
    // lacks must fail the preview; nothing else.
    assert.match(log, /7 preview\s+PUT\s+\/v1\/management-nodes\/actions\s+200\n\s+8 up/);
    assert.match(log, /5 VM actions and 3 resource-config deletes submitted \(8 accepted, 8 executed\)/);
  });

  it("keeps its backend and stack files outside the repository", () => {
    const stateLine = lines.find((l) => l.includes("local file backend and passphrase in"));
    assert.ok(stateLine, "the backend location is printed");
    const dir = /passphrase in (\S+)/.exec(stateLine)?.[1] ?? "";
    assert.ok(!path.resolve(dir).startsWith(REPO_ROOT), `state in the repository: ${dir}`);
  });
});
