// Pure unit tests of the ZStack client: schemas, signing, backoff, poll schedule, errors, endpoints, redaction.
import assert from "node:assert/strict";
import {
  AdaptivePollSchedule,
  ExponentialBackoffRetry,
  VmInstanceInventorySchema,
  VmNicInventorySchema,
  VolumeInventorySchema,
  VmCdRomInventorySchema,
  UsedIpInventorySchema,
  ZStackError,
  actionBody,
  formatHttpDate,
  hashPassword,
  resolveEndpoint,
  rewriteLocation,
  signRequest,
  type ConnectionSettings,
} from "pulumi-zstack-vm/zstack";
import { parseZStackErrorBody, apiError, httpError, quoteBody } from "../../provider/src/zstack/errors";
import { Redactor } from "../../provider/src/zstack/redact";
import { signedUri } from "../../provider/src/zstack/auth";
import { poolOptions } from "../../provider/src/zstack/pool";
import { isTransientAnswer, wasNotSent } from "../../provider/src/zstack/transport";
import { formatLogLine } from "../../provider/src/zstack/logging";
import { VM_INVENTORY_KEYS } from "../../provider/src/vocabulary/vm-inventory-keys";
import { modelJob } from "./poll-model";

const VM_UUID = "3f2a9c1e5b7d4e6fa1b2c3d4e5f60718";

function vmJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: VM_UUID,
    name: "web-1",
    zoneUuid: "z".repeat(32),
    rootVolumeUuid: "r".repeat(32),
    platform: "Linux",
    type: "UserVm",
    hypervisorType: "KVM",
    memorySize: 8.589934592e9,
    cpuNum: 1.0,
    cpuSpeed: 0,
    allocatorStrategy: "LastHostPreferredAllocatorStrategy",
    createDate: "Nov 14, 2017 10:20:57 PM",
    lastOpDate: "Nov 14, 2017 10:20:57 PM",
    state: "Running",
    vmNics: [
      {
        uuid: "n".repeat(32),
        vmInstanceUuid: VM_UUID,
        l3NetworkUuid: "l".repeat(32),
        ip: "192.168.1.10",
        mac: "00:0c:29:bd:99:fc",
        hypervisorType: "KVM",
        netmask: "255.255.255.0",
        gateway: "192.168.1.1",
        deviceId: 0.0,
        usedIps: [{ uuid: "u".repeat(32), ip: "192.168.1.10", ipVersion: 4.0, ipInLong: 3.232235786e9 }],
        createDate: "Nov 14, 2017 10:20:57 PM",
        lastOpDate: "Nov 14, 2017 10:20:57 PM",
      },
    ],
    allVolumes: [
      {
        uuid: "v".repeat(32),
        name: "Root-Volume",
        primaryStorageUuid: "p".repeat(32),
        vmInstanceUuid: VM_UUID,
        installPath: "/zstack_ps/rootVolumes/x.qcow2",
        type: "Root",
        format: "qcow2",
        size: 1.073741824e11,
        actualSize: "21474836480",
        deviceId: 0,
        state: "Enabled",
        status: "Ready",
        createDate: "Nov 14, 2017 10:20:57 PM",
        lastOpDate: "Nov 14, 2017 10:20:57 PM",
        isShareable: false,
      },
    ],
    ...overrides,
  };
}

