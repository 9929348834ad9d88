/**
 * The quickstart stack as the demo drives it: the root Pulumi project, stack `dev`, its state in a temporary
 * directory (never in the repository), and the stack config a user would set with `pulumi config set`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connectionSettings, type Simulator } from "pulumi-zstack-vm/simulator";
import { EngineHarness } from "../harness/engine";
import type { LineSink } from "./report";

/** The repository root, where the quickstart's Pulumi.yaml is. */
export const QUICKSTART_DIR = path.resolve(__dirname, "..", "..");

/** The stack config pointing the provider at the simulator: the `zstack:*` keys, the password as a secret. */
export function zstackConfig(sim: Simulator): Record<string, string | { secret: string }> {
  return Object.fromEntries(
    connectionSettings(sim.endpoint, sim.credentials).map((setting) => [
      setting.configKey,
      setting.secret ? { secret: setting.value } : setting.value,
    ]),
  );
}

/** The quickstart stack of one demo run; `withConfig` stands for `pulumi config set`. */
export class QuickstartStack {
  private constructor(
    private readonly sim: Simulator,
    private readonly out: LineSink,
    /** The temporary directory holding the state file. */
    readonly dir: string,
    private readonly programConfig: Readonly<Record<string, string>>,
  ) {}

  /** A fresh stack (empty state) in a new temporary directory. */
  static create(sim: Simulator, out: LineSink): QuickstartStack {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zstack-demo-"));
    return new QuickstartStack(sim, out, dir, {});
  }

  /** The same stack with project config values changed (`pulumi config set key value`). */
  withConfig(values: Readonly<Record<string, string>>): QuickstartStack {
    return new QuickstartStack(this.sim, this.out, this.dir, { ...this.programConfig, ...values });
  }

  /** The engine for the current config; each call is one `pulumi` command's worth of engine. */
  engine(): EngineHarness {
    return new EngineHarness({
      projectDir: QUICKSTART_DIR,
      stack: "dev",
      statePath: path.join(this.dir, "dev.json"),
      config: { ...zstackConfig(this.sim), ...this.programConfig },
      // The state's secrets (the account password) are encrypted with this passphrase, as with a local backend.
      secretsPassphrase: "demo-passphrase",
      out: this.out,
    });
  }

  /** Deletes the temporary directory. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
