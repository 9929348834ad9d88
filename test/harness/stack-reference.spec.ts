/**
 * The engine harness's StackReference support: a program's `new pulumi.StackReference(name)` reads the stack outputs
 * of another harness stack's state file (option `stackReferences`), as the engine reads the referenced stack's
 * checkpoint; secrets stay secret; an unlisted stack fails the run like an unknown stack.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineHarness } from "../../tools/harness/engine";
import { secret } from "../../tools/provider-host/properties";
import { saveState } from "../../tools/harness/state";

const projectDir = path.join(__dirname, "fixtures", "stackref-project");
const REF = "organization/producer/dev";

describe("harness: StackReference", function () {
  this.timeout(60_000);
  this.slow(10_000);
  let dir: string;
  let producerState: string;

  const writeProducer = (outputs: Record<string, unknown>): void =>
    saveState(producerState, { project: "producer", stack: "dev", resources: [], outputs }, "producer-pass");
  const harness = (ref = REF): EngineHarness =>
    new EngineHarness({
      projectDir,
      stack: "dev",
      statePath: path.join(dir, "consumer.json"),
      config: { ref },
      secretsPassphrase: "consumer-pass",
      stackReferences: { [REF]: { statePath: producerState, secretsPassphrase: "producer-pass" } },
    });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-stackref-"));
    producerState = path.join(dir, "producer.json");
    writeProducer({ host: "host-1", count: 2, token: secret("tok-123") });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("preview reads the referenced stack's outputs, keeping secrets secret", async () => {
    const r = await harness().preview();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    const step = r.steps.find((s) => s.type === "pulumi:pulumi:StackReference");
    assert.ok(step);
    assert.equal(step.op, "read");
    assert.equal(step.simulated, false);
    assert.equal(step.id, REF);
    assert.deepEqual(
      { host: r.outputs.host, count: r.outputs.count, token: r.outputs.token },
      { host: "host-1", count: 2, token: "tok-123" },
    );
    assert.equal(r.outputs.missing, undefined);
    assert.deepEqual(r.secretOutputs, ["token"]);
    assert.ok(
      r.lines.some((l) => /token: \[secret\]/.test(l)),
      r.lines.join("\n"),
    );
    assert.ok(!r.lines.join("\n").includes("tok-123"));
  });

  it("up records the reference as external; a later up sees the producer's new outputs", async () => {
    const first = await harness().up();
    assert.equal(first.status, "succeeded", first.lines.join("\n"));
    const ref = harness()
      .state()
      .resources.find((x) => x.type === "pulumi:pulumi:StackReference");
    assert.ok(ref);
    assert.equal(ref.external, true);
    assert.ok(!fs.readFileSync(path.join(dir, "consumer.json"), "utf8").includes("tok-123"));

    writeProducer({ host: "host-2", count: 3, token: secret("tok-123") });
    const second = await harness().up();
    assert.equal(second.status, "succeeded", second.lines.join("\n"));
    assert.equal(second.outputs.host, "host-2");
    assert.equal(second.outputs.count, 3);
  });

  it("a stack that is not listed fails the run as an unknown stack", async () => {
    const r = await harness("organization/nope/dev").preview();
    assert.equal(r.status, "failed");
    assert.ok(
      r.diagnostics.some((d) => d.message.includes('unknown stack "organization/nope/dev"')),
      r.lines.join("\n"),
    );
  });

  it("destroy forgets the reference without touching the producer", async () => {
    const r = await harness().destroy();
    assert.equal(r.status, "succeeded", r.lines.join("\n"));
    assert.deepEqual(harness().state().resources, []);
    assert.ok(fs.existsSync(producerState));
  });
});
