// The simulator's handle: out-of-band changes, restart, counters and log, seeds, the VM generator, TLS and
// the standalone CLI.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import {
  accessKeySignature,
  DEMO_VM_UUIDS,
  generateVms,
  startSimulator,
  ZStackApiError,
  type Simulator,
} from "pulumi-zstack-vm/simulator";
import { makeTestCa } from "../support/tls";
import { json, login, pollJob, rawCall, submitAction } from "../support/zstack-raw-http";

const WEB_1 = DEMO_VM_UUIDS["web-1"];
const DB_1 = DEMO_VM_UUIDS["db-1"];
const BATCH_1 = DEMO_VM_UUIDS["batch-1"];
const CLI = join(__dirname, "..", "..", "provider", "dist", "simulator", "cli.js");

describe("simulator: demo seed", () => {
  it("seeds web-1 and web-2 Running, db-1 Paused, batch-1 Stopped, with readable stable uuids", async () => {
    const sim = await startSimulator();
    try {
      assert.deepEqual(
        sim.vms.list().map((vm) => [vm.uuid, vm.name, vm.state]),
        [
          ["aaaa0000000000000000000000000001", "web-1", "Running"],
          ["aaaa0000000000000000000000000002", "web-2", "Running"],
          ["aaaa0000000000000000000000000003", "db-1", "Paused"],
          ["aaaa0000000000000000000000000004", "batch-1", "Stopped"],
        ],
      );
      const ips = sim.vms.list().map((vm) => vm.vmNics[0]?.ip);
      assert.equal(new Set(ips).size, 4, "every VM has its own IP");
      assert.equal(sim.vms.get(DB_1)?.allVolumes.length, 2);
    } finally {
      await sim.close();
    }
  });
});

describe("simulator: out-of-band changes", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({
      timings: { pauseMs: 30, resumeMs: 30, stopMs: 30, startMs: 30, destroyMs: 30 },
    });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  it("pauses and resumes as another client would, through the transitional states", async () => {
    // Held in Pausing until the query has seen it, however slow the machine.
    const hold = sim.vms.hold(WEB_1);
    const paused = sim.vms.outOfBand(WEB_1, "pause");
    await hold.held;
    const during = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
    hold.release();
    assert.equal(json<{ inventories: Array<{ state: string }> }>(during).inventories[0]?.state, "Pausing");
    assert.equal((await paused).state, "Paused");
    assert.equal((await sim.vms.outOfBand(WEB_1, "resume")).state, "Running");
    assert.equal(sim.counters.acceptedActions(WEB_1), 0, "out-of-band changes are not API submits");
  });

  it("stops, starts and destroys with hostUuid following the state", async () => {
    const stopped = await sim.vms.outOfBand(WEB_1, "stop");
    assert.equal(stopped.state, "Stopped");
    assert.equal(stopped.hostUuid, undefined);
    const started = await sim.vms.outOfBand(WEB_1, "start");
    assert.equal(started.state, "Running");
    assert.equal(started.hostUuid, stopped.lastHostUuid);
    const destroyed = await sim.vms.outOfBand(BATCH_1, "destroy");
    assert.equal(destroyed.state, "Destroyed");
    // Destroyed VMs still exist (soft delete); expunged ones are gone.
    const query = await rawCall(sim.url, "GET", `/v1/vm-instances/${BATCH_1}`, { session });
    assert.equal(json<{ inventories: unknown[] }>(query).inventories.length, 1);
  });

  it("rejects operations the state does not allow with the API's error", async () => {
    await assert.rejects(sim.vms.outOfBand(DB_1, "pause"), (e: unknown) => {
      assert.ok(e instanceof ZStackApiError);
      assert.equal(e.error.code, "VM.1012");
      return true;
    });
    await assert.rejects(sim.vms.outOfBand(BATCH_1, "stop"), (e: unknown) => {
      assert.ok(e instanceof ZStackApiError);
      assert.equal(e.error.code, "VM.1010");
      return true;
    });
  });

  it("serializes out-of-band operations with API actions on the VM's chain (a lost race)", async () => {
    const other = sim.vms.outOfBand(WEB_1, "pause");
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    await other;
    const res = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(res.status, 503);
    assert.equal(json<{ error: { code: string; cause: { code: string } } }>(res).error.cause.code, "VM.1010");
  });

  it("setState changes the state at once; remove expunges (SYS.1003, empty query)", async () => {
    assert.equal(sim.vms.setState(WEB_1, "Unknown").state, "Unknown");
    assert.equal(sim.vms.remove(WEB_1), true);
    assert.equal(sim.vms.get(WEB_1), undefined);
    const query = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
    assert.equal(query.text, '{"inventories":[]}');
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const res = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(json<{ error: { code: string } }>(res).error.code, "SYS.1003");
  });

  it("adds VMs from partial seeds, completing every field", () => {
    const vm = sim.vms.add({ name: "extra-1", state: "Stopped" });
    assert.match(vm.uuid, /^[0-9a-f]{32}$/);
    assert.equal(sim.vms.get(vm.uuid)?.name, "extra-1");
    assert.equal(vm.hostUuid, undefined);
    assert.equal(vm.allVolumes[0]?.uuid, vm.rootVolumeUuid);
    assert.throws(() => sim.vms.add({ name: "extra-1" }), /already exists/);
  });
});

