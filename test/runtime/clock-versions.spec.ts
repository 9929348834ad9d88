import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";
import { UNKNOWN } from "pulumi-zstack-vm/runtime";

import { converge } from "../../provider/src/runtime/clock-converge";
import { deadlineAfter } from "../../provider/src/runtime/read-scope";
import { resolveConnectionSettings } from "../../provider/src/runtime/settings";
import { ZStackClient } from "../../provider/src/zstack";
import { startWorld, type World } from "../support/world";

const WEB = DEMO_VM_UUIDS["web-1"];

const inputs = (clock: Record<string, unknown>) => ({
  vmUuid: WEB,
  ...clock,
  timeoutSeconds: 30,
  onDelete: "restore",
});

/** What a create declaring `clock` does on a node of `version`: `"ok"` or its error message. */
async function createOn(world: World, clock: Record<string, unknown>): Promise<string> {
  return world.clock.create(inputs(clock)).then(
    () => "ok",
    (error: Error) => error.message,
  );
}

describe("VmClockTrack against management nodes of other versions", () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const sent = () => world!.sim.counters.acceptedActions(WEB, "setVmClockTrack");

  // [node version, track only, with intervalInSeconds, with syncAfterVMResume]
  const matrix = [
    ["4.0.0", /track needs 4\.1\.0 or later/, /track needs 4\.1\.0 or later/, /track needs 4\.1\.0/],
    ["4.4.8", "ok", /intervalInSeconds needs 4\.4\.12 or later/, /syncAfterVMResume needs 4\.4\.12 or later/],
    ["4.4.12", "ok", "ok", "ok"],
    ["4.8.0", "ok", "ok", "ok"],
  ] as const;

  for (const [version, trackOnly, interval, sync] of matrix) {
    it(`a ${version} node: each declared field is checked against the version before anything is sent`, async () => {
      const cases = [
        [{ track: "guest" }, trackOnly],
        [{ track: "guest", intervalInSeconds: 600 }, interval],
        [{ track: "guest", syncAfterVMResume: true }, sync],
      ] as const;
      for (const [clock, expected] of cases) {
        world = await startWorld({ version });
        const outcome = await createOn(world, clock);
        if (expected === "ok") {
          assert.equal(outcome, "ok", `${version} ${JSON.stringify(clock)}: ${outcome}`);
          assert.equal(sent(), 1);
        } else {
          assert.match(outcome, expected);
          assert.match(outcome, new RegExp(`management node runs version ${version.replace(/\./g, "\\.")}`));
          assert.equal(sent(), 0, "nothing sent to a node that lacks the field");
        }
        await world.close();
        world = undefined;
      }
    });
  }

  it("a preview (diff) that adds a field a 4.4.8 node lacks fails, naming it; an unknown value is left for up", async () => {
    world = await startWorld({ version: "4.4.8" });
    const { outs } = await world.clock.create(inputs({ track: "guest" }));
    await assert.rejects(
      world.clock.diff(WEB, outs, inputs({ track: "guest", syncAfterVMResume: true })),
      /runs version 4\.4\.8.*syncAfterVMResume needs 4\.4\.12 or later.*Remove syncAfterVMResume from the program/,
    );
    const unknown = await world.clock.diff(WEB, outs, inputs({ track: "guest", intervalInSeconds: UNKNOWN }));
    assert.equal(unknown.changes, true);
  });

  it("the version is asked once per runtime", async () => {
    world = await startWorld({ version: "4.8.0" });
    const { outs } = await world.clock.create(inputs({ track: "guest" }));
    await world.clock.diff(WEB, outs, inputs({ track: "guest", intervalInSeconds: 600 }));
    await world.clock.update(WEB, outs, inputs({ track: "guest", intervalInSeconds: 600 }));
    assert.equal(world.sim.log.entries.filter((entry) => entry.kind === "version").length, 1);
  });

  it("a field the node accepted but did not apply is an error naming it, not a perpetual diff", async () => {
    // A 4.4.8 node accepts setVmClockTrack and ignores intervalInSeconds; converge itself does not ask the version.
    world = await startWorld({ version: "4.4.8" });
    const values = world.sim.stackConfig();
    const client = new ZStackClient(resolveConnectionSettings({ get: (key: string) => values[key] }));
    const target = { track: "guest", syncAfterVMResume: null, intervalInSeconds: 600 } as const;
    try {
      await assert.rejects(
        converge(
          client,
          WEB,
          () => ({ target, inherit: [] }),
          deadlineAfter(30),
          () => undefined,
        ),
        /setVmClockTrack on VM [0-9a-f]{32} succeeded, but the management node did not apply intervalInSeconds: read back, intervalInSeconds is 0, not 600/,
      );
    } finally {
      await client.close();
    }
  });
});
