/**
 * Secrets audit. With a marked account password and a marked access-key secret (each used in its own runs), the whole
 * provider lifecycle runs with debug logging on (PULUMI_ZSTACK_VM_DEBUG=1, ZSTACK_DEBUG=1): through the real
 * dynamic-provider host (check, create, read, diff, update, delete, plus failing creates, a partial state and a wrong
 * credential), and through the real Pulumi CLI (preview, up, refresh, a changed program, a failing up, destroy, with
 * `-v=9` engine logging) with the credentials given as Pulumi secrets. Every output, read result, `__provider` text, error message, host log line,
 * printed line and state file is then searched for the secrets, and for the SHA-512 of the password (what login
 * sends, as good as the password to ZStack): zero hits. The credential exported as a stack output stays secret:
 * the state file holds it only encrypted.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import { PulumiWorkspace, type ConfigValue } from "../../tools/pulumi-cli/workspace";
import {
  ProviderHostError,
  secret,
  startProviderHost,
  urn,
  type ProviderHost,
} from "../../tools/provider-host/host";
import { providerTextsByType } from "../support/mocks";

const ROOT = path.resolve(__dirname, "../..");
const PROJECT = path.join(__dirname, "fixtures", "secrets-project");
const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];
const STOPPED = DEMO_VM_UUIDS["batch-1"];
const MISSING = "0000000000000000000000000000dead";

const ACCOUNT = "reliability-admin";
const PASSWORD = "Marked-Passw0rd-9f1c2e7a";
const ACCESS_KEY_ID = "AKIDreliability0001";
const ACCESS_KEY_SECRET = "Marked-AccessKeySecret-4b2a8e6f";
const WRONG_PASSWORD = "Marked-WrongPassw0rd-31d5";
const MARKED = [PASSWORD, ACCESS_KEY_SECRET, WRONG_PASSWORD];
const sha512 = (text: string) => createHash("sha512").update(text, "utf8").digest("hex");
/** Every form of a credential that must never appear. */
const FORBIDDEN = [...MARKED, ...MARKED.map(sha512)];

const DEBUG_ENV = { PULUMI_ZSTACK_VM_DEBUG: "1", ZSTACK_DEBUG: "1" };
const PAUSE_TYPE = "pulumi-nodejs:dynamic/zstack:VmPauseState";
const CLOCK_TYPE = "pulumi-nodejs:dynamic/zstack:VmClockTrack";

/** Everything the audit searches, labelled so that a hit says where it was. */
class Evidence {
  private readonly items: { readonly where: string; readonly text: string }[] = [];

  add(where: string, value: unknown): void {
    this.items.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });
  }

  addError(where: string, error: unknown): void {
    const e = error as Error & Partial<ProviderHostError>;
    this.add(`${where} message`, e.message);
    this.add(`${where} stack`, e.stack ?? "");
    if (e.properties !== undefined) this.add(`${where} partial properties`, e.properties);
    if (e.reasons !== undefined) this.add(`${where} reasons`, e.reasons);
  }

  /** Asserts no item holds any forbidden text, and that there was something to search. */
  assertClean(minimumItems: number): void {
    assert.ok(this.items.length >= minimumItems, `only ${this.items.length} items collected`);
    const hits = this.items.flatMap(({ where, text }) =>
      FORBIDDEN.filter((secretText) => text.includes(secretText)).map(
        (secretText) => `${where} holds ${secretText.length > 40 ? "a password hash" : "a marked secret"}`,
      ),
    );
    assert.deepEqual(hits, []);
  }

  /** The total size searched, for the report. */
  get size(): number {
    return this.items.reduce((sum, item) => sum + item.text.length, 0);
  }
}