describe("simulator: restart", () => {
  it("forgets sessions and jobs, keeps VMs and completes transitional states in flight", async () => {
    const sim = await startSimulator({ timings: { pauseMs: 60 } });
    try {
      const session = await login(sim.url);
      sim.resourceConfigs.set(WEB_1, "vm.clock.track", "guest");
      const hold = sim.vms.hold(WEB_1);
      const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
      const { location } = json<{ location: string }>(accepted);
      await hold.held;
      assert.equal(sim.vms.get(WEB_1)?.state, "Pausing");
      await sim.restart();
      // The restart dropped the connection the submit kept alive, and this process learns that only when it next
      // reads from it: a request sent on it now could fail as a reset (the package's client retries such a GET; the
      // client faults spec covers it). These raw calls have no retry, so they go out on new connections.
      const dispatcher = new Agent();
      try {
        const poll = await rawCall(location, "GET", "", { dispatcher });
        assert.equal(poll.status, 404);
        assert.equal(poll.text, "the job has been expired");
        const query = await rawCall(sim.url, "GET", "/v1/vm-instances", { session, dispatcher });
        assert.equal(json<{ error: { code: string } }>(query).error.code, "ID.1001");
        // The pause in flight when the node restarted still lands in Paused.
        hold.release();
        await sim.vms.reaches(WEB_1, "Paused");
        assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.track"), "guest");
        assert.equal(sim.vms.list().length, 4);
        const renewed = await login(sim.url, undefined, undefined, dispatcher);
        assert.equal(
          (await rawCall(sim.url, "GET", "/v1/vm-instances", { session: renewed, dispatcher })).status,
          200,
        );
      } finally {
        await dispatcher.close();
      }
    } finally {
      await sim.close();
    }
  });
});

