/**
 * TLS through the provider: the simulator serves HTTPS with a server certificate signed by a CA made for this test
 * (openssl, in a temp dir); the runtime reaches it with `zstack:scheme=https` and trusts it through `zstack:caBundle`
 * given as PEM text or as a file path, refuses it by default with an error that says which setting fixes it, and
 * accepts it with the explicit `zstack:insecure` switch.
 */
import assert from "node:assert/strict";
import { controllersFor, ProviderRuntime, resolveConnectionSettings } from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { ZStackError } from "pulumi-zstack-vm/zstack";

import { makeTestCa, type TestCa } from "../support/tls";

const WEB = DEMO_VM_UUIDS["web-1"];

describe("reliability: TLS through the provider", function () {
  this.timeout(60_000);
  let material: TestCa;
  let sim: Simulator;
  let runtime: ProviderRuntime | undefined;

  before(() => {
    material = makeTestCa();
  });
  after(() => material.dispose());

  beforeEach(async () => {
    sim = await startSimulator({
      tls: { key: material.key, cert: material.cert },
      timings: { pauseMs: 30, resumeMs: 30 },
    });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await sim.close();
  });

  /** Makes a runtime for the simulator over HTTPS with these extra settings, and creates a VmPauseState. */
  async function createWith(extra: Record<string, string>) {
    assert.equal(sim.endpoint.scheme, "https");
    const values: Record<string, string> = {
      "zstack:host": "127.0.0.1",
      "zstack:port": String(sim.endpoint.port),
      "zstack:scheme": "https",
      "zstack:accountName": sim.credentials.accountName,
      "zstack:accountPassword": sim.credentials.password,
      ...extra,
    };
    runtime = new ProviderRuntime({
      settings: () => resolveConnectionSettings({ get: (key) => values[key] }),
    });
    return controllersFor(runtime).VmPauseState.create({
      vmUuid: WEB,
      state: "Paused",
      timeoutSeconds: 30,
      onDelete: "restore",
    });
  }

  it("trusts the node through zstack:caBundle given as PEM text", async () => {
    const { outs } = await createWith({ "zstack:caBundle": material.ca });
    assert.equal(outs.state, "Paused");
    assert.equal(sim.counters.acceptedActions(WEB), 1);
  });

  it("trusts the node through zstack:caBundle given as a file path", async () => {
    const { outs } = await createWith({ "zstack:caBundle": material.caPath });
    assert.equal(outs.state, "Paused");
    assert.equal(sim.counters.acceptedActions(WEB), 1);
  });

  it("refuses the node by default, saying to set zstack:caBundle or zstack:insecure; nothing is sent", async () => {
    await assert.rejects(createWith({}), (error: Error) => {
      assert.ok(ZStackError.isInstance(error), error.message);
      assert.equal(error.code, "CLIENT.TRANSPORT");
      assert.equal(error.operation, "login");
      assert.equal(error.retryable, false, "an untrusted certificate does not fix itself");
      assert.match(error.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate/);
      assert.match(
        error.message,
        /set zstack:caBundle \(or ZSTACK_CA_BUNDLE\) to the PEM text or file of the CA/,
      );
      assert.match(error.message, /or set zstack:insecure to true \(or ZSTACK_INSECURE=true\)/);
      return true;
    });
    // The TLS handshake failed, so no HTTP request reached the node.
    assert.equal(sim.counters.count(), 0);
    assert.equal(sim.vms.get(WEB)?.state, "Running");
  });

  it("refuses a CA bundle that did not sign the node's certificate", async () => {
    const stranger = makeTestCa();
    try {
      await assert.rejects(createWith({ "zstack:caBundle": stranger.ca }), /set zstack:caBundle/);
      assert.equal(sim.counters.count(), 0);
    } finally {
      stranger.dispose();
    }
  });

  it("accepts the node with the explicit zstack:insecure switch", async () => {
    const { outs } = await createWith({ "zstack:insecure": "true" });
    assert.equal(outs.state, "Paused");
    assert.equal(sim.counters.acceptedActions(WEB), 1);
  });
});
