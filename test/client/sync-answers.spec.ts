// Client against a simulator that answers actions synchronously (200 with the result, or 503 with the error, to
// the submit itself, as the SetVmClockTrack doc page shows): the answer is the outcome, nothing is polled, and a
// lost synchronous answer never leads to a second action.
import assert from "node:assert/strict";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { rejection, rig } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
const BATCH1 = DEMO_VM_UUIDS["batch-1"];
const soon = (ms = 10_000) => ({ deadline: Date.now() + ms });
const SYNC = {
  timings: { pauseMs: 40, clockTrackMs: 5 },
  synchronousActions: ["pauseVmInstance", "setVmClockTrack"],
} as const;

describe("client: synchronous answers to an action submit", () => {
  it("takes a 200 {inventory} as the result, with no poll", async () => {
    const r = await rig(SYNC);
    try {
      const job = await r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(job.result?.state, "Paused");
      assert.equal(job.location, undefined);
      const vm = await r.client.waitForJob(job, soon());
      assert.equal(vm.state, "Paused");
      const clock = await r.client.runVmAction(
        WEB1,
        { name: "setVmClockTrack", params: { track: "guest", intervalInSeconds: 60 } },
        soon(),
      );
      assert.equal(clock.uuid, WEB1);
      assert.equal(r.sim.resourceConfigs.get(WEB1, "vm.clock.sync.interval.in.seconds"), "60");
      assert.equal(r.sim.counters.count("jobPoll"), 0);
      assert.equal(r.client.stats.polls, 0);
      assert.equal(r.client.stats.synchronousAnswers, 2);
    } finally {
      await r.stop();
    }
  });

  it("takes a 503 {error} as the action's failure: VM.1012 with its cause, not retried", async () => {
    const r = await rig(SYNC);
    try {
      const error = await rejection(r.client.runVmAction(BATCH1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "VM.1012");
      assert.equal(error.httpStatus, 503);
      assert.equal(error.zstackCause?.code, "VM.1010");
      assert.equal(error.jobUuid, undefined, "a refused action leaves no job to follow");
      assert.equal(r.sim.counters.count("actionSubmit"), 1);
      assert.equal(r.sim.counters.count("jobPoll"), 0);
    } finally {
      await r.stop();
    }
  });

  it("answers ID.1001 synchronously: the action did not run, so it logs in again and submits once more", async () => {
    const r = await rig(SYNC);
    try {
      await r.client.getVm(WEB1);
      r.sim.expireSessions();
      const vm = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(vm.state, "Paused");
      assert.equal(r.client.stats.reLogins, 1);
      assert.equal(r.sim.counters.executedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });

  it("never sends again after a lost synchronous answer (the server keeps no job, so its 404 proves nothing)", async () => {
    const r = await rig(SYNC);
    try {
      r.sim.faults.inject({ on: "actionSubmit", fault: { kind: "reset", when: "afterAccept" } });
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "CLIENT.JOB_LOST");
      assert.match(error.message, /not sent again: read the VM/);
      assert.equal(r.sim.vms.get(WEB1)?.state, "Paused", "the action ran once, before its answer was lost");
      assert.equal(r.sim.counters.count("actionSubmit"), 1);
      assert.equal(r.sim.counters.executedActions(WEB1), 1);
      assert.equal(r.client.stats.resubmits, 0);
    } finally {
      await r.stop();
    }
  });

  it("once it has seen a synchronous answer, a lost answer behind a 5xx page is not resent either", async () => {
    const r = await rig(SYNC);
    try {
      await r.client.runVmAction(WEB2, { name: "pauseVmInstance" }, soon());
      r.sim.faults.inject({
        on: "actionSubmit",
        fault: { kind: "status", status: 504, body: "Gateway Timeout", contentType: "text/plain" },
      });
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "CLIENT.JOB_LOST");
      assert.equal(r.sim.counters.count("actionSubmit"), 2);
      assert.equal(r.client.stats.resubmits, 0);
    } finally {
      await r.stop();
    }
  });

  it("a client-side timeout of a slow synchronous answer is not resent (the action completes once)", async () => {
    const r = await rig({ ...SYNC, timings: { pauseMs: 300 } }, {}, { requestTimeoutMs: 100 });
    try {
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon()));
      assert.equal(error.code, "CLIENT.JOB_LOST");
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(r.sim.vms.get(WEB1)?.state, "Paused");
      assert.equal(r.sim.counters.count("actionSubmit"), 1);
      assert.equal(r.sim.counters.executedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });
});
