/**
 * The VM lookups (getVmInstance, getVmInstances and their Output forms) in a program process, against the
 * simulator: filters become ZStack conditions, every page is read, the order is stable, errors say how many matched
 * and how to narrow, settings come from the stack config (secrets through getSecret) then ZSTACK_*, the client's
 * retries apply, and Output forms follow Pulumi's preview and secret rules.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";

import * as pulumi from "@pulumi/pulumi";
import {
  endLookupSessions,
  getVmInstance,
  getVmInstanceOutput,
  getVmInstances,
  getVmInstancesOutput,
  LookupError,
  VmPauseState,
} from "pulumi-zstack-vm";
import { startSimulator, type Simulator, type VmSeed } from "pulumi-zstack-vm/simulator";
import { ZStackError } from "pulumi-zstack-vm/zstack";

import { recordRegistrations } from "../support/mocks";

const CLUSTER_A = "c1a0000000000000000000000000000a";
const CLUSTER_B = "c1b0000000000000000000000000000b";
const uuid = (n: number) => `0e${n.toString(16).padStart(30, "0")}`;

/** Two clusters; names out of uuid order, a duplicated name, and every state the filters care about. */
const SEEDS: readonly VmSeed[] = [
  { uuid: uuid(1), name: "web-2", state: "Running", clusterUuid: CLUSTER_A },
  { uuid: uuid(2), name: "web-1", state: "Running", clusterUuid: CLUSTER_A },
  { uuid: uuid(3), name: "web-3", state: "Paused", clusterUuid: CLUSTER_A },
  { uuid: uuid(4), name: "batch", state: "Stopped", clusterUuid: CLUSTER_A },
  { uuid: uuid(5), name: "api-1", state: "Running", clusterUuid: CLUSTER_B },
  { uuid: uuid(7), name: "dup", state: "Running", clusterUuid: CLUSTER_B },
  { uuid: uuid(6), name: "dup", state: "Running", clusterUuid: CLUSTER_A },
  { uuid: uuid(8), name: "big", state: "Running", clusterUuid: CLUSTER_B, memorySize: 64 * 2 ** 30 },
];

/** The ZSTACK_* variables now set (a test may set more). */
const zstackEnv = () => Object.keys(process.env).filter((key) => key.startsWith("ZSTACK_"));

/** Puts `values` in the stack config, `secret` ones as `pulumi config set --secret` would. */
function setStackConfig(values: Readonly<Record<string, string>>, secret: readonly string[] = []): void {
  pulumi.runtime.setAllConfig({ ...values }, [...secret]);
}

/** The error a promise rejects with, asserting that it is a LookupError. */
async function lookupFailure(promise: Promise<unknown>): Promise<LookupError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LookupError, `expected a LookupError, got ${String(error)}`);
    return error;
  }
  assert.fail("the lookup succeeded");
}

/** An Output's value and flags, through the internals `apply` uses (unknowns exist only in preview). */
async function observe<T>(
  output: pulumi.Output<T>,
): Promise<{ known: boolean; secret: boolean; value: T | undefined }> {
  const internals = output as unknown as {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(): Promise<T>;
  };
  const [known, secret, value] = await Promise.all([
    internals.isKnown,
    internals.isSecret,
    internals.promise(),
  ]);
  return { known, secret, value };
}

