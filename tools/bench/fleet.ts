/**
 * Fleet scale: N `VmPauseState` creates through one real dynamic-provider host process (as one `pulumi up` runs
 * them), with P operations in flight (Pulumi's `--parallel`), against 0.2 s pause jobs.
 *
 * Each resource goes through Check then Create, as the engine sends them: checks one after another as registrations
 * arrive, creates on P workers. The wall time, from the first Check to the last Create result, is compared with the ideal `ceil(N / P) x job time`: what P perfect workers would need if each
 * create took exactly the server's job time. While it runs, the host process is sampled from `/proc`: resident
 * memory, and the established TCP connections it holds to the simulator (its client pool). Logins are counted on the
 * simulator, which serves only this host.
 */
import { performance } from "node:perf_hooks";
import { generateVms, startSimulator } from "pulumi-zstack-vm/simulator";
import { DEFAULT_CONNECTIONS } from "pulumi-zstack-vm/zstack";

import { secret, startProviderHost, urn, type PropertyMap } from "../harness/host";
import { runPool } from "./latency";
import { cpuTimeMs, sampleProcess } from "./proc";
import { PAUSE_TYPE, PROJECT, REPO_ROOT, stackConfig } from "./setup";
import { summarize, type Summary } from "./stats";

/** Options of {@link measureFleet}. */
export interface FleetOptions {
  /** Resources (and VMs) to create. */
  readonly resources: number;
  /** Operations in flight. */
  readonly parallel: number;
  /** Server-side pause time in ms. */
  readonly jobMs: number;
  /** The `__provider` text of `VmPauseState`. */
  readonly providerText: string;
}

/** The result of {@link measureFleet}. */
export interface FleetResult {
  readonly resources: number;
  readonly parallel: number;
  readonly jobMs: number;
  /** First Check to last Create result, ms. */
  readonly wallMs: number;
  /** `ceil(resources / parallel) x jobMs`. */
  readonly idealMs: number;
  /** `wallMs / idealMs`. */
  readonly ratio: number;
  /** Server-side job times (the simulator's job records), ms. */
  readonly serverJobMs: Summary;
  /** Client-side time of each Create RPC, ms. */
  readonly createMs: Summary;
  /**
   * The longest Create RPC of the first wave (the first `parallel` resources), ms: the host loads the runtime
   * (undici, zod, the controllers) on its first call and logs in, and the whole first wave waits for that.
   */
  readonly firstWaveMaxCreateMs: number;
  /** Peak resident memory of the host process, KiB (undefined without `/proc`). */
  readonly peakRssKb: number | undefined;
  /** Most established connections from the host to the simulator in one sample (undefined without `/proc`). */
  readonly peakConnections: number | undefined;
  /** The client's pool limit, which bounds the connections. */
  readonly poolLimit: number;
  /** Logins the simulator received from the host. */
  readonly logins: number;
  /** CPU time the host process used during the run, ms (undefined without `/proc`). */
  readonly hostCpuMs: number | undefined;
  /** CPU time this process (the gRPC driver and the simulator) used during the run, ms. */
  readonly driverCpuMs: number;
  /** All HTTP requests the simulator received, per resource. */
  readonly requestsPerResource: number;
  /** Job polls the simulator received, per resource. */
  readonly pollsPerResource: number;
}

/** Creates `resources` VmPauseStates through one host with `parallel` in flight and measures it. */
export async function measureFleet(options: FleetOptions): Promise<FleetResult> {
  const { resources, parallel, jobMs } = options;
  const sim = await startSimulator({
    timings: { pauseMs: jobMs, resumeMs: jobMs },
    vms: generateVms(resources, { namePrefix: "fleet" }),
  });
  const host = await startProviderHost({ cwd: REPO_ROOT, project: PROJECT });
  try {
    const config: PropertyMap = stackConfig(sim);
    config["zstack:accountPassword"] = secret(sim.credentials.password);
    await host.configure(config);
    const vms = sim.vms.list().map((vm) => vm.uuid);
    const sampler = sampleProcess(host.pid, sim.endpoint.port);
    const createMs: number[] = [];
    let firstWaveMaxCreateMs = 0;
    const hostCpuBefore = cpuTimeMs(host.pid);
    const driverCpuBefore = process.cpuUsage();
    const started = performance.now();
    // The engine checks each resource as its registration arrives, one after another in its step generator, and
    // runs the creates on `parallel` workers: one serial check loop feeds the workers here, as it does there.
    const checked: Promise<PropertyMap>[] = [];
    let previous: Promise<unknown> = Promise.resolve();
    for (const [i, vmUuid] of vms.entries()) {
      const u = urn("bench", PROJECT, PAUSE_TYPE, `fleet-${i}`);
      const inputs = previous.then(async () => {
        const news = { __provider: options.providerText, vmUuid, state: "Paused" };
        return (await host.check(u, {}, news)).inputs;
      });
      inputs.catch(() => undefined); // a failure surfaces where a worker awaits it
      checked.push(inputs);
      previous = inputs;
    }
    await runPool(vms, parallel, async (vmUuid, i) => {
      const u = urn("bench", PROJECT, PAUSE_TYPE, `fleet-${i}`);
      const inputs = await (checked[i] as Promise<PropertyMap>);
      const t = performance.now();
      const created = await host.create(u, inputs);
      const ms = performance.now() - t;
      createMs.push(ms);
      if (i < parallel) firstWaveMaxCreateMs = Math.max(firstWaveMaxCreateMs, ms);
      if (created.properties.state !== "Paused") throw new Error(`fleet: VM ${vmUuid} is not Paused`);
    });
    const wallMs = performance.now() - started;
    const driverCpu = process.cpuUsage(driverCpuBefore);
    const hostCpuAfter = cpuTimeMs(host.pid);
    const peaks = sampler.stop();

    const jobs = sim.jobs.list().filter((j) => j.action === "pauseVmInstance" && j.durationMs !== undefined);
    if (
      jobs.length !== resources ||
      sim.counters.acceptedActions(undefined, "pauseVmInstance") !== resources
    ) {
      throw new Error(`fleet: expected ${resources} pause jobs, found ${jobs.length}`);
    }
    const idealMs = Math.ceil(resources / parallel) * jobMs;
    return {
      resources,
      parallel,
      jobMs,
      wallMs,
      idealMs,
      ratio: wallMs / idealMs,
      serverJobMs: summarize(jobs.map((j) => j.durationMs as number)),
      createMs: summarize(createMs),
      firstWaveMaxCreateMs,
      peakRssKb: peaks.peakRssKb,
      peakConnections: peaks.peakConnections,
      poolLimit: DEFAULT_CONNECTIONS,
      logins: sim.counters.count("login"),
      hostCpuMs:
        hostCpuBefore === undefined || hostCpuAfter === undefined ? undefined : hostCpuAfter - hostCpuBefore,
      driverCpuMs: (driverCpu.user + driverCpu.system) / 1000,
      requestsPerResource: sim.counters.count() / resources,
      pollsPerResource: sim.counters.count("jobPoll") / resources,
    };
  } finally {
    await host.close();
    await sim.close();
  }
}
