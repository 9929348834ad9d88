/**
 * The in-process mocks bridge: a program's dynamic resources run their real (deserialized) provider.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BridgeMocks } from "../../tools/harness/bridge";
import { FileStoreProvider } from "./fixtures/filestore";

const provider = new FileStoreProvider();

interface Args {
  key: pulumi.Input<string>;
  size: pulumi.Input<number>;
  password?: pulumi.Input<string>;
}

class FileRecord extends pulumi.dynamic.Resource {
  declare readonly size: pulumi.Output<number>;
  declare readonly revision: pulumi.Output<number>;
  declare readonly tokenLength: pulumi.Output<number>;
  declare readonly password: pulumi.Output<string | null>;
  constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
    const props = { password: undefined, ...args, revision: undefined, tokenLength: undefined };
    super(provider, name, props, opts, "filestore", "Record");
  }
}

/** Resolves an Output's value and whether it is known and secret (internal SDK promises, stable for years). */
async function settle<T>(
  o: pulumi.Output<T>,
): Promise<{ value: T | undefined; known: boolean; secret: boolean }> {
  const internal = o as unknown as {
    promise(): Promise<T>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
  };
  return { value: await internal.promise(), known: await internal.isKnown, secret: await internal.isSecret };
}

describe("harness: mocks bridge", function () {
  this.timeout(20_000);
  let dir: string;
  const actions = (): string[] =>
    fs.readFileSync(path.join(dir, "actions.log"), "utf8").trim().split("\n").filter(Boolean);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-bridge-"));
    fs.writeFileSync(path.join(dir, "actions.log"), "");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs check and create of the real provider and returns its outputs to the program", async () => {
    const mocks = new BridgeMocks({ config: { "filestore:dir": dir, "filestore:token": "abcd" } });
    await pulumi.runtime.setMocks(mocks, "proj", "stack", false);
    const r = new FileRecord("r", { key: "k", size: 3, password: pulumi.secret("pw") });
    assert.deepEqual(await settle(r.revision), { value: 1, known: true, secret: false });
    assert.equal((await settle(r.tokenLength)).value, 4);
    // annotateSecrets: the same-named output of a secret input is secret.
    assert.deepEqual(await settle(r.password), { value: "pw", known: true, secret: true });
    const id = (await settle(r.id)).value;
    assert.match(String(id), /^k-/);
    assert.deepEqual(actions(), [`create ${id}`]);
    assert.equal(mocks.resources[0].op, "create");
    assert.equal(
      mocks.resources[0].inputs.color,
      "blue",
      "checked inputs (defaults filled in) went to create",
    );
  });

  it("in preview, create is not called and output-only keys are unknown", async () => {
    const mocks = new BridgeMocks({ preview: true, config: { "filestore:dir": dir } });
    await pulumi.runtime.setMocks(mocks, "proj", "stack", true);
    const r = new FileRecord("p", { key: "k", size: 3 });
    assert.deepEqual(await settle(r.size), { value: 3, known: true, secret: false });
    assert.equal((await settle(r.revision)).known, false);
    assert.equal((await settle(r.id)).known, false);
    assert.deepEqual(actions(), []);
    assert.equal(mocks.resources[0].op, "preview");
  });

  it("check failures reject the registration", async () => {
    await pulumi.runtime.setMocks(
      new BridgeMocks({ config: { "filestore:dir": dir } }),
      "proj",
      "stack",
      false,
    );
    const r = new FileRecord("bad", { key: "k", size: -1 });
    await assert.rejects(
      (r.size as unknown as { promise(): Promise<number> }).promise(),
      /property size has a problem: size must be a number >= 0/,
    );
  });

  it("get (opts.id) calls the provider's read", async () => {
    const mocks = new BridgeMocks({ config: { "filestore:dir": dir } });
    await pulumi.runtime.setMocks(mocks, "proj", "stack", false);
    const created = new FileRecord("src", { key: "k", size: 9 });
    const id = String((await settle(created.id)).value);
    const read = new FileRecord(
      "copy",
      { key: undefined as unknown as string, size: undefined as unknown as number },
      { id },
    );
    assert.equal((await settle(read.size)).value, 9);
    assert.equal(mocks.resources[1].op, "read");
    assert.equal(actions().length, 1, "read has no side effect");
  });
});
