// The client's reading of the answers about the node itself, against the simulator through raw HTTP: the version
// (getVersion), a resource config's origin (own or inherited) and the session-limit error (ID.1006).
import assert from "node:assert/strict";
import { startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { ZStackClient } from "pulumi-zstack-vm/zstack";
import { parseResourceConfigReply } from "../../provider/src/zstack/resource-config-origin";
import {
  compareVersions,
  GET_VERSION_REQUEST,
  parseVersion,
  parseVersionReply,
  unsupportedClockTrackFields,
} from "../../provider/src/zstack/server-version";
import { json, login, rawCall } from "../support/zstack-raw-http";
import { fastRetry, rejection, settingsFor } from "./helpers";

const WEB_1 = "aaaa0000000000000000000000000001";

describe("client: answers about the node", () => {
  let sim: Simulator | undefined;
  afterEach(() => sim?.close());

  async function version(zstackVersion: string) {
    sim = await startSimulator({ version: zstackVersion });
    const res = await rawCall(sim.url, GET_VERSION_REQUEST.method, GET_VERSION_REQUEST.path, {
      body: GET_VERSION_REQUEST.body,
    });
    assert.equal(res.status, 200);
    return parseVersionReply(json(res));
  }

  it("parses getVersion into a comparable version", async () => {
    const found = await version("4.4.8");
    assert.equal(found.text, "4.4.8");
    const v4412 = parseVersion("4.4.12");
    assert.ok(v4412 !== undefined);
    assert.ok(compareVersions(found, v4412) < 0);
    assert.equal(compareVersions(v4412, { text: "4.4.12.0", parts: [4, 4, 12, 0] }), 0);
  });

  it("names the setVmClockTrack fields a node lacks, with the version each needs", async () => {
    const all = ["track", "syncAfterVMResume", "intervalInSeconds"] as const;
    assert.deepEqual(unsupportedClockTrackFields(await version("4.4.8"), all), [
      { field: "syncAfterVMResume", since: "4.4.12" },
      { field: "intervalInSeconds", since: "4.4.12" },
    ]);
    await sim?.close();
    assert.deepEqual(unsupportedClockTrackFields(await version("4.0.3"), ["track"]), [
      { field: "track", since: "4.1.0" },
    ]);
    await sim?.close();
    assert.deepEqual(unsupportedClockTrackFields(await version("4.8.0"), all), []);
  });

  it("refuses a getVersion answer without a dotted version", () => {
    assert.throws(() => parseVersionReply({}), /getVersion answered without a "version" string: \{\}/);
    assert.throws(() => parseVersionReply({ version: "latest" }), /"latest", which is not a dotted version/);
  });

  it("tells an own resource config value from an inherited one", async () => {
    sim = await startSimulator({ globalConfigs: { "vm.clock.track": "guest" } });
    const session = await login(sim.url);
    const read = async () =>
      parseResourceConfigReply(
        WEB_1,
        "vm.clock.track",
        json(
          await rawCall(sim!.url, "GET", `/v1/resource-configurations/${WEB_1}/vm/vm.clock.track`, {
            session,
          }),
        ),
      );
    assert.deepEqual(await read(), { value: "guest", origin: "inherited" });
    sim.resourceConfigs.set(WEB_1, "vm.clock.track", "host");
    assert.deepEqual(await read(), { value: "host", origin: "own" });
  });

  it("counts a value bound to another resource (a cluster) as inherited, and refuses a malformed reply", () => {
    const cluster = { resourceUuid: "c".repeat(32), value: "guest" };
    assert.deepEqual(
      parseResourceConfigReply(WEB_1, "vm.clock.track", { value: "guest", effectiveConfigs: [cluster] }),
      {
        value: "guest",
        origin: "inherited",
      },
    );
    assert.throws(
      () => parseResourceConfigReply(WEB_1, "vm.clock.track", { effectiveConfigs: [] }),
      /resource config vm.clock.track of aaaa0000000000000000000000000001 read without a "value" string/,
    );
  });

  it("explains a login refused for the session limit: the limit, the remedies", async () => {
    sim = await startSimulator({ sessionMaxConcurrent: 1 });
    await login(sim.url);
    const client = new ZStackClient(settingsFor(sim), { retry: fastRetry() });
    try {
      const error = await rejection(client.getVm(WEB_1));
      assert.equal(error.code, "ID.1006");
      assert.equal(error.fault, "auth");
      assert.match(error.message, /refused \(ID\.1006\)/);
      assert.match(error.message, /session\.maxConcurrent, 500 by default/);
      assert.match(
        error.message,
        /AccessKey authentication \(zstack:accessKeyId \/ zstack:accessKeySecret\), which opens no session/,
      );
      assert.equal(sim.sessions.counts("admin").refused, 1);
    } finally {
      await client.close();
    }
  });
});
