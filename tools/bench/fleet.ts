/**
 * Fleet scale: N `VmPauseState` creates through one real dynamic-provider host process (as one `pulumi up` runs
 * them), with P operations in flight (Pulumi's `--parallel`), against 0.2 s pause jobs.
 *
 * Each resource goes through Check then Create, as the engine sends them; all checks run first (they make no network
 * call), then the creates on P workers. The wall time of the creates, from the first Create call to the last result, is compared with the ideal `ceil(N / P) x job time`: what P perfect workers would need if each
 * create took exactly the server's job time. While it runs, the host process is sampled from `/proc`: resident
 * memory, and the established TCP connections it holds to the simulator (its client pool). Logins are counted on the
 * simulator, which serves only this host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generateVms, startSimulator } from "pulumi-zstack-vm/simulator";
import { DEFAULT_CONNECTIONS } from "pulumi-zstack-vm/zstack";

import { urn, type PropertyMap } from "../provider-host/host";
import {
  HOST_CATEGORIES,
  profileBreakdown,
  profilesIn,
  profilingEnv,
  type ProfileBreakdown,
} from "./cpu-profile";
import { runPool } from "./latency";
import { cpuTimeMs, sampleProcess } from "./proc";
import { PAUSE_TYPE, PROJECT, startConfiguredHost } from "../quickstart";
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
  /** Profile the host's CPU (V8 sampling profiler, preloaded) and report where the creates' CPU went. */
  readonly profile?: boolean;
}

/** The result of {@link measureFleet}. */
export interface FleetResult {
  readonly resources: number;
  readonly parallel: number;
  readonly jobMs: number;
  /** First Create call to last Create result, ms. */
  readonly wallMs: number;
  /** Wall time of the check phase before it (P in flight), ms. */
  readonly checkWallMs: number;
  /** HTTP requests the simulator received during the check phase (expected 0). */
  readonly checkRequests: number;
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
  /** Where the host's CPU went from the first Create on, when profiled. */
  readonly profile: ProfileBreakdown | undefined;
}

/** Creates `resources` VmPauseStates through one host with `parallel` in flight and measures it. */
export async function measureFleet(options: FleetOptions): Promise<FleetResult> {
  const { resources, parallel, jobMs } = options;
  const sim = await startSimulator({
    timings: { pauseMs: jobMs, resumeMs: jobMs },
    vms: generateVms(resources, { namePrefix: "fleet" }),
  });
  const profileDir = options.profile ? mkdtempSync(path.join(os.tmpdir(), "bench-profile-")) : undefined;
  const host = await startConfiguredHost(
    sim,
    profileDir === undefined ? undefined : profilingEnv(profileDir),
  );
  // Assigned at the end of the try block, which throws otherwise.
  let result!: Omit<FleetResult, "profile">;
  try {
    const vms = sim.vms.list().map((vm) => vm.uuid);
    const sampler = sampleProcess(host.pid, sim.endpoint.port);
    const createMs: number[] = [];
    let firstWaveMaxCreateMs = 0;
    const urnOf = (i: number) => urn("bench", PROJECT, PAUSE_TYPE, `fleet-${i}`);
    // Check every resource first, then time the creates. Check makes no network call (it only validates inputs),
    // and the engine issues it from its step generator as registrations arrive, outside the P create workers; timing
    // it here would measure this harness's JavaScript gRPC client, not the provider. Its time is reported apart.
    const checkStarted = performance.now();
    const checked: PropertyMap[] = new Array<PropertyMap>(vms.length);
    await runPool(vms, parallel, async (vmUuid, i) => {
      const news = { __provider: options.providerText, vmUuid, state: "Paused" };
      checked[i] = (await host.check(urnOf(i), {}, news)).inputs;
    });
    const checkWallMs = performance.now() - checkStarted;
    const requestsBeforeCreates = sim.counters.count();

    const hostCpuBefore = cpuTimeMs(host.pid);
    const driverCpuBefore = process.cpuUsage();
    const started = performance.now();
    await runPool(vms, parallel, async (vmUuid, i) => {
      const t = performance.now();
      const created = await host.create(urnOf(i), checked[i] as PropertyMap);
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
    result = {
      resources,
      parallel,
      jobMs,
      wallMs,
      checkWallMs,
      checkRequests: requestsBeforeCreates,
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
  // The host writes its profile as it stops, so it is read only after close.
  const hostProfile = profileDir === undefined ? undefined : profilesIn(profileDir, "host")[0];
  const profile =
    hostProfile === undefined
      ? undefined
      : profileBreakdown(
          hostProfile,
          HOST_CATEGORIES,
          (name, url) => name === "create" && url.includes("dynamic-provider"),
        );
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  return { ...result, profile };
}
