import type * as dynamic from "@pulumi/pulumi/dynamic";
import { configure, dispatch, forgetAllClaims } from "pulumi-zstack-vm/runtime";
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
 * Starts a simulator with fast jobs (unless overridden) and configures the runtime to use it, with no per-VM claims
 * left from earlier tests: a world is one `pulumi` command, and each command is a new host process.
 */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const sim = await startSimulator({
    timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 },
    ...options,
  });
  forgetAllClaims();
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
