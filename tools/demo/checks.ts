/**
 * The demo checks its own story as it goes (a VM really paused, the drift really found...), so that a regression
 * shows as a clear one-line failure instead of a plausible-looking but wrong transcript.
 */
import type { Simulator } from "pulumi-zstack-vm/simulator";
import type { PulumiRun } from "../pulumi-cli/workspace";

/** A failure of the demo, reported as one message without a stack trace. */
export class DemoError extends Error {
  override readonly name = "DemoError";
}

/** Throws a {@link DemoError} with `message` unless `condition` holds. */
export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoError(message);
}

/** Throws when a `pulumi` command failed; the CLI already printed its diagnostics. */
export function expectSucceeded(run: PulumiRun): void {
  expect(run.code === 0, `\`${run.command}\` failed (see the CLI's output above)`);
}

/** The simulator's view of one VM: its state and clock settings. */
export function vmFacts(sim: Simulator, uuid: string): { state: string; track: string; interval: string } {
  const vm = sim.vms.get(uuid);
  if (!vm) throw new DemoError(`VM ${uuid} is missing from the simulator`);
  return {
    state: vm.state,
    track: sim.resourceConfigs.get(uuid, "vm.clock.track"),
    interval: sim.resourceConfigs.get(uuid, "vm.clock.sync.interval.in.seconds"),
  };
}
