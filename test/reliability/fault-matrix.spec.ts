/**
 * Runs every cell of the fault matrix (fault-matrix.ts) through the runtime controllers against a simulator behind a
 * TCP proxy, and checks that provider/docs/reliability.md shows exactly this matrix.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import type * as dynamic from "@pulumi/pulumi/dynamic";
import { controllersFor, ProviderRuntime, resolveConnectionSettings } from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";
import { ZStackError } from "pulumi-zstack-vm/zstack";

import { delay, hasNoUndefined } from "../support/world";
import {
  FAULT_ROWS,
  OPERATIONS,
  renderFaultMatrix,
  resourceFor,
  simulatorOptionsFor,
  type Expected,
  type FaultRow,
  type Operation,
} from "./fault-matrix";
import { TcpProxy } from "./support/proxy";

const WEB = DEMO_VM_UUIDS["web-1"]; // Running: one pause (or one setVmClockTrack) converges it
const DOC = path.resolve(__dirname, "../../provider/docs/reliability.md");
const BEGIN = "<!-- fault-matrix:begin (generated from test/reliability/fault-matrix.ts) -->";
const END = "<!-- fault-matrix:end -->";

type Provider = Required<dynamic.ResourceProvider>;

/** A simulator, a proxy in front of it, and a runtime of the cell's own that goes through the proxy. */
interface Cell {
  readonly sim: Simulator;
  readonly proxy: TcpProxy;
  readonly provider: Provider;
  close(): Promise<void>;
}

async function startCell(row: FaultRow, operation: Operation): Promise<Cell> {
  const sim = await startSimulator({
    timings: { pauseMs: 30, resumeMs: 30, stopMs: 30, clockTrackMs: 10 },
    ...simulatorOptionsFor(row),
  });
  const proxy = await TcpProxy.start(sim.endpoint.port);
  const values: Record<string, string> = {
    "zstack:host": "127.0.0.1",
    "zstack:port": String(proxy.port),
    "zstack:accountName": sim.credentials.accountName,
    "zstack:accountPassword": sim.credentials.password,
  };
  // The stack config alone (not the environment), with the row's per-request timeout where it sets one.
  const runtime = new ProviderRuntime({
    settings: () => ({
      ...resolveConnectionSettings({ get: (key) => values[key] }, {}),
      ...(row.requestTimeoutMs !== undefined ? { requestTimeoutMs: row.requestTimeoutMs } : {}),
    }),
  });
  return {
    sim,
    proxy,
    provider: controllersFor(runtime)[resourceFor(operation)] as unknown as Provider,
    async close() {
      await runtime.close();
      await proxy.close();
      await sim.close();
    },
  };
}

function inputsFor(operation: Operation, timeoutSeconds: number): Record<string, unknown> {
  return resourceFor(operation) === "VmClockTrack"
    ? { vmUuid: WEB, track: "guest", timeoutSeconds, onDelete: "restore" }
    : { vmUuid: WEB, state: "Paused", timeoutSeconds, onDelete: "restore" };
}

/** Checks outputs that claim convergence, then that a read (refresh) describes the VM as it really is now. */
async function assertConverged(
  cell: Cell,
  operation: Operation,
  outs: Record<string, unknown>,
  vmState: string | undefined,
): Promise<void> {
  assert.ok(hasNoUndefined(outs), "outputs hold undefined");
  assert.equal(outs.pendingJob, null);
  assert.equal(outs.uuid, WEB);
  if (resourceFor(operation) === "VmClockTrack") {
    assert.equal(outs.track, "guest");
    assert.deepEqual(outs.restoreTo, { track: "host", syncAfterVMResume: null, intervalInSeconds: null });
    assert.equal(cell.sim.resourceConfigs.get(WEB, "vm.clock.track"), "guest");
  } else {
    assert.equal(outs.state, "Paused");
    assert.equal(outs.declaredState, "Paused");
    assert.equal(outs.initialState, "Running", "the adopted state is the one before our action");
  }
  const actual = cell.sim.vms.get(WEB)?.state;
  assert.equal(
    actual ?? "gone",
    vmState ?? (resourceFor(operation) === "VmClockTrack" ? "Running" : "Paused"),
  );
  cell.sim.faults.clear();
  const read = await cell.provider.read(WEB, outs);
  if (actual === undefined) {
    assert.equal(read.id, "");
  } else {
    assert.equal(read.id, WEB);
    assert.equal(read.props!.state, actual);
  }
}

