/**
 * The native plugin through the real `pulumi` CLI: a TypeScript program on the resources' type tokens (no SDK), an
 * explicit provider beside the default one, the plugin named by the project's `plugins: providers:` path. One
 * stack's life: preview, up, `pulumi import`, a preview with no changes, destroy restoring.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { startCliWorld, type CliWorld } from "../cli/support";

const WEB = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
const DB = DEMO_VM_UUIDS["db-1"];

/** The directory the project's `plugins: providers:` entry names: the launcher's. */
const PLUGIN_DIR = path.join(__dirname, "..", "..", "provider", "bin");

describe("the native plugin through the real CLI (TypeScript program, explicit and default provider)", function () {
  this.timeout(240_000);
  let world: CliWorld;
  let dir: string;

  before(async () => {
    world = await startCliWorld();
    const { sim } = world;
    dir = world.ws.project(path.join(__dirname, "fixtures", "native-ts"), { name: "native-ts" });
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: native-ts\nruntime: nodejs\nplugins:\n  providers:\n    - name: zstackvm\n      path: ${PLUGIN_DIR}\n`,
    );
    await world.ws.initStack(dir, "dev", {
      "zstackvm:host": sim.endpoint.host,
      "zstackvm:port": String(sim.endpoint.port),
      "zstackvm:accountName": sim.credentials.accountName,
      "zstackvm:accountPassword": { secret: sim.credentials.password },
      "native-ts:eastHost": sim.endpoint.host,
      "native-ts:eastPort": String(sim.endpoint.port),
      "native-ts:eastAccount": sim.credentials.accountName,
      "native-ts:eastPassword": { secret: sim.credentials.password },
      "native-ts:webUuid": WEB,
      "native-ts:dbUuid": DB,
    });
  });
  after(() => world.close());

  it("a malformed provider config fails the preview with one message naming the provider and every problem", async () => {
    await world.ws.setConfig(dir, { "zstackvm:port": "99999", "zstackvm:scheme": "ftp" });
    const run = await world.ws.run(["preview", "--non-interactive"], { cwd: dir, allowFailure: true });
    assert.notEqual(run.code, 0);
    const printed = run.stdout + run.stderr;
    assert.match(
      printed,
      /pulumi:providers:zstackvm resource 'default[^']*' has a problem: ZStack connection settings are invalid:/,
    );
    assert.match(
      printed,
      /port "99999" is not valid, expected a whole number from 1 to 65535: fix the provider input `port` \(stack config `zstackvm:port` for the default provider\) or env ZSTACK_PORT/,
    );
    assert.match(printed, /scheme "ftp" is not valid/);
    assert.doesNotMatch(printed, /\n\s+at /);
    assert.equal(world.sim.log.entries.length, 0);
    await world.ws.setConfig(dir, {
      "zstackvm:port": String(world.sim.endpoint.port),
      "zstackvm:scheme": "http",
    });
  });

  it("preview plans both resources and sends no action", async () => {
    const run = await world.ws.run(["preview", "--non-interactive"], { cwd: dir });
    assert.match(run.stdout, /\+ 4 to create/);
    assert.equal(world.sim.counters.acceptedActions(), 0);
  });

  it("up pauses the VM through the explicit provider and sets the clock through the default one", async () => {
    await world.ws.run(["up", "--yes", "--skip-preview", "--non-interactive"], { cwd: dir });
    assert.equal(world.sim.vms.get(WEB)?.state, "Paused");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "guest");
    const outputs = await world.ws.outputs(dir);
    assert.deepEqual(outputs, { webInitialState: "Running", clockTrack: "guest" });
    const state = JSON.stringify(await world.ws.exportState(dir));
    assert.equal(state.includes(world.sim.credentials.password), false, "the password is in the state");
  });

  it("pulumi import adopts a VM as it is; the program declaring it previews with no changes", async () => {
    const before = world.sim.counters.acceptedActions();
    await world.ws.run(
      [
        "import",
        "zstackvm:index:VmPauseState",
        "imported",
        WEB2,
        "--yes",
        "--protect=false",
        "--generate-code=false",
      ],
      { cwd: dir },
    );
    assert.equal(world.sim.counters.acceptedActions(), before);
    await world.ws.setConfig(dir, { "native-ts:importedUuid": WEB2, "native-ts:importedState": "Running" });
    const run = await world.ws.run(["preview", "--non-interactive", "--expect-no-changes"], { cwd: dir });
    assert.match(run.stdout, /5 unchanged/);
  });

  it("destroy restores what the stack changed and nothing it did not", async () => {
    await world.ws.run(["destroy", "--yes", "--skip-preview", "--non-interactive"], { cwd: dir });
    assert.equal(world.sim.vms.get(WEB)?.state, "Running");
    assert.equal(world.sim.vms.get(WEB2)?.state, "Running");
    assert.equal(world.sim.resourceConfigs.get(DB, "vm.clock.track"), "host");
    assert.equal(world.sim.counters.acceptedActions(WEB2), 0);
  });
});
