// Conformance: sessions as a bounded server resource, session.maxConcurrent (ID.1006), session.timeout and
// enable.unique.session (provider/docs/zstack-behaviour.md#login-and-sessions).

import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { json, login, rawCall, sha512, sleep } from "../support/zstack-raw-http";

const WEB_1 = "aaaa0000000000000000000000000001";
const LIMIT_HIT = {
  code: "ID.1006",
  description: "Max concurrent sessions exceeded",
  details: "Login sessions hit limit of max allowed concurrent login sessions",
};

function loginCall(sim: Simulator, accountName = "admin", password = "password") {
  return rawCall(sim.url, "PUT", "/v1/accounts/login", {
    body: { logInByAccount: { accountName, password: sha512(password) } },
  });
}

function logout(sim: Simulator, session: string) {
  return rawCall(sim.url, "DELETE", `/v1/accounts/sessions/${session}`, { session });
}

function queryVm(sim: Simulator, session: string) {
  return rawCall(sim.url, "GET", `/v1/vm-instances/${WEB_1}`, { session });
}

describe("simulator: session limits", () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  it("refuses the login past session.maxConcurrent with 503 ID.1006, and counts it", async () => {
    sim = await startSimulator({ sessionMaxConcurrent: 3 });
    for (let i = 0; i < 3; i++) await login(sim.url);
    const refused = await loginCall(sim);
    assert.equal(refused.status, 503);
    assert.deepEqual(json(refused), { error: LIMIT_HIT });
    assert.deepEqual(sim.sessions.counts("admin"), { open: 3, logins: 3, logouts: 0, refused: 1 });
  });

  it("a logout frees a place: the session ends (ID.1001 after it) and the next login succeeds", async () => {
    sim = await startSimulator({ sessionMaxConcurrent: 2 });
    const first = await login(sim.url);
    await login(sim.url);
    const out = await logout(sim, first);
    assert.equal(out.status, 200);
    assert.deepEqual(json(out), {});
    assert.equal((await queryVm(sim, first)).status, 503);
    assert.equal((await loginCall(sim)).status, 200);
    assert.deepEqual(sim.sessions.counts(), { open: 2, logins: 3, logouts: 1, refused: 0 });
  });

  it("counts sessions per account: another account's sessions do not use up the limit", async () => {
    sim = await startSimulator({
      sessionMaxConcurrent: 1,
      accounts: [
        { name: "admin", password: "password" },
        { name: "ci", password: "ci-secret" },
      ],
    });
    await login(sim.url);
    assert.equal((await loginCall(sim, "ci", "ci-secret")).status, 200);
    assert.equal((await loginCall(sim)).status, 503);
    assert.equal(sim.sessions.counts("ci").open, 1);
    assert.equal(sim.sessions.counts("admin").open, 1);
    assert.equal(sim.sessions.counts().open, 2);
  });

  it("counts an expired session until the sweep deletes it (session.cleanup.interval)", async () => {
    sim = await startSimulator({
      sessionMaxConcurrent: 1,
      sessionTimeoutSeconds: 0.1,
      sessionCleanupIntervalSeconds: 0.4,
    });
    const expired = await login(sim.url);
    await sleep(150);
    assert.equal((await queryVm(sim, expired)).status, 503);
    // Expired but not yet swept: it still holds the account's only place.
    assert.equal((await loginCall(sim)).status, 503);
    assert.equal(sim.sessions.counts("admin").open, 1);
    await sleep(300);
    assert.equal(sim.sessions.counts("admin").open, 0);
    assert.equal((await loginCall(sim)).status, 200);
  });

  it("a session in use slides (session.timeout) and is never swept", async () => {
    sim = await startSimulator({
      sessionMaxConcurrent: 2,
      sessionTimeoutSeconds: 0.3,
      sessionCleanupIntervalSeconds: 0.1,
    });
    const kept = await login(sim.url);
    await login(sim.url);
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      assert.equal((await queryVm(sim, kept)).status, 200);
    }
    // The second session, unused for 450 ms, has expired and been swept; the first was renewed by every call.
    assert.equal(sim.sessions.counts("admin").open, 1);
    assert.equal((await loginCall(sim)).status, 200);
    assert.equal((await loginCall(sim)).status, 503);
  });

  it("enable.unique.session: a login ends the account's other sessions", async () => {
    sim = await startSimulator({ sessionMaxConcurrent: 1, uniqueSession: true });
    const operator = await login(sim.url);
    const ci = await login(sim.url);
    assert.equal((await queryVm(sim, ci)).status, 200);
    const ended = await queryVm(sim, operator);
    assert.equal(ended.status, 503);
    assert.equal(json<{ error: { code: string } }>(ended).error.code, "ID.1001");
    assert.deepEqual(sim.sessions.counts("admin"), { open: 1, logins: 2, logouts: 0, refused: 0 });
  });

  it("defaults to 500 sessions per account and no unique sessions", async () => {
    sim = await startSimulator();
    const sessions = await Promise.all(Array.from({ length: 500 }, () => login(sim!.url)));
    assert.equal(new Set(sessions).size, 500);
    assert.equal((await loginCall(sim)).status, 503);
    assert.equal((await queryVm(sim, sessions[0] ?? "")).status, 200);
  });
});
