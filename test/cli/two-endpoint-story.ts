/**
 * The two-endpoint story through the real Pulumi CLI, for a program on the native provider plugin in any language
 * (examples/go-two-endpoints, examples/typescript-sdk): the same resources, so the same commands and checks. Endpoint
 * A (simulator `a`) is the default provider's, from the stack's `zstackvm:*` config; endpoint B (simulator `b`) an
 * explicit provider's, from `east:*`. Both serve the demo VMs under the same uuids, so every check says which
 * endpoint it reads.
 *
 * preview sends nothing to either endpoint; up pauses web-1 on both, sets web-2's clock on B and adopts db-1's clock
 * on B (the `import` resource option); changes made out of band on both show on refresh and the next up converges
 * them; `pulumi import` adopts db-1's pause state on A, and the program that then declares it previews no changes;
 * destroy restores what the stack changed and nothing it adopted, and every session the provider processes opened
 * on either endpoint is logged out. The passwords appear nowhere the CLI printed or stored.
 */
import { strict as assert } from "node:assert";

import { DEMO_VM_UUIDS, type Simulator } from "pulumi-zstack-vm/simulator";

import { ENDPOINT_ACCOUNTS, startPluginWorld, type PluginWorld } from "../support/plugin-world";
import { assertSucceeded, opsOf, stepOf, type CliReport } from "./support";

const WEB1 = DEMO_VM_UUIDS["web-1"];
const WEB2 = DEMO_VM_UUIDS["web-2"];
const DB1 = DEMO_VM_UUIDS["db-1"];
const CLOCK_TRACK = "vm.clock.track";

