import assert from "node:assert/strict";

import { resolveConnectionSettings } from "pulumi-zstack-vm/runtime";
import { startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

describe("simulator: connection settings for pulumi-zstack-vm", () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ accessKeys: [{ id: "AKIDSIM", secret: "sim-secret" }] });
  });

  after(async () => {
    await sim.close();
  });

  it("gives the zstack:* stack config for the demo account, which the runtime resolves to this endpoint", () => {
    const config = sim.stackConfig();
    assert.deepEqual(Object.keys(config), [
      "zstack:host",
      "zstack:port",
      "zstack:scheme",
      "zstack:contextPath",
      "zstack:accountName",
      "zstack:accountPassword",
    ]);
    const settings = resolveConnectionSettings({ get: (key) => config[key] }, {});
    assert.deepEqual(
      [settings.scheme, settings.host, settings.port, settings.contextPath],
      [sim.endpoint.scheme, sim.endpoint.host, sim.endpoint.port, sim.endpoint.contextPath],
    );
    assert.deepEqual(settings.credentials, { kind: "account", ...sim.credentials });
  });

  it("gives an access-key login when asked", () => {
    const config = sim.stackConfig({ accessKeyId: "AKIDSIM", accessKeySecret: "sim-secret" });
    const settings = resolveConnectionSettings({ get: (key) => config[key] }, {});
    assert.deepEqual(settings.credentials, {
      kind: "accessKey",
      accessKeyId: "AKIDSIM",
      accessKeySecret: "sim-secret",
    });
  });
});
