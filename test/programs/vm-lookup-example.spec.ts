/**
 * examples/vm-lookup's program under `pulumi.runtime.setMocks`, with the mocks handing each registration to the
 * real provider runtime (check, then create on `up`) against the simulator: which VMs the lookups select, what the
 * window does to them, what preview sends, and how config mistakes fail. The engine's part (deleting resources
 * when the window closes, restoring each VM) is for the test through the real Pulumi CLI.
 */
import assert from "node:assert/strict";

import * as pulumi from "@pulumi/pulumi";
import { LookupError } from "pulumi-zstack-vm";
import {
  controllersFor,
  ProviderRuntime,
  resolveConnectionSettings,
  type Controllers,
  type ResourceKind,
} from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import program = require("../../examples/vm-lookup/index");

const OTHER_CLUSTER = "0c000000000000000000000000000002";
const TYPE_PREFIX = "pulumi-nodejs:dynamic/zstack:";

interface Registered {
  readonly name: string;
  readonly vmUuid: unknown;
  readonly state: unknown;
}

/**
 * Mocks that run each resource through the provider runtime's controllers as the dynamic-provider host would on `up`
 * (check, then create), or only check it in preview, and record what was registered.
 */
function bridgeToRuntime(controllers: Controllers, preview: boolean): Registered[] {
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      async newResource(args) {
        assert.ok(args.type.startsWith(TYPE_PREFIX), `unexpected resource type ${args.type}`);
        const provider = controllers[args.type.slice(TYPE_PREFIX.length) as ResourceKind];
        const checked = await provider.check({}, args.inputs);
        assert.deepEqual(checked.failures ?? [], []);
        registered.push({ name: args.name, vmUuid: args.inputs.vmUuid, state: args.inputs.state });
        if (preview) return { id: undefined, state: checked.inputs };
        const created = await provider.create(checked.inputs);
        return { id: created.id, state: { ...checked.inputs, ...created.outs } };
      },
      call: () => ({}),
    },
    "vm-lookup",
    "dev",
    preview,
  );
  return registered;
}

/**
 * Runs the program and waits until every stack output has settled (its resources registered), then resolves the
 * outputs' values; in preview, output-only values stay unknown and resolve as undefined.
 */
async function runProgram(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = await program();
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (!pulumi.Output.isInstance(value)) {
      values[key] = value;
      continue;
    }
    // Output internals, as `apply` uses them: known-ness settles once the resources behind it are registered.
    const internals = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    values[key] = (await internals.isKnown) ? await internals.promise() : undefined;
  }
  return values;
}

