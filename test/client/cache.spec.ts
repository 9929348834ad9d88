// The process-wide client cache and pool sharing, and a sweep for secrets over errors and logs.
import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, startSimulator } from "pulumi-zstack-vm/simulator";
import {
  clientFor,
  closeAllClients,
  hashPassword,
  livePoolCount,
  ZStackClient,
  ZStackError,
  type ClockTrackParams,
} from "pulumi-zstack-vm/zstack";
import { fastRetry, MISSING_VM, settingsFor } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const BATCH1 = DEMO_VM_UUIDS["batch-1"];

describe("client: process-wide cache", () => {
  afterEach(() => closeAllClients());

  it("returns one client (one session) per endpoint and credential identity", async () => {
    const sim = await startSimulator({
      accounts: [
        { name: "admin", password: "password" },
        { name: "ops", password: "ops-pw" },
      ],
    });
    try {
      const a = clientFor(settingsFor(sim));
      const b = clientFor({ ...settingsFor(sim), contextPath: "/zstack/" });
      assert.equal(a, b);
      const ops = clientFor(
        settingsFor(sim, { credentials: { kind: "account", accountName: "ops", password: "ops-pw" } }),
      );
      assert.notEqual(ops, a);
      await Promise.all([a.getVm(WEB1), b.getVm(WEB1), ops.getVm(WEB1)]);
      assert.equal(sim.counters.count("login"), 2); // one per account
      await closeAllClients();
      assert.equal(sim.counters.count("logout"), 2);
      assert.ok(a.closed && ops.closed);
      // A closed client is replaced by a fresh one.
      const c = clientFor(settingsFor(sim));
      assert.notEqual(c, a);
      assert.equal((await c.getVm(WEB1))?.uuid, WEB1);
    } finally {
      await closeAllClients();
      await sim.close();
    }
  });

  it("shares one pool per endpoint between clients, closing it with the last client", async () => {
    const sim = await startSimulator();
    const before = livePoolCount();
    const one = new ZStackClient(settingsFor(sim));
    const two = new ZStackClient(settingsFor(sim));
    try {
      assert.equal(livePoolCount(), before + 1);
      await Promise.all([one.getVm(WEB1), two.getVm(WEB1)]);
      await one.close();
      assert.equal(livePoolCount(), before + 1);
      assert.equal((await two.getVm(WEB1))?.uuid, WEB1);
      await two.close();
      assert.equal(livePoolCount(), before);
    } finally {
      await one.close();
      await two.close();
      await sim.close();
    }
  });
});

describe("client: no secrets in errors or logs", () => {
  it("never puts the password, its hash or a session id in any error or log line", async () => {
    const password = "Very-Secret-Pa55word";
    const sim = await startSimulator({ accounts: [{ name: "admin", password }], timings: { pauseMs: 30 } });
    const lines: string[] = [];
    const client = new ZStackClient(settingsFor(sim), {
      retry: fastRetry(2),
      logger: (line) => lines.push(line),
    });
    const errors: ZStackError[] = [];
    const sessions = new Set<string>();
    const session = () => {
      const id = (
        client as unknown as { authenticator: { currentSessionId(): string | undefined } }
      ).authenticator.currentSessionId();
      if (id) sessions.add(id);
    };
    const collect = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        assert.ok(ZStackError.isInstance(error));
        errors.push(error);
      }
      session();
    };
    const soon = { deadline: Date.now() + 10_000 };
    try {
      await collect(client.getVm(WEB1));
      sim.expireSessions();
      await collect(client.getVm(WEB1));
      await collect(client.runVmAction(BATCH1, { name: "pauseVmInstance" }, soon));
      await collect(client.runVmAction(MISSING_VM, { name: "resumeVmInstance" }, soon));
      const params = { track: "guest", intervalInSeconds: "x" } as unknown as ClockTrackParams;
      await collect(client.runVmAction(WEB1, { name: "setVmClockTrack", params }, soon));
      sim.faults.inject({
        on: "vmQuery",
        times: Infinity,
        fault: { kind: "status", status: 502, body: "bad gateway" },
      });
      await collect(client.getVm(WEB1));
      sim.faults.clear();
      sim.faults.inject({ on: "jobPoll", fault: { kind: "loseJob" } });
      await collect(client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon));
      await collect(client.runVmAction(WEB1, { name: "resumeVmInstance" }, { deadline: Date.now() + 30 }));
      session();
      await client.close();
      await collect(client.getVm(WEB1));
      const wrong = new ZStackClient(
        settingsFor(sim, {
          credentials: { kind: "account", accountName: "admin", password: "Wrong-Pa55word" },
        }),
        { retry: fastRetry(2), logger: (line) => lines.push(line) },
      );
      await collect(wrong.getVm(WEB1));
      await wrong.close();
    } finally {
      await client.close();
      await sim.close();
    }
    assert.ok(errors.length >= 8, `${errors.length} errors`);
    assert.equal(sessions.size, 2); // the first session and the one after re-login
    const text = JSON.stringify({
      messages: errors.map((e) => e.message),
      json: errors.map((e) => e.toJSON()),
      stacks: errors.map((e) => e.stack),
      causes: errors.map((e) => String(e.cause)),
      lines,
    });
    for (const secret of [
      password,
      hashPassword(password),
      "Wrong-Pa55word",
      hashPassword("Wrong-Pa55word"),
      ...sessions,
    ]) {
      assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 4)}…`);
    }
    assert.ok(!/OAuth [0-9a-f]{32}/.test(text));
  });
});
