/**
 * The README's "With the Pulumi CLI" commands, run as written by the real CLI: the test extracts the section's shell
 * blocks and runs each command line with bash, in a copy of the quickstart project (so `pulumi stack init dev` writes
 * its Pulumi.dev.yaml there, not into the repository), with HOME in a temporary directory (for the README's
 * `pulumi login file://$HOME/...`) and `PULUMI_SKIP_CONFIRMATIONS=true` standing in for answering the prompts. The
 * first block (npm ci, PATH, the simulator) is the test's own setup: the simulator runs in this process on a free
 * port, which replaces 8080 in the commands. The drift block runs where the README says, before `pulumi refresh`.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { QUICKSTART_FILES, REPO_ROOT, startCliWorld, type CliWorld } from "./support";

const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

/** The shell blocks of the README section headed `title`, in order. */
function shellBlocks(title: string): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `README has no section "${title}"`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** A block's commands: backslash continuations joined, comments and blank lines dropped. */
function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
}

describe("cli: the README's With the Pulumi CLI commands", function () {
  this.timeout(900_000);
  this.slow(120_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld();
  });
  after(async () => {
    await world?.close();
  });

  it("run as written, they preview, pause, show and converge drift, change the clock in place and restore", async () => {
    const [setup, commands, drift] = shellBlocks("With the Pulumi CLI");
    assert.ok(setup && commands && drift, "the section has its three shell blocks");
    assert.match(setup, /npm run simulator/);
    const port = String(world.sim.endpoint.port);
    const dir = world.ws.project(REPO_ROOT, { files: QUICKSTART_FILES, name: "quickstart" });
    const home = path.join(world.ws.dir, "home");
    mkdirSync(home);
    // The workspace's own backend and passphrase must not stand in for the README's.
    const env: NodeJS.ProcessEnv = world.ws.env({ HOME: home, PULUMI_SKIP_CONFIRMATIONS: "true" });
    delete env["PULUMI_BACKEND_URL"];
    delete env["PULUMI_CONFIG_PASSPHRASE"];

    const sh = async (command: string): Promise<string> => {
      const line = command.replaceAll("8080", port);
      const exported = /^export (\w+)=(\S+)$/.exec(line);
      if (exported) {
        env[exported[1]!] = exported[2]!;
        return "";
      }
      try {
        const { stdout } = await promisify(execFile)("bash", ["-eo", "pipefail", "-c", line], {
          cwd: dir,
          env,
        });
        return stdout;
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        assert.fail(`\`${command}\` failed:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
      }
    };

    const previews: string[] = [];
    const pauses = () => world.sim.counters.acceptedActions(WEB, "pauseVmInstance");
    for (const command of commandsOf(commands)) {
      if (command === "pulumi refresh") {
        assert.equal(world.sim.vms.get(WEB)?.state, "Paused", "the first up paused web-1");
        // One script: its second command uses the session id the first one set.
        await sh(commandsOf(drift).join("\n"));
        // The resume is an asynchronous job: its 202 comes back while web-1 is still Resuming.
        assert.equal(
          world.sim.counters.acceptedActions(WEB, "resumeVmInstance"),
          1,
          "the README's curl resumed web-1",
        );
        await world.sim.vms.reaches(WEB, "Running");
      }
      const out = await sh(command);
      if (command.includes("pulumi preview")) previews.push(out);
      if (command === "pulumi up" && pauses() === 2) assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    }

    assert.equal(previews.length, 3, "three previews");
    assert.match(previews[0]!, /\+ 3 to create/);
    assert.match(previews[1]!, /~ state\s*: "Running" => "Paused"/);
    assert.match(previews[2]!, /~ intervalInSeconds\s*: 600 => 3600/);
    assert.equal(pauses(), 2, "one pause, and one more converging the drift");
    assert.equal(world.sim.vms.get(WEB)?.state, "Running", "destroy resumed web-1");
    assert.equal(
      world.sim.resourceConfigs.get(DB, "vm.clock.track"),
      "host",
      "destroy set db-1's clock back",
    );
    assert.equal(world.sim.counters.acceptedActions(DB, "setVmClockTrack"), 1, "set once");
    // db-1 inherited its clock settings: destroy deletes the values the stack wrote, so it inherits them again.
    assert.equal(world.sim.counters.acceptedActions(DB, "deleteResourceConfig"), 3, "then restored");
    assert.equal(world.sim.resourceConfigs.hasOwn(DB, "vm.clock.track"), false);
  });
});