describe("examples/vm-lookup: the program's lookups and resources against the simulator", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let runtime: ProviderRuntime;

  /** Stack config: the connection (password as a secret) and the example's own keys. */
  const stack = (own: Record<string, string> = {}) => {
    const prefixed = Object.fromEntries(
      Object.entries(own).map(([key, value]) => [`vm-lookup:${key}`, value]),
    );
    pulumi.runtime.setAllConfig({ ...sim.stackConfig(), ...prefixed }, ["zstack:accountPassword"]);
  };

  beforeEach(async () => {
    sim = await startSimulator({ timings: { pauseMs: 20, resumeMs: 20 } });
    sim.vms.add({ name: "other-1", clusterUuid: OTHER_CLUSTER, state: "Running" });
    const values = sim.stackConfig();
    runtime = new ProviderRuntime({
      settings: () => resolveConnectionSettings({ get: (key) => values[key] }),
    });
  });
  afterEach(async () => {
    pulumi.runtime.setAllConfig({}, []);
    await runtime.close();
    await sim.close();
  });

  it("up: pauses the Running VMs of web-1's cluster and adopts the Paused one; Stopped and other clusters are left alone", async () => {
    const registered = bridgeToRuntime(controllersFor(runtime), false);
    stack();
    const outputs = await runProgram();
    // Ordered by name: db-1, web-1, web-2; named after the uuid.
    assert.deepEqual(
      registered.map((r) => [r.name, r.vmUuid, r.state]),
      [
        [`pause-${DEMO_VM_UUIDS["db-1"]}`, DEMO_VM_UUIDS["db-1"], "Paused"],
        [`pause-${DEMO_VM_UUIDS["web-1"]}`, DEMO_VM_UUIDS["web-1"], "Paused"],
        [`pause-${DEMO_VM_UUIDS["web-2"]}`, DEMO_VM_UUIDS["web-2"], "Paused"],
      ],
    );
    for (const name of ["web-1", "web-2", "db-1"] as const) {
      assert.equal(sim.vms.get(DEMO_VM_UUIDS[name])?.state, "Paused", name);
    }
    assert.equal(sim.vms.get(DEMO_VM_UUIDS["batch-1"])?.state, "Stopped");
    assert.equal(sim.vms.list().find((vm) => vm.name === "other-1")?.state, "Running");
    assert.equal(sim.counters.acceptedActions(undefined, "pauseVmInstance"), 2, "db-1 was already Paused");

    const cluster = sim.vms.get(DEMO_VM_UUIDS["web-1"])!.clusterUuid;
    assert.equal(outputs.cluster, cluster);
    assert.equal(outputs.active, true);
    assert.equal(
      outputs.summary,
      `maintenance window open on cluster ${cluster}: db-1 (Paused), web-1 (Paused), web-2 (Paused)`,
    );
  });

  it("preview: the lookups read, nothing is sent to change a VM, the same resources are planned", async () => {
    const registered = bridgeToRuntime(controllersFor(runtime), true);
    stack();
    await runProgram();
    assert.equal(registered.length, 3);
    assert.ok(sim.counters.count("vmQuery") >= 2, "getVmInstance and getVmInstances ran in preview");
    assert.equal(sim.counters.count("actionSubmit"), 0);
    assert.equal(sim.vms.get(DEMO_VM_UUIDS["web-1"])?.state, "Running");
  });

  it("`vm-lookup:active false` declares no resource, so the engine deletes (and restores) them", async () => {
    const registered = bridgeToRuntime(controllersFor(runtime), false);
    stack({ active: "false" });
    const outputs = await runProgram();
    assert.deepEqual(registered, []);
    assert.deepEqual(outputs.vms, []);
    assert.match(String(outputs.summary), /^maintenance window closed on cluster [0-9a-f]{32}$/);
  });

  it("clusterUuid and nameRegex narrow the window", async () => {
    const registered = bridgeToRuntime(controllersFor(runtime), false);
    stack({ clusterUuid: OTHER_CLUSTER });
    await runProgram();
    assert.deepEqual(
      registered.map((r) => r.name),
      [`pause-${sim.vms.list().find((vm) => vm.name === "other-1")!.uuid}`],
    );
    registered.length = 0;
    stack({ nameRegex: "^web-" });
    await runProgram();
    assert.deepEqual(
      registered.map((r) => r.vmUuid),
      [DEMO_VM_UUIDS["web-1"], DEMO_VM_UUIDS["web-2"]],
    );
  });

  it("config mistakes fail with the lookups' messages, before anything is declared", async () => {
    const registered = bridgeToRuntime(controllersFor(runtime), false);
    stack({ clusterOf: "web-9" });
    await assert.rejects(runProgram(), (error: unknown) => {
      assert.ok(error instanceof LookupError);
      assert.match(error.message, /^getVmInstance: no VM is named "web-9" \(0 matched name=web-9\)/);
      return true;
    });
    stack({ limit: "2" });
    await assert.rejects(
      runProgram(),
      /getVmInstances: 3 VMs matched \(state\?=Running,Paused and clusterUuid=[0-9a-f]{32}\), more than limit 2/,
    );
    stack({ nameRegex: "web-(" });
    await assert.rejects(
      runProgram(),
      /nameRegex: "web-\(" is not allowed; expected a JavaScript regular expression/,
    );
    assert.deepEqual(registered, []);
    assert.equal(sim.counters.count("actionSubmit"), 0);
  });
});
