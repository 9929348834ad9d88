import type * as dynamic from "@pulumi/pulumi/dynamic";
import {
  controllersFor,
  ProviderRuntime,
  resolveConnectionSettings,
  type ResourceKind,
} from "pulumi-zstack-vm/runtime";
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";

/** A controller as the host calls it: untyped records in and out. */
export type HostView = Required<dynamic.ResourceProvider>;

/**
 * A simulator and a runtime of its own against it, with the controllers bound to that runtime, called the way the
 * host calls them. A world is one `pulumi` command: its runtime starts with no claims, as each command's host
 * process does, and shares nothing with another world.
 */
export interface World {
  readonly sim: Simulator;
  readonly runtime: ProviderRuntime;
  readonly pause: HostView;
  readonly clock: HostView;
  /** The controller of a kind, as the host would find it by the kind's name. */
  controller(kind: ResourceKind): HostView;
  /** Closes the runtime (its session and pool), then the simulator. */
  close(): Promise<void>;
}

/** Starts a simulator with fast jobs (unless overridden) and a runtime configured with its stack config. */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const sim = await startSimulator({
    timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 },
    ...options,
  });
  const values = sim.stackConfig();
  const runtime = new ProviderRuntime({
    settings: () => resolveConnectionSettings({ get: (key: string) => values[key] }),
  });
  const controllers = controllersFor(runtime);
  const controller = (kind: ResourceKind) => controllers[kind] as unknown as HostView;
  return {
    sim,
    runtime,
    pause: controller("VmPauseState"),
    clock: controller("VmClockTrack"),
    controller,
    async close() {
      await runtime.close();
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
