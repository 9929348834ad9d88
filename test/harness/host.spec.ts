/**
 * The host driver against the real `@pulumi/pulumi/cmd/dynamic-provider` host, with the self-contained FileStore
 * provider serialized exactly as `pulumi.dynamic.Resource` does.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  ProviderHostError,
  UNKNOWN,
  secret,
  startProviderHost,
  urn,
  type PropertyMap,
  type ProviderHost,
} from "../../tools/provider-host/host";
import { FileStoreProvider } from "./fixtures/filestore";

describe("harness: provider host driver", function () {
  this.timeout(20_000);
  let host: ProviderHost;
  let dir: string;
  let providerText: string;
  const type = "pulumi-nodejs:dynamic/filestore:Record";
  const u = (name: string): string => urn("dev", "hosttest", type, name);
  const actions = (): string[] => fs.readFileSync(path.join(dir, "actions.log"), "utf8").trim().split("\n");

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-host-"));
    fs.writeFileSync(path.join(dir, "actions.log"), "");
    const provider = new FileStoreProvider();
    providerText = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
    host = await startProviderHost({ cwd: __dirname, project: "hosttest" });
    const res = await host.configure({ "filestore:dir": dir, "filestore:token": secret("s3cr3t") });
    assert.equal(res.acceptSecrets, false);
  });

  after(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const news = (inputs: PropertyMap): PropertyMap => ({ __provider: providerText, ...inputs });

  it("reports the port and closes idempotently on a second host", async () => {
    const h2 = await startProviderHost({ cwd: __dirname, project: "p2" });
    assert.ok(h2.port > 0);
    assert.ok(h2.pid > 0);
    await h2.close();
    await h2.close();
    await assert.rejects(h2.check(u("x"), {}, news({ key: "k", size: 1 })), /closed/);
  });

  it("check returns failures with property and reason, and filled-in defaults", async () => {
    const bad = await host.check(u("bad"), {}, news({ key: "", size: -1 }));
    assert.deepEqual(
      bad.failures.map((f) => f.property),
      ["key", "size"],
    );
    assert.match(bad.failures[1].reason, /size must be a number >= 0, got -1/);
    const good = await host.check(u("good"), {}, news({ key: "k", size: UNKNOWN }));
    assert.deepEqual(good.failures, []);
    assert.equal(good.inputs.color, "blue");
    assert.equal(good.inputs.size, UNKNOWN);
    assert.equal(good.inputs.__provider, providerText);
  });

  it("create, diff (none/some/replace), update, read with inputs, delete", async () => {
    const checked = (await host.check(u("r"), {}, news({ key: "k1", size: 1 }))).inputs;
    const created = await host.create(u("r"), checked);
    assert.match(created.id, /^k1-/);
    assert.equal(created.properties.revision, 1);
    // The secret config value reached configure unwrapped.
    assert.equal(created.properties.tokenLength, 6);
    // The host stores __provider in the outputs too.
    assert.equal(created.properties.__provider, providerText);

    const same = await host.diff(created.id, u("r"), created.properties, checked, checked);
    assert.deepEqual(same, { changes: "none", replaces: [], deleteBeforeReplace: false });

    const bigger = (await host.check(u("r"), checked, news({ key: "k1", size: 2 }))).inputs;
    const some = await host.diff(created.id, u("r"), created.properties, checked, bigger);
    assert.deepEqual(some, { changes: "some", replaces: [], deleteBeforeReplace: false });

    const rekey = (await host.check(u("r"), checked, news({ key: "k2", size: 1, deleteFirst: true }))).inputs;
    const replace = await host.diff(created.id, u("r"), created.properties, checked, rekey);
    assert.deepEqual(replace, { changes: "some", replaces: ["key"], deleteBeforeReplace: true });

    const updated = await host.update(created.id, u("r"), created.properties, bigger, checked);
    assert.equal(updated.properties.size, 2);
    assert.equal(updated.properties.revision, 2);

    const read = await host.read(created.id, u("r"), updated.properties, bigger);
    assert.equal(read.id, created.id);
    assert.equal(read.properties.size, 2);
    assert.deepEqual(read.inputs, { key: "k1", size: 2, color: "blue", __provider: providerText });

    await host.delete(created.id, u("r"), updated.properties);
    const gone = await host.read(created.id, u("r"), updated.properties, bigger);
    assert.equal(gone.id, "");
    assert.deepEqual(actions().slice(-3), [
      `create ${created.id}`,
      `update ${created.id}`,
      `delete ${created.id}`,
    ]);
  });

  it("decodes ErrorResourceInitFailed: partial id, properties and reasons", async () => {
    const checked = (await host.check(u("init"), {}, news({ key: "slow", size: 1, failInit: true }))).inputs;
    const err = await host.create(u("init"), checked).then(
      () => assert.fail("create should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ProviderHostError);
    assert.equal(err.method, "create");
    assert.equal(err.code, 2);
    assert.match(err.details, /^record slow-\w+ created but not ready$/);
    assert.ok(err.initFailed);
    assert.match(err.id ?? "", /^slow-/);
    assert.equal(err.properties?.ready, false);
    assert.equal(err.properties?.size, 1);
    assert.deepEqual(err.reasons, ["still warming up"]);
  });

  it("a plain provider error is a ProviderHostError with the message and no partial state", async () => {
    const checked = (await host.check(u("f"), {}, news({ key: "nope", size: 1, fail: true }))).inputs;
    const err = await host.create(u("f"), checked).catch((e: unknown) => e);
    assert.ok(err instanceof ProviderHostError);
    assert.equal(err.details, "create of nope refused");
    assert.equal(err.initFailed, false);
    assert.equal(err.id, undefined);
  });

  it("errors of other RPCs carry the message, and the host's stderr is collected", async () => {
    const err = await host
      .check(u("broken"), {}, { __provider: "exports.handler = (" })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ProviderHostError);
    assert.equal(err.method, "check");
    assert.equal(err.code, 2);
    // The host logs `${e}: ${e.stack}` to stderr for non-create errors; give the pipe a moment.
    await new Promise((r) => setTimeout(r, 100));
    assert.match(host.output(), /SyntaxError/);
  });
});
