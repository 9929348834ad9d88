/**
 * examples/ci: the GitHub Actions workflow is not run here (no Pulumi CLI), so the test checks what can be checked
 * offline: it parses as YAML (with the js-yaml that ships with @pulumi/pulumi), it runs `pulumi preview --diff` on
 * pull requests and posts a comment, and the secrets it reads are exactly the ones its README lists.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { exampleDir } from "./support";

const dir = exampleDir("ci");
const workflowFile = path.join(dir, ".github", "workflows", "preview.yml");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly on: { readonly pull_request?: unknown };
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { readonly env?: Record<string, string>; readonly steps: readonly Step[] }>;
}

/** js-yaml from @pulumi/pulumi's own dependencies: no YAML parser is added for this one test. */
function loadYaml(): ((text: string) => unknown) | undefined {
  try {
    const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
    return (fromPulumi("js-yaml") as { load(text: string): unknown }).load;
  } catch {
    return undefined;
  }
}

describe("examples: ci", () => {
  const text = fs.readFileSync(workflowFile, "utf8");
  const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");

  it("the workflow parses and runs `pulumi preview --diff` on pull requests, then posts it as a comment", function () {
    const load = loadYaml();
    if (!load) this.skip();
    const wf = load(text) as Workflow;
    assert.ok(wf.on.pull_request !== undefined, "triggered by pull_request");
    assert.equal(wf.permissions["pull-requests"], "write");
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    assert.ok(steps.some((s) => s.run === "npm ci"));
    assert.ok(steps.some((s) => s.uses?.startsWith("pulumi/actions@")));
    assert.ok(steps.some((s) => s.run?.includes("pulumi login")));
    assert.ok(
      steps.some((s) => /pulumi preview --diff --stack "\$PULUMI_STACK" --non-interactive/.test(s.run ?? "")),
    );
    const comment = steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    assert.ok(comment, "a step posts the comment");
    assert.match(String(comment.with?.script), /createComment/);
    assert.match(String(comment.with?.script), /updateComment/);
  });

  it("the secrets the workflow reads are exactly the ones the README lists", () => {
    const used = new Set([...text.matchAll(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g)].map((m) => m[1]));
    const secretsSection = readme.slice(readme.indexOf("## Secrets"), readme.indexOf("## Notes"));
    const listed = new Set([...secretsSection.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]));
    assert.deepEqual([...used].sort(), [...listed].sort());
    for (const name of [
      "ZSTACK_HOST",
      "ZSTACK_ACCOUNT_PASSWORD",
      "PULUMI_CONFIG_PASSPHRASE",
      "PULUMI_ACCESS_TOKEN",
    ]) {
      assert.ok(used.has(name), `${name} is not used`);
    }
  });

  it("the secrets reach the job as the environment the provider and the CLI read", function () {
    const load = loadYaml();
    if (!load) this.skip();
    const wf = load(text) as Workflow;
    const env = Object.values(wf.jobs)[0]?.env ?? {};
    for (const [name, value] of Object.entries(env)) {
      assert.equal(value, `\${{ secrets.${name} }}`, `${name} comes from the secret of the same name`);
    }
    assert.ok("ZSTACK_HOST" in env && "PULUMI_BACKEND_URL" in env);
  });
});
