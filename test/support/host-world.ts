import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-zstack-vm/simulator";

import type { ProviderHost } from "../../tools/provider-host/host";
import { startConfiguredHost } from "../../tools/quickstart";
import { providerTextsByType } from "./mocks";

/** A simulator, the real dynamic-provider host configured against it, and the `__provider` texts to send it. */
export interface HostWorld {
  readonly sim: Simulator;
  readonly host: ProviderHost;
  /** Today's `__provider` text of each resource type token. */
  readonly texts: Readonly<Record<string, string>>;
  /** The next `pulumi` command: the CLI ends the host and starts a new one against the same simulator. */
  nextCommand(): Promise<void>;
  /** Ends the host and starts a new one with `env`; with `simulator`, against a new simulator made with those options. */
  restart(change: WorldChange): Promise<void>;
}

/** What {@link HostWorld.restart} changes. */
export interface WorldChange {
  readonly simulator?: SimulatorOptions;
  readonly env?: Readonly<Record<string, string>>;
}

/** How {@link useHostWorld} sets its world up. */
export interface HostWorldOptions {
  /** A new simulator and host for every test (`"test"`, the default) or one for the whole block (`"suite"`). */
  readonly per?: "test" | "suite";
  /** The simulator's options (default: fast jobs). */
  readonly simulator?: SimulatorOptions;
  /** How the host is ended after the test: as the engine ends it (SIGINT, the default), or SIGKILL. */
  readonly closeWith?: "SIGINT" | "SIGKILL";
}

/**
 * Registers the mocha hooks of a block that talks to the real dynamic-provider host over gRPC, and returns the
 * world they keep: read its members inside tests, where the hooks have set them.
 */
export function useHostWorld(options: HostWorldOptions = {}): HostWorld {
  let sim: Simulator | undefined;
  let host: ProviderHost | undefined;
  let texts: Record<string, string> = {};
  const start = async () => {
    sim = await startSimulator(
      options.simulator ?? { timings: { pauseMs: 30, resumeMs: 30, clockTrackMs: 10 } },
    );
    host = await startConfiguredHost(sim);
  };
  const stop = async () => {
    await host?.close(options.closeWith);
    await sim?.close();
  };
  before(async () => {
    texts = await providerTextsByType();
  });
  if (options.per === "suite") {
    before(start);
    after(stop);
  } else {
    beforeEach(start);
    afterEach(stop);
  }
  return {
    get sim() {
      return sim as Simulator;
    },
    get host() {
      return host as ProviderHost;
    },
    get texts() {
      return texts;
    },
    async nextCommand() {
      await this.restart({});
    },
    async restart(change) {
      await host?.close();
      if (change.simulator !== undefined) {
        await sim?.close();
        sim = await startSimulator(change.simulator);
      }
      host = await startConfiguredHost(sim as Simulator, change.env);
    },
  };
}
