/**
 * Request economy: how many HTTP requests each create, read, update and delete of each resource costs, counted on
 * the simulator side, with every operation driven through the real dynamic-provider host over gRPC in the order the
 * engine calls it (check before create, check and diff before update).
 *
 * Operations run one at a time, so the simulator's counters between two operations belong to exactly one of them.
 * The session is established by a warm-up read before the first measured operation; logins are reported on their
 * own (see the fleet section for logins across 1,000 resources).
 */
import { ENDPOINT_KINDS, generateVms, startSimulator, type EndpointKind } from "pulumi-zstack-vm/simulator";

import { urn, type PropertyMap, type ProviderHost } from "../provider-host/host";
import { CLOCK_TYPE, PAUSE_TYPE, PROJECT, startConfiguredHost } from "../quickstart";
import { providerTextOf, type ProviderTexts } from "./setup";
import { median } from "./stats";

/** The operations measured, in engine terms. */
export type Operation = "create" | "read" | "update" | "delete";

/** Requests of one operation of one resource kind, medians over the VMs measured. */
export interface OperationCost {
  readonly resource: "VmPauseState" | "VmClockTrack";
  readonly operation: Operation;
  /** What the operation did, for the report. */
  readonly scenario: string;
  /** Median of all requests. */
  readonly requests: number;
  /** Median of the requests that are not job polls. */
  readonly nonPollRequests: number;
  /** Median of job polls. */
  readonly polls: number;
  /** Median per endpoint kind (kinds that were never used are left out). */
  readonly byKind: Readonly<Partial<Record<EndpointKind, number>>>;
  /** Number of operations measured. */
  readonly samples: number;
}

/** A resource's state as the engine stores it after a create: checked inputs and outputs. */
export interface StoredState {
  readonly type: string;
  readonly inputs: PropertyMap;
  readonly outputs: PropertyMap;
}

/** The result of {@link measureEconomy}. */
export interface EconomyResult {
  readonly costs: readonly OperationCost[];
  /** Logins the host process made over the whole section (warm-up included). */
  readonly logins: number;
  /** The state of the first resource of each kind after its create, for the state-size section. */
  readonly states: readonly StoredState[];
}

/** Options of {@link measureEconomy}. */
export interface EconomyOptions {
  /** VMs per resource kind; each goes through create, read, two updates and delete. */
  readonly vmsPerKind: number;
  readonly texts: ProviderTexts;
}

type Counts = Partial<Record<EndpointKind, number>>;

interface Recorder {
  measure(key: string, op: () => Promise<void>): Promise<void>;
  readonly samples: Map<string, Counts[]>;
}

/** Runs every operation of every kind through one host against one simulator and tallies the requests. */
export async function measureEconomy(options: EconomyOptions): Promise<EconomyResult> {
  const n = options.vmsPerKind;
  const sim = await startSimulator({
    timings: { pauseMs: 200, resumeMs: 200, clockTrackMs: 50 },
    vms: generateVms(2 * n + 1, { namePrefix: "eco" }),
  });
  const host = await startConfiguredHost(sim);
  try {
    const vms = sim.vms.list().map((vm) => vm.uuid);
    const pauseText = providerTextOf(options.texts, PAUSE_TYPE);
    const clockText = providerTextOf(options.texts, CLOCK_TYPE);

    // Warm-up: log in and open a connection outside the measured operations.
    await host.read(vms[0]!, urn("bench", PROJECT, PAUSE_TYPE, "warm-up"), { __provider: pauseText });

    const samples = new Map<string, Counts[]>();
    const recorder: Recorder = {
      samples,
      async measure(key, op) {
        sim.counters.reset();
        await op();
        const list = samples.get(key) ?? [];
        list.push({ ...sim.counters.snapshot().byEndpoint });
        samples.set(key, list);
      },
    };
    let logins = 1;
    const states: StoredState[] = [];
    for (let i = 0; i < n; i++) {
      const pause = await runLifecycle(host, recorder, PAUSE_LIFECYCLE, vms[1 + i]!, pauseText, i);
      const clock = await runLifecycle(host, recorder, CLOCK_LIFECYCLE, vms[1 + n + i]!, clockText, i);
      if (i === 0) states.push(pause, clock);
    }
    for (const list of samples.values()) for (const counts of list) logins += counts.login ?? 0;
    return { costs: summarizeCosts(samples), logins, states };
  } finally {
    await host.close();
    await sim.close();
  }
}