/** Fails when the promise resolves; returns the error it rejects with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail("expected a failure"),
    (error: unknown) => error,
  );
}

describe("reliability: secrets never leak", function () {
  this.timeout(120_000);
  this.slow(20_000);
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({
      accounts: [{ name: ACCOUNT, password: PASSWORD }],
      accessKeys: [{ id: ACCESS_KEY_ID, secret: ACCESS_KEY_SECRET }],
      timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 },
    });
  });
  afterEach(async () => {
    await sim.close();
  });

  const endpoint = () => ({
    "zstack:host": sim.endpoint.host,
    "zstack:port": String(sim.endpoint.port),
    "zstack:scheme": sim.endpoint.scheme,
    "zstack:contextPath": sim.endpoint.contextPath,
  });

  describe("through the real dynamic-provider host, with debug logging on", () => {
    let texts: Record<string, string>;
    let host: ProviderHost;

    before(async () => {
      texts = await providerTextsByType();
    });
    afterEach(async () => {
      await host?.close();
    });

    const credentialModes = {
      account: () => ({
        "zstack:accountName": ACCOUNT,
        "zstack:accountPassword": secret(PASSWORD),
      }),
      accessKey: () => ({
        "zstack:accessKeyId": ACCESS_KEY_ID,
        "zstack:accessKeySecret": secret(ACCESS_KEY_SECRET),
      }),
    };

    for (const [mode, credentials] of Object.entries(credentialModes)) {
      it(`${mode}: the whole lifecycle, failures included, leaves no secret anywhere`, async () => {
        const evidence = new Evidence();
        host = await startProviderHost({ cwd: ROOT, project: "quickstart", env: DEBUG_ENV });
        await host.configure({ ...endpoint(), ...credentials() });
        for (const text of Object.values(texts)) evidence.add("__provider", text);

        // VmPauseState: check, create, diff, refresh after drift, update, delete.
        const pauseUrn = urn("dev", "quickstart", PAUSE_TYPE, "web");
        const checked = await host.check(pauseUrn, {}, { __provider: texts[PAUSE_TYPE]!, vmUuid: WEB });
        evidence.add("check", checked);
        const created = await host.create(pauseUrn, checked.inputs);
        evidence.add("create", created);
        assert.equal(created.properties.state, "Paused");
        evidence.add(
          "diff",
          await host.diff(WEB, pauseUrn, created.properties, checked.inputs, checked.inputs),
        );
        await sim.vms.outOfBand(WEB, "resume");
        const read = await host.read(WEB, pauseUrn, created.properties, checked.inputs);
        evidence.add("read", read);
        assert.equal(read.properties.state, "Running");
        const updated = await host.update(WEB, pauseUrn, read.properties, checked.inputs, read.inputs);
        evidence.add("update", updated);
        assert.equal(updated.properties.state, "Paused");
        await host.delete(WEB, pauseUrn, updated.properties, checked.inputs);
        assert.equal(sim.vms.get(WEB)?.state, "Running");

        // VmClockTrack: create, update, get, delete.
        const clockUrn = urn("dev", "quickstart", CLOCK_TYPE, "db-clock");
        const clockInputs = (
          await host.check(clockUrn, {}, { __provider: texts[CLOCK_TYPE]!, vmUuid: DB, track: "guest" })
        ).inputs;
        const clock = await host.create(clockUrn, clockInputs);
        evidence.add("clock create", clock);
        const wider = { ...clockInputs, intervalInSeconds: 3600 };
        const clockUpdated = await host.update(DB, clockUrn, clock.properties, wider, clockInputs);
        evidence.add("clock update", clockUpdated);
        assert.equal(clockUpdated.properties.intervalInSeconds, 3600);
        evidence.add("get", await host.read(DB, clockUrn, { __provider: texts[CLOCK_TYPE]! }));
        await host.delete(DB, clockUrn, clockUpdated.properties, wider);

        // Failures: a missing VM, a Stopped VM, a bad input, and an action that outlives its timeout (partial state).
        const base = {
          __provider: texts[PAUSE_TYPE]!,
          state: "Paused",
          timeoutSeconds: 5,
          onDelete: "restore",
        };
        for (const [label, vmUuid] of [
          ["missing VM", MISSING],
          ["stopped VM", STOPPED],
        ] as const) {
          const error = await failure(
            host.create(urn("dev", "quickstart", PAUSE_TYPE, label), { ...base, vmUuid }),
          );
          evidence.addError(label, error);
        }
        evidence.add("bad input", await host.check(pauseUrn, {}, { ...base, vmUuid: WEB, state: "paused" }));
        sim.faults.inject({ on: "jobPoll", times: Infinity, fault: { kind: "delay", ms: 1500 } });
        const partial = await failure(
          host.create(urn("dev", "quickstart", PAUSE_TYPE, "slow"), {
            ...base,
            vmUuid: WEB,
            timeoutSeconds: 1,
          }),
        );
        assert.ok(partial instanceof ProviderHostError && partial.initFailed, String(partial));
        evidence.addError("partial state", partial);
        sim.faults.clear();

        await host.close();
        const output = host.output();
        assert.match(output, /\[pulumi-zstack-vm\]|\bGET\b/, "debug logging was on and wrote lines");
        evidence.add("host output", output);

        // A wrong credential of the same mode. The host configures each provider once (as the engine configures a
        // host once), so this is a second host, as a second `pulumi up` with the fixed-up config would be.
        const wrong =
          mode === "account"
            ? { "zstack:accountName": ACCOUNT, "zstack:accountPassword": secret(WRONG_PASSWORD) }
            : { "zstack:accessKeyId": ACCESS_KEY_ID, "zstack:accessKeySecret": secret(WRONG_PASSWORD) };
        host = await startProviderHost({ cwd: ROOT, project: "quickstart", env: DEBUG_ENV });
        await host.configure({ ...endpoint(), ...wrong });
        const denied = await failure(
          host.create(urn("dev", "quickstart", PAUSE_TYPE, "denied"), { ...base, vmUuid: DB }),
        );
        evidence.addError("wrong credential", denied);
        assert.match((denied as Error).message, /ID\.\d{4}/);
        await host.close();
        evidence.add("host output (wrong credential)", host.output());
        evidence.assertClean(20);
      });
    }
  });

  describe("through the real Pulumi CLI, with the credentials as Pulumi secrets", function () {
    this.timeout(900_000);
    let ws: PulumiWorkspace;
    before(async () => {
      ws = await PulumiWorkspace.create({ env: DEBUG_ENV });
    });
    after(() => ws?.dispose());

    for (const mode of ["account", "accessKey"] as const) {
      it(`${mode}: preview, up, refresh, change, failing up and destroy leave no secret in output or state`, async () => {
        const dir = ws.project(PROJECT, { name: mode });
        const credentials: Record<string, ConfigValue> =
          mode === "account"
            ? { "zstack:accountName": ACCOUNT, "zstack:accountPassword": { secret: PASSWORD } }
            : {
                "zstack:accessKeyId": ACCESS_KEY_ID,
                "zstack:accessKeySecret": { secret: ACCESS_KEY_SECRET },
              };
        // One stack per mode: both live in the same backend, under the fixture's project name.
        await ws.initStack(dir, mode, { ...endpoint(), ...credentials, "app:vm": WEB });
        const evidence = new Evidence();
        const checkpoints = path.join(ws.backendDir, ".pulumi", "stacks", "reliability-secrets");
        const stateFiles = () =>
          readdirSync(checkpoints).map((f) => readFileSync(path.join(checkpoints, f), "utf8"));
        const runs: readonly (readonly [string, readonly string[], Record<string, string>?])[] = [
          ["preview", ["preview", "--diff"]],
          ["up", ["up", "--yes", "--diff"]],
          ["refresh", ["refresh", "--yes", "--diff"]],
          [
            "up (changed program)",
            ["up", "--yes", "--diff"],
            { "app:state": "Running", "app:interval": "3600" },
          ],
          ["up (failing resource)", ["up", "--yes", "--diff"], { "app:missingVm": MISSING }],
        ];
        for (const [label, args, config] of runs) {
          if (config) await ws.setConfig(dir, config);
          // Verbose engine logging too: what a user would attach to a bug report.
          const run = await ws.run([...args, "-v=9", "--logtostderr"], { cwd: dir, allowFailure: true });
          evidence.add(`${label} stdout`, run.stdout);
          evidence.add(`${label} stderr`, run.stderr);
          if (label !== "preview") evidence.add(`checkpoint files after ${label}`, stateFiles().join("\n"));
          if (label === "up (failing resource)") {
            assert.notEqual(run.code, 0);
            assert.match(run.stdout + run.stderr, /was not found|does not exist/);
          } else {
            assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
          }
        }

        // The exported credential is a secret: encrypted in the checkpoint, masked in the output, shown on request.
        const exported = await ws.exportState(dir);
        evidence.add("stack export", exported);
        const stack = exported.deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
        assert.match(JSON.stringify(stack?.outputs?.["credential"]), /"ciphertext":"v1:/);
        const shown = await ws.run(["stack", "output", "credential", "--show-secrets"], { cwd: dir });
        assert.equal(shown.stdout.trim(), mode === "account" ? PASSWORD : ACCESS_KEY_SECRET);
        assert.equal(sim.vms.get(WEB)?.state, "Running");
        assert.equal(sim.resourceConfigs.get(WEB, "vm.clock.sync.interval.in.seconds"), "3600");

        const destroyed = await ws.run(["destroy", "--yes", "-v=9", "--logtostderr"], { cwd: dir });
        evidence.add("destroy stdout", destroyed.stdout);
        evidence.add("destroy stderr", destroyed.stderr);
        evidence.add("checkpoint files after destroy", stateFiles().join("\n"));
        evidence.assertClean(10);
      });
    }
  });
});
