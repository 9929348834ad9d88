/**
 * The engine harness against the fixture project (test/harness/fixtures/filestore-project) and the real
 * dynamic-provider host. The tests of the lifecycle share one store and one state file and run in order, like the
 * successive `pulumi` commands they stand for; the provider's action log shows which side effects happened.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineHarness, type RunResult, type Step } from "../../tools/harness/engine";
import { UNKNOWN } from "../../tools/provider-host/properties";

const projectDir = path.join(__dirname, "fixtures", "filestore-project");
const TOKEN = "tok-Secret-Value-42";
const PASSWORD = "hunter2-Plaintext";

describe("harness: engine", function () {
  this.timeout(60_000);
  this.slow(10_000);
  let dir: string;
  let statePath: string;
  let printed: string[];

  /** The program after the component was removed (later tests start from it). */
  const current = { aSize: "2", bKey: "beta3", withC: "false" };
  const harness = (app: Record<string, string> = {}): EngineHarness =>
    new EngineHarness({
      projectDir,
      stack: "dev",
      statePath,
      config: {
        "filestore:dir": dir,
        "filestore:token": { secret: TOKEN },
        "app:password": { secret: PASSWORD },
        ...Object.fromEntries(Object.entries(app).map(([k, v]) => [`app:${k}`, v])),
      },
      out: (l) => printed.push(l),
    });
  const actions = (): string[] =>
    fs.readFileSync(path.join(dir, "actions.log"), "utf8").trim().split("\n").filter(Boolean);
  const step = (r: RunResult, name: string): Step => {
    const s = r.steps.find((x) => x.name === name);
    assert.ok(s, `no step for ${name}: ${r.steps.map((x) => x.name).join(", ")}`);
    return s;
  };
  const ops = (r: RunResult): Record<string, string> =>
    Object.fromEntries(r.steps.map((s) => [s.name, s.op]));
  const stateText = (): string => fs.readFileSync(statePath, "utf8");
  const resource = (name: string) => {
    const r = harness()
      .state()
      .resources.find((x) => x.name === name && !x.pendingDelete);
    assert.ok(r, `no ${name} in state`);
    return r;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-engine-"));
    statePath = path.join(dir, "state", "dev.json");
    fs.writeFileSync(path.join(dir, "actions.log"), "");
  });
  beforeEach(() => {
    printed = [];
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("preview of a new stack calls no Create and writes no state", async () => {
    const r = await harness().preview();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    assert.deepEqual(actions(), []);
    assert.equal(fs.existsSync(statePath), false);
    assert.deepEqual(ops(r), {
      "harness-fixture-dev": "create",
      g: "create",
      "g-c": "create",
      a: "create",
      thing: "create",
      b: "create",
    });
    assert.equal(step(r, "thing").simulated, true);
    assert.equal(step(r, "a").simulated, false);
    // Output-only keys are unknown in a preview; values derived from inputs are known.
    assert.equal(r.outputs.aRevision, UNKNOWN);
    assert.equal(r.outputs.bSize, 10);
    assert.deepEqual(r.summary, { create: 6, update: 0, replace: 0, delete: 0, same: 0, read: 0 });
    assert.equal(printed.join("\n"), r.lines.join("\n"));
    assert.equal(r.lines[0], "Previewing update (dev):");
    assert.ok(
      r.lines.some((l) => /^ \+\s+├─ pulumi-nodejs:dynamic\/filestore:Record\s+a\s+create$/.test(l)),
      r.lines.join("\n"),
    );
    assert.ok(r.lines.some((l) => /│ {2}└─ pulumi-nodejs:dynamic\/filestore:Record\s+g-c\s+create$/.test(l)));
    assert.ok(
      r.lines.some((l) =>
        /other:index:Thing\s+thing\s+create \(simulated: not a dynamic resource\)$/.test(l),
      ),
    );
    assert.ok(r.lines.includes("  + aRevision: output<string>"), r.lines.join("\n"));
    assert.ok(r.lines.includes("  + aPassword: [secret]"));
    assert.deepEqual(r.lines.slice(-2), ["Resources:", "    + 6 to create"]);
  });

  it("up creates, captures stack outputs and persists the state without secret plaintext", async () => {
    const r = await harness().up();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    assert.equal(r.lines[0], "Updating (dev):");
    assert.deepEqual(
      actions().map((a) => a.replace(/-\w+$/, "")),
      ["create alpha", "create gamma", "create beta"],
    );
    assert.equal(r.outputs.aRevision, 1);
    assert.equal(r.outputs.bSize, 10);
    assert.equal(r.outputs.cSize, 3);
    assert.equal(r.outputs.thingId, "thing-simulated-id");
    assert.equal(r.outputs.aPassword, PASSWORD);
    assert.deepEqual(r.secretOutputs, ["aPassword"]);
    assert.ok(r.lines.includes("  + aRevision: 1"));
    assert.deepEqual(r.lines.slice(-2), ["Resources:", "    + 6 created"]);
    // The secret config value reached configure (tokenLength), and nothing secret is in the state file.
    const a = resource("a");
    assert.equal(a.outputs.tokenLength, TOKEN.length);
    assert.match(a.id, /^alpha-/);
    const text = stateText();
    assert.ok(!text.includes(PASSWORD), "password plaintext in state");
    assert.ok(!text.includes(TOKEN), "token plaintext in state");
    assert.match(text, /"ciphertext": "v1:/);
    // The same-named output of a secret input is re-marked secret (annotateSecrets), in state and in memory.
    assert.deepEqual(a.outputs.password, {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: PASSWORD,
    });
    // Dependencies (dependsOn and property dependencies) and parents are recorded.
    assert.deepEqual(resource("b").dependencies, [a.urn]);
    assert.equal(resource("g-c").parent, resource("g").urn);
  });

  it("an unchanged program previews as all unchanged", async () => {
    const r = await harness().preview();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    assert.ok(
      r.steps.every((s) => s.op === "same"),
      JSON.stringify(ops(r)),
    );
    assert.equal(r.outputs.aRevision, 1);
    assert.deepEqual(r.lines.slice(-2), ["Resources:", "    6 unchanged"]);
    assert.equal(actions().length, 3);
  });

  it("a changed program previews update and replace with their property changes, then up applies them", async () => {
    const before = resource("b");
    const h = harness({ aSize: "2", bKey: "beta2" });
    const p = await h.preview();
    assert.equal(p.status, "succeeded", p.lines.join("\n"));
    assert.equal(actions().length, 3, "preview must not call the provider's create/update/delete");
    assert.equal(step(p, "a").op, "update");
    assert.deepEqual(step(p, "a").diffs, [{ key: "size", old: 1, new: 2 }]);
    assert.equal(step(p, "b").op, "replace");
    assert.deepEqual(step(p, "b").replaces, ["key"]);
    assert.ok(
      p.lines.some((l) => /^ ~\s+├─ .*Record\s+a\s+update \[diff: ~size\]$/.test(l)),
      p.lines.join("\n"),
    );
    assert.ok(p.lines.includes("         ~ size: 1 => 2"));
    assert.ok(
      p.lines.some((l) => /^ -\/\+ └─ .*Record\s+b\s+replace \[diff: ~key, ~size\]$/.test(l)),
      p.lines.join("\n"),
    );
    assert.ok(p.lines.includes('         ~ key: "beta" => "beta2"'));
    assert.ok(p.lines.includes("    ~ 1 to update"));
    assert.ok(p.lines.includes("    -/+ 1 to replace"));
    // Previewed outputs of an update: output-only keys unknown.
    assert.equal(p.outputs.aRevision, UNKNOWN);

    const u = await h.up();
    assert.equal(u.status, "succeeded", u.lines.join("\n"));
    const after = resource("b");
    // Create-before-delete: the new record is created before the old one is deleted.
    assert.deepEqual(actions().slice(3), [
      `update ${resource("a").id}`,
      `create ${after.id}`,
      `delete ${before.id}`,
    ]);
    assert.equal(u.outputs.aRevision, 2);
    assert.equal(u.outputs.bSize, 20);
    assert.ok(u.lines.includes("  ~ aRevision: 1 => 2"), u.lines.join("\n"));
    assert.ok(u.lines.includes("    -/+ 1 replaced"));
    // What the provider printed during the update is shown under the resource.
    const a = resource("a");
    assert.ok(
      u.diagnostics.some(
        (d) => d.urn === a.urn && d.severity === "info" && d.message === `filestore: updating ${a.id}`,
      ),
    );
    const at = u.lines.indexOf("  pulumi-nodejs:dynamic/filestore:Record (a):");
    assert.ok(at > 0 && u.lines[at + 1] === `    filestore: updating ${a.id}`, u.lines.join("\n"));
  });

  it("deleteBeforeReplace deletes the old resource first", async () => {
    const before = resource("b");
    const u = await harness({ aSize: "2", bKey: "beta3", bDeleteFirst: "true" }).up();
    assert.equal(u.status, "succeeded", u.lines.join("\n"));
    const after = resource("b");
    assert.deepEqual(actions().slice(-2), [`delete ${before.id}`, `create ${after.id}`]);
  });

  it("refresh --preview-only reports drift without writing; refresh records it; the next preview converges", async () => {
    const a = resource("a");
    const file = path.join(dir, `${a.id}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), size: 7 }));
    const stateBefore = stateText();
    const h = harness({ aSize: "2", bKey: "beta3", bDeleteFirst: "true" });

    const p = await h.refresh({ previewOnly: true });
    assert.equal(p.status, "succeeded", p.lines.join("\n"));
    assert.equal(p.lines[0], "Previewing refresh (dev):");
    assert.equal(step(p, "a").op, "refresh");
    assert.deepEqual(step(p, "a").diffs, [{ key: "size", old: 2, new: 7 }]);
    assert.equal(step(p, "b").op, "same");
    assert.ok(p.lines.includes("         ~ size: 2 => 7"), p.lines.join("\n"));
    assert.equal(stateText(), stateBefore);

    const r = await h.refresh();
    assert.equal(r.lines[0], "Refreshing (dev):");
    assert.equal(resource("a").outputs.size, 7);
    assert.equal(resource("a").inputs.size, 7, "read returned inputs, which replace the stored inputs");

    const again = await h.preview();
    assert.equal(step(again, "a").op, "update");
    assert.deepEqual(step(again, "a").diffs, [{ key: "size", old: 7, new: 2 }]);
    const u = await h.up();
    assert.equal(u.status, "succeeded");
    assert.equal(resource("a").outputs.size, 2);
  });

  it("refresh drops a resource that no longer exists", async () => {
    const b = resource("b");
    fs.rmSync(path.join(dir, `${b.id}.json`));
    const r = await harness().refresh();
    assert.equal(step(r, "b").op, "delete");
    assert.equal(
      harness()
        .state()
        .resources.some((x) => x.name === "b"),
      false,
    );
  });

  it("removed resources are deleted on up, children before their parent, after the stack outputs change", async () => {
    const c = resource("g-c");
    const u = await harness({ aSize: "2", bKey: "beta3", withC: "false" }).up();
    assert.equal(u.status, "succeeded", u.lines.join("\n"));
    assert.equal(step(u, "b").op, "create", "b was dropped by the refresh, so up recreates it");
    assert.equal(step(u, "g-c").op, "delete");
    assert.equal(step(u, "g").op, "delete");
    assert.ok(
      u.steps.findIndex((s) => s.name === "g-c") < u.steps.findIndex((s) => s.name === "g"),
      "child deleted before its parent",
    );
    assert.ok(actions().includes(`delete ${c.id}`));
    assert.ok(u.lines.includes("  - cSize    : 3"), u.lines.join("\n"));
    assert.equal(
      harness()
        .state()
        .resources.some((x) => x.name === "g-c" || x.name === "g"),
      false,
    );
  });

  it("get reads an existing resource through the host's Read", async () => {
    const a = resource("a");
    const r = await harness({ ...current, getId: a.id }).preview();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    assert.equal(step(r, "existing").op, "read");
    assert.equal(r.outputs.existingSize, 2);
    assert.ok(
      r.lines.some((l) => /^ >\s+.*existing\s+read$/.test(l)),
      r.lines.join("\n"),
    );
  });

  it("a provider error fails the run, is printed under the resource without stack, and skips deletes", async () => {
    const count = actions().length;
    const u = await harness({ ...current, failKey: "bad" }).up();
    assert.equal(u.status, "failed");
    const failing = step(u, "failing");
    assert.equal(failing.op, "create");
    assert.equal(failing.error, "create of bad refused");
    assert.ok(
      u.lines.some((l) => /Record\s+failing\s+\*\*creating failed\*\*$/.test(l)),
      u.lines.join("\n"),
    );
    const diag = u.lines.indexOf("  pulumi-nodejs:dynamic/filestore:Record (failing):");
    assert.ok(diag > 0, u.lines.join("\n"));
    assert.equal(u.lines[diag + 1], "    error: create of bad refused");
    assert.ok(u.lines.includes("    error: update failed"));
    assert.ok(!u.lines.some((l) => /^\s+at /.test(l)), "no stack trace");
    assert.deepEqual(
      actions()
        .slice(count)
        .map((a) => a.replace(/-\w+$/, "")),
      ["create bad"],
    );
    // The other resources are untouched and still in the state.
    assert.equal(step(u, "a").op, "same");
    assert.ok(resource("a"));
  });

  it("check failures are reported with property and reason", async () => {
    const p = await harness({ ...current, aSize: "-1" }).preview();
    assert.equal(p.status, "failed");
    assert.match(
      step(p, "a").error ?? "",
      /property size value \{-1\} has a problem: size must be a number >= 0, got -1/,
    );
    assert.ok(p.lines.includes("    error: preview failed"));
  });

  it("a resource created but not initialised keeps its partial state; the next up continues with it", async () => {
    const u = await harness({ ...current, initFailKey: "slow" }).up();
    assert.equal(u.status, "failed");
    const slow = step(u, "slow");
    assert.match(
      slow.error ?? "",
      /was created but failed to initialize: record slow-\w+ created but not ready\n {2}\* still warming up/,
    );
    const partial = resource("slow");
    assert.match(partial.id, /^slow-/);
    assert.equal(partial.outputs.ready, false);
    const creates = actions().filter((a) => a.startsWith("create slow")).length;

    const again = await harness({ ...current, initFailKey: "slow" }).up();
    assert.equal(step(again, "slow").op, "same");
    assert.equal(actions().filter((a) => a.startsWith("create slow")).length, creates, "no second create");
  });

  it("destroy deletes every managed resource in reverse order and empties the state", async () => {
    const st = harness().state();
    const managed = st.resources.filter((r) => r.custom && r.type.startsWith("pulumi-nodejs:dynamic"));
    const count = actions().length;
    const d = await harness().destroy();
    assert.equal(d.status, "succeeded", d.lines.join("\n"));
    assert.equal(d.lines[0], "Destroying (dev):");
    const deleted = actions().slice(count);
    assert.deepEqual([...deleted].sort(), managed.map((r) => `delete ${r.id}`).sort());
    // b depends on a: b goes first.
    assert.ok(
      deleted.indexOf(`delete ${resource2(st, "b")}`) < deleted.indexOf(`delete ${resource2(st, "a")}`),
    );
    assert.equal(step(d, "harness-fixture-dev").op, "delete");
    assert.equal(step(d, "thing").simulated, true);
    assert.equal(harness().state().resources.length, 0);
    assert.ok(d.lines.some((l) => /^ -\s+/.test(l)));
    assert.ok(!stateText().includes(PASSWORD));
  });
});

function resource2(st: { resources: readonly { name: string; id: string }[] }, name: string): string {
  return st.resources.find((r) => r.name === name)?.id ?? "";
}
