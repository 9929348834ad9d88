// Conformance: PUT /v1/vm-instances/{uuid}/actions, the async job protocol and the VM state machine
// (provider/docs/zstack-behaviour.md: the VM actions, async jobs, VM states, errors).

import assert from "node:assert/strict";
import { DEMO_VM_UUIDS, manualClock, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, pollJob, rawCall, runAction, submitAction } from "../support/zstack-raw-http";

const WEB_1 = DEMO_VM_UUIDS["web-1"];
const WEB_2 = DEMO_VM_UUIDS["web-2"];
const DB_1 = DEMO_VM_UUIDS["db-1"];
const BATCH_1 = DEMO_VM_UUIDS["batch-1"];
const MISSING = "0123456789abcdef0123456789abcdef";
const VALIDATOR = "org.zstack.header.message.ApiMessageParamValidator";

interface ErrorBody {
  readonly error: { code: string; description: string; details?: string; cause?: ErrorBody["error"] };
}

const stateDetails = (state: string, message: string, allowed: string): string =>
  `current vm instance state[${state}] doesn't allow to proceed message[org.zstack.header.vm.${message}], allowed states are [${allowed}]`;

describe("simulator: actions endpoint, synchronous checks", () => {
  let sim: Simulator;
  let session: string;
  before(async () => {
    sim = await startSimulator({ timings: { pauseMs: 20, resumeMs: 20, clockTrackMs: 5 } });
    session = await login(sim.url);
  });
  after(() => sim.close());

  it("answers a body without a known action key with 400 naming the URL", async () => {
    for (const body of [{ pausevminstance: {} }, { setvmclocktrack: { track: "guest" } }, {}, ""]) {
      const res = await submitAction(sim.url, session, WEB_1, body);
      assert.equal(res.status, 400);
      assert.match(res.contentType, /^text\/plain/);
      assert.equal(
        res.text,
        `the body doesn't contain action mapping to the URL[/v1/vm-instances/${WEB_1}/actions]`,
      );
    }
    assert.equal(sim.counters.acceptedActions(WEB_1), 0);
  });

  it("answers JSON type errors with TypeVerifier's exact plain-text 400", async () => {
    const interval = await submitAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "guest", intervalInSeconds: "abc" },
    });
    assert.equal(interval.status, 400);
    assert.equal(interval.text, "[intervalInSeconds] field is excepted an int or long, but was [abc].");
    const fractional = await submitAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "guest", intervalInSeconds: 60.5 },
    });
    assert.equal(fractional.status, 400);
    assert.equal(fractional.text, "[intervalInSeconds] field is excepted an int or long, but was [60.5].");
    const bool = await submitAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "guest", syncAfterVMResume: "yes" },
    });
    assert.equal(bool.status, 400);
    assert.equal(
      bool.text,
      "Invalid value for boolean field [syncAfterVMResume], [yes] is not a valid boolean string[true, false].",
    );
  });

  it("accepts whole-number floats (60.0) and boolean strings, storing them converted", async () => {
    const res = await runAction(sim.url, session, BATCH_1, {
      setVmClockTrack: { track: "guest", intervalInSeconds: 60.0, syncAfterVMResume: "true" },
    });
    assert.equal(res.status, 200);
    assert.equal(sim.resourceConfigs.get(BATCH_1, "vm.clock.sync.interval.in.seconds"), "60");
    assert.equal(sim.resourceConfigs.get(BATCH_1, "vm.clock.sync.after.vm.resume"), "true");
  });

  it("rejects an X-Job-UUID that is not 32 hex characters with 400", async () => {
    for (const jobUuid of ["abc", "3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "z".repeat(32)]) {
      const res = await submitAction(
        sim.url,
        session,
        WEB_1,
        { pauseVmInstance: {} },
        { "X-Job-UUID": jobUuid },
      );
      assert.equal(res.status, 400);
      assert.equal(res.text, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
    }
  });

  it("uses the X-Job-UUID as the job id and rejects a duplicate with 400 Duplicate job uuid", async () => {
    const jobUuid = "1234567890abcdef1234567890abcdef";
    const first = await submitAction(
      sim.url,
      session,
      WEB_2,
      { pauseVmInstance: {} },
      { "X-Job-UUID": jobUuid },
    );
    assert.equal(first.status, 202);
    assert.equal(json<{ location: string }>(first).location, `${sim.url}/v1/api-jobs/${jobUuid}`);
    const again = await submitAction(
      sim.url,
      session,
      WEB_2,
      { pauseVmInstance: {} },
      { "X-Job-UUID": jobUuid },
    );
    assert.equal(again.status, 400);
    assert.equal(again.text, `Duplicate job uuid[${jobUuid}]`);
    assert.equal((await pollJob(`${sim.url}/v1/api-jobs/${jobUuid}`)).status, 200);
    assert.equal(sim.counters.acceptedActions(WEB_2, "pauseVmInstance"), 1);
    await sim.vms.outOfBand(WEB_2, "resume");
  });

  it("answers 202 with location and apiTimeout (ms; X-API-Timeout in seconds sets it)", async () => {
    const res = await submitAction(sim.url, session, MISSING, { pauseVmInstance: {} });
    assert.equal(res.status, 202);
    const body = json<{ location: string; apiTimeout: number }>(res);
    assert.match(body.location, new RegExp(`^${sim.url}/v1/api-jobs/[0-9a-f]{32}$`));
    assert.ok(Number.isInteger(body.apiTimeout) && body.apiTimeout > 0);
    const timed = await submitAction(
      sim.url,
      session,
      MISSING,
      { pauseVmInstance: {} },
      { "X-API-Timeout": "90" },
    );
    assert.equal(json<{ apiTimeout: number }>(timed).apiTimeout, 90_000);
  });

  it("answers malformed JSON with 500 plain text (Gson's exception)", async () => {
    const res = await submitAction(sim.url, session, WEB_1, "{not json");
    assert.equal(res.status, 500);
    assert.match(res.contentType, /^text\/plain/);
    assert.match(res.text, /JsonSyntaxException/);
  });
});