describe("client units: inventory schemas", () => {
  it("normalizes floats and numeric strings to integers and keeps dates as strings", () => {
    const vm = VmInstanceInventorySchema.parse(vmJson());
    assert.equal(vm.memorySize, 8589934592);
    assert.equal(vm.cpuNum, 1);
    assert.ok(Number.isInteger(vm.memorySize));
    assert.equal(vm.allVolumes[0].size, 107374182400);
    assert.equal(vm.allVolumes[0].actualSize, 21474836480);
    assert.equal(vm.vmNics[0].deviceId, 0);
    assert.equal(vm.vmNics[0].usedIps[0].ipInLong, 3232235786);
    assert.equal(vm.vmNics[0].usedIps[0].ipVersion, 4);
    assert.equal(vm.createDate, "Nov 14, 2017 10:20:57 PM");
  });

  it("rounds float noise of longs (1.0737418239999999E11 → 107374182400)", () => {
    const vm = VmInstanceInventorySchema.parse(vmJson({ memorySize: JSON.parse("1.0737418239999999E11") }));
    assert.equal(vm.memorySize, 107374182400);
  });

  it("passes unknown fields through at every level", () => {
    const json = vmJson({ internalId: 42, futureField: { a: 1 } });
    (json.vmNics as Record<string, unknown>[])[0].usedIpUuid = "x";
    const vm = VmInstanceInventorySchema.parse(json) as unknown as Record<string, unknown> & {
      vmNics: unknown[];
    };
    assert.equal(vm.internalId, 42);
    assert.deepEqual(vm.futureField, { a: 1 });
    assert.equal((vm.vmNics[0] as Record<string, unknown>).usedIpUuid, "x");
  });

  it("treats omitted and null optional fields as absent, and omitted lists as empty", () => {
    const json = vmJson({ hostUuid: null, description: null });
    delete json.vmNics;
    delete json.cpuSpeed;
    const vm = VmInstanceInventorySchema.parse(json);
    assert.equal(vm.hostUuid, undefined);
    assert.equal(vm.description, undefined);
    assert.equal(vm.cpuSpeed, undefined);
    assert.deepEqual(vm.vmNics, []);
    assert.deepEqual(vm.vmCdRoms, []);
  });

  it("rejects a VM without a required field, naming the path", () => {
    const json = vmJson();
    delete json.state;
    const result = VmInstanceInventorySchema.safeParse(json);
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0].path, ["state"]);
    const bad = VmInstanceInventorySchema.safeParse(vmJson({ memorySize: "lots" }));
    assert.equal(bad.success, false);
  });

  it("declares every field of the documented inventories", () => {
    const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape).sort();
    // The schema and the shared field list are written independently, so each checks the other.
    assert.deepEqual(keys(VmInstanceInventorySchema), [...VM_INVENTORY_KEYS].sort());
    assert.deepEqual(
      keys(VmNicInventorySchema),
      [
        "uuid",
        "vmInstanceUuid",
        "l3NetworkUuid",
        "ip",
        "mac",
        "hypervisorType",
        "netmask",
        "gateway",
        "metaData",
        "ipVersion",
        "driverType",
        "usedIps",
        "internalName",
        "deviceId",
        "type",
        "state",
        "createDate",
        "lastOpDate",
      ].sort(),
    );
    assert.deepEqual(
      keys(UsedIpInventorySchema),
      [
        "uuid",
        "ipRangeUuid",
        "ipVersion",
        "ip",
        "netmask",
        "gateway",
        "usedFor",
        "ipInLong",
        "vmNicUuid",
        "createDate",
        "lastOpDate",
      ].sort(),
    );
    assert.deepEqual(
      keys(VolumeInventorySchema),
      [
        "uuid",
        "name",
        "description",
        "primaryStorageUuid",
        "vmInstanceUuid",
        "diskOfferingUuid",
        "rootImageUuid",
        "installPath",
        "type",
        "format",
        "size",
        "actualSize",
        "deviceId",
        "state",
        "status",
        "createDate",
        "lastOpDate",
        "isShareable",
        "volumeQos",
        "lastDetachDate",
        "lastVmInstanceUuid",
        "lastAttachDate",
        "protocol",
      ].sort(),
    );
    assert.deepEqual(
      keys(VmCdRomInventorySchema),
      [
        "uuid",
        "vmInstanceUuid",
        "deviceId",
        "isoUuid",
        "isoInstallPath",
        "name",
        "description",
        "protocol",
        "createDate",
        "lastOpDate",
      ].sort(),
    );
  });

  it("parses a CD-ROM with float deviceId", () => {
    const cd = VmCdRomInventorySchema.parse({
      uuid: "c".repeat(32),
      vmInstanceUuid: VM_UUID,
      deviceId: 1.0,
      name: "cd",
      createDate: "Jan 6, 2017 3:51:16 AM",
      lastOpDate: "Jan 6, 2017 3:51:16 AM",
    });
    assert.equal(cd.deviceId, 1);
  });
});

