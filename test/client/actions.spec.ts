// Client against the simulator: the three actions, their errors, location rewrite, deadline, resumed waits.
import assert from "node:assert/strict";
import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import type { ClockTrackParams } from "pulumi-zstack-vm/zstack";
import { MISSING_VM, rejection, rig } from "./helpers";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const BATCH1 = DEMO_VM_UUIDS["batch-1"]; // Stopped
const soon = (ms = 10_000) => ({ deadline: Date.now() + ms });

describe("client: VM actions", () => {
  it("pauses and resumes a VM, returning the inventory of each result", async () => {
    const r = await rig({ timings: { pauseMs: 100, resumeMs: 100 } });
    try {
      const paused = await r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.equal(paused.uuid, WEB1);
      assert.equal(paused.state, "Paused");
      assert.equal(r.sim.vms.get(WEB1)?.state, "Paused");
      assert.equal((await r.client.getVm(WEB1))?.state, "Paused");
      const running = await r.client.runVmAction(WEB1, { name: "resumeVmInstance" }, soon());
      assert.equal(running.state, "Running");
      assert.ok(running.hostUuid);
      assert.equal(r.sim.counters.acceptedActions(WEB1), 2);
      assert.equal(r.sim.counters.executedActions(WEB1, "pauseVmInstance"), 1);
      assert.equal(r.sim.counters.executedActions(WEB1, "resumeVmInstance"), 1);
      assert.equal(r.client.stats.submits, 2);
      assert.equal(r.client.stats.jobsCompleted, 2);
    } finally {
      await r.stop();
    }
  });

  it("sets the clock track with only the given parameters and reads them back from resource configs", async () => {
    const r = await rig();
    try {
      const read = async () => [
        await r.client.getResourceConfig(BATCH1, "vm", "vm.clock.track"),
        await r.client.getResourceConfig(BATCH1, "vm", "vm.clock.sync.after.vm.resume"),
        await r.client.getResourceConfig(BATCH1, "vm", "vm.clock.sync.interval.in.seconds"),
      ];
      assert.deepEqual(await read(), ["host", "false", "0"]);
      const vm = await r.client.runVmAction(
        BATCH1,
        {
          name: "setVmClockTrack",
          params: { track: "guest", syncAfterVMResume: true, intervalInSeconds: 60 },
        },
        soon(),
      );
      assert.equal(vm.uuid, BATCH1);
      assert.equal(vm.state, "Stopped"); // any state works, the inventory is unchanged
      assert.deepEqual(await read(), ["guest", "true", "60"]);
      await r.client.runVmAction(BATCH1, { name: "setVmClockTrack", params: { track: "host" } }, soon());
      assert.deepEqual(await read(), ["host", "true", "60"]); // unset parameters were not sent
    } finally {
      await r.stop();
    }
  });

  it("reads a resource config with its origin, and deletes the VM's own value (a job) so it inherits again", async () => {
    const r = await rig({ globalConfigs: { "vm.clock.track": "guest" } });
    try {
      const read = () => r.client.readResourceConfig(BATCH1, "vm", "vm.clock.track", soon());
      assert.deepEqual(await read(), { value: "guest", origin: "inherited" });
      await r.client.runVmAction(BATCH1, { name: "setVmClockTrack", params: { track: "host" } }, soon());
      assert.deepEqual(await read(), { value: "host", origin: "own" });

      await r.client.deleteResourceConfig(BATCH1, "vm.clock.track", soon());
      assert.deepEqual(await read(), { value: "guest", origin: "inherited" });
      const deletes = r.sim.log.entries.filter((entry) => entry.method === "DELETE");
      assert.deepEqual(
        deletes.map((entry) => [entry.method, entry.path, entry.status]),
        [["DELETE", `/zstack/v1/resource-configurations/vm/vm.clock.track/${BATCH1}`, 202]],
      );
      assert.ok(r.client.stats.polls >= 1, "the delete's job was polled");

      // A value the VM does not have: the job succeeds and nothing changes.
      await r.client.deleteResourceConfig(BATCH1, "vm.clock.track", soon());
      assert.deepEqual(await read(), { value: "guest", origin: "inherited" });
      r.sim.resourceConfigs.setGlobal("vm.clock.track", "host");
      assert.deepEqual(await read(), { value: "host", origin: "inherited" }, "it follows the global value");
    } finally {
      await r.stop();
    }
  });

  it("reports VM.1012 for pausing a Stopped VM, with the exact message and the cause chain", async () => {
    const r = await rig();
    try {
      const error = await rejection(r.client.runVmAction(BATCH1, { name: "pauseVmInstance" }, soon()));
      const details =
        "current vm instance state[Stopped] doesn't allow to proceed message[org.zstack.header.vm.APIPauseVmInstanceMsg], allowed states are [Running]";
      assert.equal(
        error.message,
        `pauseVmInstance on VM ${BATCH1} failed: VM.1012 Unable to suspend a vm: ${details} ` +
          "(root cause: VM.1010 VM is not in state that allows required operation)",
      );
      assert.equal(error.code, "VM.1012");
      assert.equal(error.description, "Unable to suspend a vm");
      assert.equal(error.details, details);
      assert.equal(error.zstackCause?.code, "VM.1010");
      assert.equal(error.zstackCause?.details, details);
      assert.equal(error.httpStatus, 503);
      assert.equal(error.fault, "api");
      assert.equal(error.retryable, false);
      assert.equal(error.operation, "pauseVmInstance");
      assert.equal(error.vmUuid, BATCH1);
      assert.match(error.jobUuid ?? "", /^[0-9a-f]{32}$/);
      assert.equal(r.sim.vms.get(BATCH1)?.state, "Stopped");
    } finally {
      await r.stop();
    }
  });

  it("reports VM.1013 for resuming a Running VM, and SYS.1003 for a VM that does not exist", async () => {
    const r = await rig();
    try {
      const resume = await rejection(r.client.runVmAction(WEB1, { name: "resumeVmInstance" }, soon()));
      assert.equal(resume.code, "VM.1013");
      assert.match(
        resume.message,
        /^resumeVmInstance on VM \w+ failed: VM\.1013 Unable to resume a vm: current vm instance state\[Running\] .*allowed states are \[Paused\] \(root cause: VM\.1010 /,
      );
      const missing = await rejection(r.client.runVmAction(MISSING_VM, { name: "pauseVmInstance" }, soon()));
      assert.equal(missing.code, "SYS.1003");
      assert.equal(missing.httpStatus, 503);
      assert.match(missing.message, new RegExp(`^pauseVmInstance on VM ${MISSING_VM} failed: SYS\\.1003 `));
      assert.equal(await r.client.getVm(MISSING_VM), undefined);
    } finally {
      await r.stop();
    }
  });

  it("reports SYS.1007 for an invalid clock-track value (validated by the server, on the poll)", async () => {
    const r = await rig();
    try {
      const error = await rejection(
        r.client.runVmAction(
          WEB1,
          { name: "setVmClockTrack", params: { track: "guest", intervalInSeconds: 30 } },
          soon(),
        ),
      );
      assert.equal(error.code, "SYS.1007");
      assert.match(error.message, /intervalInSeconds.*but 30 found/);
      assert.equal(await r.client.getResourceConfig(WEB1, "vm", "vm.clock.track"), "host");
    } finally {
      await r.stop();
    }
  });

  it("turns a plain-text 400 into an error that quotes the body", async () => {
    const r = await rig();
    try {
      const params = { track: "guest", syncAfterVMResume: "yes" } as unknown as ClockTrackParams;
      const error = await rejection(r.client.runVmAction(WEB1, { name: "setVmClockTrack", params }, soon()));
      assert.equal(
        error.message,
        `setVmClockTrack on VM ${WEB1} failed: HTTP.400 Bad Request: ` +
          '"Invalid value for boolean field [syncAfterVMResume], [yes] is not a valid boolean string[true, false]."',
      );
      assert.equal(error.httpStatus, 400);
      assert.equal(error.fault, "api");
      assert.equal(error.jobUuid, undefined); // nothing was accepted
      assert.equal(r.sim.counters.count("actionSubmit"), 1); // not retried
      assert.equal(r.sim.counters.acceptedActions(), 0);
    } finally {
      await r.stop();
    }
  });

  it("rewrites the advertised job location onto the configured endpoint", async () => {
    const r = await rig({ advertisedHost: "10.255.255.1", timings: { pauseMs: 50 } });
    try {
      const job = await r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, soon());
      assert.match(
        job.advertisedLocation ?? "",
        /^http:\/\/10\.255\.255\.1:\d+\/zstack\/v1\/api-jobs\/[0-9a-f]{32}$/,
      );
      assert.equal(job.location, `${r.sim.url}/v1/api-jobs/${job.jobUuid}`);
      const vm = await r.client.waitForJob(job, soon());
      assert.equal(vm.state, "Paused");
      const polls = r.sim.log.entries.filter((e) => e.kind === "jobPoll");
      assert.ok(polls.length >= 1);
      assert.ok(polls.every((e) => e.path === `/zstack/v1/api-jobs/${job.jobUuid}`));
    } finally {
      await r.stop();
    }
  });

  it("uses a caller-chosen job uuid, and treats a uuid the server already holds as accepted", async () => {
    const r = await rig({ timings: { pauseMs: 50 } });
    try {
      const jobUuid = "0123456789abcdef0123456789abcdef";
      const job = await r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, { ...soon(), jobUuid });
      assert.equal(job.jobUuid, jobUuid);
      assert.equal(r.sim.jobs.get(jobUuid)?.action, "pauseVmInstance");
      // Submitting the same uuid again (e.g. a retried program step) does not pause twice.
      const again = await r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, { ...soon(), jobUuid });
      assert.equal(again.jobUuid, jobUuid);
      assert.equal((await r.client.waitForJob(again, soon())).state, "Paused");
      assert.equal(r.sim.counters.acceptedActions(WEB1, "pauseVmInstance"), 1);
      const bad = await rejection(
        r.client.submitVmAction(WEB1, { name: "pauseVmInstance" }, { jobUuid: "nope" }),
      );
      assert.equal(bad.code, "CLIENT.CONFIG");
    } finally {
      await r.stop();
    }
  });

  it("times out at the deadline with the job uuid, never polling past it, and the wait can be resumed", async () => {
    // Times are the client's own (when it sent and when it read each poll), not the simulator's: a busy machine
    // delays the server's receipt and the caller's wake-up, but never makes the client send later than it decided to.
    const polls: { readonly sentAt: number; readonly answeredAt: number }[] = [];
    const r = await rig(
      { timings: { pauseMs: 1500 } },
      {
        logger: (_line, entry) => {
          if (!entry.path.includes("/api-jobs/")) return;
          const answeredAt = Date.now();
          polls.push({ sentAt: answeredAt - entry.ms, answeredAt });
        },
      },
    );
    try {
      const deadline = Date.now() + 400;
      const error = await rejection(r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, { deadline }));
      assert.equal(error.code, "CLIENT.TIMEOUT");
      assert.equal(error.fault, "timeout");
      assert.equal(error.retryable, true);
      assert.equal(error.operation, "pauseVmInstance");
      assert.equal(error.vmUuid, WEB1);
      assert.match(error.jobUuid ?? "", /^[0-9a-f]{32}$/);
      assert.match(
        error.message,
        new RegExp(
          `^pauseVmInstance on VM ${WEB1} failed: CLIENT.TIMEOUT Deadline exceeded: job ${error.jobUuid} still running after \\d+\\.\\d s \\(\\d+ polls\\); poll it again to learn its outcome \\[job ${error.jobUuid}\\]$`,
        ),
      );
      assert.ok(polls.length >= 3, `${polls.length} polls`);
      assert.ok(
        polls.every((poll) => poll.sentAt <= deadline),
        `a poll was sent after the deadline: ${polls.map((poll) => poll.sentAt - deadline).join(", ")} ms`,
      );
      // The schedule's next delay overshot the deadline; the client cut that sleep short for a final poll instead of
      // giving up early.
      assert.ok(
        polls[polls.length - 1].answeredAt >= deadline - 100,
        `the last poll was answered ${deadline - polls[polls.length - 1].answeredAt} ms before the deadline`,
      );
      // Returned at the deadline, not when the job ended.
      assert.equal(r.sim.vms.get(WEB1)?.state, "Pausing");
      // Resume waiting on the same job later (e.g. the next `pulumi up`).
      const vm = await r.client.waitForJob(
        { jobUuid: error.jobUuid ?? "", vmUuid: WEB1, action: "pauseVmInstance" },
        soon(),
      );
      assert.equal(vm.state, "Paused");
      assert.equal(r.sim.counters.acceptedActions(WEB1), 1);
    } finally {
      await r.stop();
    }
  });

  it("aborts a wait on the caller's signal", async () => {
    const r = await rig({ timings: { pauseMs: 1000 } });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const error = await rejection(
        r.client.runVmAction(WEB1, { name: "pauseVmInstance" }, { ...soon(), signal: controller.signal }),
      );
      assert.equal(error.code, "CLIENT.ABORTED");
      assert.match(error.jobUuid ?? "", /^[0-9a-f]{32}$/);
    } finally {
      await r.stop();
    }
  });
});
