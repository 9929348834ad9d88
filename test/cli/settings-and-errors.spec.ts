/**
 * What a user reads when something is wrong, through the real Pulumi CLI: a broken connection setting fails the
 * `pulumi preview` of a pull request (not only the `up` after the merge), with a message that says which value is
 * wrong and what is allowed; no settings at all still preview; the runtime's errors read as messages, with no
 * JavaScript stack frames; and a destroy that meets a VM still in transition advises running the destroy again.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { DECLARED_VMS_PROGRAM, declaring, pause } from "./declared-vms";
import { assertSucceeded, errorsOf, startCliWorld, type CliReport, type CliWorld } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];

/** A line of a JavaScript stack trace, as Node prints it. */
const STACK_FRAME = /^\s+at \S.*:\d+:\d+\)?$/m;

/** Every diagnostic the CLI showed, errors and the provider host's stderr lines alike, and its own stderr. */
const shown = (report: CliReport): string =>
  [...report.diagnostics.map((d) => d.message), report.stderr].join("\n");

describe("cli: settings checked in preview, errors read as messages", function () {
  this.timeout(600_000);
  this.slow(30_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld();
  });
  after(async () => {
    await world?.close();
  });

  const program = declaring([pause("front", WEB1, { timeoutSeconds: 1 })]);

  it("a preview with zstack:port abc, zstack:scheme ftp fails, naming each invalid value and what is allowed", async () => {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "broken", {
      name: "broken",
      config: { ...program, "zstack:port": "abc", "zstack:scheme": "ftp" },
    });
    const preview = await world.json(dir, ["preview"]);
    assert.equal(preview.result, "failed", shown(preview));
    const errors = errorsOf(preview);
    assert.match(errors, /ZStack connection settings are invalid:/);
    assert.match(errors, /port "abc" is not valid, expected a whole number from 1 to 65535/);
    assert.match(errors, /scheme "ftp" is not valid, expected "http" or "https"/);
    assert.doesNotMatch(errors, /incomplete/);
    assert.doesNotMatch(shown(preview), /\[secret\]/, "no word of the message is masked as a secret");
    assert.doesNotMatch(shown(preview), STACK_FRAME, shown(preview));
    assert.ok(!preview.stdout.includes(world.sim.credentials.password));

    await world.ws.setConfig(dir, { "zstack:port": "99999", "zstack:scheme": "http" });
    const again = await world.json(dir, ["preview"]);
    assert.equal(again.result, "failed");
    assert.match(errorsOf(again), /port "99999" is not valid, expected a whole number from 1 to 65535/);
    assert.equal(world.sim.counters.count(), 0, "a preview sends nothing");
  });

  it("a preview with no connection settings at all still shows the plan, sending nothing", async () => {
    const dir = world.ws.project(DECLARED_VMS_PROGRAM, { name: "unset" });
    await world.ws.initStack(dir, "unset", program);
    const preview = await world.json(dir, ["preview"]);
    assertSucceeded(preview);
    assert.equal(world.sim.counters.count(), 0);
  });

  it("a stack without zstack:host previews, and its up fails with every missing setting named, nothing masked", async () => {
    const dir = world.ws.project(DECLARED_VMS_PROGRAM, { name: "hostless" });
    const { "zstack:host": _host, ...withoutHost } = world.zstackConfig();
    await world.ws.initStack(dir, "hostless", { ...program, ...withoutHost });
    assertSucceeded(await world.json(dir, ["preview"]));
    const up = await world.json(dir, ["up"]);
    assert.equal(up.result, "failed");
    const errors = errorsOf(up);
    assert.match(errors, /ZStack connection settings are incomplete:\n {2}- host is not set/);
    assert.match(errors, /add --secret for zstack:accountPassword and zstack:accessKeySecret/);
    // The CLI masks every occurrence of a secret's value; the simulator's password is "password".
    assert.doesNotMatch(shown(up), /\[secret\]/, shown(up));
    assert.doesNotMatch(shown(up), STACK_FRAME, shown(up));
    assert.equal(world.sim.counters.count(), 0);
  });

  it("a destroy that finds the VM still in transition says to run the destroy again, with no stack frames", async () => {
    const dir = await world.stack(DECLARED_VMS_PROGRAM, "transit", { name: "transit", config: program });
    assertSucceeded(await world.json(dir, ["up"]));
    world.sim.vms.setState(WEB1, "Migrating");
    const destroy = await world.json(dir, ["destroy"]);
    assert.equal(destroy.result, "failed");
    const errors = errorsOf(destroy);
    assert.match(
      errors,
      /was still Migrating when timeoutSeconds \(1\) ran out, so nothing was changed\. Run `pulumi destroy` \(or /,
    );
    assert.doesNotMatch(errors, /Run `pulumi up` again/);
    assert.doesNotMatch(shown(destroy), STACK_FRAME, shown(destroy));

    world.sim.vms.setState(WEB1, "Paused");
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.equal(world.sim.vms.get(WEB1)?.state, "Running");
  });
});