describe("client units: auth and signing", () => {
  it("hashes the password as lowercase SHA-512 hex (the ZStack initial admin password)", () => {
    assert.equal(
      hashPassword("password"),
      "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86",
    );
  });

  it("signs METHOD\\nDate\\nuri with HMAC-SHA1 base64, like the Python SDK", () => {
    // Expected value computed with Python: base64(hmac.new(secret, "PUT\n<date>\n/v1/...", sha1)).
    const sig = signRequest(
      "secretKey123",
      "PUT",
      "Tue, 05 Nov 2024 10:00:00 GMT",
      "/v1/vm-instances/abc/actions",
    );
    assert.equal(sig, "OTr6Hi0rk1jU12KXrxiziUI2i24=");
    assert.equal(signedUri("/v1/vm-instances?q=uuid=1"), "/v1/vm-instances");
  });

  it("formats Date as RFC 1123 GMT (EEE, dd MMM yyyy HH:mm:ss z)", () => {
    assert.equal(formatHttpDate(new Date(Date.UTC(2024, 10, 5, 9, 3, 7))), "Tue, 05 Nov 2024 09:03:07 GMT");
  });

  it("builds action bodies with only the set parameters", () => {
    assert.equal(actionBody({ name: "pauseVmInstance" }), '{"pauseVmInstance":{}}');
    assert.equal(actionBody({ name: "resumeVmInstance" }), '{"resumeVmInstance":{}}');
    assert.equal(
      actionBody({ name: "setVmClockTrack", params: { track: "guest" } }),
      '{"setVmClockTrack":{"track":"guest"}}',
    );
    assert.equal(
      actionBody({
        name: "setVmClockTrack",
        params: { track: "host", syncAfterVMResume: false, intervalInSeconds: 0 },
      }),
      '{"setVmClockTrack":{"track":"host","syncAfterVMResume":false,"intervalInSeconds":0}}',
    );
  });
});

describe("client units: retry backoff", () => {
  it("grows exponentially from the base, capped, with equal jitter (never below half the ceiling)", () => {
    const max = new ExponentialBackoffRetry({
      baseMs: 100,
      capMs: 1000,
      maxAttempts: 10,
      random: () => 0.999999,
    });
    const err = new ZStackError({ code: "CLIENT.TRANSPORT", operation: "getVm", fault: "transport" });
    const delays = [1, 2, 3, 4, 5, 6].map((n) => max.nextDelay(n, err));
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
    const half = new ExponentialBackoffRetry({
      baseMs: 100,
      capMs: 1000,
      maxAttempts: 10,
      random: () => 0.5,
    });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => half.nextDelay(n, err)),
      [75, 150, 300, 600, 750],
    );
    const zero = new ExponentialBackoffRetry({ random: () => 0 });
    const least = [1, 2, 3, 4, 5].map((n) => zero.nextDelay(n, err));
    assert.deepEqual(least, [50, 100, 200, 400, undefined]);
    // The defaults' 4 retries span an outage of at least 750 ms whatever the jitter draws.
    assert.equal(
      least.reduce((sum: number, d) => sum + (d ?? 0), 0),
      750,
    );
  });

  it("gives up after maxAttempts attempts", () => {
    const r = new ExponentialBackoffRetry({ maxAttempts: 3, random: () => 0.5 });
    const err = new ZStackError({ code: "CLIENT.TRANSPORT", operation: "getVm", fault: "transport" });
    assert.notEqual(r.nextDelay(1, err), undefined);
    assert.notEqual(r.nextDelay(2, err), undefined);
    assert.equal(r.nextDelay(3, err), undefined);
  });
});

