/**
 * Load: 1,000 VMs paused through one real dynamic-provider host process (gRPC), 64 Create calls in flight, with about
 * 5% of the VM queries, job polls and action submits hit by transient faults. Submits cannot be retried blindly, so
 * their faults are connection resets before and after the submit was accepted: the client's lost-submit recovery
 * (probe the job uuid, resend the same X-Job-UUID only when the node never saw it) must keep every VM at exactly one
 * accepted and one executed action.
 */
import assert from "node:assert/strict";

import { VmPauseState } from "pulumi-zstack-vm";
import { generateVms, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

import { urn, type ProviderHost } from "../../tools/provider-host/host";
import { PAUSE_TYPE, startConfiguredHost } from "../../tools/quickstart";
import { providerText, recordRegistrations, settled } from "../support/mocks";

const TYPE = PAUSE_TYPE;
const VM_COUNT = 1000;
const IN_FLIGHT = 64;
/** The share of requests of each faulted kind that get a fault. */
const FAULT_RATE = 0.05;

describe("reliability: load through the real dynamic-provider host", function () {
  // Measured at 5-10 s on a 2-core machine; the bound leaves room for a loaded CI runner.
  this.timeout(120_000);
  this.slow(30_000);
  let sim: Simulator;
  let host: ProviderHost;
  let text: string;

  before(async () => {
    const seen = recordRegistrations();
    await settled(new VmPauseState("p", { vmUuid: "0123456789abcdef0123456789abcdef" }));
    text = providerText(seen[0]!.inputs);
    sim = await startSimulator({
      vms: generateVms(VM_COUNT, { seed: 5 }),
      timings: { pauseMs: 20, resumeMs: 20 },
      randomSeed: 20261122,
    });
    host = await startConfiguredHost(sim);
  });

  after(async () => {
    await host?.close();
    await sim?.close();
  });

  it(`pauses ${VM_COUNT} VMs, ${IN_FLIGHT} in flight, under ${FAULT_RATE * 100}% transient faults: one action each`, async () => {
    const faults = [
      sim.faults.inject({
        on: "vmQuery",
        times: Infinity,
        probability: FAULT_RATE,
        fault: {
          kind: "status",
          status: 503,
          body: "Service Temporarily Unavailable",
          contentType: "text/plain",
        },
      }),
      sim.faults.inject({
        on: "jobPoll",
        times: Infinity,
        probability: FAULT_RATE,
        fault: {
          kind: "status",
          status: 502,
          body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
          contentType: "text/html",
        },
      }),
      sim.faults.inject({
        on: "actionSubmit",
        times: Infinity,
        probability: FAULT_RATE / 2,
        fault: { kind: "reset", when: "afterAccept" },
      }),
      sim.faults.inject({
        on: "actionSubmit",
        times: Infinity,
        probability: FAULT_RATE / 2,
        fault: { kind: "reset", when: "beforeAccept" },
      }),
    ];
    const uuids = sim.vms.list().map((vm) => vm.uuid);
    assert.equal(uuids.length, VM_COUNT);
    assert.ok(uuids.every((uuid) => sim.vms.get(uuid)?.state === "Running"));

    const started = Date.now();
    const results: { uuid: string; state: unknown; initialState: unknown; pendingJob: unknown }[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < uuids.length; index = next++) {
        const uuid = uuids[index]!;
        const props = {
          __provider: text,
          vmUuid: uuid,
          state: "Paused",
          timeoutSeconds: 60,
          onDelete: "restore",
        };
        try {
          const created = await host.create(urn("dev", "quickstart", TYPE, `vm-${index}`), props);
          assert.equal(created.id, uuid);
          const { state, initialState, pendingJob } = created.properties;
          results.push({ uuid, state, initialState, pendingJob });
        } catch (error) {
          failures.push(`${uuid}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const wallMs = Date.now() - started;
    for (const fault of faults) fault.cancel();

    assert.deepEqual(failures, []);
    assert.equal(results.length, VM_COUNT);
    for (const result of results) {
      assert.deepEqual(
        [result.state, result.initialState, result.pendingJob],
        ["Paused", "Running", null],
        result.uuid,
      );
    }
    const wrong = uuids.filter(
      (uuid) =>
        sim.vms.get(uuid)?.state !== "Paused" ||
        sim.counters.acceptedActions(uuid) !== 1 ||
        sim.counters.executedActions(uuid) !== 1,
    );
    assert.deepEqual(wrong, [], "every VM Paused with exactly one accepted and one executed action");
    assert.equal(sim.counters.acceptedActions(), VM_COUNT);
    assert.equal(sim.counters.executedActions(), VM_COUNT);

    // The faults really happened, at about the configured rate.
    const injected = sim.log.entries.filter((entry) => entry.fault !== undefined).length;
    const applied = faults.map((fault) => fault.applied);
    assert.ok(
      applied.every((count) => count > 0),
      `every fault applied: ${applied.join(", ")}`,
    );
    assert.ok(injected >= VM_COUNT * FAULT_RATE, `faults injected: ${injected}`);
    console.log(
      `      ${VM_COUNT} VMs in ${(wallMs / 1000).toFixed(1)} s (${IN_FLIGHT} in flight); ` +
        `${sim.counters.count()} requests, ${injected} faulted ` +
        `(vmQuery ${applied[0]}, jobPoll ${applied[1]}, submit reset after ${applied[2]}, before ${applied[3]}); ` +
        `accepted ${sim.counters.acceptedActions()}, executed ${sim.counters.executedActions()}`,
    );
  });
});
