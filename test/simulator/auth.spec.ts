// Conformance: login, logout, session validity, sliding expiry and AccessKey signing
// (provider/docs/zstack-behaviour.md#login-and-sessions, #accesskey-signing).

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { manualClock, startSimulator, type ManualClock, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, pollJob, rawCall, runAction, sha512 } from "../support/zstack-raw-http";

const WEB_1 = "aaaa0000000000000000000000000001";
const DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/;
const ID_1001 = {
  code: "ID.1001",
  description: "The session is invalid, either wrong session id or the session has been expired",
  details: "Session expired",
};

describe("simulator: login and sessions", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 20, resumeMs: 20, clockTrackMs: 5 } });
  });
  afterEach(() => sim.close());

  it("logs in with logInByAccount and the SHA-512 hex password: 200 with a SessionInventory", async () => {
    const res = await rawCall(sim.url, "PUT", "/v1/accounts/login", {
      body: { logInByAccount: { accountName: "admin", password: sha512("password") } },
    });
    assert.equal(res.status, 200);
    assert.match(res.contentType, /^application\/json/);
    const { inventory } = json<{ inventory: Record<string, string> }>(res);
    assert.match(inventory["uuid"] ?? "", /^[0-9a-f]{32}$/);
    assert.equal(inventory["accountUuid"], "36c27e8ff05c4780bf6d2fa65700f22e");
    assert.equal(inventory["userUuid"], inventory["accountUuid"]);
    assert.match(inventory["expiredDate"] ?? "", DATE);
    assert.match(inventory["createDate"] ?? "", DATE);
    // expiredDate = createDate + 7200 s by default.
    const lifetime = Date.parse(inventory["expiredDate"] ?? "") - Date.parse(inventory["createDate"] ?? "");
    assert.ok(Math.abs(lifetime - 7200_000) <= 1000, `session lifetime ${lifetime} ms`);
  });

  it("rejects a wrong password or account with 503 ID.1000", async () => {
    for (const [accountName, password] of [
      ["admin", sha512("wrong")],
      ["nobody", sha512("password")],
      ["admin", "password"], // plaintext instead of the hash
    ]) {
      const res = await rawCall(sim.url, "PUT", "/v1/accounts/login", {
        body: { logInByAccount: { accountName, password } },
      });
      assert.equal(res.status, 503);
      assert.deepEqual(json(res), {
        error: {
          code: "ID.1000",
          description: "Unable to authenticate a user",
          details: "wrong account name or password",
        },
      });
    }
  });

  it("answers a login body without logInByAccount with SYS.1007 (empty message fails validation)", async () => {
    const res = await rawCall(sim.url, "PUT", "/v1/accounts/login", { body: { logIn: {} } });
    assert.equal(res.status, 503);
    assert.deepEqual(json(res), {
      error: {
        code: "SYS.1007",
        description: "One or more API argument is invalid",
        details:
          "field[accountName] of message[org.zstack.header.message.ApiMessageParamValidator] is mandatory, can not be null",
      },
    });
  });

  it("validates and logs out sessions: /valid answers true, then false after DELETE (200 {})", async () => {
    const session = await login(sim.url);
    const valid = await rawCall(sim.url, "GET", `/v1/accounts/sessions/${session}/valid`);
    assert.equal(valid.status, 200);
    assert.deepEqual(json(valid), { valid: true });
    const logout = await rawCall(sim.url, "DELETE", `/v1/accounts/sessions/${session}`);
    assert.equal(logout.status, 200);
    assert.deepEqual(json(logout), {});
    assert.deepEqual(json(await rawCall(sim.url, "GET", `/v1/accounts/sessions/${session}/valid`)), {
      valid: false,
    });
    const query = await rawCall(sim.url, "GET", "/v1/vm-instances", { session });
    assert.equal(query.status, 503);
    assert.deepEqual(json(query), { error: ID_1001 });
  });

  it("logout of an unknown session still answers 200 {}", async () => {
    const res = await rawCall(sim.url, "DELETE", `/v1/accounts/sessions/${"0".repeat(32)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), {});
  });

  it("answers ID.1001 with the exact shape on a query with an unknown session (503)", async () => {
    const res = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session: "f".repeat(32) });
    assert.equal(res.status, 503);
    assert.deepEqual(json(res), { error: ID_1001 });
  });

  it("accepts an action with a bad session (202), then the job fails ID.1001", async () => {
    const res = await runAction(sim.url, "f".repeat(32), WEB_1, { pauseVmInstance: {} });
    assert.equal(res.status, 503);
    assert.deepEqual(json(res), { error: ID_1001 });
    assert.equal(sim.vms.get(WEB_1)?.state, "Running");
  });

  it("expires sessions explicitly with expireSessions()", async () => {
    const session = await login(sim.url);
    sim.expireSessions();
    assert.deepEqual(json(await rawCall(sim.url, "GET", `/v1/accounts/sessions/${session}/valid`)), {
      valid: false,
    });
    const res = await rawCall(sim.url, "GET", "/v1/vm-instances", { session });
    assert.deepEqual(json(res), { error: ID_1001 });
  });
});

describe("simulator: sliding session expiry", () => {
  let sim: Simulator;
  // Time moves only when the test says so: a loaded machine cannot stretch a gap past the timeout.
  let clock: ManualClock;
  beforeEach(async () => {
    clock = manualClock();
    sim = await startSimulator({ sessionTimeoutSeconds: 0.3, clock: clock.now });
  });
  afterEach(() => sim.close());

  it("renews the session on every authorized call and expires it after the timeout of inactivity", async () => {
    const session = await login(sim.url);
    // Four calls 150 ms apart: 600 ms in total, twice the timeout, but each renews it.
    for (let i = 0; i < 4; i++) {
      clock.advance(150);
      const res = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
      assert.equal(res.status, 200, `call ${i} after ${(i + 1) * 150} ms`);
    }
    clock.advance(400);
    const expired = await rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
    assert.equal(expired.status, 503);
    assert.deepEqual(json(expired), { error: ID_1001 });
  });

  it("does not renew on /valid, which needs no authorization", async () => {
    const session = await login(sim.url);
    clock.advance(200);
    assert.deepEqual(json(await rawCall(sim.url, "GET", `/v1/accounts/sessions/${session}/valid`)), {
      valid: true,
    });
    clock.advance(200);
    assert.deepEqual(json(await rawCall(sim.url, "GET", `/v1/accounts/sessions/${session}/valid`)), {
      valid: false,
    });
  });
});

describe("simulator: Authorization header checks", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      accessKeys: [{ id: "ak-test", secret: "s3cret" }],
      timings: { pauseMs: 10 },
    });
  });
  after(() => sim.close());

  const sign = (method: string, date: string, uri: string, secret = "s3cret"): string =>
    createHmac("sha1", secret).update(`${method}\n${date}\n${uri}`).digest("base64");

  it("answers a missing Authorization header with 400 plain text", async () => {
    for (const [method, path, body] of [
      ["GET", "/v1/vm-instances", undefined],
      ["PUT", `/v1/vm-instances/${WEB_1}/actions`, { pauseVmInstance: {} }],
      ["GET", `/v1/resource-configurations/${WEB_1}/vm/vm.clock.track`, undefined],
    ] as const) {
      const res = await rawCall(sim.url, method, path, { body });
      assert.equal(res.status, 400, path);
      assert.match(res.contentType, /^text\/plain/);
      assert.equal(res.text, "missing header 'Authorization'");
    }
  });

  it("answers another scheme with 400 plain text", async () => {
    const res = await rawCall(sim.url, "GET", "/v1/vm-instances", {
      headers: { Authorization: "Bearer abc" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.text, "Authorization type must be 'OAuth'");
  });

  it("accepts a correctly signed AccessKey request (query 200, action runs)", async () => {
    const date = new Date().toUTCString();
    const uri = "/v1/vm-instances";
    const res = await rawCall(sim.url, "GET", uri, {
      headers: { Authorization: `ZStack ak-test:${sign("GET", date, uri)}`, Date: date },
    });
    assert.equal(res.status, 200);
    assert.equal(json<{ inventories: unknown[] }>(res).inventories.length, 4);

    const actionUri = `/v1/vm-instances/${WEB_1}/actions`;
    const accepted = await rawCall(sim.url, "PUT", actionUri, {
      body: { pauseVmInstance: {} },
      headers: { Authorization: `ZStack ak-test:${sign("PUT", date, actionUri)}`, Date: date },
    });
    assert.equal(accepted.status, 202);
    assert.equal((await pollJob(json<{ location: string }>(accepted).location)).status, 200);
    assert.equal(sim.vms.get(WEB_1)?.state, "Paused");
    await sim.vms.outOfBand(WEB_1, "resume");
  });

  it("requires the Date header for AccessKey requests (400 plain text)", async () => {
    const res = await rawCall(sim.url, "GET", "/v1/vm-instances", {
      headers: { Authorization: "ZStack ak-test:whatever" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.text, "'Date' must be incuded in request header");
  });

  it("rejects a Date more than 15 minutes off with 403 requestTimeTooSkewed", async () => {
    const date = new Date(Date.now() - 16 * 60 * 1000).toUTCString();
    const res = await rawCall(sim.url, "GET", "/v1/vm-instances", {
      headers: { Authorization: `ZStack ak-test:${sign("GET", date, "/v1/vm-instances")}`, Date: date },
    });
    assert.equal(res.status, 403);
    assert.equal(res.text, "requestTimeTooSkewed");
  });

  // RestServer.checkTime under the default rest.checkTimeZone=false: the header is parsed with
  // `EEE, dd MMM yyyy HH:mm:ss z` and its wall clock compared with the server's, whatever zone it names.
  describe("the Date check (rest.checkTimeZone=false)", () => {
    const savedTz = process.env["TZ"];
    afterEach(() => {
      if (savedTz === undefined) delete process.env["TZ"];
      else process.env["TZ"] = savedTz;
    });
    const pad = (n: number): string => String(n).padStart(2, "0");
    const DAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    // The local wall clock of this process (the simulator's zone) labelled with any zone, as the Java SDK's
    // `ZonedDateTime.now()` formatted with `EEE, dd MMM yyyy HH:mm:ss VV` reads.
    const localDate = (zone: string, d = new Date()): string =>
      `${DAY[d.getDay()]}, ${pad(d.getDate())} ${MON[d.getMonth()]} ${d.getFullYear()} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
    const query = (date: string) =>
      rawCall(sim.url, "GET", "/v1/vm-instances", {
        headers: { Authorization: `ZStack ak-test:${sign("GET", date, "/v1/vm-instances")}`, Date: date },
      });

    it("parses zone ids such as Etc/UTC and Asia/Shanghai, and lower case", async () => {
      for (const date of [
        localDate("Etc/UTC"),
        localDate("Asia/Shanghai"),
        localDate("GMT+08:00"),
        localDate("CST"),
        localDate("Etc/UTC").toLowerCase(),
      ]) {
        const res = await query(date);
        assert.equal(res.status, 200, `${date}: ${res.text}`);
      }
    });

    it("compares the wall clock only: the server's local time passes under any zone label", async () => {
      process.env["TZ"] = "Asia/Shanghai";
      // The right instant in GMT is eight hours off the server's wall clock in Shanghai.
      const gmt = await query(new Date().toUTCString());
      assert.equal(gmt.status, 403);
      assert.equal(gmt.text, "requestTimeTooSkewed");
      // The server's wall clock passes even when it claims to be in another zone.
      assert.equal((await query(localDate("Europe/Paris"))).status, 200);
      assert.equal((await query(localDate("GMT"))).status, 200);
    });

    it("answers a malformed Date with the server's own 400 text", async () => {
      const now = new Date();
      const wrongDay = localDate("GMT", now).replace(/^[A-Za-z]{3}/, DAY[(now.getDay() + 1) % 7] ?? "");
      for (const date of [
        "yesterday",
        now.toISOString(),
        localDate("Mars/Olympus"),
        `${localDate("GMT")}x`, // an unknown zone name
        "Mon, 5 Jan 2026 10:00:00 GMT", // `dd` takes two digits
        wrongDay,
        "Mon, 30 Feb 2026 10:00:00 GMT",
      ]) {
        const res = await query(date);
        assert.equal(res.status, 400, date);
        assert.equal(res.text, "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'");
      }
    });
  });

  it("rejects a credential without exactly one ':' with 400", async () => {
    const res = await rawCall(sim.url, "GET", "/v1/vm-instances", {
      headers: { Authorization: "ZStack ak-test", Date: new Date().toUTCString() },
    });
    assert.equal(res.status, 400);
    assert.equal(res.text, "accessKey format is 'ZStack AccessKeyId:Signature'");
  });

  it("treats a wrong signature or unknown key like a bad session: ID.1001 (503 on queries)", async () => {
    const date = new Date().toUTCString();
    for (const authorization of [
      `ZStack ak-test:${sign("GET", date, "/v1/vm-instances", "wrong-secret")}`,
      `ZStack ak-test:${sign("GET", date, "/zstack/v1/vm-instances")}`, // signed over the wrong uri
      `ZStack ak-unknown:${sign("GET", date, "/v1/vm-instances")}`,
    ]) {
      const res = await rawCall(sim.url, "GET", "/v1/vm-instances", {
        headers: { Authorization: authorization, Date: date },
      });
      assert.equal(res.status, 503);
      assert.deepEqual(json(res), {
        error: { code: "ID.1001", description: ID_1001.description, details: "wrong accessKey signature" },
      });
    }
  });
});