describe("client units: adaptive poll schedule", () => {
  const ctx = { action: "pauseVmInstance", endpointKey: "http://127.0.0.1:1/zstack" };

  it("starts at 50 ms, grows ×1.5 and caps at 2 s when nothing is learned", () => {
    const plan = new AdaptivePollSchedule().plan(ctx);
    const delays = Array.from({ length: 12 }, (_, i) => Math.round(plan.nextDelay(i, 0)));
    assert.deepEqual(delays.slice(0, 5), [50, 75, 113, 169, 253]);
    assert.equal(delays[9], 1922);
    assert.equal(delays[10], 2000);
    assert.equal(delays[11], 2000);
  });

  it("learns per action and endpoint: first poll just before the expected completion, then short growing steps", () => {
    const schedule = new AdaptivePollSchedule();
    for (let i = 0; i < 5; i++) {
      schedule.record(ctx, { lastRunningMs: 980, completedMs: 1020, polls: 3, succeeded: true });
    }
    assert.equal(schedule.expected(ctx), 1000);
    const plan = schedule.plan(ctx);
    assert.equal(Math.round(plan.nextDelay(0, 5)), 915); // 0.92 × 1000 − 5 ms already elapsed
    assert.equal(Math.round(plan.nextDelay(1, 920)), 40); // step = 4 % of the expected time
    assert.equal(Math.round(plan.nextDelay(2, 960)), 60);
    assert.equal(Math.round(plan.nextDelay(20, 99999)), 2000); // capped
    // Other actions and endpoints learn separately.
    assert.equal(schedule.expected({ ...ctx, action: "resumeVmInstance" }), undefined);
    assert.equal(schedule.expected({ ...ctx, endpointKey: "other" }), undefined);
  });

  it("does not cap the first learned poll: a learned 5 s job is first polled at ~4.6 s", () => {
    const schedule = new AdaptivePollSchedule();
    schedule.record(ctx, { lastRunningMs: 4950, completedMs: 5050, polls: 4, succeeded: true });
    const plan = schedule.plan(ctx);
    assert.equal(Math.round(plan.nextDelay(0, 3)), 4597);
    assert.equal(Math.round(plan.nextDelay(1, 4600)), 100); // step capped at 100 ms
  });

  it("does not learn from failed jobs, and learns less when the first poll overshot", () => {
    const schedule = new AdaptivePollSchedule();
    schedule.record(ctx, { lastRunningMs: undefined, completedMs: 3, polls: 1, succeeded: false });
    assert.equal(schedule.expected(ctx), undefined);
    schedule.record(ctx, { lastRunningMs: undefined, completedMs: 1000, polls: 1, succeeded: true });
    assert.equal(schedule.expected(ctx), 850);
  });

  it("uses the median of a bounded window, so one outlier does not move it", () => {
    const schedule = new AdaptivePollSchedule({ window: 5 });
    for (const ms of [200, 200, 200, 200]) {
      schedule.record(ctx, { lastRunningMs: ms - 10, completedMs: ms + 10, polls: 2, succeeded: true });
    }
    schedule.record(ctx, { lastRunningMs: 9990, completedMs: 10010, polls: 9, succeeded: true });
    assert.equal(schedule.expected(ctx), 200);
    for (const ms of [5000, 5000, 5000]) {
      schedule.record(ctx, { lastRunningMs: ms - 10, completedMs: ms + 10, polls: 2, succeeded: true });
    }
    assert.equal(schedule.expected(ctx), 5000); // window of 5: the old samples are gone
  });

  it("converges within a few jobs on a simulated 1 s job and then needs at most 3 polls", () => {
    const schedule = new AdaptivePollSchedule();
    const jobs = Array.from({ length: 12 }, () => modelJob(schedule, ctx, 1000, { roundTripMs: 2 }));
    const pollsPerJob = jobs.map((job) => job.polls);
    const ratios = jobs.map((job) => job.ratio);
    const learned = pollsPerJob.slice(4);
    assert.ok(Math.max(...learned) <= 3, `polls per learned job: ${pollsPerJob.join(",")}`);
    assert.ok(Math.max(...ratios.slice(4)) <= 1.06, `ratios: ${ratios.map((r) => r.toFixed(3)).join(",")}`);
  });
});

