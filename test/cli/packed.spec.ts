/**
 * The package as users install it: `npm pack`, then `npm install` of the tarball into a Pulumi project outside the
 * workspace, shaped like `pulumi new typescript` makes it. There `require("pulumi-zstack-vm/runtime")`, which the
 * serialized provider does inside the dynamic-provider host, resolves through the project's own node_modules, not
 * the workspace link. The real CLI runs the project's life against the simulator.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { assertSucceeded, REPO_ROOT, startCliWorld, type CliWorld } from "./support";

const run = promisify(execFile);
const WEB = DEMO_VM_UUIDS["web-1"];
const DB = DEMO_VM_UUIDS["db-1"];

/** The workspace's pinned versions of what a user's project depends on besides us. */
function pinned(name: string): string {
  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  assert.ok(version, `${name} is not in the workspace's lockfile`);
  return `${name}@${version}`;
}

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { VmClockTrack, VmPauseState } from "pulumi-zstack-vm";

const config = new pulumi.Config();
const web = new VmPauseState("web-paused", { vmUuid: config.require("webVm"), state: "Paused" });
const db = new VmClockTrack("db-clock", { vmUuid: config.require("dbVm"), track: "guest", intervalInSeconds: 600 });

export const webState = web.state;
export const webRestoreTo = web.initialState;
export const dbTrack = db.track;
`;

describe("cli: the package installed from npm pack, outside the workspace", function () {
  this.timeout(900_000);
  this.slow(120_000);
  let world: CliWorld;
  let dir: string;

  before(async () => {
    // The user's program exists only here, so ts-node's type-check at each command is part of what runs.
    world = await startCliWorld({ typeCheck: true });
    const packDir = path.join(world.ws.dir, "pack");
    mkdirSync(packDir);
    const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", packDir], {
      cwd: path.join(REPO_ROOT, "provider"),
    });
    const tarball = path.join(packDir, stdout.trim().split("\n").at(-1)!);

    dir = path.join(world.ws.dir, "user-project");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
    writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" },
        files: ["index.ts"],
      }),
    );
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", main: "index.ts" }));
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        tarball,
        pinned("@pulumi/pulumi"),
        pinned("typescript"),
        pinned("ts-node"),
        pinned("@types/node"),
      ],
      { cwd: dir },
    );
    await world.ws.initStack(dir, "dev", { ...world.zstackConfig(), webVm: WEB, dbVm: DB });
  });
  after(async () => {
    await world?.close();
  });

  it("is installed as a plain directory in the project's node_modules", () => {
    const installed = path.join(dir, "node_modules", "pulumi-zstack-vm");
    assert.ok(!lstatSync(installed).isSymbolicLink(), "a copy from the tarball, not a workspace link");
    assert.ok(lstatSync(path.join(installed, "dist", "runtime", "index.js")).isFile());
  });

  it("preview, up, refresh and destroy run the installed runtime", async () => {
    assertSucceeded(await world.json(dir, ["preview"]));
    assert.equal(world.sim.counters.acceptedActions(), 0);

    assertSucceeded(await world.json(dir, ["up"]));
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "guest");
    assert.deepEqual(await world.ws.outputs(dir), {
      webState: "Paused",
      webRestoreTo: "Running",
      dbTrack: "guest",
    });

    const state = await world.ws.exportState(dir);
    const provider = state.deployment.resources?.find((r) => r.urn.endsWith("::web-paused"))?.inputs?.[
      "__provider"
    ];
    assert.match(String(provider), /require\("pulumi-zstack-vm\/runtime"\)/);
    assert.doesNotMatch(
      String(provider),
      new RegExp(REPO_ROOT.replace(/[/.]/g, "\\$&")),
      "no path of the repository",
    );

    await world.sim.vms.outOfBand(WEB, "resume");
    assertSucceeded(await world.json(dir, ["refresh"]));
    assertSucceeded(await world.json(dir, ["up"]));
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(world.sim.counters.acceptedActions(WEB, "pauseVmInstance"), 2);

    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "host");
  });
});