describe("simulator: async jobs", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 40, resumeMs: 40, clockTrackMs: 5 } });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  it("answers 202 {} while running (no Authorization needed), then 200 {inventory}", async () => {
    const hold = sim.vms.hold(WEB_1);
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const { location } = json<{ location: string }>(accepted);
    await hold.held;
    const running = await rawCall(location.replace(/^.*\/zstack/, sim.url), "GET", "");
    hold.release();
    assert.equal(running.status, 202);
    assert.deepEqual(json(running), {});
    const done = await pollJob(location);
    assert.equal(done.status, 200);
    const { inventory } = json<{ inventory: { uuid: string; state: string } }>(done);
    assert.equal(inventory.uuid, WEB_1);
    assert.equal(inventory.state, "Paused");
    // Finished jobs stay pollable.
    assert.equal((await pollJob(location)).status, 200);
  });

  it("answers 404 'the job has been expired' for an unknown job, and 405 for non-GET", async () => {
    const unknown = await rawCall(sim.url, "GET", `/v1/api-jobs/${MISSING}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.text, "the job has been expired");
    for (const method of ["PUT", "DELETE", "POST"] as const) {
      const res = await rawCall(sim.url, method, `/v1/api-jobs/${MISSING}`, { body: {} });
      assert.equal(res.status, 405);
      assert.equal(res.text, "only GET method is allowed for querying job status");
    }
  });

  it("records the server-side job duration (submit to completion) for the benchmark", async () => {
    const jobUuid = "abcdefabcdefabcdefabcdefabcdef01";
    // The client's own span, on the simulator's clock, bounds the job's duration from above.
    const sent = performance.timeOrigin + performance.now();
    await runAction(sim.url, session, WEB_1, { pauseVmInstance: {} }, { "X-Job-UUID": jobUuid });
    const answered = performance.timeOrigin + performance.now();
    const job = sim.jobs.get(jobUuid);
    assert.equal(job?.state, "succeeded");
    assert.equal(job?.action, "pauseVmInstance");
    assert.equal(job?.resourceUuid, WEB_1);
    assert.ok(
      job?.durationMs !== undefined && job.durationMs >= 39 && job.durationMs <= answered - sent,
      `${job?.durationMs} ms, within a client span of ${answered - sent} ms`,
    );
    assert.equal(job.durationMs, job.finishedAt! - job.submittedAt);
    assert.ok(job.startedAt !== undefined && job.startedAt >= job.submittedAt);
    const submit = sim.log.entries.find((e) => e.kind === "actionSubmit" && e.jobUuid === jobUuid);
    assert.equal(submit?.status, 202);
  });

  it("includes the schema map in the result when X-JSON-Schema was sent", async () => {
    const res = await runAction(
      sim.url,
      session,
      WEB_1,
      { pauseVmInstance: {} },
      { "X-JSON-Schema": "true" },
    );
    const { schema } = json<{ schema: Record<string, string> }>(res);
    assert.equal(schema["inventory"], "org.zstack.header.vm.VmInstanceInventory");
    assert.equal(schema["inventory.vmNics[0]"], "org.zstack.header.vm.VmNicInventory");
    assert.equal(schema["inventory.allVolumes[0]"], "org.zstack.header.volume.VolumeInventory");
  });

  it("keeps finished jobs for the retention period, then answers 404", async () => {
    await sim.close();
    // Time moves only when the test says so: a slow poll cannot find the job expired already.
    const clock = manualClock();
    sim = await startSimulator({ jobRetentionSeconds: 0.1, timings: { pauseMs: 5 }, clock: clock.now });
    session = await login(sim.url);
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const { location } = json<{ location: string }>(accepted);
    assert.equal((await pollJob(location)).status, 200);
    clock.advance(100);
    assert.equal((await pollJob(location)).status, 200, "kept for the whole retention period");
    clock.advance(1);
    const expired = await pollJob(location);
    assert.equal(expired.status, 404);
    assert.equal(expired.text, "the job has been expired");
  });
});

describe("simulator: job failures in interceptor order", () => {
  let sim: Simulator;
  let session: string;
  before(async () => {
    sim = await startSimulator({ timings: { pauseMs: 20, resumeMs: 20, clockTrackMs: 5 } });
    session = await login(sim.url);
  });
  after(() => sim.close());

  const sys1007 = (details: string): ErrorBody => ({
    error: { code: "SYS.1007", description: "One or more API argument is invalid", details },
  });

  it("fails a missing track with SYS.1007 'is mandatory'", async () => {
    const res = await runAction(sim.url, session, WEB_1, { setVmClockTrack: {} });
    assert.equal(res.status, 503);
    assert.deepEqual(
      json(res),
      sys1007(`field[track] of message[${VALIDATOR}] is mandatory, can not be null`),
    );
  });

  it("fails a wrong-case track with SYS.1007 valid values", async () => {
    const res = await runAction(sim.url, session, WEB_1, { setVmClockTrack: { track: "Guest" } });
    assert.deepEqual(
      json(res),
      sys1007(`valid value for field[track] of message[${VALIDATOR}] are [guest, host], but Guest found`),
    );
  });

  it("fails an interval outside the valid values with SYS.1007", async () => {
    const res = await runAction(sim.url, session, WEB_1, {
      setVmClockTrack: { track: "guest", intervalInSeconds: 30 },
    });
    assert.deepEqual(
      json(res),
      sys1007(
        `valid value for field[intervalInSeconds] of message[${VALIDATOR}] are ` +
          "[0, 60, 600, 1800, 3600, 7200, 21600, 43200, 86400], but 30 found",
      ),
    );
  });

  it("fails an empty (after trimming) track with SYS.1007 'cannot be an empty string'", async () => {
    const res = await runAction(sim.url, session, WEB_1, { setVmClockTrack: { track: "  " } });
    assert.deepEqual(json(res), sys1007("field[track] cannot be an empty string"));
  });

  it("fails an unknown VM with SYS.1003 (202 then 503, not 404)", async () => {
    const accepted = await submitAction(sim.url, session, MISSING, { resumeVmInstance: {} });
    assert.equal(accepted.status, 202);
    const res = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(res.status, 503);
    assert.deepEqual(json(res), {
      error: {
        code: "SYS.1003",
        description: "A resource can not be found",
        details: `invalid field[uuid], resource[uuid:${MISSING}, type:VmInstanceVO] not found`,
      },
    });
  });

  it("checks parameters, then existence, before the session (SYS.1007 < SYS.1003 < ID.1001)", async () => {
    const bad = "e".repeat(32);
    const both = await runAction(sim.url, bad, MISSING, { setVmClockTrack: { track: "x" } });
    assert.equal(json<ErrorBody>(both).error.code, "SYS.1007");
    const missingAndBadSession = await runAction(sim.url, bad, MISSING, { pauseVmInstance: {} });
    assert.equal(json<ErrorBody>(missingAndBadSession).error.code, "SYS.1003");
    const badSession = await runAction(sim.url, bad, WEB_1, { pauseVmInstance: {} });
    assert.equal(json<ErrorBody>(badSession).error.code, "ID.1001");
  });
});

describe("simulator: VM state machine", () => {
  let sim: Simulator;
  let session: string;
  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 40, resumeMs: 40, clockTrackMs: 5 } });
    session = await login(sim.url);
  });
  afterEach(() => sim.close());

  it("pauses Running → Pausing → Paused, then resumes Paused → Resuming → Running", async () => {
    const before = sim.vms.get(WEB_1);
    assert.ok(before?.hostUuid !== undefined);
    const pausing = sim.vms.hold(WEB_1);
    const accepted = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    assert.equal((await pausing.held).state, "Pausing");
    assert.equal(sim.vms.get(WEB_1)?.state, "Pausing");
    pausing.release();
    const paused = await pollJob(json<{ location: string }>(accepted).location);
    assert.equal(json<{ inventory: { state: string } }>(paused).inventory.state, "Paused");
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
    assert.equal(sim.vms.get(WEB_1)?.hostUuid, before.hostUuid);

    const resuming = sim.vms.hold(WEB_1);
    const resumeAccepted = await submitAction(sim.url, session, WEB_1, { resumeVmInstance: null });
    assert.equal((await resuming.held).state, "Resuming");
    resuming.release();
    const resumed = await pollJob(json<{ location: string }>(resumeAccepted).location);
    assert.equal(json<{ inventory: { state: string } }>(resumed).inventory.state, "Running");
  });

  it("fails pause on a Paused VM with VM.1012 wrapping VM.1010, exactly", async () => {
    const res = await runAction(sim.url, session, DB_1, { pauseVmInstance: {} });
    assert.equal(res.status, 503);
    const details = stateDetails("Paused", "APIPauseVmInstanceMsg", "Running");
    assert.deepEqual(json(res), {
      error: {
        code: "VM.1012",
        description: "Unable to suspend a vm",
        details,
        cause: { code: "VM.1010", description: "VM is not in state that allows required operation", details },
      },
    });
    assert.equal(sim.vms.get(DB_1)?.state, "Paused");
  });

  it("fails pause on a Stopped VM and resume on Running or Stopped VMs (VM.1013)", async () => {
    const pauseStopped = json<ErrorBody>(await runAction(sim.url, session, BATCH_1, { pauseVmInstance: {} }));
    assert.equal(pauseStopped.error.details, stateDetails("Stopped", "APIPauseVmInstanceMsg", "Running"));
    for (const [vm, state] of [
      [WEB_1, "Running"],
      [BATCH_1, "Stopped"],
    ] as const) {
      const details = stateDetails(state, "APIResumeVmInstanceMsg", "Paused");
      assert.deepEqual(json(await runAction(sim.url, session, vm, { resumeVmInstance: {} })), {
        error: {
          code: "VM.1013",
          description: "Unable to resume a vm",
          details,
          cause: {
            code: "VM.1010",
            description: "VM is not in state that allows required operation",
            details,
          },
        },
      });
    }
  });

  it("refreshes lastOpDate on state changes and keeps hostUuid only on a host", async () => {
    const stopped = sim.vms.get(BATCH_1);
    assert.equal(stopped?.hostUuid, undefined);
    assert.ok(stopped?.lastHostUuid !== undefined);
    const old = sim.vms.setState(WEB_2, "Running");
    assert.match(old.lastOpDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    const stoppedWeb = sim.vms.setState(WEB_2, "Stopped");
    assert.equal(stoppedWeb.hostUuid, undefined);
    assert.equal(stoppedWeb.lastHostUuid, old.hostUuid);
    const raw = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_2}`, { session });
    assert.ok(!raw.text.includes('"hostUuid"'), "a stopped VM has no hostUuid on the wire");
  });

  it("serializes pause and resume per VM: the second waits for the first and sees its outcome", async () => {
    const pause = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const resume = await submitAction(sim.url, session, WEB_1, { resumeVmInstance: {} });
    const pauseAgain = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const [p, r, p2] = await Promise.all(
      [pause, resume, pauseAgain].map((a) => pollJob(json<{ location: string }>(a).location)),
    );
    assert.deepEqual([p?.status, r?.status, p2?.status], [200, 200, 200]);
    const ids = [pause, resume, pauseAgain].map(
      (a) => json<{ location: string }>(a).location.split("/").pop() ?? "",
    );
    const [j1, j2, j3] = ids.map((id) => sim.jobs.get(id));
    assert.ok(j1?.finishedAt !== undefined && j2?.startedAt !== undefined && j2.startedAt >= j1.finishedAt);
    assert.ok(j2.finishedAt !== undefined && j3?.startedAt !== undefined && j3.startedAt >= j2.finishedAt);
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
    assert.equal(sim.counters.executedActions(WEB_1), 3);
  });

  it("runs different VMs in parallel", async () => {
    // Each pause is held in Pausing until both are: on one chain, the second could not start before the first ended.
    const holds = [WEB_1, WEB_2].map((vm) => sim.vms.hold(vm));
    const accepted = await Promise.all(
      [WEB_1, WEB_2].map((vm) => submitAction(sim.url, session, vm, { pauseVmInstance: {} })),
    );
    await Promise.all(holds.map((h) => h.held));
    assert.deepEqual(
      [WEB_1, WEB_2].map((vm) => sim.vms.get(vm)?.state),
      ["Pausing", "Pausing"],
    );
    for (const h of holds) h.release();
    const done = await Promise.all(accepted.map((a) => pollJob(json<{ location: string }>(a).location)));
    assert.deepEqual(
      done.map((d) => d.status),
      [200, 200],
    );
  });

  it("setVmClockTrack works in any state, returns the unchanged inventory and stores the settings", async () => {
    for (const vm of [WEB_1, DB_1, BATCH_1]) {
      const before = sim.vms.get(vm);
      const res = await runAction(sim.url, session, vm, { setVmClockTrack: { track: "guest" } });
      assert.equal(res.status, 200);
      assert.deepEqual(json<{ inventory: unknown }>(res).inventory, before);
      assert.equal(sim.resourceConfigs.get(vm, "vm.clock.track"), "guest");
      // Only the track is stored when the sync settings are not given.
      assert.equal(sim.resourceConfigs.get(vm, "vm.clock.sync.after.vm.resume"), "false");
    }
    sim.vms.setState(WEB_2, "Destroyed");
    const destroyed = await runAction(sim.url, session, WEB_2, {
      setVmClockTrack: { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 },
    });
    assert.equal(destroyed.status, 200);
    assert.equal(sim.resourceConfigs.get(WEB_2, "vm.clock.sync.interval.in.seconds"), "0");
    assert.equal(sim.resourceConfigs.get(WEB_2, "vm.clock.track"), "host");
  });

  it("runs setVmClockTrack on its own chain, not behind a pause of the same VM", async () => {
    const pause = await submitAction(sim.url, session, WEB_1, { pauseVmInstance: {} });
    const clock = await submitAction(sim.url, session, WEB_1, { setVmClockTrack: { track: "guest" } });
    const clockDone = await pollJob(json<{ location: string }>(clock).location);
    assert.equal(json<{ inventory: { state: string } }>(clockDone).inventory.state, "Pausing");
    await pollJob(json<{ location: string }>(pause).location);
  });
});
