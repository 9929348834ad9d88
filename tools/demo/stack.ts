/**
 * The quickstart stack as the demo drives it: the root Pulumi project copied into a throw-away Pulumi workspace
 * (local file backend and passphrase in a temporary directory, never the repository), stack `dev`, the stack config a
 * user would set with `pulumi config set`, and each command run by the real `pulumi` with its own output shown.
 */
import type { Simulator } from "pulumi-zstack-vm/simulator";

import { PulumiWorkspace, type PulumiRun } from "../pulumi-cli/workspace";
import { QUICKSTART_FILES, REPO_ROOT, zstackConfig } from "../quickstart";
import type { LineSink } from "./report";

/** The quickstart stack of one demo run. */
export class QuickstartStack {
  private constructor(
    private readonly ws: PulumiWorkspace,
    /** The project copy the commands run in. */
    readonly dir: string,
    private readonly out: LineSink,
  ) {}

  /** A fresh workspace with the quickstart copied in and stack `dev` configured for the simulator. */
  static async create(sim: Simulator, out: LineSink): Promise<QuickstartStack> {
    const ws = await PulumiWorkspace.create({ passphrase: "demo-passphrase" });
    try {
      const dir = ws.project(REPO_ROOT, { files: QUICKSTART_FILES, name: "quickstart" });
      await ws.initStack(dir, "dev", zstackConfig(sim));
      return new QuickstartStack(ws, dir, out);
    } catch (e) {
      ws.dispose();
      throw e;
    }
  }

  /** The CLI in use, for the intro: version and where it came from. */
  get cli(): PulumiWorkspace["cli"] {
    return this.ws.cli;
  }

  /** The workspace's temporary directory. */
  get workspaceDir(): string {
    return this.ws.dir;
  }

  /** Runs `pulumi <args>` in the project, printing its output line by line as it comes. */
  async pulumi(args: readonly string[]): Promise<PulumiRun> {
    let pending = "";
    const run = await this.ws.run(args, {
      cwd: this.dir,
      allowFailure: true,
      echo: (chunk) => {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) this.out(line);
      },
    });
    if (pending) this.out(pending);
    return run;
  }

  /** The outputs of a resource of the stack, as the checkpoint holds them. */
  async outputsOf(name: string): Promise<Readonly<Record<string, unknown>>> {
    const state = await this.ws.exportState(this.dir);
    return state.deployment.resources?.find((r) => r.urn.endsWith(`::${name}`))?.outputs ?? {};
  }

  /** Removes the workspace. */
  dispose(): void {
    this.ws.dispose();
  }
}
