/**
 * The CLI suites' program (fixtures/declared-vms): it declares what its `resources` config lists, so that a test
 * changes the program with `pulumi config set`, as a user edits theirs. These are the program's terms.
 */
import path from "node:path";

import type { ConfigValue } from "../../tools/pulumi-cli/workspace";

/** The program's project directory. */
export const DECLARED_VMS_PROGRAM = path.join(__dirname, "fixtures", "declared-vms");

/** One resource of the program (see fixtures/declared-vms/index.ts). */
export interface Declared {
  readonly kind: "pause" | "clock";
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** A VmPauseState named `name` keeping `vmUuid` Paused, with other args and resource options as given. */
export function pause(
  name: string,
  vmUuid: string,
  extra: Record<string, unknown> = {},
  options?: Record<string, unknown>,
): Declared {
  return {
    kind: "pause",
    name,
    args: { vmUuid, state: "Paused", ...extra },
    ...(options ? { options } : {}),
  };
}

/** The stack config that makes the program declare `resources`. */
export function declaring(resources: readonly Declared[]): Record<string, ConfigValue> {
  return { resources: JSON.stringify(resources) };
}