/** One language's program of the story. */
export interface StoryProgram {
  /** The suite's title, e.g. `examples/go-two-endpoints`. */
  readonly title: string;
  /** The project directory. */
  readonly source: string;
  /** Its project name (the namespace of its own config). */
  readonly project: string;
  /**
   * Whether `pulumi import` may generate the program's code: only where the language host implements code
   * generation (otherwise `--generate-code=false`).
   */
  readonly generatesCode: boolean;
  /** Environment of every command. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Defines the story's suite for one program. */
export function describeTwoEndpointStory(program: StoryProgram): void {
  describe(`cli: ${program.title} on two endpoints through the native provider`, function () {
    this.timeout(600_000);
    this.slow(60_000);
    let world: PluginWorld;
    let dir: string;
    /** Everything the CLI printed and the state exported after up, for the password check. */
    const printed: string[] = [];
    const run = async (args: readonly string[]): Promise<CliReport> => {
      const report = await world.json(dir, args);
      printed.push(report.stdout, report.stderr);
      return report;
    };
    const pauses = (sim: Simulator, uuid: string) =>
      sim.counters.acceptedActions(uuid, "pauseVmInstance") +
      sim.counters.acceptedActions(uuid, "resumeVmInstance");
    const clockSets = (sim: Simulator, uuid: string) => sim.counters.acceptedActions(uuid, "setVmClockTrack");

    before(async () => {
      world = await startPluginWorld(program.env ? { env: program.env } : {});
      dir = await world.stack(program.source, "dev");
    });
    after(async () => {
      await world?.close();
    });

    it("preview plans both endpoints' resources and sends nothing to either", async () => {
      const preview = await run(["preview"]);
      assertSucceeded(preview);
      const { "east-db-clock": _adopted, ...created } = opsOf(preview);
      assert.deepEqual(created, {
        [`${program.project}-dev`]: "create",
        east: "create",
        "west-web": "create",
        "east-web": "create",
        "east-clock": "create",
      });
      // Its provider is created by this deployment, so the preview cannot read the VM yet: the engine plans the
      // import, then an update against values it does not know.
      assert.ok(
        preview.steps.some((step) => step.name === "east-db-clock" && step.op === "import"),
        JSON.stringify(preview.steps.map((step) => `${step.name}:${step.op}`)),
      );
      for (const sim of [world.a, world.b]) assert.equal(sim.counters.acceptedActions(), 0);
    });

    it("up pauses web-1 on each endpoint, sets web-2's clock on B, and adopts db-1's clock on B with no action", async () => {
      const up = await run(["up"]);
      assertSucceeded(up);
      assert.equal(stepOf(up, "east-db-clock").op, "import");
      for (const sim of [world.a, world.b]) assert.equal(sim.vms.get(WEB1)?.state, "Paused");
      assert.equal(world.a.vms.get(WEB2)?.state, "Running");
      assert.equal(world.b.resourceConfigs.get(WEB2, CLOCK_TRACK), "guest");
      assert.equal(
        world.a.resourceConfigs.get(WEB2, CLOCK_TRACK),
        "host",
        "endpoint A's web-2 is not the stack's",
      );
      assert.deepEqual(
        { aWeb1: pauses(world.a, WEB1), bWeb1: pauses(world.b, WEB1), bWeb2Clock: clockSets(world.b, WEB2) },
        { aWeb1: 1, bWeb1: 1, bWeb2Clock: 1 },
      );
      assert.equal(world.a.counters.acceptedActions(), 1, "endpoint A: web-1's pause only");
      assert.equal(world.b.counters.acceptedActions(), 2, "endpoint B: web-1's pause and web-2's clock");
      assert.deepEqual(await world.ws.outputs(dir), {
        westWebState: "Paused",
        eastWebState: "Paused",
        eastClockTrack: "guest",
      });
      const state = await world.ws.exportState(dir);
      printed.push(JSON.stringify(state));
      const east = state.deployment.resources?.find((r) => r.type === "pulumi:providers:zstackvm");
      assert.ok(
        typeof east?.inputs?.["accountPassword"] === "object",
        "the explicit provider's password is stored as an encrypted secret",
      );
    });

    it("refresh reports what changed out of band on both endpoints, and the next up converges it", async () => {
      await world.a.vms.outOfBand(WEB1, "resume");
      await world.b.vms.outOfBand(WEB1, "resume");
      world.b.resourceConfigs.set(WEB2, CLOCK_TRACK, "host");
      const sent = [world.a.counters.acceptedActions(), world.b.counters.acceptedActions()];

      const refresh = await run(["refresh"]);
      assertSucceeded(refresh);
      assert.equal(refresh.changes["update"], 3, JSON.stringify(refresh.changes));
      assert.deepEqual([world.a.counters.acceptedActions(), world.b.counters.acceptedActions()], sent);
      // A refresh runs no program, so the stack's outputs wait for the next up: the resources' own outputs changed.
      const refreshed = await world.ws.exportState(dir);
      const output = (name: string, key: string) =>
        refreshed.deployment.resources?.find((r) => r.urn.endsWith(`::${name}`))?.outputs?.[key];
      assert.deepEqual(
        [output("west-web", "state"), output("east-web", "state"), output("east-clock", "track")],
        ["Running", "Running", "host"],
      );

      const up = await run(["up"]);
      assertSucceeded(up);
      assert.deepEqual(
        { "west-web": "update", "east-web": "update", "east-clock": "update" },
        Object.fromEntries(Object.entries(opsOf(up)).filter(([, op]) => op === "update")),
      );
      for (const sim of [world.a, world.b]) assert.equal(sim.vms.get(WEB1)?.state, "Paused");
      assert.equal(world.b.resourceConfigs.get(WEB2, CLOCK_TRACK), "guest");
      assert.deepEqual(
        [world.a.counters.acceptedActions(), world.b.counters.acceptedActions()],
        [sent[0]! + 1, sent[1]! + 2],
        "one pause on A; one pause and one clock set on B",
      );
      assert.deepEqual(await world.ws.outputs(dir), {
        westWebState: "Paused",
        eastWebState: "Paused",
        eastClockTrack: "guest",
      });
    });

    it("`pulumi import` adopts db-1 on A with no action; the program declaring it then previews no changes", async () => {
      const sent = [world.a.counters.acceptedActions(), world.b.counters.acceptedActions()];
      const imported = await world.ws.run(
        [
          "import",
          "zstackvm:index:VmPauseState",
          "west-db",
          DB1,
          "--yes",
          "--non-interactive",
          // Imported resources are protected by default: the story's destroy must be able to delete it.
          "--protect=false",
          ...(program.generatesCode ? [] : ["--generate-code=false"]),
        ],
        { cwd: dir },
      );
      printed.push(imported.stdout, imported.stderr);
      const state = await world.ws.exportState(dir);
      const westDb = state.deployment.resources?.find((r) => r.urn.endsWith("::west-db"));
      assert.deepEqual(
        { vmUuid: westDb?.inputs?.["vmUuid"], state: westDb?.inputs?.["state"] },
        { vmUuid: DB1, state: "Paused" },
        "the import read db-1 as it is on endpoint A",
      );
      if (program.generatesCode) assert.match(imported.stdout, /west-db/, "the generated code declares it");

      await world.ws.setConfig(dir, { [`${program.project}:declareImported`]: "true" });
      const preview = await run(["preview"]);
      assertSucceeded(preview);
      assert.deepEqual(
        Object.entries(opsOf(preview)).filter(([, op]) => op !== "same"),
        [],
        "nothing to change after the import",
      );
      assert.deepEqual([world.a.counters.acceptedActions(), world.b.counters.acceptedActions()], sent);
      assert.equal(world.a.vms.get(DB1)?.state, "Paused");
    });

    it("destroy restores what the stack changed on both endpoints, and nothing it adopted", async () => {
      assertSucceeded(await run(["destroy"]));
      for (const sim of [world.a, world.b]) {
        assert.equal(sim.vms.get(WEB1)?.state, "Running");
        assert.equal(sim.vms.get(DB1)?.state, "Paused", "db-1 was Paused when adopted");
        assert.equal(pauses(sim, DB1) + clockSets(sim, DB1), 0, "no action ever reached db-1");
      }
      assert.equal(world.b.resourceConfigs.get(WEB2, CLOCK_TRACK), "host");
      assert.equal(world.b.resourceConfigs.get(DB1, CLOCK_TRACK), "host");
      assert.equal((await world.ws.exportState(dir)).deployment.resources?.length ?? 0, 0);
      // Each provider instance's process logged in to its own endpoint and logged out when the engine ended it.
      for (const [name, sim] of Object.entries({ A: world.a, B: world.b })) {
        const sessions = sim.sessions.counts();
        assert.ok(sessions.logins > 0, `the story logged in to ${name}`);
        assert.equal(sessions.open, 0, `every session on ${name} logged out`);
        assert.equal(sessions.logouts, sessions.logins, `each login on ${name} logged out once`);
      }
    });

    it("neither endpoint's password appears in what the CLI printed or in the state", () => {
      for (const { password } of Object.values(ENDPOINT_ACCOUNTS)) {
        assert.ok(!printed.some((text) => text.includes(password)), "a password was printed or stored");
      }
    });
  });
}