const SCENARIOS: Readonly<Record<string, string>> = {
  "VmPauseState/create": "Running VM declared Paused: adopt, pause, wait",
  "VmPauseState/read": "refresh",
  "VmPauseState/update": "flip the declared state (resume or pause), wait",
  "VmPauseState/delete": "restore the adopted state (resume), wait",
  "VmClockTrack/create": "track guest: read VM and 3 configs, set, wait",
  "VmClockTrack/read": "refresh",
  "VmClockTrack/update": "change interval or track, wait",
  "VmClockTrack/delete": "restore the values read at create, wait",
};

/** One resource's lifecycle as the benchmark drives it: what create declares and the updates that follow. */
interface Lifecycle {
  readonly type: string;
  readonly kind: OperationCost["resource"];
  readonly declared: PropertyMap;
  readonly updates: readonly PropertyMap[];
}

const PAUSE_LIFECYCLE: Lifecycle = {
  type: PAUSE_TYPE,
  kind: "VmPauseState",
  declared: { state: "Paused" },
  updates: [{ state: "Running" }, { state: "Paused" }],
};

const CLOCK_LIFECYCLE: Lifecycle = {
  type: CLOCK_TYPE,
  kind: "VmClockTrack",
  declared: { track: "guest" },
  updates: [{ intervalInSeconds: 600 }, { track: "host" }],
};

/** Create, read, each update and delete of one resource, in the engine's call order, each measured apart. */
async function runLifecycle(
  host: ProviderHost,
  recorder: Recorder,
  lifecycle: Lifecycle,
  vmUuid: string,
  text: string,
  i: number,
): Promise<StoredState> {
  const u = urn("bench", PROJECT, lifecycle.type, `${lifecycle.kind}-${i}`);
  const key = (op: Operation) => `${lifecycle.kind}/${op}`;
  let inputs: PropertyMap = {};
  let outputs: PropertyMap = {};
  await recorder.measure(key("create"), async () => {
    const checked = await host.check(u, {}, { __provider: text, vmUuid, ...lifecycle.declared });
    inputs = checked.inputs;
    outputs = (await host.create(u, inputs)).properties;
  });
  const stored = { type: lifecycle.type, inputs, outputs };
  await recorder.measure(key("read"), async () => {
    await host.read(vmUuid, u, outputs, inputs);
  });
  for (const change of lifecycle.updates) {
    await recorder.measure(key("update"), async () => {
      const checked = await host.check(u, inputs, { ...inputs, ...change });
      await host.diff(vmUuid, u, outputs, inputs, checked.inputs);
      outputs = (await host.update(vmUuid, u, outputs, checked.inputs, inputs)).properties;
      inputs = checked.inputs;
    });
  }
  await recorder.measure(key("delete"), () => host.delete(vmUuid, u, outputs, inputs));
  return stored;
}

/** Medians per operation and endpoint kind. */
export function summarizeCosts(samples: ReadonlyMap<string, readonly Counts[]>): OperationCost[] {
  const costs: OperationCost[] = [];
  for (const [key, list] of samples) {
    const [resource, operation] = key.split("/") as [OperationCost["resource"], Operation];
    const total = (c: Counts) => ENDPOINT_KINDS.reduce((sum, kind) => sum + (c[kind] ?? 0), 0);
    const byKind: Partial<Record<EndpointKind, number>> = {};
    for (const kind of ENDPOINT_KINDS) {
      if (list.some((c) => (c[kind] ?? 0) > 0)) byKind[kind] = median(list.map((c) => c[kind] ?? 0));
    }
    costs.push({
      resource,
      operation,
      scenario: SCENARIOS[key] ?? "",
      requests: median(list.map(total)),
      nonPollRequests: median(list.map((c) => total(c) - (c.jobPoll ?? 0))),
      polls: median(list.map((c) => c.jobPoll ?? 0)),
      byKind,
      samples: list.length,
    });
  }
  return costs;
}
