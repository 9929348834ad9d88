/**
 * examples/ci: the pull-request workflow's own shell steps (`pulumi login`, then `pulumi preview --diff --stack
 * "$PULUMI_STACK" --non-interactive --color never` with its status written to `$GITHUB_OUTPUT`) run for real, in a
 * copy of the quickstart standing for the infra repository, with the job's environment as the workflow sets it from
 * the secrets: the `ZSTACK_*` variables pointing at the simulator, no `zstack:*` in the stack config. The deploy
 * variant the README describes (`pulumi up --yes --stack dev`) runs with the same environment. The offline checks stay:
 * the workflow parses, and the secrets it reads are exactly the README's.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { exampleDir, QUICKSTART_FILES, REPO_ROOT, startCliWorld, type CliWorld } from "./support";

const dir = exampleDir("ci");
const workflowFile = path.join(dir, ".github", "workflows", "preview.yml");
const WEB = DEMO_VM_UUIDS["web-1"];

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly "working-directory"?: string;
}
interface Workflow {
  readonly on: { readonly pull_request?: unknown };
  readonly permissions: Record<string, string>;
  readonly env: Record<string, string>;
  readonly jobs: Record<string, { readonly env?: Record<string, string>; readonly steps: readonly Step[] }>;
}

/** js-yaml from @pulumi/pulumi's own dependencies: no YAML parser is added for this one test. */
function loadYaml(): (text: string) => unknown {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  return (fromPulumi("js-yaml") as { load(text: string): unknown }).load;
}

const text = readFileSync(workflowFile, "utf8");
const readme = readFileSync(path.join(dir, "README.md"), "utf8");
const workflow = loadYaml()(text) as Workflow;
const job = Object.values(workflow.jobs)[0]!;
const step = (name: string): Step => {
  const s = job.steps.find((x) => x.name === name);
  assert.ok(s?.run, `the workflow has no run step named ${name}`);
  return s;
};

