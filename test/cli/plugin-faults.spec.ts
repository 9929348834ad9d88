/**
 * Bad input and faults of the zstackvm plugin through the real Pulumi CLI, with examples/yaml-two-endpoints on two
 * simulators: a provider config that is malformed or incomplete fails `pulumi preview` with one error listing every
 * problem and naming the provider resource; an unreachable endpoint fails its own provider's resources only while
 * the other endpoint's converge; and the CLI interrupted (SIGINT) or killed (SIGKILL) in the middle of an up on both
 * endpoints, then the documented recovery (after SIGKILL: `pulumi cancel`, `pulumi refresh --clear-pending-creates`,
 * `pulumi up`), sends no action twice on either.
 */
import { strict as assert } from "node:assert";
import net from "node:net";

import { DEMO_VM_UUIDS, type ApiActionName, type Simulator } from "pulumi-zstack-vm/simulator";

import type { RunningPulumi } from "../../tools/pulumi-cli/workspace";
import { startPluginWorld, type PluginWorld } from "../support/plugin-world";

import { assertSucceeded, errorsOf, printed, type CliReport } from "./support";
import { YAML_TWO_ENDPOINTS } from "./yaml-program";

const WEB1 = DEMO_VM_UUIDS["web-1"]; // the program's VM on endpoint A
const WEB2 = DEMO_VM_UUIDS["web-2"]; // the program's VM on endpoint B

/** Every `ZSTACK_*` variable blank (read as unset), so that a developer's shell cannot complete a broken config. */
const NO_ZSTACK_ENV = Object.fromEntries(
  [
    "HOST",
    "PORT",
    "SCHEME",
    "CONTEXT_PATH",
    "ACCOUNT_NAME",
    "ACCOUNT_PASSWORD",
    "ACCESS_KEY_ID",
    "ACCESS_KEY_SECRET",
    "CA_BUNDLE",
    "INSECURE",
    "REQUEST_TIMEOUT_SECONDS",
  ].map((name) => [`ZSTACK_${name}`, ""]),
);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The VM's state and clock track on one endpoint. */
const vmOf = (sim: Simulator, uuid: string) => ({
  state: sim.vms.get(uuid)?.state,
  track: sim.resourceConfigs.get(uuid, "vm.clock.track"),
});

/** The actions one endpoint accepted for its program VM: pauses and clock sets. */
const actionsOn = (sim: Simulator, uuid: string) => ({
  pause: sim.counters.acceptedActions(uuid, "pauseVmInstance"),
  clock: sim.counters.acceptedActions(uuid, "setVmClockTrack"),
});

/** Resolves once the simulator accepted `action` on the VM (the submit answered 202). */
const accepted = (sim: Simulator, uuid: string, action: ApiActionName) =>
  sim.log.waitFor(
    (e) => e.kind === "actionSubmit" && e.vmUuid === uuid && e.action === action && e.status === 202,
  );

