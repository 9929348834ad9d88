// Shared helpers of the client tests: a simulator per test, settings for it, fast deterministic retries.
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";
import {
  AdaptivePollSchedule,
  ExponentialBackoffRetry,
  ZStackClient,
  ZStackError,
  type ClientOptions,
  type ConnectionSettings,
  type Credentials,
} from "pulumi-zstack-vm/zstack";
import assert from "node:assert/strict";

/** Connection settings for a running simulator (its demo account unless credentials are given). */
export function settingsFor(
  sim: Simulator,
  overrides: Partial<ConnectionSettings> & { credentials?: Credentials } = {},
): ConnectionSettings {
  return {
    scheme: sim.endpoint.scheme,
    host: sim.endpoint.host,
    port: sim.endpoint.port,
    contextPath: sim.endpoint.contextPath,
    credentials: {
      kind: "account",
      accountName: sim.credentials.accountName,
      password: sim.credentials.password,
    },
    ...overrides,
  };
}

/** Retries with tiny, deterministic delays (jitter drawn at the middle of its range). */
export function fastRetry(maxAttempts = 5): ExponentialBackoffRetry {
  return new ExponentialBackoffRetry({ baseMs: 4, capMs: 20, maxAttempts, random: () => 0.5 });
}

/** A simulator and a client on it with fast retries and a private poll schedule; both closed by `stop`. */
export interface Rig {
  readonly sim: Simulator;
  readonly client: ZStackClient;
  readonly schedule: AdaptivePollSchedule;
  readonly lines: string[];
  stop(): Promise<void>;
}

/** Starts a simulator and a client on it. */
export async function rig(
  options: SimulatorOptions = {},
  clientOptions: ClientOptions = {},
  settings: Partial<ConnectionSettings> = {},
): Promise<Rig> {
  const sim = await startSimulator(options);
  const schedule = new AdaptivePollSchedule();
  const lines: string[] = [];
  const client = new ZStackClient(settingsFor(sim, settings), {
    retry: fastRetry(),
    pollSchedule: schedule,
    logger: (line) => lines.push(line),
    ...clientOptions,
  });
  return {
    sim,
    client,
    schedule,
    lines,
    stop: async () => {
      await client.close();
      await sim.close();
    },
  };
}

/** Asserts that a promise rejects with a ZStackError and returns it. */
export async function rejection(promise: Promise<unknown>): Promise<ZStackError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(ZStackError.isInstance(error), `expected a ZStackError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a rejection");
}

/** A VM uuid that the simulator does not know. */
export const MISSING_VM = "ffffffffffffffffffffffffffffffff";