describe("client units: errors", () => {
  const body =
    '{"error":{"code":"VM.1012","description":"Unable to suspend a vm","details":"current vm instance state[Stopped] doesn\'t allow to proceed message[org.zstack.header.vm.APIPauseVmInstanceMsg], allowed states are [Running]",' +
    '"cause":{"code":"VM.1010","description":"VM is not in state that allows required operation","details":"current vm instance state[Stopped] doesn\'t allow to proceed message[org.zstack.header.vm.APIPauseVmInstanceMsg], allowed states are [Running]"}}}';

  it("carries its message as its stack, with no frames, and keeps the underlying error's as its cause", () => {
    const underlying = new Error("socket hang up");
    const err = new ZStackError({
      code: "CLIENT.TRANSPORT",
      operation: "getVm",
      fault: "transport",
      cause: underlying,
    });
    // A Pulumi host prints `stack` beside the message of a failed call.
    assert.equal(err.stack, `ZStackError: ${err.message}`);
    assert.equal(
      err.with({ vmUuid: VM_UUID }).stack,
      `ZStackError: ${err.with({ vmUuid: VM_UUID }).message}`,
    );
    assert.match(String((err.cause as Error).stack), /^\s+at /m);
  });

  it("reads a ZStack error with its cause chain and formats the message", () => {
    const parsed = parseZStackErrorBody(body);
    assert.ok(parsed);
    const err = apiError(
      { operation: "pauseVmInstance", vmUuid: VM_UUID, jobUuid: "a".repeat(32) },
      503,
      parsed,
    );
    assert.equal(
      err.message,
      `pauseVmInstance on VM ${VM_UUID} failed: VM.1012 Unable to suspend a vm: current vm instance state[Stopped] ` +
        "doesn't allow to proceed message[org.zstack.header.vm.APIPauseVmInstanceMsg], allowed states are [Running] " +
        "(root cause: VM.1010 VM is not in state that allows required operation)",
    );
    assert.equal(err.code, "VM.1012");
    assert.equal(err.description, "Unable to suspend a vm");
    assert.equal(err.zstackCause?.code, "VM.1010");
    assert.equal(err.httpStatus, 503);
    assert.equal(err.fault, "api");
    assert.equal(err.retryable, false);
    assert.equal(err.operation, "pauseVmInstance");
    assert.equal(err.vmUuid, VM_UUID);
    assert.equal(err.jobUuid, "a".repeat(32));
    assert.ok(ZStackError.isInstance(err));
    assert.ok(err instanceof Error);
    assert.equal(ZStackError.isInstance(new Error("x")), false);
    assert.equal(ZStackError.isInstance({ code: "VM.1012" }), false);
  });

  it("includes the root cause's details when they differ, and reads `causes` lists", () => {
    const parsed = parseZStackErrorBody(
      '{"error":{"code":"VM.1013","description":"Unable to resume a vm","details":"resume failed","causes":[{"code":"HOST.1000","description":"host error","details":"libvirt: domain not found"}]}}',
    );
    assert.ok(parsed);
    const err = apiError({ operation: "resumeVmInstance", vmUuid: VM_UUID }, 503, parsed);
    assert.equal(
      err.message,
      `resumeVmInstance on VM ${VM_UUID} failed: VM.1013 Unable to resume a vm: resume failed ` +
        "(root cause: HOST.1000 host error: libvirt: domain not found)",
    );
  });

  it("quotes plain-text and HTML bodies and marks 5xx pages transient", () => {
    const e400 = httpError(
      { operation: "pauseVmInstance", vmUuid: VM_UUID },
      400,
      "the body doesn't contain action mapping to the URL[/v1/vm-instances/x/actions]",
    );
    assert.equal(
      e400.message,
      `pauseVmInstance on VM ${VM_UUID} failed: HTTP.400 Bad Request: "the body doesn't contain action mapping to the URL[/v1/vm-instances/x/actions]"`,
    );
    assert.equal(e400.fault, "api");
    assert.equal(e400.retryable, false);
    const e502 = httpError(
      { operation: "getVm" },
      502,
      "<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>",
    );
    assert.equal(e502.details, '"502 Bad Gateway"');
    assert.equal(e502.fault, "transport");
    assert.equal(e502.retryable, true);
    assert.equal(quoteBody("x".repeat(600)).length, 503);
  });

  it("tells ZStack error answers from transient pages", () => {
    const answer = (status: number, text: string) => ({ status, headers: {}, text });
    assert.equal(isTransientAnswer(answer(503, '{"error":{"code":"SYS.1003"}}')), false);
    assert.equal(isTransientAnswer(answer(503, "Service Unavailable")), true);
    assert.equal(isTransientAnswer(answer(500, "<html>oops</html>")), true);
    assert.equal(isTransientAnswer(answer(400, "bad")), false);
    assert.equal(isTransientAnswer(answer(200, "{}")), false);
    assert.equal(wasNotSent(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })), true);
    assert.equal(wasNotSent(Object.assign(new Error("reset"), { code: "ECONNRESET" })), false);
    assert.equal(wasNotSent(Object.assign(new Error("closed"), { code: "UND_ERR_SOCKET" })), false);
  });
});