/** Resolves once every job the simulator accepted has finished (a killed CLI's plugins may be gone). */
async function jobsDone(sim: Simulator): Promise<void> {
  while (sim.jobs.list().some((job) => job.finishedAt === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The error diagnostics of a run that name the resource `name` (by URN). */
const errorsAbout = (report: CliReport, name: string) =>
  report.diagnostics.filter((d) => d.severity === "error" && d.urn?.endsWith(`::${name}`));

describe("cli: the plugin's bad input and faults on two endpoints", function () {
  this.timeout(600_000);
  this.slow(60_000);
  let world: PluginWorld;

  beforeEach(async () => {
    world = await startPluginWorld({ env: NO_ZSTACK_ENV });
  });
  afterEach(async () => {
    await world?.close();
  });

  /**
   * Starts an up of the example in `dir` and resolves once every action is in flight: each endpoint's first job
   * waits until `release`, and its VM's second job queues behind it (one chain per VM), so all four actions have
   * been accepted and none has finished.
   */
  async function upInFlight(dir: string): Promise<{ running: RunningPulumi; release: () => void }> {
    const holds = [world.a.vms.hold(WEB1), world.b.vms.hold(WEB2)];
    const running = world.ws.start(["up", "--yes", "--skip-preview"], { cwd: dir });
    const endpoints = [
      [world.a, WEB1],
      [world.b, WEB2],
    ] as const;
    await Promise.all(
      endpoints.flatMap(([sim, uuid]) => [
        accepted(sim, uuid, "pauseVmInstance"),
        accepted(sim, uuid, "setVmClockTrack"),
      ]),
    );
    return { running, release: () => holds.forEach((hold) => hold.release()) };
  }

  /** Both endpoints' VMs as the example declares them, each reached with exactly one action of each kind. */
  function assertConvergedOnce(): void {
    assert.deepEqual(vmOf(world.a, WEB1), { state: "Paused", track: "guest" });
    assert.deepEqual(vmOf(world.b, WEB2), { state: "Paused", track: "guest" });
    assert.deepEqual(actionsOn(world.a, WEB1), { pause: 1, clock: 1 }, "no action sent twice on A");
    assert.deepEqual(actionsOn(world.b, WEB2), { pause: 1, clock: 1 }, "no action sent twice on B");
  }

  it("a malformed and incomplete provider config fails the preview, one error per provider listing all", async () => {
    const dir = await world.stack(YAML_TWO_ENDPOINTS, "broken", {
      name: "broken",
      config: { "east:host": "", "east:scheme": "ftp" },
    });
    const east = await world.json(dir, ["preview"]);
    assert.equal(east.result, "failed");
    const [eastError, ...more] = errorsAbout(east, "east");
    assert.ok(eastError, `an error names the provider east: ${errorsOf(east)}`);
    assert.deepEqual(more, [], "one error for the provider");
    assert.match(eastError.message, /pulumi:providers:zstackvm resource 'east' has a problem/);
    assert.match(eastError.message, /ZStack connection settings are incomplete and invalid:/);
    assert.match(eastError.message, /host is not set/);
    assert.match(eastError.message, /scheme "ftp" is not valid, expected "http" or "https"/);

    // The default provider: its stack config is the engine's to send.
    await world.ws.setConfig(dir, {
      "east:host": "127.0.0.1",
      "east:scheme": "http",
      "zstackvm:port": "http-alt",
      "zstackvm:accountName": "",
    });
    const fallback = await world.json(dir, ["preview"]);
    assert.equal(fallback.result, "failed");
    const [defaultError] = errorsAbout(fallback, "default");
    assert.ok(defaultError, `an error names the default provider: ${errorsOf(fallback)}`);
    assert.match(defaultError.message, /pulumi:providers:zstackvm resource 'default' has a problem/);
    assert.match(
      defaultError.message,
      /port "http-alt" is not valid, expected a whole number from 1 to 65535/,
    );
    assert.match(defaultError.message, /accountName is not set/);
    assert.deepEqual([world.a.log.entries, world.b.log.entries], [[], []], "nothing sent to either endpoint");
  });

  it("an unreachable endpoint fails its provider's resources only: the other endpoint converges", async () => {
    const port = String(world.b.endpoint.port);
    const dir = await world.stack(YAML_TWO_ENDPOINTS, "unreachable", {
      name: "unreachable",
      config: { "east:port": String(await closedPort()) },
    });
    const up = await world.json(dir, ["up", "--continue-on-error"]);
    assert.equal(up.result, "failed");
    for (const name of ["east-paused", "east-clock"]) {
      const [error] = errorsAbout(up, name);
      assert.ok(error, `${name} failed: ${errorsOf(up)}`);
      assert.match(error.message, /CLIENT\.TRANSPORT .*ECONNREFUSED/);
    }
    assert.deepEqual(errorsAbout(up, "west-paused"), []);
    assert.deepEqual(errorsAbout(up, "west-clock"), []);
    assert.deepEqual(vmOf(world.a, WEB1), { state: "Paused", track: "guest" });
    assert.deepEqual(actionsOn(world.a, WEB1), { pause: 1, clock: 1 });
    assert.deepEqual(world.b.log.entries, []);

    // The endpoint fixed: the provider is updated in place and B converges; A has nothing to do.
    await world.ws.setConfig(dir, { "east:port": port });
    const fixed = await world.json(dir, ["up"]);
    assertSucceeded(fixed);
    assert.deepEqual(vmOf(world.b, WEB2), { state: "Paused", track: "guest" });
    assert.deepEqual(actionsOn(world.b, WEB2), { pause: 1, clock: 1 });
    assert.deepEqual(actionsOn(world.a, WEB1), { pause: 1, clock: 1 });
    assertSucceeded(await world.json(dir, ["destroy"]));
    assert.deepEqual(vmOf(world.a, WEB1), { state: "Running", track: "host" });
    assert.deepEqual(vmOf(world.b, WEB2), { state: "Running", track: "host" });
  });

  it("SIGKILL mid-up on both endpoints, then cancel, refresh --clear-pending-creates and up: no action twice", async () => {
    const dir = await world.stack(YAML_TWO_ENDPOINTS, "killed", { name: "killed" });
    const { running, release } = await upInFlight(dir);
    running.child.kill("SIGKILL");
    await running.done;
    release();
    const pending = (await world.ws.exportState(dir)).deployment.pending_operations ?? [];
    assert.deepEqual(
      pending.map((p) => [p.type, p.resource.urn.split("::").at(-1)]).sort(),
      [
        ["creating", "east-clock"],
        ["creating", "east-paused"],
        ["creating", "west-clock"],
        ["creating", "west-paused"],
      ],
      "the checkpoint records the four creates in flight",
    );
    await Promise.all([jobsDone(world.a), jobsDone(world.b)]);

    // The recovery provider/docs/pulumi-semantics.md describes ("Failed and interrupted runs").
    await world.ws.run(["cancel", "--yes"], { cwd: dir });
    assertSucceeded(await world.json(dir, ["refresh", "--clear-pending-creates"]));
    assertSucceeded(await world.json(dir, ["up"]));
    assertConvergedOnce();
    assert.deepEqual((await world.ws.exportState(dir)).deployment.pending_operations ?? [], []);
  });

  it("SIGINT mid-up on both endpoints: the next up converges both, sending no action twice", async () => {
    const dir = await world.stack(YAML_TWO_ENDPOINTS, "interrupted", { name: "interrupted" });
    const { running, release } = await upInFlight(dir);
    running.child.kill("SIGINT");
    await printed(running, "received; cancelling");
    release();
    const ended = await running.done;
    assert.notEqual(ended.code, 0, "an interrupted up reports failure");

    // The engine's Cancel stops no operation in flight: the four creates finish their jobs and are recorded, as with
    // the dynamic-provider host, so the next up has nothing to send.
    const recorded = (await world.ws.exportState(dir)).deployment.resources ?? [];
    assert.equal(recorded.filter((r) => r.type.startsWith("zstackvm:index:")).length, 4);
    const converge = await world.json(dir, ["up"]);
    assertSucceeded(converge);
    assertConvergedOnce();
    assert.deepEqual((await world.ws.exportState(dir)).deployment.pending_operations ?? [], []);
  });
});
