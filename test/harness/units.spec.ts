/**
 * Pure parts of the harness: state secrets, delete order, value formatting, property diffs, URNs, project loading.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deleteOrder, EngineHarness } from "../../tools/harness/engine";
import { loadState, saveState, type ResourceState } from "../../tools/harness/state";
import { formatValue } from "../../tools/harness/display";
import { diffProperties } from "../../tools/harness/diff";
import { parseUrn, secret, UNKNOWN, unwrapSecrets, urn } from "../../tools/provider-host/properties";
import { loadProject } from "../../tools/harness/program";

const res = (name: string, extra: Partial<ResourceState> = {}): ResourceState => ({
  urn: `urn:pulumi:s::p::t::${name}`,
  type: "t",
  name,
  custom: true,
  external: false,
  id: `${name}-id`,
  parent: "",
  dependencies: [],
  inputs: {},
  outputs: {},
  additionalSecretOutputs: [],
  ...extra,
});

describe("harness: units", function () {
  this.timeout(20_000);

  it("state secrets are encrypted on disk and decrypted back; a wrong passphrase is reported", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-state-"));
    try {
      const file = path.join(dir, "s.json");
      const state = {
        stack: "dev",
        project: "p",
        outputs: { out: secret({ nested: "top-secret-1" }) },
        resources: [
          res("a", { inputs: { pw: secret("top-secret-2") }, outputs: { list: [secret("top-secret-3")] } }),
        ],
      };
      saveState(file, state, "pass");
      const text = fs.readFileSync(file, "utf8");
      assert.ok(!/top-secret/.test(text), text);
      assert.deepEqual(loadState(file, "p", "dev", "pass"), state);
      assert.throws(() => loadState(file, "p", "dev", "wrong"), /wrong secrets passphrase/);
      assert.deepEqual(loadState(path.join(dir, "none.json"), "p", "dev", "x").resources, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("deleteOrder deletes dependents and children before what they need", () => {
    const a = res("a");
    const b = res("b", { dependencies: [a.urn] });
    const comp = res("comp", { custom: false });
    const child = res("child", { parent: comp.urn });
    const order = deleteOrder([a, comp, b, child]).map((r) => r.name);
    assert.ok(order.indexOf("b") < order.indexOf("a"), order.join());
    assert.ok(order.indexOf("child") < order.indexOf("comp"), order.join());
  });

  it("formats values as Pulumi prints them", () => {
    assert.equal(formatValue(UNKNOWN), "output<string>");
    assert.equal(formatValue(secret("x")), "[secret]");
    assert.equal(formatValue("s"), '"s"');
    assert.equal(formatValue({ a: [1, null], b: secret(2) }), "{a: [1, null], b: [secret]}");
  });

  it("diffProperties treats null as absent and secrets by value", () => {
    assert.deepEqual(diffProperties({ a: null, b: 1, s: secret("x") }, { b: 2, c: 3, s: "x" }), [
      { key: "b", old: 1, new: 2 },
      { key: "c", old: undefined, new: 3 },
    ]);
    assert.deepEqual(diffProperties({ __provider: "x" }, { __provider: "y" }, ["__provider"]), []);
  });

  it("builds and parses URNs like the engine, and unwraps secrets deeply", () => {
    const u = urn("dev", "proj", "pulumi-nodejs:dynamic:Resource", "a::b", "my:Comp");
    assert.equal(u, "urn:pulumi:dev::proj::my:Comp$pulumi-nodejs:dynamic:Resource::a::b");
    assert.deepEqual(parseUrn(u), {
      stack: "dev",
      project: "proj",
      qualifiedType: "my:Comp$pulumi-nodejs:dynamic:Resource",
      type: "pulumi-nodejs:dynamic:Resource",
      name: "a::b",
    });
    assert.deepEqual(unwrapSecrets({ a: [secret(1)], b: secret({ c: secret("d") }) }), {
      a: [1],
      b: { c: "d" },
    });
  });

  it("loads Pulumi.yaml (name, runtime, main) and rejects other runtimes", () => {
    const p = loadProject(path.join(__dirname, "fixtures", "broken-project"));
    assert.equal(p.name, "harness-broken");
    assert.equal(p.main, path.join(__dirname, "fixtures", "broken-project", "program.ts"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-yaml-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: python\n");
      assert.throws(() => loadProject(dir), /runtime must be nodejs/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a program that throws fails the run with its message, its console output and no stack trace", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-broken-"));
    try {
      const h = new EngineHarness({
        projectDir: path.join(__dirname, "fixtures", "broken-project"),
        stack: "dev",
        statePath: path.join(dir, "state.json"),
        config: { "app:label": "from-config" },
      });
      const r = await h.up();
      assert.equal(r.status, "failed");
      assert.equal(r.steps.find((s) => s.name === "before-the-error")?.outputs?.label, "from-config");
      assert.ok(r.lines.includes("    hello from the program"), r.lines.join("\n"));
      assert.ok(r.lines.some((l) => l.includes("failed with an unhandled exception:")));
      assert.ok(r.lines.includes("    the program is broken on purpose"), r.lines.join("\n"));
      assert.ok(!r.lines.some((l) => /^\s+at /.test(l)), r.lines.join("\n"));
      await h.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
