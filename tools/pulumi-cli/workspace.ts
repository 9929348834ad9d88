/**
 * A throw-away Pulumi environment for the demo, the tests and the benchmark: a local file backend, a passphrase
 * secrets provider and a `PULUMI_HOME` in a temporary directory, and copies of Pulumi projects to run there. Every
 * command is the real `pulumi` (see {@link resolvePulumiCli}); nothing here plays the engine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";

import { livePids } from "./live-pids";
import { resolvePulumiCli, type PulumiCli } from "./resolve";

/** The repository root, whose `node_modules` the project copies use (the workspace link to the package included). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** What one `pulumi` command did. */
export interface PulumiRun {
  /** The command line, for messages. */
  readonly command: string;
  /** Its exit code (`null` when a signal ended it). */
  readonly code: number | null;
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command still running, for tests that interrupt the CLI. */
export interface RunningPulumi {
  readonly child: ChildProcess;
  /** Everything printed so far on stdout. */
  output(): string;
  readonly done: Promise<PulumiRun>;
}

/** Options of one command. */
export interface RunOptions {
  /** The project directory (default: the workspace's last project). */
  readonly cwd?: string;
  /** Extra environment for this command. */
  readonly env?: Readonly<Record<string, string>>;
  /** Print the output as it comes (the demo shows the CLI's own output). */
  readonly echo?: (chunk: string) => void;
  /** Resolve instead of throwing when the command exits non-zero. */
  readonly allowFailure?: boolean;
}

/** A config value: plain text, or a secret the CLI encrypts. */
export type ConfigValue = string | { readonly secret: string };

/** Options of {@link PulumiWorkspace.create}. */
export interface WorkspaceOptions {
  /** The passphrase of the stacks' secrets provider (default: a fixed test passphrase). */
  readonly passphrase?: string;
  /** Environment for every command (for example `ZSTACK_*`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown when a command that should succeed fails: says which, and what the CLI printed. */
export class PulumiCommandError extends Error {
  constructor(readonly run: PulumiRun) {
    super(
      `\`${run.command}\` ${run.signal ? `was ended by ${run.signal}` : `exited ${run.code}`}:\n` +
        `${run.stdout.trim()}\n${run.stderr.trim()}`.trim(),
    );
    this.name = "PulumiCommandError";
  }
}

/** See the module comment. */
export class PulumiWorkspace {
  private readonly running = new Set<ChildProcess>();

  private constructor(
    /** The CLI every command runs. */
    readonly cli: PulumiCli,
    /** The temporary directory holding everything below. */
    readonly dir: string,
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {}

  /** Resolves the CLI (building it if needed) and lays out a fresh backend, home and passphrase. */
  static async create(options: WorkspaceOptions = {}): Promise<PulumiWorkspace> {
    const cli = await resolvePulumiCli();
    const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-zstack-vm-"));
    const backend = path.join(dir, "backend");
    const home = path.join(dir, "pulumi-home");
    mkdirSync(backend);
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      // The CLI first (its plugins beside it), then the YAML and Go language hosts, for projects of any runtime.
      PATH: [...cli.pathDirs, process.env["PATH"] ?? ""].join(path.delimiter),
      PULUMI_HOME: home,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "pulumi-zstack-vm test passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // Plugins cannot be downloaded here, and a test must not depend on one it did not build.
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
    };
    // A developer's own stack selection or access token must not leak into a throw-away workspace.
    for (const key of ["PULUMI_ACCESS_TOKEN", "PULUMI_STACK", "PULUMI_CONFIG_PASSPHRASE_FILE"])
      delete env[key];
    return new PulumiWorkspace(cli, dir, env);
  }

  /** The backend directory (`file://` URL target): the checkpoints live under `.pulumi/stacks/`. */
  get backendDir(): string {
    return path.join(this.dir, "backend");
  }

  /** The environment each command runs with. */
  env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return { ...this.baseEnv, ...extra };
  }

  /**
   * Copies a Pulumi project into the workspace and links the repository's `node_modules` beside it, so that stack
   * files (`Pulumi.<stack>.yaml`) are written into the copy, never into the repository.
   *
   * @param source the project directory in the repository
   * @param files which entries to copy (default: all but `node_modules` and stack files)
   * @param name the copy's directory name (default: the source's)
   */
  project(
    source: string,
    options: { readonly files?: readonly string[]; readonly name?: string } = {},
  ): string {
    const target = path.join(this.dir, "projects", options.name ?? path.basename(source));
    mkdirSync(target, { recursive: true });
    if (options.files) {
      for (const f of options.files) cpSync(path.join(source, f), path.join(target, f), { recursive: true });
    } else {
      cpSync(source, target, {
        recursive: true,
        filter: (src) =>
          !/(^|\/)(node_modules|Pulumi\.[^/]+\.yaml)$/.test(path.relative(source, src)) || src === source,
      });
    }
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(target, "node_modules"), "dir");
    anchorTsconfigExtends(source, target);
    anchorGoModReplaces(source, target);
    return target;
  }

