/**
 * examples/yaml-two-endpoints through the real Pulumi CLI and the zstackvm plugin, on two simulators: the default
 * provider on endpoint A (stack config `zstackvm:*`), the explicit provider `east` on endpoint B (`east:*`), a
 * VmPauseState and a VmClockTrack on each. The plugin is the tarball `npm run plugin` makes, installed as users
 * install it (`pulumi plugin install resource zstackvm <version> --file`) into the workspace's clean PULUMI_HOME;
 * the program names no plugin path. The life of one stack: a preview that sends nothing, up, drift made on both
 * nodes behind Pulumi's back, refresh, the converging up, VMs adopted on A with the `import` resource option and on
 * B with `pulumi import --provider` (whose generated YAML is added to the program and previews no change), and
 * destroy, which gives each endpoint its VMs back and leaves the adopted ones as they were found. Each endpoint's
 * actions are counted in its own simulator; neither password appears in anything the CLI printed or stored.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS, type ApiActionName, type Simulator } from "pulumi-zstack-vm/simulator";

import { packPlugin } from "../../tools/plugin/bundle";
import type { RunOptions } from "../../tools/pulumi-cli/workspace";
import { ENDPOINT_ACCOUNTS, startPluginWorld, type PluginWorld } from "../support/plugin-world";

import { assertSucceeded, opsOf, REPO_ROOT, stepOf, type CliReport } from "./support";
import { addResources, pathWithoutPlugin, resourceEntries, YAML_TWO_ENDPOINTS } from "./yaml-program";

const WEB1 = DEMO_VM_UUIDS["web-1"]; // the program's VM on endpoint A
const WEB2 = DEMO_VM_UUIDS["web-2"]; // the program's VM on endpoint B
const DB = DEMO_VM_UUIDS["db-1"]; // Paused on both endpoints: adopted on each

/** The package's version, which is the plugin's. */
const VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "provider", "package.json"), "utf8")) as { version: string }
).version;

const ACTIONS: readonly ApiActionName[] = ["pauseVmInstance", "resumeVmInstance", "setVmClockTrack"];

/** The actions a simulator accepted, per VM (by demo name) and action, the VMs and actions with none left out. */
function actionsOf(sim: Simulator): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, uuid] of Object.entries(DEMO_VM_UUIDS)) {
    for (const action of ACTIONS) {
      const n = sim.counters.acceptedActions(uuid, action);
      if (n > 0) counts[`${name} ${action}`] = n;
    }
  }
  return counts;
}

/** A VM's state and clock track on one endpoint. */
function vmOf(sim: Simulator, uuid: string): { state?: string; track: string } {
  const state = sim.vms.get(uuid)?.state;
  return { ...(state ? { state } : {}), track: sim.resourceConfigs.get(uuid, "vm.clock.track") };
}