/** Runs a bash script to its end. */
function bash(
  script: string,
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
      ...options,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("cli: examples/ci", function () {
  this.timeout(300_000);
  this.slow(20_000);

  describe("the workflow file", () => {
    it("parses and runs `pulumi preview --diff` on pull requests, then posts it as a comment", () => {
      assert.ok(workflow.on.pull_request !== undefined, "triggered by pull_request");
      assert.equal(workflow.permissions["pull-requests"], "write");
      const steps = job.steps;
      assert.ok(steps.some((s) => s.run === "npm ci"));
      assert.ok(steps.some((s) => s.uses?.startsWith("pulumi/actions@")));
      assert.ok(steps.some((s) => s.run?.includes("pulumi login")));
      assert.match(
        step("pulumi preview --diff").run!,
        /pulumi preview --diff --stack "\$PULUMI_STACK" --non-interactive/,
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

    it("the secrets reach the job as the environment the provider and the CLI read", () => {
      const env = job.env ?? {};
      for (const [name, value] of Object.entries(env)) {
        assert.equal(value, `\${{ secrets.${name} }}`, `${name} comes from the secret of the same name`);
      }
      assert.ok("ZSTACK_HOST" in env && "PULUMI_BACKEND_URL" in env);
    });
  });

  describe("its commands through the real CLI, configured by the environment only", () => {
    let world: CliWorld;
    let repo: string;
    let runnerTemp: string;
    /** The job's environment: the workflow's own values, the secrets as the simulator and the workspace give them. */
    let jobEnv: Record<string, string>;

    /**
     * Runs a `run:` step of the workflow as GitHub does (bash -eo pipefail), in its working directory. Asynchronously:
     * the simulator answers from this process, so a synchronous spawn would leave the CLI's requests unanswered.
     */
    const runStep = async (name: string) => {
      const s = step(name);
      assert.equal(s["working-directory"], "${{ env.PULUMI_WORK_DIR }}");
      const githubOutput = path.join(runnerTemp, `output-${name.replace(/\W+/g, "-")}`);
      writeFileSync(githubOutput, "");
      const r = await bash(s.run!, {
        cwd: path.join(repo, workflow.env["PULUMI_WORK_DIR"]!),
        env: world.ws.env({ ...jobEnv, RUNNER_TEMP: runnerTemp, GITHUB_OUTPUT: githubOutput }),
      });
      const outputs = Object.fromEntries(
        readFileSync(githubOutput, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split("=", 2) as [string, string]),
      );
      return { ...r, outputs };
    };
    const previewText = () => readFileSync(path.join(runnerTemp, "preview.txt"), "utf8");

    before(async () => {
      world = await startCliWorld();
      const zstack = world.sim.stackConfig();
      const base = world.ws.env();
      jobEnv = {
        ...workflow.env,
        ZSTACK_HOST: zstack["zstack:host"]!,
        ZSTACK_PORT: zstack["zstack:port"]!,
        ZSTACK_ACCOUNT_NAME: world.sim.credentials.accountName,
        ZSTACK_ACCOUNT_PASSWORD: world.sim.credentials.password,
        PULUMI_CONFIG_PASSPHRASE: base["PULUMI_CONFIG_PASSPHRASE"]!,
        PULUMI_BACKEND_URL: base["PULUMI_BACKEND_URL"]!,
      };
      runnerTemp = mkdtempSync(path.join(world.ws.dir, "runner-temp-"));
      // The infra repository: the quickstart, with a committed Pulumi.dev.yaml holding no zstack:* setting.
      repo = world.ws.project(REPO_ROOT, { files: QUICKSTART_FILES, name: "infra-repo" });
      await world.ws.initStack(repo, workflow.env["PULUMI_STACK"]!, { "quickstart:pausedVmUuid": WEB });
      assert.doesNotMatch(readFileSync(path.join(repo, "Pulumi.dev.yaml"), "utf8"), /zstack:/);
    });
    after(async () => {
      await world?.close();
    });

    it("logs in and previews with --diff: status 0, the planned changes in the comment's text, nothing sent", async () => {
      const login = await runStep("Log in to the state backend");
      assert.equal(login.code, 0, login.stderr);
      const preview = await runStep("pulumi preview --diff");
      assert.equal(preview.code, 0, "the step itself always exits 0");
      assert.deepEqual(preview.outputs, { status: "0" }, previewText());
      const shown = previewText();
      assert.match(shown, /\+ pulumi-nodejs:dynamic\/zstack:VmPauseState: \(create\)\n.*::web-paused\]/);
      assert.match(shown, /state +: "Paused"/);
      assert.match(shown, /3 to create/);
      assert.ok(!shown.includes("\u001b["), "--color never: no escape sequences in the comment");
      assert.equal(world.sim.counters.count("actionSubmit"), 0, "a preview sends nothing");
    });

    it("the deploy job's `pulumi up --yes --stack dev` reaches ZStack through the ZSTACK_* environment", async () => {
      const r = await world.ws.run(
        ["up", "--yes", "--stack", "dev", "--non-interactive", "--color", "never"],
        {
          cwd: path.join(repo, workflow.env["PULUMI_WORK_DIR"]!),
          env: jobEnv,
          allowFailure: true,
        },
      );
      assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr}`);
      assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
      assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 1);
      assert.ok(
        !`${r.stdout}${r.stderr}`.includes(world.sim.credentials.password),
        "the password was printed",
      );
    });

    it("a preview that fails (an interval ZStack does not accept) reports a non-zero status and the reason in the comment's text", async () => {
      await world.ws.setConfig(repo, { "quickstart:syncIntervalSeconds": "30" });
      const preview = await runStep("pulumi preview --diff");
      assert.equal(preview.code, 0);
      assert.notEqual(preview.outputs["status"], "0", "the last step fails the job");
      assert.match(previewText(), /intervalInSeconds/);
      assert.match(previewText(), /0, 60, 600, 1800, 3600/);
      assert.ok(!previewText().includes(world.sim.credentials.password));
    });
  });
});
