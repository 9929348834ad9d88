// Fault injection: every fault kind, matching by endpoint kind, action and VM, counts and probability.

import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, pollJob, rawCall, submitAction } from "../support/zstack-raw-http";

const WEB_1 = DEMO_VM_UUIDS["web-1"];
const WEB_2 = DEMO_VM_UUIDS["web-2"];

describe("simulator: fault injection", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 20, resumeMs: 20, clockTrackMs: 5 } });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  it("status: answers a transient 5xx with a plain-text or HTML body, once by default", async () => {
    const handle = sim.faults.inject({
      on: "vmQuery",
      fault: { kind: "status", status: 502, body: "Bad Gateway" },
    });
    assert.equal(handle.remaining, 1);
    const first = await rawCall(sim.url, "GET", "/v1/vm-instances", { session });
    assert.equal(first.status, 502);
    assert.match(first.contentType, /^text\/plain/);
    assert.equal(first.text, "Bad Gateway");
    assert.equal(handle.remaining, 0);
    assert.equal(handle.applied, 1);
    assert.equal((await rawCall(sim.url, "GET", "/v1/vm-instances", { session })).status, 200);

    sim.faults.inject({
      on: "jobPoll",
      times: 2,
      fault: {
        kind: "status",
        status: 503,
        body: "<html><body>503 Service Unavailable</body></html>",
        contentType: "text/html",
      },
    });
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const { location } = json<{ location: string }>(accepted);
    for (let i = 0; i < 2; i++) {
      const res = await rawCall(location, "GET", "");
      assert.equal(res.status, 503);
      assert.match(res.contentType, /^text\/html/);
    }
    assert.equal((await pollJob(location)).status, 200);
    assert.equal(sim.log.entries.filter((e) => e.fault === "status").length, 3);
  });

  it("reset beforeAccept: the connection drops and no job is created", async () => {
    sim.faults.inject({
      on: "actionSubmit",
      action: "pauseVmInstance",
      fault: { kind: "reset", when: "beforeAccept" },
    });
    await assert.rejects(submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} }));
    // Logged once the simulator is done with the request: a job it had created would be known by then.
    const logged = await sim.log.waitFor((e) => e.kind === "actionSubmit");
    assert.equal(sim.vms.get(WEB_1)?.state, "Running");
    assert.equal(sim.counters.acceptedActions(WEB_1), 0);
    assert.equal(sim.jobs.list().length, 0);
    assert.equal(logged?.status, undefined);
    assert.equal(logged?.fault, "reset");
  });

  it("reset afterAccept: the job exists and runs, the client just never hears the 202", async () => {
    sim.faults.inject({ on: "actionSubmit", fault: { kind: "reset", when: "afterAccept" } });
    const jobUuid = "0000000000000000000000000000abcd";
    await assert.rejects(
      submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} }, { "X-Job-UUID": jobUuid }),
    );
    const done = await pollJob(`${sim.url}/v1/api-jobs/${jobUuid}`);
    assert.equal(done.status, 200);
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
    assert.equal(sim.counters.acceptedActions(WEB_1, "pauseVmInstance"), 1);
    assert.equal(sim.counters.executedActions(WEB_1, "pauseVmInstance"), 1);
    // Resubmitting the same job uuid is refused, which is why a client must poll instead.
    const again = await submitAction(
      sim.url,
      session,
      WEB_1,
      { pauseVmInstance: {} },
      { "X-Job-UUID": jobUuid },
    );
    assert.equal(again.status, 400);
  });

  it("delay: slows the answer by the given time", async () => {
    sim.faults.inject({ on: "vmQuery", fault: { kind: "delay", ms: 120 } });
    const started = Date.now();
    const res = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 115, `took ${Date.now() - started} ms`);
    const entry = sim.log.entries.at(-1);
    assert.equal(entry?.fault, "delay");
    assert.ok(entry !== undefined && entry.durationMs >= 115);
  });

  it("expireSession: the request's session expires just before it is handled", async () => {
    sim.faults.inject({ on: "actionSubmit", fault: { kind: "expireSession" } });
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    assert.equal(accepted.status, 202);
    const res = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(res.status, 503);
    assert.equal(json<{ error: { code: string } }>(res).error.code, "ID.1001");
    assert.equal(sim.vms.get(WEB_1)?.state, "Running");
    const other = await login(sim.url);
    assert.equal((await rawCall(sim.url, "GET", "/v1/vm-instances", { session: other })).status, 200);
  });

  it("loseJob: the polled job is forgotten, this and later polls get 404", async () => {
    sim.faults.inject({ on: "jobPoll", fault: { kind: "loseJob" } });
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const { location } = json<{ location: string }>(accepted);
    for (let i = 0; i < 2; i++) {
      const res = await rawCall(location, "GET", "");
      assert.equal(res.status, 404);
      assert.equal(res.text, "the job has been expired");
    }
    // The job is forgotten, not cancelled: the action itself still runs to Paused.
    await sim.vms.reaches(WEB_1, "Paused");
    assert.throws(() => sim.faults.inject({ on: "vmQuery", fault: { kind: "loseJob" } }), RangeError);
  });

  it("matches by VM and action, honours times (Infinity too), cancel() and clear()", async () => {
    const onWeb2 = sim.faults.inject({
      on: "vmQuery",
      vmUuid: WEB_2,
      times: Infinity,
      fault: { kind: "status", status: 500, body: "boom" },
    });
    assert.equal((await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session })).status, 200);
    for (let i = 0; i < 3; i++)
      assert.equal((await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_2}`, { session })).status, 500);
    assert.equal(onWeb2.remaining, Infinity);
    onWeb2.cancel();
    assert.equal(onWeb2.remaining, 0);
    assert.equal((await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_2}`, { session })).status, 200);

    sim.faults.inject({
      on: "actionSubmit",
      action: "resumeVmInstance",
      fault: { kind: "status", status: 504, body: "" },
    });
    const pause = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    assert.equal(pause.status, 202, "a fault for resumeVmInstance does not hit a pause");
    sim.faults.clear();
    await pollJob(json<{ location: string }>(pause).location);
    assert.equal((await submitAction(sim.url, session, WEB_1, { resumeVmInstance: {} })).status, 202);
  });

  it("probability: a seeded PRNG applies the fault to about that share of requests, reproducibly", async () => {
    const run = async (): Promise<number[]> => {
      const s = await startSimulator({ randomSeed: 42 });
      const sid = await login(s.url);
      s.faults.inject({
        on: "vmQuery",
        times: Infinity,
        probability: 0.3,
        fault: { kind: "status", status: 503, body: "busy" },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++)
        statuses.push((await rawCall(s.url, "GET", "/v1/vm-instances", { session: sid })).status);
      await s.close();
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 503).length;
    assert.ok(failures > 15 && failures < 45, `${failures} of 100 failed`);
    assert.deepEqual(await run(), first);
  });
});
