// Who owns a client, its pool and its session (a provider runtime, one of each), and a sweep for secrets over
// errors and logs.
import assert from "node:assert/strict";
import { controllersFor, ProviderRuntime } from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS, startSimulator } from "pulumi-zstack-vm/simulator";
import {
  hashPassword,
  ZStackClient,
  ZStackError,
  type ClockTrackParams,
  type ConnectionSettings,
} from "pulumi-zstack-vm/zstack";

import { TcpProxy } from "../reliability/support/proxy";
import { fastRetry, MISSING_VM, settingsFor } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const BATCH1 = DEMO_VM_UUIDS["batch-1"];

/** A runtime whose settings are these. */
function runtimeOf(settings: ConnectionSettings): ProviderRuntime {
  return new ProviderRuntime({ settings: () => settings });
}

describe("client: owned by its runtime", () => {
  it("one runtime has one client and one session, shared by its calls; another runtime has its own", async () => {
    const sim = await startSimulator({
      accounts: [
        { name: "admin", password: "password" },
        { name: "ops", password: "ops-pw" },
      ],
    });
    const admin = runtimeOf(settingsFor(sim));
    const ops = runtimeOf(
      settingsFor(sim, { credentials: { kind: "account", accountName: "ops", password: "ops-pw" } }),
    );
    try {
      const a = admin.client();
      assert.equal(admin.client(), a, "made once, then kept");
      await Promise.all([a.getVm(WEB1), admin.client().getVm(WEB1), ops.client().getVm(WEB1)]);
      assert.notEqual(ops.client(), a);
      assert.equal(sim.counters.count("login"), 2, "one session per runtime");
      await admin.close();
      assert.equal(sim.counters.count("logout"), 1, "closing a runtime ends its session");
      assert.ok(a.closed && admin.closed);
      assert.throws(() => admin.client(), /this provider runtime was closed/);
      // The other runtime's client and session are its own: untouched.
      assert.equal((await ops.client().getVm(WEB1))?.uuid, WEB1);
      assert.equal(sim.counters.count("login"), 2);
    } finally {
      await admin.close();
      await ops.close();
      await sim.close();
    }
    assert.equal(sim.counters.count("logout"), 2);
  });

  it("a closed runtime leaves no pool: every connection it opened is closed", async () => {
    const sim = await startSimulator();
    const proxy = await TcpProxy.start(sim.endpoint.port);
    const runtime = runtimeOf({ ...settingsFor(sim), port: proxy.port });
    try {
      const client = runtime.client();
      // Concurrent reads open more than one keep-alive connection.
      await Promise.all([client.getVm(WEB1), client.getVm(WEB1), client.getVm(BATCH1)]);
      assert.ok(proxy.openConnections > 0, "the reads went through the proxy");
      await runtime.close();
      await proxy.whenNoConnections();
      assert.equal(proxy.openConnections, 0);
    } finally {
      await runtime.close();
      await proxy.close();
      await sim.close();
    }
  });

  it("a runtime that only checks and diffs resolves no settings, makes no client and sends nothing", async () => {
    const sim = await startSimulator();
    let resolved = 0;
    const runtime = new ProviderRuntime({
      settings: () => {
        resolved++;
        return settingsFor(sim);
      },
    });
    try {
      const pause = controllersFor(runtime).VmPauseState;
      const checked = await pause.check({}, { vmUuid: WEB1, state: "Paused" });
      assert.deepEqual(checked.failures, []);
      const olds = {
        vmUuid: WEB1,
        state: "Running",
        declaredState: "Paused",
        timeoutSeconds: 600,
        onDelete: "restore",
      };
      assert.equal((await pause.diff(WEB1, olds, checked.inputs!)).changes, true);
      await runtime.close();
      assert.equal(resolved, 0, "settings are resolved only for a call that needs the network");
      assert.equal(sim.counters.count(), 0, "no login at close: no session was opened");
    } finally {
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
