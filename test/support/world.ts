import type * as dynamic from "@pulumi/pulumi/dynamic";
import { configure, dispatch } from "pulumi-zstack-vm/runtime";
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";
import { closeAllClients } from "pulumi-zstack-vm/zstack";

/** A simulator and the runtime's controllers configured against it, called the way the host calls them. */
export interface World {
  readonly sim: Simulator;
  readonly pause: Required<dynamic.ResourceProvider>;
  readonly clock: Required<dynamic.ResourceProvider>;
  close(): Promise<void>;
}

/**
 * Ports the worlds of this process have listened on. The runtime keeps its per-VM coordination claims per endpoint
 * for the life of the process (one host process is one `pulumi` command), so a world on a port an earlier world had,
 * in this spec file or another, would inherit that world's claims.
 */
const usedPorts = new Set<number>();

/** A simulator on a port no earlier world used (unless `options.port` fixes it). */
async function simulatorOnNewPort(options: SimulatorOptions): Promise<Simulator> {
  if (options.port !== undefined && options.port !== 0) return startSimulator(options);
  // Simulators on a used port stay up until a new one listens, so that the OS hands out another port.
  const held: Simulator[] = [];
  try {
    for (;;) {
      const sim = await startSimulator(options);
      if (!usedPorts.has(sim.endpoint.port)) {
        usedPorts.add(sim.endpoint.port);
        return sim;
      }
      held.push(sim);
    }
  } finally {
    await Promise.all(held.map((sim) => sim.close()));
  }
}

/**
 * Starts a simulator with fast jobs (unless overridden), on a port no earlier world used (a fresh coordination scope,
 * as a new `pulumi` command has), and configures the runtime to use it.
 */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const sim = await simulatorOnNewPort({
    timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 },
    ...options,
  });
  const values = sim.stackConfig();
  await configure({ config: { get: (key: string) => values[key], require: (key: string) => values[key]! } });
  return {
    sim,
    pause: dispatch("VmPauseState") as Required<dynamic.ResourceProvider>,
    clock: dispatch("VmClockTrack") as Required<dynamic.ResourceProvider>,
    async close() {
      await closeAllClients();
      await sim.close();
    },
  };
}

/** Asserts helper: true when no value anywhere in `value` is `undefined` (the host cannot encode one). */
export function hasNoUndefined(value: unknown): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.every(hasNoUndefined);
  if (value !== null && typeof value === "object") return Object.values(value).every(hasNoUndefined);
  return true;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
