// Conformance: actions answered synchronously (the `synchronousActions` option). The SetVmClockTrack doc page
// (shared/seeds/) labels the call Synchronous and shows a 200 with the inventory; the server code answers that way
// only for an APISyncCallMessage (RestServer.sendMessage: `bus.call` then `sendReplyResponse`, no AsyncRestVO).

import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, rawCall, submitAction } from "../support/zstack-raw-http";

const WEB_1 = DEMO_VM_UUIDS["web-1"];
const DB_1 = DEMO_VM_UUIDS["db-1"];
const BATCH_1 = DEMO_VM_UUIDS["batch-1"];

describe("simulator: actions answered synchronously", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({
      timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 5 },
      synchronousActions: ["setVmClockTrack", "pauseVmInstance"],
    });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  it("answers setVmClockTrack 200 with the inventory once it has run; nothing to poll", async () => {
    const jobUuid = "c".repeat(32);
    const res = await submitAction(
      sim.url,
      session,
      WEB_1,
      { setVmClockTrack: { track: "guest", syncAfterVMResume: true, intervalInSeconds: 60 } },
      { "X-Job-UUID": jobUuid },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(json<{ inventory: { uuid: string } }>(res).inventory.uuid, WEB_1);
    assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.track"), "guest");
    assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.sync.after.vm.resume"), "true");
    assert.equal(sim.resourceConfigs.get(WEB_1, "vm.clock.sync.interval.in.seconds"), "60");
    // No AsyncRestVO: the job uuid is unknown to the poll, and a resubmission of it is not a duplicate.
    const poll = await rawCall(sim.url, "GET", `/v1/api-jobs/${jobUuid}`);
    assert.equal(poll.status, 404);
    assert.equal(poll.text, "the job has been expired");
    assert.equal(sim.jobs.get(jobUuid), undefined);
    const again = await submitAction(
      sim.url,
      session,
      WEB_1,
      { setVmClockTrack: { track: "host" } },
      {
        "X-Job-UUID": jobUuid,
      },
    );
    assert.equal(again.status, 200);
    assert.equal(sim.counters.acceptedActions(WEB_1, "setVmClockTrack"), 2);
    assert.equal(sim.counters.executedActions(WEB_1, "setVmClockTrack"), 2);
  });

  it("waits out the transitional state: pause answers 200 with the Paused inventory", async () => {
    const res = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal(json<{ inventory: { state: string } }>(res).inventory.state, "Paused");
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
  });

  it("answers a failed action 503 with its error: VM.1012 with its cause, SYS.1007, ID.1001", async () => {
    const stopped = await submitAction(sim.url, session, BATCH_1, { pauseVmInstance: {} });
    assert.equal(stopped.status, 503);
    const error = json<{ error: { code: string; cause?: { code: string } } }>(stopped).error;
    assert.equal(error.code, "VM.1012");
    assert.equal(error.cause?.code, "VM.1010");

    const invalid = await submitAction(sim.url, session, WEB_1, { setVmClockTrack: { track: "moon" } });
    assert.equal(invalid.status, 503);
    assert.equal(json<{ error: { code: string } }>(invalid).error.code, "SYS.1007");

    sim.expireSessions();
    const expired = await submitAction(sim.url, session, DB_1, { setVmClockTrack: { track: "guest" } });
    assert.equal(expired.status, 503);
    assert.equal(json<{ error: { code: string } }>(expired).error.code, "ID.1001");
    assert.equal(sim.counters.executedActions(), 0);
  });

  it("keeps the REST layer's synchronous 400s, and other actions asynchronous", async () => {
    const badType = await submitAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "guest", intervalInSeconds: "often" },
    });
    assert.equal(badType.status, 400);
    const resume = await submitAction(sim.url, session, DB_1, { resumeVmInstance: {} });
    assert.equal(resume.status, 202);
    assert.match(json<{ location: string }>(resume).location, /\/v1\/api-jobs\/[0-9a-f]{32}$/);
  });

  it("executes before a lost answer: a reset after acceptance still changed the VM", async () => {
    sim.faults.inject({
      on: "actionSubmit",
      action: "pauseVmInstance",
      fault: { kind: "reset", when: "afterAccept" },
    });
    await assert.rejects(submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} }));
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
    assert.equal(sim.counters.executedActions(WEB_1, "pauseVmInstance"), 1);
  });
});
