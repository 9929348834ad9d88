// Client against the simulator: login, session sharing, re-login on ID.1001, logout, AccessKey signing.
import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, startSimulator } from "pulumi-zstack-vm/simulator";
import { hashPassword, ZStackClient } from "pulumi-zstack-vm/zstack";
import { fastRetry, rejection, rig, settingsFor } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];

describe("client: login and sessions", () => {
  it("logs in once for 64 concurrent first calls and reuses the session", async () => {
    const r = await rig();
    try {
      const vms = await Promise.all(
        Array.from({ length: 64 }, (_, i) => r.client.getVm(i % 2 ? WEB1 : WEB2)),
      );
      assert.equal(vms.length, 64);
      assert.ok(vms.every((vm) => vm !== undefined && vm.state === "Running"));
      assert.equal(vms[1]?.uuid, WEB1);
      assert.equal(r.sim.counters.count("login"), 1);
      assert.equal(r.client.stats.logins, 1);
      assert.equal(r.client.stats.reLogins, 0);
      assert.equal(r.sim.counters.count("vmQuery"), 64);
      assert.equal(r.client.stats.requests.vmQuery, 64);
      // Later calls reuse the session too.
      await r.client.getResourceConfig(WEB1, "vm", "vm.clock.track");
      assert.equal(r.sim.counters.count("login"), 1);
    } finally {
      await r.stop();
    }
  });

  it("re-logs in exactly once when 64 concurrent callers hit an expired session (ID.1001)", async () => {
    const r = await rig();
    try {
      await r.client.getVm(WEB1);
      r.sim.expireSessions();
      const vms = await Promise.all(Array.from({ length: 64 }, () => r.client.getVm(WEB1)));
      assert.ok(vms.every((vm) => vm?.uuid === WEB1));
      assert.equal(r.client.stats.reLogins, 1);
      assert.equal(r.client.stats.logins, 2);
      assert.equal(r.sim.counters.count("login"), 2);
      // Each caller retried its query once: 1 + 64 failed + 64 retried.
      assert.equal(r.sim.counters.count("vmQuery"), 129);
    } finally {
      await r.stop();
    }
  });

  it("re-logs in on ID.1001 for resource-config reads too", async () => {
    const r = await rig({ sessionTimeoutSeconds: 7200 });
    try {
      assert.equal(await r.client.getResourceConfig(WEB1, "vm", "vm.clock.track"), "host");
      r.sim.expireSessions();
      assert.equal(await r.client.getResourceConfig(WEB1, "vm", "vm.clock.sync.interval.in.seconds"), "0");
      assert.equal(r.client.stats.reLogins, 1);
    } finally {
      await r.stop();
    }
  });

  it("fails a wrong password with a typed auth error that never quotes the password", async () => {
    const sim = await startSimulator();
    const password = "wrong-Pa55word!";
    const lines: string[] = [];
    const client = new ZStackClient(
      settingsFor(sim, { credentials: { kind: "account", accountName: "admin", password } }),
      { retry: fastRetry(), logger: (line) => lines.push(line) },
    );
    try {
      const error = await rejection(client.getVm(WEB1));
      assert.equal(error.code, "ID.1000");
      assert.equal(error.fault, "auth");
      assert.equal(error.operation, "login");
      assert.equal(error.httpStatus, 503);
      assert.equal(error.retryable, false);
      assert.match(error.message, /^login failed: ID\.1000 Unable to authenticate a user/);
      const everything = JSON.stringify({
        message: error.message,
        json: error.toJSON(),
        lines,
        stack: error.stack,
      });
      assert.ok(!everything.includes(password));
      assert.ok(!everything.includes(hashPassword(password)));
      assert.equal(sim.counters.count("login"), 1); // a 503 JSON error is not retried
      assert.equal(sim.counters.count("vmQuery"), 0);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it("logs out on close, and refuses calls afterwards", async () => {
    const r = await rig();
    await r.client.getVm(WEB1);
    await r.client.close();
    assert.equal(r.sim.counters.count("logout"), 1);
    const logout = r.sim.log.entries.find((e) => e.kind === "logout");
    assert.equal(logout?.status, 200);
    const error = await rejection(r.client.getVm(WEB1));
    assert.equal(error.code, "CLIENT.CLOSED");
    await r.client.close(); // idempotent
    assert.equal(r.sim.counters.count("logout"), 1);
    // The logout path carries the session id: the debug log shows it scrubbed.
    const logoutLine = r.lines.find((l) => l.includes("DELETE"));
    assert.ok(logoutLine);
    assert.match(logoutLine, /^zstack DELETE \/zstack\/v1\/accounts\/sessions\/\*\*\* 200 \d+ms \(logout\)$/);
    await r.sim.close();
  });
});

describe("client: AccessKey signing", () => {
  const accessKey = { id: "AKID0123456789abcdef", secret: "s3cr3t-AccessKey-Secret-value" };

  it("signs queries and actions; the simulator accepts them without any login", async () => {
    const sim = await startSimulator({ accessKeys: [accessKey], timings: { pauseMs: 50, resumeMs: 50 } });
    const client = new ZStackClient(
      settingsFor(sim, {
        credentials: { kind: "accessKey", accessKeyId: accessKey.id, accessKeySecret: accessKey.secret },
      }),
      { retry: fastRetry() },
    );
    try {
      assert.equal((await client.getVm(WEB1))?.state, "Running");
      assert.equal(await client.getResourceConfig(WEB1, "vm", "vm.clock.track"), "host");
      const paused = await client.runVmAction(
        WEB1,
        { name: "pauseVmInstance" },
        { deadline: Date.now() + 10_000 },
      );
      assert.equal(paused.state, "Paused");
      assert.equal(sim.vms.get(WEB1)?.state, "Paused");
      assert.equal(sim.counters.count("login"), 0);
      assert.equal(client.stats.logins, 0);
      await client.close();
      assert.equal(sim.counters.count("logout"), 0);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it("reports a wrong secret as a typed auth error (no re-login possible) without quoting the secret", async () => {
    const sim = await startSimulator({ accessKeys: [accessKey] });
    const wrong = "not-the-Right-secret-at-all";
    const lines: string[] = [];
    const client = new ZStackClient(
      settingsFor(sim, {
        credentials: { kind: "accessKey", accessKeyId: accessKey.id, accessKeySecret: wrong },
      }),
      { retry: fastRetry(), logger: (line) => lines.push(line) },
    );
    try {
      const error = await rejection(client.getVm(WEB1));
      assert.equal(error.code, "ID.1001");
      assert.equal(error.fault, "auth");
      assert.equal(error.operation, "getVm");
      assert.equal(error.vmUuid, WEB1);
      assert.match(error.message, /wrong accessKey signature/);
      assert.equal(sim.counters.count("vmQuery"), 1);
      const everything = JSON.stringify({ m: error.message, j: error.toJSON(), lines, s: error.stack });
      assert.ok(!everything.includes(wrong));
      assert.ok(!everything.includes(accessKey.secret));
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