describe("simulator: counters and request log", () => {
  it("counts per endpoint kind, action, VM and status, and logs each request with timings", async () => {
    const sim = await startSimulator({ timings: { pauseMs: 10, clockTrackMs: 5 } });
    try {
      const session = await login(sim.url);
      await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
      const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
      await pollJob(json<{ location: string }>(accepted).location);
      const failed = await submitAction(sim.url, session, DB_1, { pauseVmInstance: {} });
      await pollJob(json<{ location: string }>(failed).location);
      await rawCall(sim.url, "GET", "/v1/nothing", { session });

      const snapshot = sim.counters.snapshot();
      assert.equal(snapshot.byEndpoint.login, 1);
      assert.equal(snapshot.byEndpoint.vmQuery, 1);
      assert.equal(snapshot.byEndpoint.actionSubmit, 2);
      assert.ok((snapshot.byEndpoint.jobPoll ?? 0) >= 2);
      assert.equal(snapshot.byStatus["404"], 1);
      assert.equal(sim.counters.count(), snapshot.requests);
      assert.equal(sim.counters.count("actionSubmit"), 2);
      assert.equal(sim.counters.acceptedActions(), 2);
      assert.equal(sim.counters.acceptedActions(WEB_1), 1);
      assert.equal(sim.counters.acceptedActions(DB_1, "pauseVmInstance"), 1);
      assert.equal(sim.counters.executedActions(WEB_1, "pauseVmInstance"), 1);
      assert.equal(sim.counters.executedActions(DB_1), 0, "a failed pause did not execute");
      assert.ok((snapshot.byVm[WEB_1] ?? 0) >= 3);

      const submit = sim.log.entries.find((e) => e.kind === "actionSubmit" && e.vmUuid === WEB_1);
      assert.equal(submit?.method, "PUT");
      assert.equal(submit?.path, `/zstack/v1/vm-instances/${WEB_1}/actions`);
      assert.equal(submit?.action, "pauseVmInstance");
      assert.equal(submit?.status, 202);
      assert.match(submit?.jobUuid ?? "", /^[0-9a-f]{32}$/);
      assert.ok(submit !== undefined && submit.finishedAt >= submit.receivedAt && submit.durationMs >= 0);
      const seqs = sim.log.entries.map((e) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.equal(sim.log.entries.at(-1)?.kind, undefined, "unrouted requests have no kind");

      sim.counters.reset();
      sim.log.clear();
      assert.equal(sim.counters.count(), 0);
      assert.equal(sim.counters.acceptedActions(), 0);
      assert.equal(sim.log.entries.length, 0);
    } finally {
      await sim.close();
    }
  });
});

describe("simulator: seeds and generated VMs", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "zstack-sim-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a seed file of partial inventories, or a saved query reply", async () => {
    const file = join(dir, "seed.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "app-1", state: "Paused" },
        { uuid: "b".repeat(32), name: "app-2" },
      ]),
    );
    const sim = await startSimulator({ seedFile: file });
    try {
      assert.deepEqual(
        sim.vms.list().map((vm) => [vm.name, vm.state]),
        [
          ["app-1", "Paused"],
          ["app-2", "Running"],
        ],
      );
      assert.ok(sim.vms.get("b".repeat(32)) !== undefined);
      const reply = await rawCall(sim.url, "GET", "/v1/vm-instances", { session: await login(sim.url) });
      const replayFile = join(dir, "reply.json");
      writeFileSync(replayFile, reply.text);
      const replay = await startSimulator({ seedFile: replayFile });
      assert.deepEqual(replay.vms.list(), sim.vms.list());
      await replay.close();
    } finally {
      await sim.close();
    }
  });

  it("rejects a malformed seed file with the offending path", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify([{ name: "x", state: "Sleeping" }]));
    await assert.rejects(startSimulator({ seedFile: file }), /bad\.json .*0\.state/);
  });

  it("generates N distinct, complete VMs for load tests", async () => {
    const vms = generateVms(1000, { state: "Running" });
    assert.equal(vms.length, 1000);
    assert.equal(new Set(vms.map((vm) => vm.uuid)).size, 1000);
    assert.equal(new Set(vms.map((vm) => vm.vmNics[0]?.ip)).size, 1000);
    assert.equal(vms[0]?.name, "load-0001");
    assert.deepEqual(generateVms(3, { seed: 7 }), generateVms(3, { seed: 7 }));
    assert.notEqual(generateVms(1, { seed: 1 })[0]?.uuid, generateVms(1, { seed: 2 })[0]?.uuid);
    const sim = await startSimulator({ vms, timings: { pauseMs: 5 } });
    try {
      const session = await login(sim.url);
      const page = await rawCall(sim.url, "GET", "/v1/vm-instances?q=state=Running&count=true", { session });
      assert.deepEqual(json(page), { total: 1000 });
    } finally {
      await sim.close();
    }
  });
});

describe("simulator: endpoint options", () => {
  it("writes the advertised host into job locations, and the bound host everywhere else", async () => {
    const sim = await startSimulator({
      advertisedHost: "10.255.255.1",
      contextPath: "zs",
      timings: { pauseMs: 5 },
    });
    try {
      assert.equal(sim.url, `http://127.0.0.1:${sim.endpoint.port}/zs`);
      assert.deepEqual(sim.endpoint, {
        scheme: "http",
        host: "127.0.0.1",
        port: sim.endpoint.port,
        contextPath: "zs",
      });
      const accepted = await submitAction(sim.url, await login(sim.url), WEB_1, { pauseVmInstance: {} });
      const { location } = json<{ location: string }>(accepted);
      assert.match(
        location,
        new RegExp(`^http://10\\.255\\.255\\.1:${sim.endpoint.port}/zs/v1/api-jobs/[0-9a-f]{32}$`),
      );
    } finally {
      await sim.close();
    }
  });

  it("serves HTTPS with the given key and certificate", async () => {
    const material = makeTestCa();
    const sim = await startSimulator({ tls: { key: material.key, cert: material.cert } });
    const dispatcher = new Agent({ connect: { ca: material.ca, rejectUnauthorized: true } });
    try {
      assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/zstack$/);
      const res = await request(`${sim.url}/v1/accounts/sessions/${"0".repeat(32)}/valid`, { dispatcher });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(await res.body.json(), { valid: false });
    } finally {
      await dispatcher.close();
      await sim.close();
      material.dispose();
    }
  });
});