describe("cli: examples/yaml-two-endpoints, a YAML program on two endpoints through the plugin", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: PluginWorld;
  let dir: string;
  /** Everything the CLI printed, for the secrets check. */
  const printed: string[] = [];
  /** Every command's environment: no plugin on PATH, so the installed one runs. */
  let env: RunOptions["env"];

  const json = async (args: readonly string[]): Promise<CliReport> => {
    const report = await world.json(dir, args, { env });
    printed.push(report.stdout, report.stderr);
    return report;
  };

  before(async () => {
    world = await startPluginWorld();
    env = { PATH: pathWithoutPlugin(world.ws.env()["PATH"] ?? "") };
  });
  after(async () => {
    await world?.close();
  });

  it("the tarball npm run plugin writes installs with pulumi plugin install --file into a clean PULUMI_HOME", async () => {
    const home = world.ws.env()["PULUMI_HOME"]!;
    assert.deepEqual(readdirSync(home), [], "a clean PULUMI_HOME");
    // What `npm run plugin` runs, into the workspace: another spec may be packing into provider/plugin-dist.
    const tarball = await packPlugin(path.join(world.ws.dir, "plugin-dist"));
    await world.ws.run(["plugin", "install", "resource", "zstackvm", VERSION, "--file", tarball], { env });
    const listed = await world.ws.run(["plugin", "ls"], { env });
    assert.match(
      listed.stdout,
      new RegExp(`^zstackvm\\s+resource\\s+${VERSION.replace(/\./g, "\\.")}\\s`, "m"),
    );
    dir = await world.stack(YAML_TWO_ENDPOINTS, "dev", { namePlugin: false });
  });

  it("preview plans the explicit provider and four resources, sending nothing to either endpoint", async () => {
    const r = await json(["preview"]);
    assertSucceeded(r);
    assert.doesNotMatch(
      r.stdout + r.stderr,
      /using pulumi-resource-zstackvm from \$PATH/,
      "the installed plugin runs, not one on PATH",
    );
    const ops = opsOf(r);
    for (const name of ["east", "west-paused", "west-clock", "east-paused", "east-clock"]) {
      assert.equal(ops[name], "create", JSON.stringify(ops));
    }
    assert.deepEqual(world.a.log.entries, [], "a preview sends nothing to endpoint A");
    assert.deepEqual(world.b.log.entries, [], "a preview sends nothing to endpoint B");
  });

  it("up pauses web-1 on A and web-2 on B and sets their clocks: one action each, on its own endpoint", async () => {
    const r = await json(["up"]);
    assertSucceeded(r);
    assert.deepEqual(vmOf(world.a, WEB1), { state: "Paused", track: "guest" });
    assert.deepEqual(vmOf(world.b, WEB2), { state: "Paused", track: "guest" });
    // Each endpoint's other VM is untouched: the provider, not the uuid, decides where a resource goes.
    assert.deepEqual(vmOf(world.a, WEB2), { state: "Running", track: "host" });
    assert.deepEqual(vmOf(world.b, WEB1), { state: "Running", track: "host" });
    assert.deepEqual(actionsOf(world.a), { "web-1 pauseVmInstance": 1, "web-1 setVmClockTrack": 1 });
    assert.deepEqual(actionsOf(world.b), { "web-2 pauseVmInstance": 1, "web-2 setVmClockTrack": 1 });
    assert.deepEqual(await world.ws.outputs(dir), {
      westState: "Paused",
      westRestoresTo: "Running",
      westTrack: "guest",
      eastState: "Paused",
      eastRestoresTo: "Running",
      eastTrack: "guest",
    });
  });

  it("the state holds each provider's password only encrypted", async () => {
    const checkpoint = readFileSync(
      path.join(world.ws.backendDir, ".pulumi", "stacks", "yaml-two-endpoints", "dev.json"),
      "utf8",
    );
    for (const { password } of Object.values(ENDPOINT_ACCOUNTS)) {
      assert.ok(!checkpoint.includes(password), "the checkpoint holds no password in clear");
    }
    const providers = ((await world.ws.exportState(dir)).deployment.resources ?? []).filter(
      (r) => r.type === "pulumi:providers:zstackvm",
    );
    assert.deepEqual(providers.map((r) => r.urn.split("::").at(-1)).sort(), ["default", "east"]);
    for (const provider of providers) {
      const password = provider.inputs?.["accountPassword"] as Record<string, unknown> | undefined;
      assert.equal(
        password?.["4dabf18193072939515e22adb298388d"],
        "1b47061264138c4ac30d75fd1eb44270",
        `${provider.urn}: a secret`,
      );
      assert.equal(typeof password?.["ciphertext"], "string", `${provider.urn}: encrypted`);
    }
  });

  it("refresh shows the drift made on each endpoint behind Pulumi's back, sending no action", async () => {
    await world.a.vms.outOfBand(WEB1, "resume");
    world.b.resourceConfigs.set(WEB2, "vm.clock.track", "host");
    const r = await json(["refresh"]);
    assertSucceeded(r);
    const resumed = stepOf(r, "west-paused");
    assert.equal(resumed.op, "update", "the real CLI reports a refresh with changes as an update");
    assert.equal(resumed.newOutputs?.["state"], "Running");
    const retracked = stepOf(r, "east-clock");
    assert.equal(retracked.op, "update");
    assert.equal(retracked.newOutputs?.["track"], "host");
    assert.equal(stepOf(r, "east-paused").op, "same");
    assert.equal(stepOf(r, "west-clock").op, "same");
    assert.deepEqual(actionsOf(world.a), { "web-1 pauseVmInstance": 1, "web-1 setVmClockTrack": 1 });
    assert.deepEqual(actionsOf(world.b), { "web-2 pauseVmInstance": 1, "web-2 setVmClockTrack": 1 });
  });

  it("up converges both endpoints with one action each", async () => {
    const r = await json(["up"]);
    assertSucceeded(r);
    assert.equal(stepOf(r, "west-paused").op, "update");
    assert.equal(stepOf(r, "east-clock").op, "update");
    assert.deepEqual(vmOf(world.a, WEB1), { state: "Paused", track: "guest" });
    assert.deepEqual(vmOf(world.b, WEB2), { state: "Paused", track: "guest" });
    assert.deepEqual(actionsOf(world.a), { "web-1 pauseVmInstance": 2, "web-1 setVmClockTrack": 1 });
    assert.deepEqual(actionsOf(world.b), { "web-2 pauseVmInstance": 1, "web-2 setVmClockTrack": 2 });
  });

  it("the import resource option adopts db-1's pause state and clock on A as they are, with no action", async () => {
    // db-1 is Paused, its clock inherits the global defaults: the declarations say so (its track; a sync setting the
    // VM inherits is left undeclared, as an import reads it), or the import would refuse.
    addResources(
      dir,
      [
        "  west-db:",
        "    type: zstackvm:index:VmPauseState",
        "    properties:",
        `      vmUuid: ${DB}`,
        "      state: Paused",
        "    options:",
        `      import: ${DB}`,
        "  west-db-clock:",
        "    type: zstackvm:index:VmClockTrack",
        "    properties:",
        `      vmUuid: ${DB}`,
        "      track: host",
        "    options:",
        `      import: ${DB}`,
      ].join("\n"),
    );
    const preview = await json(["preview"]);
    assertSucceeded(preview);
    assert.equal(stepOf(preview, "west-db").op, "import");
    assert.equal(stepOf(preview, "west-db-clock").op, "import");
    const r = await json(["up"]);
    assertSucceeded(r);
    assert.equal(stepOf(r, "west-db").op, "import");
    assert.equal(stepOf(r, "west-db-clock").op, "import");
    assert.deepEqual(actionsOf(world.a), { "web-1 pauseVmInstance": 2, "web-1 setVmClockTrack": 1 });
    const resources = (await world.ws.exportState(dir)).deployment.resources ?? [];
    const adopted = resources.find((x) => x.urn.endsWith("::west-db"));
    assert.equal(adopted?.id, DB);
    assert.equal(
      adopted?.outputs?.["initialState"],
      "Paused",
      "what destroy gives back: the state it was found in",
    );
    assert.equal(resources.find((x) => x.urn.endsWith("::west-db-clock"))?.id, DB);
  });

  it("pulumi import --provider adopts db-1 on B with no action; its generated YAML previews no change", async () => {
    const east = (await world.ws.exportState(dir)).deployment.resources?.find(
      (x) => x.type === "pulumi:providers:zstackvm" && x.urn.endsWith("::east"),
    );
    assert.ok(east);
    const out = path.join(world.ws.dir, "east-db.yaml");
    const run = await world.ws.run(
      [
        "import",
        "zstackvm:index:VmPauseState",
        "east-db",
        DB,
        "--provider",
        `east=${east.urn}`,
        "--yes",
        "--protect=false",
        "--out",
        out,
      ],
      { cwd: dir, env },
    );
    printed.push(run.stdout, run.stderr);
    assert.deepEqual(actionsOf(world.b), { "web-2 pauseVmInstance": 1, "web-2 setVmClockTrack": 2 });
    const generated = readFileSync(out, "utf8");
    const entries = resourceEntries(generated);
    assert.match(entries, /^ {2}east-db:$/m, generated);
    assert.match(entries, /^ {4}type: zstackvm:(index:)?VmPauseState$/m, generated);
    assert.match(entries, new RegExp(`^ {6}vmUuid: ${DB}$`, "m"), generated);
    assert.match(entries, /^ {6}state: Paused$/m, generated);
    assert.match(entries, /^ {6}provider: \$\{east\}$/m, generated);

    addResources(dir, entries);
    const before = [world.a.log.entries.length, world.b.log.entries.length];
    const preview = await json(["preview"]);
    assertSucceeded(preview);
    assert.deepEqual(
      preview.changes,
      { same: Object.values(preview.changes).reduce((n, x) => n + x, 0) },
      `no change: ${JSON.stringify(opsOf(preview))}`,
    );
    assert.deepEqual(
      [world.a.log.entries.length, world.b.log.entries.length],
      before,
      "a preview sends nothing",
    );
  });

  it("destroy gives each endpoint its VMs back and leaves the adopted db-1 as it was found", async () => {
    const r = await json(["destroy"]);
    assertSucceeded(r);
    for (const [sim, uuid] of [
      [world.a, WEB1],
      [world.b, WEB2],
    ] as const) {
      assert.deepEqual(vmOf(sim, uuid), { state: "Running", track: "host" });
      assert.deepEqual(vmOf(sim, DB), { state: "Paused", track: "host" });
    }
    // web-1 and web-2 inherited their clock tracks: destroy deletes each VM's own value rather than writing one back.
    assert.deepEqual(actionsOf(world.a), {
      "web-1 pauseVmInstance": 2,
      "web-1 resumeVmInstance": 1,
      "web-1 setVmClockTrack": 1,
    });
    assert.equal(world.a.resourceConfigs.hasOwn(WEB1, "vm.clock.track"), false, "web-1 inherits again on A");
    assert.deepEqual(actionsOf(world.b), {
      "web-2 pauseVmInstance": 1,
      "web-2 resumeVmInstance": 1,
      "web-2 setVmClockTrack": 2,
    });
    assert.equal(world.b.resourceConfigs.hasOwn(WEB2, "vm.clock.track"), false, "web-2 inherits again on B");
    for (const [name, sim] of Object.entries({ A: world.a, B: world.b })) {
      const sessions = sim.sessions.counts();
      assert.equal(sessions.open, 0, `every session on ${name} logged out`);
      assert.equal(sessions.logouts, sessions.logins, `each login on ${name} logged out once`);
    }
  });

  it("neither password is in anything the CLI printed", () => {
    assert.ok(printed.length >= 16, "every command's output was kept");
    for (const { password } of Object.values(ENDPOINT_ACCOUNTS)) {
      assert.ok(!printed.some((text) => text.includes(password)), "no command printed a password");
    }
  });
});
