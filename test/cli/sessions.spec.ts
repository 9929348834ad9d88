/**
 * ZStack sessions are a bounded server resource (`identity.session.maxConcurrent`): through the real Pulumi CLI,
 * every process that logs in logs out when its work is done, so a long series of commands never piles sessions up
 * against the limit; and a login the node refuses for the limit (`ID.1006`) reaches the user as a message that
 * names the account, the limit and the remedy, without a stack trace.
 */
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";

import { assertSucceeded, errorsOf, exampleDir, QUICKSTART_FILES, REPO_ROOT, startCliWorld } from "./support";
import type { CliWorld } from "./support";

/** The commands of the series: more than the node's limit, each of preview, up, refresh and destroy several times. */
const COMMANDS = [
  "preview",
  "up",
  "refresh",
  "preview",
  "up",
  "destroy",
  "preview",
  "up",
  "refresh",
  "preview",
  "destroy",
] as const;

const LIMIT = 3;

describe("cli: sessions against a node that allows few", function () {
  this.timeout(600_000);
  this.slow(60_000);

  describe(`${COMMANDS.length} commands of a program with lookups, session.maxConcurrent ${LIMIT}`, () => {
    let world: CliWorld;
    let dir: string;

    before(async () => {
      world = await startCliWorld({ sessionMaxConcurrent: LIMIT });
      dir = await world.stack(exampleDir("vm-lookup"), "dev");
    });
    after(async () => {
      await world?.close();
    });

    it("all succeed, at most two logins each (the program's lookups, the provider host), and leave none open", async () => {
      for (const [i, command] of COMMANDS.entries()) {
        const before = world.sim.sessions.counts();
        const r = await world.json(dir, [command]);
        assertSucceeded(r);
        const after = world.sim.sessions.counts();
        const step = `command ${i + 1} (${command})`;
        assert.equal(after.open, 0, `${step} left ${after.open} sessions open`);
        assert.ok(
          after.logins - before.logins <= 2,
          `${step} logged in ${after.logins - before.logins} times`,
        );
        assert.ok(after.logins > before.logins, `${step}: the program's lookups log in`);
      }
      const total = world.sim.sessions.counts();
      assert.equal(total.refused, 0);
      assert.equal(total.logouts, total.logins);
      assert.ok(
        total.logins > LIMIT,
        `${total.logins} logins over the series, more than the limit of ${LIMIT}`,
      );
    });

    it("a failed command logs out too: an up whose actions ZStack refuses", async () => {
      const before = world.sim.sessions.counts();
      world.sim.faults.inject({
        on: "actionSubmit",
        times: Infinity,
        fault: {
          kind: "status",
          // A ZStack error answer (not a transient fault): the submit fails at once.
          status: 500,
          body: JSON.stringify({
            error: { code: "SYS.1007", description: "refused", details: "by the test" },
          }),
        },
      });
      const up = await world.json(dir, ["up"]);
      world.sim.faults.clear();
      assert.equal(up.result, "failed");
      assert.match(errorsOf(up), /SYS\.1007/);
      const after = world.sim.sessions.counts();
      assert.equal(after.open, 0);
      assert.equal(after.logins - before.logins, 2, "the program's lookups and the provider host");
      assert.equal(after.logouts - before.logouts, 2);
    });
  });

  describe("a node whose account already holds its only session", () => {
    let world: CliWorld;
    let dir: string;

    before(async () => {
      world = await startCliWorld({ sessionMaxConcurrent: 1 });
      dir = await world.stack(REPO_ROOT, "dev", { files: QUICKSTART_FILES, name: "quickstart" });
      // Another client (an operator's console) holds the account's one session.
      const { accountName, password } = world.sim.credentials;
      const login = await fetch(`${world.sim.url}/v1/accounts/login`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          logInByAccount: { accountName, password: createHash("sha512").update(password).digest("hex") },
        }),
      });
      assert.equal(login.status, 200);
    });
    after(async () => {
      await world?.close();
    });

    it("up fails with a message naming the account, the limit and the remedy, and no stack trace", async () => {
      const r = await world.json(dir, ["up"]);
      assert.equal(r.result, "failed");
      const errors = errorsOf(r);
      assert.match(errors, /login as account "admin" refused \(ID\.1006\)/);
      assert.match(errors, /session\.maxConcurrent/);
      assert.match(errors, /Use AccessKey authentication \(zstack:accessKeyId \/ zstack:accessKeySecret\)/);
      assert.doesNotMatch(errors, /^\s+at .+:\d+:\d+\)?$/m, "no JavaScript stack frame");
      // Each of the two resources asked for a login once; the node refused every one, and the held session stays.
      const { refused, ...rest } = world.sim.sessions.counts();
      assert.deepEqual(rest, { open: 1, logins: 1, logouts: 0 });
      assert.ok(refused >= 1 && refused <= 2, `${refused} refused logins`);
    });
  });
});
