import assert from "node:assert/strict";

import { DEMO_VM_UUIDS } from "pulumi-zstack-vm/simulator";

import { startWorld, type World } from "../support/world";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running

/**
 * `timeoutSeconds` bounds every request of one operation, the login that the first request of a process needs
 * included: a login that hangs must not hold an operation past its deadline, and a slow login must not let an
 * operation succeed after its deadline.
 */
describe("timeoutSeconds bounds the login too", () => {
  let world: World;

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  const cases = [
    { login: "never answers (8 s)", delayMs: 8000, timeoutSeconds: 2 },
    { login: "answers in 3 s", delayMs: 3000, timeoutSeconds: 1 },
  ];
  for (const { login, delayMs, timeoutSeconds } of cases) {
    it(`a login that ${login} fails an operation with timeoutSeconds ${timeoutSeconds} at its deadline`, async () => {
      world.sim.faults.inject({ on: "login", times: Infinity, fault: { kind: "delay", ms: delayMs } });
      for (const [kind, create] of [
        [
          "VmPauseState",
          () => world.pause.create({ vmUuid: WEB, state: "Paused", timeoutSeconds, onDelete: "restore" }),
        ],
        [
          "VmClockTrack",
          () => world.clock.create({ vmUuid: WEB, track: "guest", timeoutSeconds, onDelete: "restore" }),
        ],
      ] as const) {
        const started = Date.now();
        await assert.rejects(create(), (error: Error) => {
          assert.match(error.message, /^login failed: CLIENT\.TIMEOUT Deadline exceeded/, kind);
          return true;
        });
        const took = Date.now() - started;
        assert.ok(took >= timeoutSeconds * 1000 - 50, `${kind} gave up early, after ${took} ms`);
        assert.ok(took < timeoutSeconds * 1000 + 700, `${kind} outlived timeoutSeconds: ${took} ms`);
      }
      assert.equal(world.sim.counters.count("actionSubmit"), 0);
    });
  }

  it("a caller with a longer deadline is not failed by a shared login cut at a shorter caller's deadline", async () => {
    world.sim.faults.inject({ on: "login", fault: { kind: "delay", ms: 1500 } });
    const short = world.pause.create({
      vmUuid: WEB,
      state: "Paused",
      timeoutSeconds: 1,
      onDelete: "restore",
    });
    const long = world.clock.create({ vmUuid: WEB, track: "guest", timeoutSeconds: 10, onDelete: "restore" });
    await assert.rejects(short, (error: Error) => /^login failed: CLIENT\.TIMEOUT/.test(error.message));
    const { outs } = await long;
    assert.equal(outs.track, "guest");
  });
});
