// Client against the simulator with injected faults: lost submit answers, transient 5xx, JSON 503s,
// slow answers, session expiry between submit and execution, job loss, a dead endpoint.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { ZStackClient } from "pulumi-zstack-vm/zstack";
import { fastRetry, rejection, rig } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const DB1 = DEMO_VM_UUIDS["db-1"];
const soon = (ms = 10_000) => ({ deadline: Date.now() + ms });
/** Lets the client see that this endpoint answers pauseVmInstance with 202 (it keeps jobs): a resume of db-1. */
async function learnAsync(client: ZStackClient): Promise<void> {
  await client.runVmAction(DB1, { name: "resumeVmInstance" }, soon());
  await client.runVmAction(DB1, { name: "pauseVmInstance" }, soon());
}
const HTML_502 =
  "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><hr>nginx</body></html>";

describe("client: lost submit answers (an action is never executed twice)", () => {
  it("reset after accept: polls the job instead of resubmitting; the VM is paused exactly once", async () => {
    const r = await rig({ timings: { pauseMs: 100 } });
    try {
      r.sim.faults.inject({
        on: "actionSubmit",
        action: "pauseVmInstance",
        fault: { kind: "reset", when: "afterAccept" },
      });
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      assert.equal(r.sim.vms.get(WEB1)?.state, "Paused");
      assert.equal(r.sim.counters.acceptedActions(WEB1, "pauseVmInstance"), 1);
      assert.equal(r.sim.counters.executedActions(WEB1, "pauseVmInstance"), 1);
      assert.equal(r.sim.counters.count("actionSubmit"), 1); // never sent again
      assert.equal(r.client.stats.recoveredSubmits, 1);
      assert.equal(r.client.stats.resubmits, 0);
    } finally {
      await r.stop();
    }
  });

  it("reset before accept on an endpoint known to keep jobs: the probe gets 404, so it resubmits with the same X-Job-UUID; executed once", async () => {
    const r = await rig({ timings: { pauseMs: 100 } });
    try {
      await learnAsync(r.client);
      r.sim.log.clear();
      r.sim.counters.reset();
      r.sim.faults.inject({ on: "actionSubmit", fault: { kind: "reset", when: "beforeAccept" } });
      const job = await r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      const vm = await r.client.waitForJob(job, soon());
      assert.equal(vm.state, "Paused");
      const entries = r.sim.log.entries;
      const submits = entries.filter((e) => e.kind === "actionSubmit");
      assert.equal(submits.length, 2);
      assert.equal(submits[0].status, undefined); // reset
      assert.equal(submits[1].status, 202);
      assert.equal(submits[1].jobUuid, job.jobUuid);
      // Between the two submits: one probe of that job uuid, answered 404.
      const between = entries.filter((e) => e.seq > submits[0].seq && e.seq < submits[1].seq);
      assert.deepEqual(
        between.map((e) => [e.kind, e.jobUuid, e.status]),
        [["jobPoll", job.jobUuid, 404]],
      );
      assert.equal(r.sim.counters.acceptedActions(WEB1), 1);
      assert.equal(r.sim.counters.executedActions(WEB1, "pauseVmInstance"), 1);
      assert.equal(r.client.stats.resubmits, 1);
    } finally {
      await r.stop();
    }
  });

  it("a client-side timeout of a slow submit is recovered the same way (same job uuid, executed once)", async () => {
    const r = await rig({ timings: { pauseMs: 100 } }, {}, { requestTimeoutMs: 150 });
    try {
      await learnAsync(r.client);
      r.sim.log.clear();
      r.sim.counters.reset();
      r.sim.faults.inject({ on: "actionSubmit", fault: { kind: "delay", ms: 400 } });
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      // The delayed original reaches the server in its own time: wait until both submits are logged.
      const submitted = () => r.sim.log.entries.filter((e) => e.kind === "actionSubmit");
      await r.sim.log.waitFor(() => submitted().length >= 2);
      const submits = submitted();
      assert.equal(submits.length, 2);
      // The delayed original arrived after the resubmit and was refused as a duplicate (400), or vice versa.
      assert.deepEqual(submits.map((e) => e.status).sort(), [202, 400]);
      assert.equal(r.sim.counters.acceptedActions(WEB1), 1);
      assert.equal(r.sim.counters.executedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });

  it("a transient 5xx page on submit is not retried blindly: probe, then resubmit with the same uuid", async () => {
    const r = await rig({ timings: { pauseMs: 50 } });
    try {
      r.sim.faults.inject({
        on: "actionSubmit",
        fault: { kind: "status", status: 502, body: HTML_502, contentType: "text/html" },
      });
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      const kinds = r.sim.log.entries.filter((e) => e.kind !== "login").map((e) => `${e.kind}:${e.status}`);
      assert.deepEqual(kinds.slice(0, 3), ["actionSubmit:502", "jobPoll:404", "actionSubmit:202"]);
      assert.equal(r.sim.counters.acceptedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });

  it("gives up with the job uuid when the outcome stays unknown", async () => {
    const r = await rig({}, { retry: fastRetry(3) });
    try {
      await learnAsync(r.client);
      r.sim.counters.reset();
      r.sim.faults.inject({
        on: "actionSubmit",
        times: Infinity,
        fault: { kind: "reset", when: "beforeAccept" },
      });
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "CLIENT.TRANSPORT");
      assert.equal(error.fault, "transport");
      assert.match(error.jobUuid ?? "", /^[0-9a-f]{32}$/);
      assert.match(error.message, /may have accepted the action; poll job [0-9a-f]{32}/);
      assert.equal(r.sim.counters.count("actionSubmit"), 3);
      assert.equal(r.sim.counters.acceptedActions(), 0);
    } finally {
      await r.stop();
    }
  });
});

describe("client: submits that never left carry no job uuid", () => {
  it("a submit whose login failed, or whose deadline had passed, reports no job", async () => {
    const r = await rig({}, { retry: fastRetry(2) });
    try {
      r.sim.faults.inject({
        on: "login",
        times: Infinity,
        fault: { kind: "status", status: 502, body: "down" },
      });
      const login = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(login.operation, "login");
      assert.equal(login.code, "HTTP.502");
      assert.equal(login.jobUuid, undefined);
      r.sim.faults.clear();
      const late = await rejection(
        r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, { deadline: Date.now() - 1 }),
      );
      assert.equal(late.code, "CLIENT.TIMEOUT");
      assert.equal(late.jobUuid, undefined);
      assert.equal(r.sim.counters.count("actionSubmit"), 0);
    } finally {
      await r.stop();
    }
  });
});

describe("client: session expiry between submit and execution", () => {
  it("ID.1001 on the poll: re-login and resubmit once with a new job uuid; executed once", async () => {
    const r = await rig({ timings: { pauseMs: 50 } });
    try {
      await r.client.getVm(WEB1); // logged in
      // The submit's session expires just before the server handles it: 202, then the job fails ID.1001.
      r.sim.faults.inject({ on: "actionSubmit", fault: { kind: "expireSession" } });
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      assert.equal(r.client.stats.reLogins, 1);
      assert.equal(r.client.stats.sessionResubmits, 1);
      const jobs = r.sim.jobs.list();
      assert.equal(jobs.length, 2);
      assert.notEqual(jobs[0].uuid, jobs[1].uuid);
      assert.equal(jobs[0].state, "failed");
      assert.equal(jobs[0].error?.code, "ID.1001");
      assert.equal(jobs[1].state, "succeeded");
      assert.equal(r.sim.counters.executedActions(WEB1, "pauseVmInstance"), 1);
    } finally {
      await r.stop();
    }
  });

  it("64 concurrent actions whose session expired cause one re-login", async () => {
    const vms = Array.from({ length: 64 }, (_, i) => ({
      uuid: (i + 1).toString(16).padStart(32, "b"),
      name: `vm-${i}`,
    }));
    const r = await rig({ vms, timings: { pauseMs: 50 } });
    try {
      await r.client.getVm(vms[0].uuid);
      r.sim.expireSessions();
      const results = await Promise.all(
        vms.map((vm) => r.client.runVmAction(vm.uuid, { name: "pauseVmInstance" }, soon())),
      );
      assert.ok(results.every((vm) => vm.state === "Paused"));
      assert.equal(r.client.stats.reLogins, 1);
      assert.equal(r.sim.counters.count("login"), 2);
      assert.equal(r.sim.counters.executedActions(undefined, "pauseVmInstance"), 64);
    } finally {
      await r.stop();
    }
  });
});

describe("client: transient faults on queries, polls and logins", () => {
  it("retries 5xx HTML and plain-text answers on a query", async () => {
    const r = await rig();
    try {
      await r.client.getVm(WEB1);
      r.sim.faults.inject({
        on: "vmQuery",
        fault: { kind: "status", status: 502, body: HTML_502, contentType: "text/html" },
      });
      r.sim.faults.inject({
        on: "vmQuery",
        fault: { kind: "status", status: 503, body: "Service Unavailable" },
      });
      const vm = await r.client.getVm(WEB1);
      assert.equal(vm?.uuid, WEB1);
      assert.equal(r.sim.counters.count("vmQuery"), 4);
      assert.equal(r.client.stats.retries, 2);
    } finally {
      await r.stop();
    }
  });

  it("retries transient answers on job polls", async () => {
    const r = await rig({ timings: { pauseMs: 100 } });
    try {
      r.sim.faults.inject({
        on: "jobPoll",
        times: 3,
        fault: { kind: "status", status: 500, body: "java.lang.NullPointerException" },
      });
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      assert.equal(r.client.stats.retries, 3);
      assert.equal(r.sim.counters.acceptedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });

  it("retries transient answers and resets on login", async () => {
    const r = await rig();
    try {
      r.sim.faults.inject({ on: "login", fault: { kind: "status", status: 504, body: "Gateway Timeout" } });
      r.sim.faults.inject({ on: "login", fault: { kind: "reset", when: "beforeAccept" } });
      assert.equal((await r.client.getVm(WEB1))?.uuid, WEB1);
      assert.equal(r.sim.counters.count("login"), 3);
      assert.equal(r.client.stats.logins, 1);
      assert.equal(r.client.stats.retries, 2);
    } finally {
      await r.stop();
    }
  });

  it("retries a query whose connection was dropped without an answer (as on a connection a restart closed)", async () => {
    const r = await rig();
    try {
      await r.client.getVm(WEB1);
      r.sim.faults.inject({ on: "vmQuery", fault: { kind: "reset", when: "beforeAccept" } });
      assert.equal((await r.client.getVm(WEB1))?.uuid, WEB1);
      assert.equal(r.sim.counters.count("vmQuery"), 3);
      assert.equal(r.client.stats.retries, 1);
      assert.ok(
        r.lines.some((l) => /^zstack GET \S+ error UND_ERR_SOCKET \d+ms \(getVm\)$/.test(l)),
        r.lines.join("\n"),
      );
    } finally {
      await r.stop();
    }
  });

  it("retries a query that timed out (slow answer)", async () => {
    const r = await rig({}, {}, { requestTimeoutMs: 150 });
    try {
      await r.client.getVm(WEB1);
      r.sim.faults.inject({ on: "vmQuery", fault: { kind: "delay", ms: 400 } });
      assert.equal((await r.client.getVm(WEB1))?.uuid, WEB1);
      assert.equal(r.client.stats.retries, 1);
    } finally {
      await r.stop();
    }
  });

  it("does not retry a 503 with a ZStack JSON error: it is an answer, not a transient fault", async () => {
    const r = await rig();
    try {
      await r.client.getVm(WEB1);
      const body = JSON.stringify({
        error: {
          code: "SYS.1000",
          description: "An internal error happened in system",
          details: "database is gone",
        },
      });
      r.sim.faults.inject({ on: "vmQuery", times: 5, fault: { kind: "status", status: 503, body } });
      const error = await rejection(r.client.getVm(WEB1));
      assert.equal(error.code, "SYS.1000");
      assert.equal(error.fault, "api");
      assert.equal(
        error.message,
        `getVm on VM ${WEB1} failed: SYS.1000 An internal error happened in system: database is gone`,
      );
      assert.equal(r.sim.counters.count("vmQuery"), 2);
      assert.equal(r.client.stats.retries, 0);
    } finally {
      await r.stop();
    }
  });

  it("stops retrying after the strategy's attempts, quoting the last answer", async () => {
    const r = await rig({}, { retry: fastRetry(3) });
    try {
      await r.client.getVm(WEB1);
      r.sim.faults.inject({
        on: "vmQuery",
        times: Infinity,
        fault: { kind: "status", status: 502, body: HTML_502, contentType: "text/html" },
      });
      const error = await rejection(r.client.getVm(WEB1));
      assert.equal(
        error.message,
        `getVm on VM ${WEB1} failed: HTTP.502 Bad Gateway: "502 Bad Gateway Bad Gateway nginx"`,
      );
      assert.equal(error.fault, "transport");
      assert.equal(error.retryable, true);
      assert.equal(r.sim.counters.count("vmQuery"), 4);
      assert.equal(r.client.stats.retries, 2);
    } finally {
      await r.stop();
    }
  });

  it("does not sleep past the deadline between retries", async () => {
    // Two short delays, then one that would end after the deadline: the client must give up instead of sleeping
    // (a sleep would outlast the test's own timeout).
    const retry = { nextDelay: (failedAttempts: number) => (failedAttempts < 3 ? 5 : 600_000) };
    const r = await rig({}, { retry });
    try {
      await r.client.getVm(WEB1);
      r.sim.faults.inject({
        on: "vmQuery",
        times: Infinity,
        fault: { kind: "status", status: 503, body: "busy" },
      });
      const deadline = Date.now() + 20_000;
      const error = await rejection(r.client.getVm(WEB1, { deadline }));
      // The last transient answer, at once: not the deadline's timeout after a sleep.
      assert.equal(error.code, "HTTP.503", error.message);
      assert.ok(Date.now() < deadline, "gave up before the deadline");
      assert.equal(r.sim.counters.count("vmQuery"), 1 + 3);
      assert.equal(r.client.stats.retries, 2);
    } finally {
      await r.stop();
    }
  });

  it("reports job loss (404) as CLIENT.JOB_LOST with the job uuid", async () => {
    const r = await rig({ timings: { pauseMs: 300 } });
    try {
      r.sim.faults.inject({ on: "jobPoll", fault: { kind: "loseJob" } });
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "CLIENT.JOB_LOST");
      assert.equal(error.httpStatus, 404);
      assert.match(error.jobUuid ?? "", /^[0-9a-f]{32}$/);
      assert.equal(
        error.message,
        `pauseVmInstance on VM ${WEB1} failed: CLIENT.JOB_LOST Job lost: the server does not know job ${error.jobUuid} ` +
          `(HTTP 404 "the job has been expired"); it expired or the management node restarted, so the action's outcome is unknown: read the VM`,
      );
    } finally {
      await r.stop();
    }
  });

  it("reports a dead endpoint as a transport error after retrying", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const client = new ZStackClient(
      {
        scheme: "http",
        host: "127.0.0.1",
        port,
        contextPath: "zstack",
        credentials: { kind: "account", accountName: "admin", password: "password" },
      },
      { retry: fastRetry(3) },
    );
    try {
      const error = await rejection(client.getVm(WEB1));
      assert.equal(error.code, "CLIENT.TRANSPORT");
      assert.equal(error.operation, "login");
      assert.match(error.message, /ECONNREFUSED/);
      assert.equal(client.stats.requests.login, 3);
      assert.equal(client.stats.retries, 2);
    } finally {
      await client.close();
    }
  });

  it("survives a management-node restart: new session, fresh connections", async () => {
    const r = await rig({ timings: { pauseMs: 50 } });
    try {
      // The restart drops the connection these jobs kept alive. Whether the client sees that before its submit goes
      // out (then on a new connection: ID.1001, a new session, the submit again) or only after (the submit is reset:
      // its job uuid is probed, found unknown, and sent again with a renewed session), the action runs once.
      await learnAsync(r.client);
      r.sim.counters.reset();
      await r.sim.restart();
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      assert.equal(r.client.stats.reLogins, 1);
      assert.equal(r.sim.counters.executedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });
});
