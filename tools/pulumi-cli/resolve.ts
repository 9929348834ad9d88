/**
 * Finds the `pulumi` that the demo, the tests and the benchmark run, in the order a user would expect:
 *
 * 1. a `pulumi` on PATH of a supported version (users already have one), with its language host beside it;
 * 2. the pinned build in the cache;
 * 3. the pinned build, built now with Go (minutes, with progress);
 * 4. otherwise one error that says how to install the Pulumi CLI.
 *
 * Then the YAML and Go language hosts the same way, each on its own: the one beside an accepted `pulumi` on PATH (a
 * Pulumi install ships the hosts of its release; a host found elsewhere is not used, because its version can only
 * be asked over the host's gRPC protocol), else its pinned build, cached or built now.
 *
 * `PULUMI_ZSTACK_VM_CLI=pinned` skips the PATH, so that CI measures the versions the repository pins.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { buildCached, buildPinnedCli, cachedBinDir, type ProgressSink } from "./build";
import {
  CLI_BUILD,
  GO_MODULES,
  LANGUAGE_HOST_BUILDS,
  MIN_CLI_VERSION,
  pinnedVersion,
  type HostedRuntime,
} from "./pins";

/** A usable Pulumi CLI. */
export interface PulumiCli {
  /** The directory holding `pulumi` and its plugins: put it first on PATH. */
  readonly binDir: string;
  /** The `pulumi` executable. */
  readonly pulumi: string;
  /** What `pulumi version` prints, for example `v3.276.0`. */
  readonly version: string;
  /** Where it came from. */
  readonly source: Source;
  /** The YAML and Go language hosts (the Node.js host is in {@link binDir}). */
  readonly languageHosts: readonly LanguageHost[];
  /** {@link binDir} and the hosts' directories, in that order: what a command's PATH starts with. */
  readonly pathDirs: readonly string[];
}

/** Where a binary came from: PATH, the cache, or a build just now. */
export type Source = "path" | "cache" | "built";

/** A language host the CLI starts for a project's `runtime`. */
export interface LanguageHost {
  readonly runtime: HostedRuntime;
  /** The host executable. */
  readonly executable: string;
  /**
   * The pinned version of a pinned build (`v1.25.0`); for a host beside a `pulumi` on PATH, which release it came
   * with (`bundled with pulumi v3.280.0`): a host reports its own version only over its gRPC protocol.
   */
  readonly version: string;
  readonly source: Source;
}

let resolved: Promise<PulumiCli> | undefined;

/** Resolves the CLI once per process; progress lines (a build, a CLI passed over) go to `progress`. */
export function resolvePulumiCli(
  progress: ProgressSink = (line) => process.stderr.write(`${line}\n`),
): Promise<PulumiCli> {
  resolved ??= resolve(progress).catch((err: unknown) => {
    resolved = undefined;
    throw err;
  });
  return resolved;
}

async function resolve(progress: ProgressSink): Promise<PulumiCli> {
  const cli = await resolveCli(progress);
  const languageHosts: LanguageHost[] = [];
  for (const runtime of Object.keys(LANGUAGE_HOST_BUILDS) as HostedRuntime[]) {
    languageHosts.push(await resolveHost(runtime, cli, progress));
  }
  const pathDirs = [...new Set([cli.binDir, ...languageHosts.map((h) => path.dirname(h.executable))])];
  return { ...cli, languageHosts, pathDirs };
}

type CliAlone = Omit<PulumiCli, "languageHosts" | "pathDirs">;

async function resolveCli(progress: ProgressSink): Promise<CliAlone> {
  if (process.env["PULUMI_ZSTACK_VM_CLI"] !== "pinned") {
    const onPath = await fromPath(progress);
    if (onPath) return onPath;
  }
  const cached = cachedBinDir(CLI_BUILD);
  if (existsSync(path.join(cached, GO_MODULES.cli.binary))) return describe(cached, "cache");
  return describe(await buildPinnedCli(progress), "built");
}

async function resolveHost(
  runtime: HostedRuntime,
  cli: CliAlone,
  progress: ProgressSink,
): Promise<LanguageHost> {
  const build = LANGUAGE_HOST_BUILDS[runtime];
  const mod = build.modules[0];
  const beside = path.join(cli.binDir, mod.binary);
  if (cli.source === "path" && isExecutable(beside)) {
    return { runtime, executable: beside, version: `bundled with pulumi ${cli.version}`, source: "path" };
  }
  const version = pinnedVersion(mod);
  const cached = path.join(cachedBinDir(build), mod.binary);
  if (existsSync(cached)) return { runtime, executable: cached, version, source: "cache" };
  const built = path.join(await buildCached(build, progress), mod.binary);
  return { runtime, executable: built, version, source: "built" };
}

async function fromPath(progress: ProgressSink): Promise<CliAlone | undefined> {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter).filter(Boolean)) {
    if (!isExecutable(path.join(dir, "pulumi"))) continue;
    const cli = await describe(dir, "path").catch(() => undefined);
    if (!cli) continue;
    if (compareVersions(cli.version, MIN_CLI_VERSION) < 0) {
      progress(
        `Passing over ${cli.pulumi} ${cli.version}: older than ${MIN_CLI_VERSION}; using the pinned build.`,
      );
      return undefined;
    }
    if (!isExecutable(path.join(dir, GO_MODULES.nodejsHost.binary))) {
      progress(
        `Passing over ${cli.pulumi}: no ${GO_MODULES.nodejsHost.binary} beside it; using the pinned build.`,
      );
      return undefined;
    }
    return cli;
  }
  return undefined;
}

async function describe(binDir: string, source: Source): Promise<CliAlone> {
  const pulumi = path.join(binDir, "pulumi");
  const { stdout } = await promisify(execFile)(pulumi, ["version"], {
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return { binDir, pulumi, version: stdout.trim(), source };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Compares `v3.276.0`-style versions by their numeric parts (a pre-release suffix is ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, "")
      .split(/[-+]/)[0]!
      .split(".")
      .map((n) => Number(n) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
