/**
 * The demo's ZStack: the embedded simulator with the demo VMs, jobs slow enough to be visible (a pause or resume
 * takes about half a second, as on a quiet management node) and fast enough to keep the whole demo short.
 */
import { DEMO_VM_UUIDS, startSimulator, type Simulator } from "pulumi-zstack-vm/simulator";

/** Job durations of the demo, in milliseconds. */
export const DEMO_TIMINGS = {
  pauseMs: 400,
  resumeMs: 400,
  stopMs: 400,
  startMs: 400,
  destroyMs: 400,
  clockTrackMs: 300,
  resourceConfigMs: 300,
} as const;

/** Starts the simulator on a free loopback port with the demo VMs (web-1, web-2 Running, db-1 Paused, batch-1 Stopped). */
export function startDemoSimulator(): Promise<Simulator> {
  return startSimulator({ host: "127.0.0.1", port: 0, timings: DEMO_TIMINGS });
}

/** The demo VMs, by name. */
export const VM = DEMO_VM_UUIDS;

/**
 * A table of the demo VMs as the simulator has them now: state and clock-track settings, read directly from the
 * simulator's stores (not through the API, so printing it leaves no trace in the action log).
 */
export function vmTable(sim: Simulator): string[] {
  const rows = sim.vms
    .list()
    .map((vm) => [
      vm.name,
      vm.uuid,
      vm.state,
      sim.resourceConfigs.get(vm.uuid, "vm.clock.track"),
      sim.resourceConfigs.get(vm.uuid, "vm.clock.sync.after.vm.resume"),
      sim.resourceConfigs.get(vm.uuid, "vm.clock.sync.interval.in.seconds"),
    ]);
  return table(["VM", "uuid", "state", "clock track", "sync after resume", "sync interval (s)"], rows);
}

/** Left-aligned columns separated by two spaces, with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    "  " +
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
