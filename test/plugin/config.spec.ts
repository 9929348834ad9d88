import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import { isSecret, secret, UNKNOWN, type ProviderHost } from "../../tools/provider-host/host";
import { CLOCK, PAUSE, PROVIDER, providerInputs, startPlugin, urnOf } from "./support";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];
const PASSWORD = "s3cret-Pa55word";

describe("the native plugin's provider config over gRPC (CheckConfig, DiffConfig, Configure)", function () {
  this.timeout(60_000);
  let sim: Simulator;
  let plugin: ProviderHost;
  const providerUrn = urnOf(PROVIDER, "east");

  beforeEach(async () => {
    sim = await startSimulator({
      accounts: [{ name: "ops", password: PASSWORD }],
      timings: { pauseMs: 30, resumeMs: 30 },
    });
    plugin = await startPlugin();
  });
  afterEach(async () => {
    await plugin.close();
    await sim.close();
  });

  /** The simulator's settings as inputs, logging in as `ops` with the secret password. */
  const inputs = (): Record<string, unknown> => ({
    ...providerInputs(sim),
    accountName: "ops",
    accountPassword: secret(PASSWORD),
  });

  it("GetPluginInfo answers the package version", async () => {
    const { version } = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "provider", "package.json"), "utf8"),
    ) as { version: string };
    assert.equal(await plugin.getPluginInfo(), version);
  });

  it("CheckConfig: one failure that lists every problem, worded for the provider's inputs", async () => {
    const checked = await plugin.checkConfig(providerUrn, {}, { port: 99999, scheme: "ftp", hots: "x" });
    assert.equal(checked.failures.length, 1);
    const [failure] = checked.failures;
    assert.equal(failure!.property, "");
    assert.equal(
      failure!.reason,
      [
        "ZStack connection settings are incomplete and invalid:",
        "  - hots is not a setting of the provider; the settings are host, port, scheme, contextPath, accountName, " +
          "accountPassword, accessKeyId, accessKeySecret, caBundle, insecure, requestTimeoutSeconds",
        "  - host is not set (the management node's host name or IP address): set the provider input `host` " +
          "(stack config `zstackvm:host` for the default provider) or env ZSTACK_HOST",
        '  - scheme "ftp" is not valid, expected "http" or "https": fix the provider input `scheme` (stack config ' +
          "`zstackvm:scheme` for the default provider) or env ZSTACK_SCHEME",
        '  - port "99999" is not valid, expected a whole number from 1 to 65535: fix the provider input `port` ' +
          "(stack config `zstackvm:port` for the default provider) or env ZSTACK_PORT",
        "  - no credentials: set an account (the provider input `accountName` (stack config `zstackvm:accountName` " +
          "for the default provider) or env ZSTACK_ACCOUNT_NAME and the provider input `accountPassword` (stack " +
          "config `zstackvm:accountPassword` for the default provider) or env ZSTACK_ACCOUNT_PASSWORD) or an " +
          "access key (the provider input `accessKeyId` (stack config `zstackvm:accessKeyId` for the default " +
          "provider) or env ZSTACK_ACCESS_KEY_ID and the provider input `accessKeySecret` (stack config " +
          "`zstackvm:accessKeySecret` for the default provider) or env ZSTACK_ACCESS_KEY_SECRET)",
        "Set them as the provider's inputs (for the default provider, `pulumi config set zstackvm:<key> <value>`; " +
          "add --secret for zstackvm:accountPassword and zstackvm:accessKeySecret) or with the ZSTACK_* " +
          "environment variables; inputs win over the environment.",
      ].join("\n"),
    );
  });

  it("CheckConfig: a host with a port names where each part goes; a secret's value is never quoted", async () => {
    const checked = await plugin.checkConfig(
      providerUrn,
      {},
      {
        host: "127.0.0.1:8080",
        accountName: "ops",
        accountPassword: PASSWORD,
        accessKeyId: "key",
      },
    );
    const reason = checked.failures[0]!.reason;
    assert.match(reason, /put the port in `port` \(or env ZSTACK_PORT\): host 127\.0\.0\.1, port 8080/);
    assert.match(reason, /both account credentials and an access key are set in the provider's inputs/);
    assert.equal(reason.includes(PASSWORD), false);
  });

  it("CheckConfig: valid inputs pass and come back with the secret settings marked secret", async () => {
    const plain: Record<string, unknown> = {
      ...providerInputs(sim),
      accountName: "ops",
      accountPassword: PASSWORD,
    };
    const checked = await plugin.checkConfig(providerUrn, {}, plain);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inputs.accountPassword, secret(PASSWORD));
    // What the engine and the SDKs add to any provider's inputs is no typo.
    const versioned = await plugin.checkConfig(
      providerUrn,
      {},
      { ...plain, version: "0.1.0", pluginDownloadURL: "" },
    );
    assert.deepEqual(versioned.failures, []);
    assert.equal(versioned.inputs.version, "0.1.0");
    assert.equal(checked.inputs.host, plain.host);
    assert.equal(isSecret(checked.inputs.host), false);
  });

  it("CheckConfig: unset settings fall back to the ZSTACK_* environment", async () => {
    await plugin.close();
    plugin = await startPlugin({
      ZSTACK_HOST: "127.0.0.1",
      ZSTACK_ACCESS_KEY_ID: "id",
      ZSTACK_ACCESS_KEY_SECRET: "k",
    });
    const checked = await plugin.checkConfig(providerUrn, {}, { port: 8080 });
    assert.deepEqual(checked.failures, []);
  });

  it("CheckConfig: in a preview, a setting still unknown is not reported missing; a set one is still judged", async () => {
    const unknownHost = await plugin.checkConfig(providerUrn, {}, { host: UNKNOWN, accountName: "ops" });
    assert.deepEqual(unknownHost.failures, []);
    const badPort = await plugin.checkConfig(providerUrn, {}, { host: UNKNOWN, port: "abc" });
    assert.match(badPort.failures[0]!.reason, /port "abc" is not valid/);
    assert.doesNotMatch(badPort.failures[0]!.reason, /host is not set/);
  });

  it("DiffConfig: a changed endpoint or credential updates the provider, never replaces it", async () => {
    const before = inputs();
    const same = await plugin.diffConfig(providerUrn, before, inputs());
    assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false, diffs: [] });
    const moved = await plugin.diffConfig(providerUrn, before, {
      ...before,
      host: "10.0.0.2",
      accountPassword: secret("another"),
    });
    assert.deepEqual(moved, {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
      diffs: ["host", "accountPassword"],
    });
    const later = await plugin.diffConfig(providerUrn, before, { ...before, port: UNKNOWN });
    assert.deepEqual(later.diffs, ["port"]);
  });

  it("Configure takes secret inputs: resources reach ZStack with them; no secret in any answer or log", async () => {
    const configured = await plugin.configure(inputs());
    assert.deepEqual(configured, {
      acceptSecrets: true,
      supportsPreview: false,
      acceptResources: false,
      acceptOutputs: false,
    });
    const urn = urnOf(PAUSE, "web");
    const checked = await plugin.check(urn, {}, { vmUuid: WEB, state: "Paused" });
    const created = await plugin.create(urn, checked.inputs);
    assert.equal(created.properties.state, "Paused");
    const read = await plugin.read(WEB, urn, created.properties, checked.inputs);
    await plugin.delete(WEB, urn, read.properties);
    assert.equal(sim.vms.get(WEB)?.state, "Running");
    const answers = JSON.stringify([configured, checked, created, read]);
    assert.equal(answers.includes(PASSWORD), false);
    assert.equal(plugin.output().includes(PASSWORD), false);

    // The engine ends the plugin with SIGINT: the instance's one session is logged out first.
    assert.deepEqual(sim.sessions.counts("ops"), { open: 1, logins: 1, logouts: 0, refused: 0 });
    assert.deepEqual(await plugin.close(), { code: null, signal: "SIGINT" });
    assert.deepEqual(sim.sessions.counts("ops"), { open: 0, logins: 1, logouts: 1, refused: 0 });
  });

  it("Configure tolerates settings unknown in a preview; a call that needs ZStack then says why it cannot", async () => {
    await plugin.configure({ ...inputs(), host: UNKNOWN });
    const urn = urnOf(CLOCK, "db-clock");
    const checked = await plugin.check(urn, {}, { vmUuid: DB, track: "guest" });
    assert.deepEqual(checked.failures, []);
    await assert.rejects(
      plugin.diff(
        DB,
        urn,
        { vmUuid: DB, track: "host", declaredClock: { track: "host" } },
        {},
        checked.inputs,
      ),
      /The provider's host is not known in this preview \(it comes from other resources' outputs\), so the preview cannot ask ZStack/,
    );
  });

  it("Cancel lets the operations in flight finish and record what they did, as the dynamic-provider host does", async () => {
    await plugin.configure(inputs());
    const urn = urnOf(PAUSE, "web");
    const hold = sim.vms.hold(WEB);
    const creating = plugin.create(urn, {
      vmUuid: WEB,
      state: "Paused",
      timeoutSeconds: 30,
      onDelete: "leave",
    });
    await hold.held;
    await plugin.cancel();
    hold.release();
    const created = await creating;
    assert.equal(created.properties.state, "Paused");
    assert.equal(sim.counters.acceptedActions(WEB, "pauseVmInstance"), 1);
    // The session stays open for the engine's next calls; the process end logs it out.
    assert.equal(sim.sessions.counts("ops").open, 1);
  });

  it("a wrong password fails the first call that needs ZStack, without quoting it, in the plugin's log neither", async () => {
    await plugin.configure({ ...inputs(), accountPassword: secret("wrong-Passw0rd-value") });
    const urn = urnOf(PAUSE, "web");
    await assert.rejects(
      plugin.create(urn, { vmUuid: WEB, state: "Paused", timeoutSeconds: 30, onDelete: "restore" }),
      (error: Error) => {
        assert.match(error.message, /login/i);
        assert.equal(error.message.includes("wrong-Passw0rd-value"), false);
        return true;
      },
    );
    assert.equal(plugin.output().includes("wrong-Passw0rd-value"), false);
  });
});