  /** `pulumi stack init <stack>` in `cwd`, then the given config (secrets with `--secret`). */
  async initStack(
    cwd: string,
    stack: string,
    config: Readonly<Record<string, ConfigValue>> = {},
  ): Promise<void> {
    await this.run(["stack", "init", stack], { cwd });
    await this.setConfig(cwd, config);
  }

  /** `pulumi config set-all` for the given values, in one command. */
  async setConfig(cwd: string, config: Readonly<Record<string, ConfigValue>>): Promise<void> {
    const args = ["config", "set-all"];
    for (const [key, value] of Object.entries(config)) {
      if (typeof value === "string") args.push("--plaintext", `${key}=${value}`);
      else args.push("--secret", `${key}=${value.secret}`);
    }
    if (args.length > 2) await this.run(args, { cwd });
  }

  /** The stack's outputs, secrets shown (`pulumi stack output --json --show-secrets`). */
  async outputs(cwd: string): Promise<Record<string, unknown>> {
    const run = await this.run(["stack", "output", "--json", "--show-secrets"], { cwd });
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  /** The stack's checkpoint as `pulumi stack export` gives it (secrets stay encrypted). */
  async exportState(cwd: string): Promise<StackExport> {
    const run = await this.run(["stack", "export"], { cwd });
    return JSON.parse(run.stdout) as StackExport;
  }

  /** Runs one command to its end; throws {@link PulumiCommandError} when it fails, unless `allowFailure`. */
  async run(args: readonly string[], options: RunOptions = {}): Promise<PulumiRun> {
    const run = await this.start(args, options).done;
    if (run.code !== 0 && !options.allowFailure) throw new PulumiCommandError(run);
    return run;
  }

  /** Starts one command and returns at once. */
  start(args: readonly string[], options: RunOptions = {}): RunningPulumi {
    const command = `pulumi ${args.join(" ")}`;
    const child = spawn(this.cli.pulumi, args, {
      cwd: options.cwd ?? this.dir,
      env: this.env(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that dispose can end the plugins too, even when a test killed only the CLI.
      detached: true,
    });
    this.running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      options.echo?.(d.toString());
    });
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      options.echo?.(d.toString());
    });
    const done = new Promise<PulumiRun>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (signal === null) this.running.delete(child);
        resolve({ command, code, signal, stdout, stderr });
      });
    });
    return { child, output: () => stdout, done };
  }

  /**
   * Ends any command still running, and the plugins of any that was killed (a provider host outlives a CLI killed
   * by a signal), then removes the temporary directory.
   */
  dispose(): void {
    for (const child of this.running) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // The group is already gone.
      }
    }
    for (const pid of processesUnder(this.dir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // It ended meanwhile.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The processes whose working directory is in `dir`, from `/proc` (none where there is no `/proc`). The CLI starts
 * each plugin in a process group of its own, so killing the CLI's group leaves the plugins of a CLI that was killed
 * (the provider host and the script that started it), reparented and running in the project directory.
 */
function processesUnder(dir: string): number[] {
  return livePids().filter((pid) => {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, "");
      return cwd === dir || cwd.startsWith(dir + path.sep);
    } catch {
      return false;
    }
  });
}

/**
 * ts-node type-checks a program with the tsconfig.json beside it; a relative `extends` (`../../tsconfig.json`) would
 * point nowhere from the copy, so it is made absolute, to the file the original extends.
 */
function anchorTsconfigExtends(source: string, target: string): void {
  for (const dir of [
    target,
    ...readdirSync(target, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "node_modules")
      .map((e) => path.join(target, e.name)),
  ]) {
    const file = path.join(dir, "tsconfig.json");
    if (!existsSync(file)) continue;
    const original = path.join(source, path.relative(target, dir));
    const text = readFileSync(file, "utf8").replace(
      /("extends"\s*:\s*")(\.[^"]*)"/,
      (_m, head: string, rel: string) => `${head}${path.resolve(original, rel)}"`,
    );
    writeFileSync(file, text);
  }
}

/**
 * A Go program's go.mod may `replace` a module by a relative directory (`=> ../../sdk/go/zstackvm`), which would
 * point nowhere from the copy: such paths are made absolute, to the directory the original names.
 */
function anchorGoModReplaces(source: string, target: string): void {
  const file = path.join(target, "go.mod");
  if (!existsSync(file)) return;
  const text = readFileSync(file, "utf8").replace(
    /(=>\s*)(\.\.?\/\S*)/g,
    (_m, arrow: string, rel: string) => `${arrow}${path.resolve(source, rel)}`,
  );
  writeFileSync(file, text);
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
  readonly deployment: {
    readonly resources?: readonly ExportedResource[];
    readonly pending_operations?: readonly { readonly type: string; readonly resource: ExportedResource }[];
    readonly secrets_providers?: unknown;
  };
}

/** One resource of a checkpoint. */
export interface ExportedResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly initErrors?: readonly string[];
  readonly protect?: boolean;
  /** The parent's URN (a component's children, the stack's resources). */
  readonly parent?: string;
  /** The URNs this resource depends on (`dependsOn` and the resources whose outputs it takes). */
  readonly dependencies?: readonly string[];
  /** Where the program declares the resource, as the SDK reports it: `project:///<file>#<line>,<column>`. */
  readonly sourcePosition?: string;
}