describe("lookups: getVmInstance / getVmInstances against the simulator", function () {
  this.timeout(30_000);
  let sim: Simulator;
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    sim = await startSimulator({ vms: SEEDS });
    for (const key of zstackEnv()) savedEnv[key] = process.env[key];
  });
  beforeEach(() => {
    for (const key of zstackEnv()) delete process.env[key];
    const { "zstack:accountPassword": password, ...plain } = sim.stackConfig();
    setStackConfig({ ...plain, "zstack:accountPassword": password! }, ["zstack:accountPassword"]);
    sim.counters.reset();
    sim.faults.clear();
  });
  afterEach(() => {
    setStackConfig({});
    for (const key of zstackEnv()) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });
  after(async () => {
    await endLookupSessions();
    await sim.close();
  });

  describe("getVmInstances", () => {
    it("turns the filters into ZStack conditions and returns the matches ordered by name, then uuid", async () => {
      const result = await getVmInstances({ clusterUuid: CLUSTER_A, state: "Running" });
      assert.deepEqual(
        result.vmInstances.map((vm) => [vm.name, vm.uuid]),
        [
          ["dup", uuid(6)],
          ["web-1", uuid(2)],
          ["web-2", uuid(1)],
        ],
      );
      assert.deepEqual(result.uuids, [uuid(6), uuid(2), uuid(1)]);
      assert.deepEqual(result.conditions, ["state=Running", `clusterUuid=${CLUSTER_A}`]);
      const vm = result.vmInstances[1]!;
      assert.equal(vm.clusterUuid, CLUSTER_A);
      assert.equal(vm.vmNics.length, 1, "typed inventories, nested lists included");
      assert.equal(sim.counters.count("vmQuery"), 1);
    });

    it("shares one session among the process's lookups, logged out by endLookupSessions", async () => {
      await endLookupSessions();
      sim.counters.reset();
      await getVmInstances({ clusterUuid: CLUSTER_A });
      await getVmInstance({ name: "web-1" });
      assert.equal(sim.counters.count("login"), 1, "one session for every lookup of the process");
      assert.equal(sim.counters.count("logout"), 0);
      await endLookupSessions();
      assert.equal(sim.counters.count("logout"), 1);
      assert.equal(sim.sessions.counts().open, 0);
    });

    it("reads every page, and the order does not depend on the page size", async () => {
      const all = await getVmInstances();
      assert.equal(all.vmInstances.length, SEEDS.length);
      assert.equal(sim.counters.count("vmQuery"), 1, "one page of up to 1000");
      sim.counters.reset();
      const paged = await getVmInstances({}, { pageSize: 3 });
      // 8 VMs in pages of 3: 3 + 3 + 2, the short page ends it.
      assert.equal(sim.counters.count("vmQuery"), 3);
      assert.deepEqual(paged.uuids, all.uuids);
      assert.deepEqual(
        all.vmInstances.map((vm) => vm.name),
        ["api-1", "batch", "big", "dup", "dup", "web-1", "web-2", "web-3"],
      );
    });

    it("a page size that divides the count exactly stops at the total, not one empty page later", async () => {
      const result = await getVmInstances({}, { pageSize: 4 });
      assert.equal(result.uuids.length, 8);
      assert.equal(sim.counters.count("vmQuery"), 2);
    });

    it("combines name, a list of states, host, zone, nameRegex and raw conditions (AND)", async () => {
      const web = await getVmInstances({ nameRegex: "^web-\\d$", state: ["Running", "Paused"] });
      assert.deepEqual(
        web.vmInstances.map((vm) => vm.name),
        ["web-1", "web-2", "web-3"],
      );
      assert.deepEqual(web.conditions, ["state?=Running,Paused"]);

      const big = await getVmInstances({ conditions: ["memorySize>34359738368"] });
      assert.deepEqual(
        big.vmInstances.map((vm) => vm.name),
        ["big"],
      );

      const like = await getVmInstances({ conditions: ["name~=web-%"], state: "Paused" });
      assert.deepEqual(
        like.vmInstances.map((vm) => vm.name),
        ["web-3"],
      );

      const dup = await getVmInstances({ name: "dup", clusterUuid: CLUSTER_B });
      assert.deepEqual(dup.uuids, [uuid(7)]);

      const zoneUuid = dup.vmInstances[0]!.zoneUuid;
      const hostUuid = (await getVmInstance({ name: "web-1" })).hostUuid!;
      const onHost = await getVmInstances({ hostUuid, zoneUuid });
      assert.ok(onHost.uuids.includes(uuid(2)));
      assert.ok(onHost.vmInstances.every((vm) => vm.hostUuid === hostUuid && vm.zoneUuid === zoneUuid));

      const none = await getVmInstances({ name: "nothing-like-this" });
      assert.deepEqual(none.vmInstances, [], "no match is an empty list, not an error");
    });

    it("more matches than limit fail, saying how many matched and how to narrow", async () => {
      const error = await lookupFailure(getVmInstances({ state: "Running", limit: 2 }));
      assert.equal(error.matched, 6);
      assert.match(error.message, /^getVmInstances: 6 VMs matched \(state=Running\), more than limit 2\./);
      assert.match(error.message, /Narrow the lookup with name, nameRegex, state, clusterUuid/);
      assert.equal(
        (await getVmInstances({ state: "Running", clusterUuid: CLUSTER_A, limit: 3 })).uuids.length,
        3,
      );
    });

    it("bad arguments fail before any request, naming the property, the value and what is allowed", async () => {
      const cases: readonly [unknown, RegExp][] = [
        [
          { state: "running" },
          /state: "running" is not allowed; expected one of "Created", .*"Paused".* \(did you mean "Running"\?/,
        ],
        [{ state: [] }, /state: a list \[\] is not allowed; expected one of/],
        [
          { clusterUuid: "cluster-a" },
          /clusterUuid: "cluster-a" is not allowed; expected the cluster's ZStack UUID/,
        ],
        [
          { nameRegex: "web-(" },
          /nameRegex: "web-\(" is not allowed; expected a JavaScript regular expression/,
        ],
        [
          { conditions: ["state=Running", "memory size>1"] },
          /conditions\[1\]: "memory size>1" is not allowed; expected a ZStack condition field<operator>value.*one of !=, >=/,
        ],
        [{ conditions: ["nameweb"] }, /conditions\[0\]: "nameweb" is not allowed/],
        [{ limit: 0 }, /limit: 0 is not allowed; expected a whole number of at least 1/],
        [
          { clusteruuid: CLUSTER_A },
          /clusteruuid: unknown property .*allowed properties are name, nameRegex, state, clusterUuid/,
        ],
        ["web-1", /getVmInstances: arguments must be an object, got "web-1"/],
      ];
      for (const [args, expected] of cases) {
        const error = await lookupFailure(getVmInstances(args as never));
        assert.match(error.message, expected);
      }
      const options = await lookupFailure(getVmInstances({}, { timeoutSeconds: 0 }));
      assert.match(
        options.message,
        /invalid options:\n {2}- timeoutSeconds: 0 is not allowed; expected a whole number of seconds from 1 to 3600/,
      );
      assert.equal(sim.counters.count(), 0);
    });

    it("a condition on a field VMs do not have fails with ZStack's answer, the client error kept as cause", async () => {
      const error = await lookupFailure(getVmInstances({ conditions: ["colour=blue"] }));
      assert.match(
        error.message,
        /^getVmInstances: reading VMs from ZStack failed: queryVmInstance failed: SYS\.1007/,
      );
      assert.match(error.message, /colour/);
      assert.ok(ZStackError.isInstance(error.cause));
      assert.equal(error.cause.code, "SYS.1007");
    });

    it("goes through the client: a transient 503 on a page is retried", async () => {
      sim.faults.inject({
        on: "vmQuery",
        times: 1,
        fault: { kind: "status", status: 503, body: "Service Temporarily Unavailable" },
      });
      const result = await getVmInstances({ clusterUuid: CLUSTER_B });
      assert.deepEqual(
        result.vmInstances.map((vm) => vm.name),
        ["api-1", "big", "dup"],
      );
      assert.equal(sim.counters.count("vmQuery"), 2);
    });
  });

  describe("getVmInstance", () => {
    it("finds one VM by uuid or by exact name", async () => {
      const byUuid = await getVmInstance({ uuid: uuid(3) });
      assert.equal(byUuid.name, "web-3");
      assert.equal(byUuid.state, "Paused");
      const byName = await getVmInstance({ name: "api-1" });
      assert.equal(byName.uuid, uuid(5));
      assert.equal(byName.clusterUuid, CLUSTER_B);
    });

    it("several VMs of one name fail, listing them and saying how to choose", async () => {
      const error = await lookupFailure(getVmInstance({ name: "dup" }));
      assert.equal(error.matched, 2);
      assert.match(
        error.message,
        /^getVmInstance: 2 VMs are named "dup", so the name does not identify one: /,
      );
      assert.ok(
        error.message.indexOf(uuid(6)) < error.message.indexOf(uuid(7)),
        "listed in the stable order",
      );
      assert.match(
        error.message,
        new RegExp(`${uuid(6)} \\(Running, cluster ${CLUSTER_A}, host [0-9a-f]{32}\\)`),
      );
      assert.match(error.message, /Pass the uuid of the one you mean \(getVmInstance\(\{ uuid \}\)\)/);
    });

    it("no match fails, saying that none matched", async () => {
      const byName = await lookupFailure(getVmInstance({ name: "Web-1" }));
      assert.equal(byName.matched, 0);
      assert.match(
        byName.message,
        /no VM is named "Web-1" \(0 matched name=Web-1\)\. Names are exact and case-sensitive/,
      );
      const byUuid = await lookupFailure(getVmInstance({ uuid: uuid(99) }));
      assert.match(byUuid.message, new RegExp(`no VM has uuid ${uuid(99)} \\(0 matched\\)`));
    });

    it("needs exactly one of uuid and name, each valid", async () => {
      assert.match(
        (await lookupFailure(getVmInstance({} as never))).message,
        /give the VM's uuid or its name/,
      );
      assert.match(
        (await lookupFailure(getVmInstance({ uuid: uuid(1), name: "web-2" } as never))).message,
        /give either uuid or name, not both/,
      );
      assert.match(
        (await lookupFailure(getVmInstance({ uuid: uuid(1).toUpperCase() }))).message,
        /uuid: "0E0{29}1" is not allowed; expected the VM's ZStack UUID: 32 lowercase hexadecimal/,
      );
      assert.match(
        (await lookupFailure(getVmInstance({ name: "" }))).message,
        /name: "" is not allowed; expected a non-empty string/,
      );
      assert.equal(sim.counters.count(), 0);
    });
  });

  describe("connection settings", () => {
    it("the stack config wins over ZSTACK_*; without config the environment is used", async () => {
      process.env.ZSTACK_HOST = "192.0.2.1"; // TEST-NET: would fail if it were used
      assert.equal((await getVmInstance({ name: "web-1" })).uuid, uuid(2));

      setStackConfig({});
      const config = sim.stackConfig();
      process.env.ZSTACK_HOST = config["zstack:host"];
      process.env.ZSTACK_PORT = config["zstack:port"];
      process.env.ZSTACK_ACCOUNT_NAME = config["zstack:accountName"];
      process.env.ZSTACK_ACCOUNT_PASSWORD = config["zstack:accountPassword"];
      assert.equal((await getVmInstance({ name: "web-1" })).uuid, uuid(2));
    });

    it("missing settings fail with the runtime's message, naming both ways to set each", async () => {
      setStackConfig({});
      const error = await lookupFailure(getVmInstances());
      assert.match(error.message, /^getVmInstances: ZStack connection settings are incomplete:/);
      assert.match(error.message, /host is not set .*: set config `zstack:host` or env ZSTACK_HOST/);
      assert.match(error.message, /no credentials: set an account/);
    });

    it("the password stays out of results and errors", async () => {
      const password = sim.credentials.password;
      const result = await getVmInstances();
      assert.ok(!JSON.stringify(result).includes(password));

      const config = sim.stackConfig();
      setStackConfig({ ...config, "zstack:accountPassword": "wrong-Password-1234" }, [
        "zstack:accountPassword",
      ]);
      const error = await lookupFailure(getVmInstances());
      assert.match(error.message, /ID\.1000/);
      assert.ok(!error.message.includes("wrong-Password-1234"));
      assert.ok(!JSON.stringify(error.cause).includes("wrong-Password-1234"));
    });
  });

  describe("in a program process", () => {
    /** The environment of a program that reaches the simulator through ZSTACK_*. */
    const programEnv = (): NodeJS.ProcessEnv => {
      const config = sim.stackConfig();
      return {
        ...process.env,
        ZSTACK_HOST: config["zstack:host"],
        ZSTACK_PORT: config["zstack:port"],
        ZSTACK_ACCOUNT_NAME: config["zstack:accountName"],
        ZSTACK_ACCOUNT_PASSWORD: config["zstack:accountPassword"],
      };
    };

    it("a program that looked VMs up exits promptly: the idle keep-alive pool does not hold it open", async () => {
      const env = programEnv();
      const program =
        'const { getVmInstance, getVmInstances } = require("pulumi-zstack-vm");' +
        'getVmInstance({ name: "web-1" }).then(() => getVmInstances({ state: "Running" }))' +
        '.then((r) => console.log(r.uuids.join(",")))';
      const before = sim.sessions.counts();
      const started = Date.now();
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ["-e", program], { env, stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (exitCode) => resolve({ code: exitCode, stdout: out }));
      });
      assert.equal(code, 0);
      assert.equal(stdout.trim().split(",").length, 6);
      // The pool keeps idle connections for 30 s; loading the SDK takes a few seconds on a busy machine.
      assert.ok(Date.now() - started < 20_000, `the process took ${Date.now() - started} ms to exit`);
      const after = sim.sessions.counts();
      assert.equal(after.logins - before.logins, 1, "one login for both lookups");
      assert.equal(after.logouts - before.logouts, 1, "logged out when the program's work ended");
      assert.equal(after.open, before.open);
    });

    it("a program whose lookup failed logs out too", async () => {
      const env = programEnv();
      // As Pulumi's program runner does with a program's error: report it, and let the process end.
      const program =
        'require("pulumi-zstack-vm").getVmInstance({ name: "no-such-vm" })' +
        ".catch((e) => { console.error(e.message); process.exitCode = 1; })";
      const before = sim.sessions.counts();
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["-e", program], { env, stdio: ["ignore", "ignore", "pipe"] });
        child.on("exit", (exitCode) => resolve(exitCode));
      });
      assert.equal(code, 1, "the LookupError failed the program");
      const after = sim.sessions.counts();
      assert.equal(after.logins - before.logins, 1);
      assert.equal(after.logouts - before.logouts, 1);
      assert.equal(after.open, before.open);
    });
  });

  describe("Output forms", () => {
    it("resolve to the same results, and are secret when an argument is", async () => {
      const plain = await observe(
        getVmInstancesOutput({ clusterUuid: pulumi.output(CLUSTER_B), state: "Running" }),
      );
      assert.deepEqual(plain.value?.uuids, [uuid(5), uuid(8), uuid(7)]);
      assert.equal(plain.secret, false);

      const secret = await observe(getVmInstanceOutput({ name: pulumi.secret("web-3") }));
      assert.equal(secret.value?.uuid, uuid(3));
      assert.equal(secret.secret, true);

      const all = await observe(getVmInstancesOutput());
      assert.equal(all.value?.uuids.length, SEEDS.length);
    });

    it("in preview, known arguments run the lookup (reads only) and unknown ones make the result unknown", async () => {
      recordRegistrations(true);
      const config = sim.stackConfig();
      setStackConfig(config, ["zstack:accountPassword"]);
      const known = await observe(getVmInstanceOutput({ name: "web-1" }));
      assert.deepEqual([known.known, known.value?.uuid], [true, uuid(2)]);
      assert.equal(sim.counters.count("actionSubmit"), 0);

      sim.counters.reset();
      const pending = new VmPauseState("upstream", { vmUuid: uuid(1) });
      const unknown = await observe(
        getVmInstancesOutput({ hostUuid: pending.hostUuid.apply((h) => h ?? "") }),
      );
      assert.equal(unknown.known, false);
      assert.equal(sim.counters.count(), 0, "an unknown argument sends nothing");
    });
  });
});
