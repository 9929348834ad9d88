/**
 * The session of the real dynamic-provider host: one login for everything the host does, logged out when the host
 * is ended the way the engine ends it (connection closed, SIGINT, SIGKILL 5 s later if it still runs) or by
 * SIGTERM, promptly, and the host still exits by that signal. SIGKILL leaves the one session, which the node expires.
 */
import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { urn } from "../../tools/provider-host/host";
import { PAUSE_TYPE } from "../../tools/quickstart";
import { useHostWorld } from "../support/host-world";

const WEB = DEMO_VM_UUIDS["web-1"];

describe("host: the session ends with the host", function () {
  this.timeout(60_000);
  const world = useHostWorld({ simulator: { timings: { pauseMs: 20, resumeMs: 20 } }, closeWith: "SIGKILL" });

  /** Reads web-1 twice through the host: the host logs in once for both. */
  async function readTwice(): Promise<void> {
    const resourceUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
    const props = { __provider: world.texts[PAUSE_TYPE]!, vmUuid: WEB, state: "Running" };
    await world.host.read(WEB, resourceUrn, props, props);
    await world.host.read(WEB, resourceUrn, props, props);
    assert.deepEqual(world.sim.sessions.counts(), { open: 1, logins: 1, logouts: 0, refused: 0 });
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} logs the session out promptly, and the host still exits by ${signal}`, async () => {
      await readTwice();
      const started = Date.now();
      const exit = await world.host.close(signal);
      const took = Date.now() - started;
      assert.deepEqual(exit, { code: null, signal });
      assert.deepEqual(world.sim.sessions.counts(), { open: 0, logins: 1, logouts: 1, refused: 0 });
      assert.ok(took < 2000, `the host took ${took} ms to exit; the engine waits 5 s, then kills it`);
    });
  }

  it("a host that never logged in exits at once and sends nothing", async () => {
    const exit = await world.host.close("SIGINT");
    assert.deepEqual(exit, { code: null, signal: "SIGINT" });
    assert.equal(world.sim.counters.count(), 0);
  });

  it("SIGKILL leaves the one session open, for the node to expire", async () => {
    await readTwice();
    await world.host.close("SIGKILL");
    assert.deepEqual(world.sim.sessions.counts(), { open: 1, logins: 1, logouts: 0, refused: 0 });
  });
});