describe("simulator: CLI", () => {
  it("prints the endpoint, credentials and config lines, serves, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zstack-cli-"));
    const seed = join(dir, "seed.json");
    writeFileSync(seed, JSON.stringify([{ name: "cli-vm", state: "Running" }]));
    const child = spawn(process.execPath, [CLI, "--port", "0", "--seed", seed, "--job-ms", "10"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: string) => {
          output += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/zstack)/.exec(output);
          if (match?.[1] !== undefined && output.includes("Press Ctrl+C")) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${output}`)));
      });
      assert.match(output, /Demo credentials: account admin, password password/);
      assert.match(output, /pulumi config set zstack:host 127\.0\.0\.1/);
      assert.match(output, /pulumi config set --secret zstack:accountPassword password/);
      assert.match(output, /export ZSTACK_PORT=\d+/);
      assert.match(output, /export ZSTACK_ACCOUNT_NAME=admin/);
      assert.match(output, /cli-vm\s+Running/);

      const session = await login(url);
      const vms = json<{ inventories: Array<{ name: string; uuid: string }> }>(
        await rawCall(url, "GET", "/v1/vm-instances", { session }),
      );
      assert.deepEqual(
        vms.inventories.map((vm) => vm.name),
        ["cli-vm"],
      );
      const accepted = await submitAction(url, session, vms.inventories[0]?.uuid ?? "", {
        pauseVmInstance: {},
      });
      const done = await pollJob(json<{ location: string }>(accepted).location);
      assert.equal(json<{ inventory: { state: string } }>(done).inventory.state, "Paused");

      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts AccessKeys by flag and from the seed file, prints them, and serves them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zstack-cli-"));
    const seed = join(dir, "seed.json");
    writeFileSync(
      seed,
      JSON.stringify({
        inventories: [{ name: "ak-vm" }],
        accessKeys: [{ id: "ak-seed", secret: "seed-secret" }],
      }),
    );
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--port",
        "0",
        "--seed",
        seed,
        "--access-key",
        "ak-flag:flag:secret",
        "--sync-action",
        "pauseVmInstance",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let output = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: string) => {
          output += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/zstack)/.exec(output);
          if (match?.[1] !== undefined && output.includes("Press Ctrl+C")) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${output}`)));
      });
      // The secret is everything after the first ':', so it may contain colons.
      assert.match(output, /AccessKey: id ak-flag, secret flag:secret/);
      assert.match(output, /AccessKey: id ak-seed, secret seed-secret/);
      assert.match(output, /pulumi config set zstack:accessKeyId ak-seed/);
      assert.match(output, /pulumi config set --secret zstack:accessKeySecret seed-secret/);
      assert.match(output, /export ZSTACK_ACCESS_KEY_SECRET=flag:secret/);
      assert.match(output, /Answered synchronously \(no job to poll\): pauseVmInstance/);
      for (const [id, secret] of [
        ["ak-flag", "flag:secret"],
        ["ak-seed", "seed-secret"],
      ] as const) {
        const date = new Date().toUTCString();
        const uri = "/v1/vm-instances";
        const signature = accessKeySignature(secret, "GET", date, uri);
        const res = await rawCall(url, "GET", uri, {
          headers: { Authorization: `ZStack ${id}:${signature}`, Date: date },
        });
        assert.equal(res.status, 200, `${id}: ${res.text}`);
        assert.deepEqual(
          json<{ inventories: Array<{ name: string }> }>(res).inventories.map((vm) => vm.name),
          ["ak-vm"],
        );
      }
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a malformed --access-key without echoing the secret", () => {
    assert.throws(
      () =>
        execFileSync(process.execPath, [CLI, "--access-key", "no-colon-secret"], {
          encoding: "utf8",
          stdio: "pipe",
        }),
      (e: { status?: number; stderr?: string }) =>
        e.status === 2 &&
        /--access-key must be <id>:<secret>/.test(e.stderr ?? "") &&
        !/no-colon-secret/.test(e.stderr ?? ""),
    );
  });

  it("dumps the demo seed as JSON usable with --seed", () => {
    const text = execFileSync(process.execPath, [CLI, "--dump-seed"], { encoding: "utf8" });
    const seed = JSON.parse(text) as Array<{ uuid: string; name: string }>;
    assert.deepEqual(
      seed.map((vm) => vm.name),
      ["web-1", "web-2", "db-1", "batch-1"],
    );
    assert.equal(seed[0]?.uuid, WEB_1);
  });

  it("rejects a bad flag with usage and exit code 2", () => {
    assert.throws(
      () => execFileSync(process.execPath, [CLI, "--port", "eighty"], { encoding: "utf8", stdio: "pipe" }),
      (e: { status?: number; stderr?: string }) => e.status === 2 && /--port must be/.test(e.stderr ?? ""),
    );
  });
});