async function runCell(row: FaultRow, operation: Operation, expected: Exclude<Expected, { outcome: "n/a" }>) {
  const cell = await startCell(row, operation);
  try {
    const accepted = () => cell.sim.counters.acceptedActions(WEB);
    const executed = () => cell.sim.counters.executedActions(WEB);
    const inputs = inputsFor(operation, row.timeoutSeconds ?? 20);
    row.arm({ sim: cell.sim, proxy: cell.proxy, vmUuid: WEB }, operation);
    const result = await cell.provider.create(inputs).then(
      (created) => ({ created }),
      (error: unknown) => ({ error }),
    );

    if (expected.outcome === "converged") {
      assert.ok("created" in result, `create failed: ${"error" in result ? String(result.error) : ""}`);
      if (row.settleBeforeNextUpMs !== undefined) await delay(row.settleBeforeNextUpMs);
      assert.equal(result.created.id, WEB);
      assert.equal(accepted(), expected.accepted, "accepted actions");
      assert.equal(executed(), expected.executed ?? expected.accepted, "executed actions");
      await assertConverged(
        cell,
        operation,
        result.created.outs as Record<string, unknown>,
        expected.vmState,
      );
      return;
    }

    assert.ok("error" in result, "create succeeded where it should have failed");
    const error = result.error as Error;
    assert.match(error.message, expected.message);
    if (expected.outcome === "error") {
      if (expected.code !== undefined) {
        assert.ok(ZStackError.isInstance(error), `not a ZStackError: ${error.name}`);
        assert.equal(error.code, expected.code);
      }
      assert.equal(accepted(), expected.accepted, "accepted actions");
      assert.equal(executed(), expected.executed ?? expected.accepted, "executed actions");
      if (expected.accepted === 0) assert.equal(cell.sim.vms.get(WEB)?.state, "Running", "VM untouched");
      return;
    }

    // Partial state: the engine records these properties, and the next `up` updates from them.
    const partial = error as Error & { id?: string; properties?: Record<string, unknown> };
    assert.equal(partial.name, "ResourceInitFailedError");
    assert.equal(partial.id, WEB);
    const props = partial.properties!;
    assert.ok(hasNoUndefined(props), "partial outputs hold undefined");
    const pending = props.pendingJob as { jobUuid: string; vmUuid: string } | null;
    assert.ok(pending !== null && /^[0-9a-f]{32}$/.test(pending.jobUuid), "partial state names the job");
    assert.equal(pending.vmUuid, WEB);
    assert.equal(props.initialState, "Running", "partial state keeps the adopted state");
    assert.equal(accepted(), expected.accepted, "accepted actions when create failed");

    cell.sim.faults.clear();
    if (row.settleBeforeNextUpMs !== undefined) await delay(row.settleBeforeNextUpMs);
    const { outs } = await cell.provider.update(WEB, props, inputsFor(operation, 20));
    assert.equal(accepted(), 1, "one action in all, across both runs");
    assert.equal(executed(), 1, "executed actions");
    await assertConverged(cell, operation, outs as Record<string, unknown>, undefined);
  } finally {
    await cell.close();
  }
}

describe("reliability: fault matrix through the runtime controllers", function () {
  this.timeout(60_000);
  this.slow(5_000);
  // Warnings of skipped restores and debug lines are expected noise here; keep stderr of the cells quiet.
  let restoreStderr: (() => void) | undefined;
  before(() => {
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
      typeof chunk === "string" && chunk.startsWith("[pulumi-zstack-vm]")
        ? true
        : write(chunk, ...rest)) as typeof process.stderr.write;
    restoreStderr = () => (process.stderr.write = write);
  });
  after(() => restoreStderr?.());

  for (const row of FAULT_ROWS) {
    describe(row.title, () => {
      for (const operation of OPERATIONS) {
        const expected = row.expect[operation];
        if (expected.outcome === "n/a") continue;
        it(`on ${operation}: ${expected.outcome}, ${expected.accepted} accepted`, () =>
          runCell(row, operation, expected));
      }
    });
  }

  it("provider/docs/reliability.md shows this matrix (UPDATE_RELIABILITY_DOC=1 regenerates it)", () => {
    const text = readFileSync(DOC, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    assert.ok(start >= 0 && end > start, `markers missing in ${DOC}`);
    const generated = `${BEGIN}\n${renderFaultMatrix()}\n${END}`;
    if (process.env.UPDATE_RELIABILITY_DOC === "1") {
      writeFileSync(DOC, text.slice(0, start) + generated + text.slice(end + END.length));
      return;
    }
    assert.equal(text.slice(start, end + END.length), generated);
  });

  it("every row has an expectation for every operation, and every fault is exercised somewhere", () => {
    for (const row of FAULT_ROWS) {
      assert.deepEqual(Object.keys(row.expect).sort(), [...OPERATIONS].sort(), row.id);
      assert.ok(
        OPERATIONS.some((op) => row.expect[op].outcome !== "n/a"),
        `${row.id} has no runnable cell`,
      );
    }
  });
});