describe("client units: endpoint, location rewrite, pool options, redaction", () => {
  const settings: ConnectionSettings = {
    scheme: "http",
    host: "zstack.example",
    port: 8080,
    contextPath: "/zstack/",
    credentials: { kind: "account", accountName: "admin", password: "hunter2-secret" },
  };

  it("normalizes the endpoint", () => {
    const e = resolveEndpoint(settings);
    assert.equal(e.origin, "http://zstack.example:8080");
    assert.equal(e.basePath, "/zstack");
    assert.equal(resolveEndpoint({ ...settings, host: "::1", contextPath: "" }).origin, "http://[::1]:8080");
    assert.equal(resolveEndpoint({ ...settings, contextPath: "" }).basePath, "");
    assert.throws(() => resolveEndpoint({ ...settings, port: 0 }), /CLIENT\.CONFIG .*port/);
    assert.throws(() => resolveEndpoint({ ...settings, host: "a/b" }), /CLIENT\.CONFIG .*host/);
    assert.throws(() => resolveEndpoint({ ...settings, scheme: "ftp" as "http" }), /scheme/);
  });

  it("rewrites an advertised job location onto the configured endpoint", () => {
    const job = "0123456789abcdef0123456789abcdef";
    assert.equal(rewriteLocation(`http://10.0.0.5:8080/zstack/v1/api-jobs/${job}`), `/v1/api-jobs/${job}`);
    assert.equal(
      rewriteLocation(`https://mn.internal:443/other/v1/api-jobs/${job}?x=1`),
      `/v1/api-jobs/${job}?x=1`,
    );
    assert.equal(rewriteLocation(`/zstack/v1/api-jobs/${job}`), `/v1/api-jobs/${job}`);
    assert.equal(rewriteLocation("http://10.0.0.5:8080/zstack/v1/vm-instances"), undefined);
    assert.equal(rewriteLocation("http://10.0.0.5:8080/zstack/v1/api-jobs/"), undefined);
  });

  it("passes TLS options to the pool: CA bundle, explicit insecure, system store by default", () => {
    const https = (tls?: ConnectionSettings["tls"]) =>
      poolOptions(resolveEndpoint({ ...settings, scheme: "https", ...(tls ? { tls } : {}) }), 8);
    assert.deepEqual(https().connect, {});
    assert.deepEqual(https({ caBundle: "PEM" }).connect, { ca: "PEM" });
    assert.deepEqual(https({ insecure: true }).connect, { rejectUnauthorized: false });
    assert.equal(https().connections, 8);
    // TLS options do not apply to http endpoints.
    assert.deepEqual(poolOptions(resolveEndpoint({ ...settings, tls: { insecure: true } }), 8).connect, {});
  });

  it("scrubs registered secrets and Authorization values", () => {
    const r = new Redactor();
    r.add("hunter2-secret");
    r.add("abc"); // too short to register
    assert.equal(r.scrub("pw=hunter2-secret abc"), "pw=*** abc");
    assert.equal(r.scrub("Authorization: OAuth 0123456789abcdef"), "Authorization: OAuth ***");
    assert.equal(r.scrub("Authorization: ZStack AKID:c2lnbmF0dXJl="), "Authorization: ZStack ***");
  });

  it("formats debug log lines without headers or bodies", () => {
    assert.equal(
      formatLogLine({
        method: "GET",
        path: "/zstack/v1/api-jobs/x",
        status: 202,
        ms: 3.4,
        operation: "pauseVmInstance",
        attempt: 1,
      }),
      "zstack GET /zstack/v1/api-jobs/x 202 3ms (pauseVmInstance)",
    );
    assert.equal(
      formatLogLine({
        method: "PUT",
        path: "/p",
        status: undefined,
        ms: 1,
        operation: "login",
        attempt: 2,
        error: "ECONNRESET",
      }),
      "zstack PUT /p error ECONNRESET 1ms (login attempt 2)",
    );
  });
});
