/**
 * Builds Go programs from their modules into cache directories outside the work tree, one per build and key: the
 * pinned Pulumi CLI laid out as a real install (`pulumi`, `pulumi-language-nodejs` and the dynamic-provider plugin
 * script `pulumi-resource-pulumi-nodejs` side by side: the CLI looks for plugins beside its own binary), each
 * language host in a directory of its own (put on PATH), and the repository's own Go tools.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { CLI_BUILD, buildKey, pinnedVersion, type GoBuild, type GoModule } from "./pins";

/** Where a build is kept: `$PULUMI_ZSTACK_VM_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`, per build and key. */
export function cacheRoot(build: GoBuild): string {
  const base =
    process.env["PULUMI_ZSTACK_VM_CACHE"] ??
    process.env["XDG_CACHE_HOME"] ??
    path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-zstack-vm", build.cacheName);
}

/** The directory the current pins of `build` build into (it exists once a build has finished). */
export function cachedBinDir(build: GoBuild): string {
  return path.join(cacheRoot(build), buildKey(build), "bin");
}

/** Receives one line of progress at a time. */
export type ProgressSink = (line: string) => void;

/**
 * Builds every binary of `build`, lets `finish` add files beside them, then moves the result into place in one
 * rename, so that an interrupted or concurrent build never leaves a half-made directory where {@link cachedBinDir}
 * points.
 */
export async function buildCached(
  build: GoBuild,
  progress: ProgressSink,
  finish: (binDir: string) => void = () => {},
): Promise<string> {
  const finalDir = cachedBinDir(build);
  mkdirSync(cacheRoot(build), { recursive: true });
  const work = mkdtempSync(path.join(cacheRoot(build), ".build-"));
  const binDir = path.join(work, "bin");
  const started = Date.now();
  try {
    mkdirSync(binDir);
    for (const mod of build.modules) await goBuild(mod, path.join(binDir, mod.binary), progress);
    finish(binDir);
    mkdirSync(path.dirname(finalDir), { recursive: true });
    if (!existsSync(finalDir)) renameSync(binDir, finalDir);
    progress(
      `${build.title} ${pinnedVersion(build.modules[0]!)} built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${finalDir}`,
    );
    return finalDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The CLI build, with the dynamic-provider plugin script that @pulumi/pulumi ships installed beside the host. */
export function buildPinnedCli(progress: ProgressSink): Promise<string> {
  return buildCached(CLI_BUILD, progress, (binDir) => {
    const script = "pulumi-resource-pulumi-nodejs";
    copyFileSync(
      path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), script),
      path.join(binDir, script),
    );
  });
}

async function goBuild(mod: GoModule, output: string, progress: ProgressSink): Promise<void> {
  const version = pinnedVersion(mod);
  const source = mod.pkg === "." ? mod.dir : mod.pkg;
  progress(`Building ${mod.binary} (${mod.versionOf} ${version}) from ${source} (minutes the first time)...`);
  // Pulumi's Makefile sets the version this way; without it `pulumi version` is empty and version checks fail.
  const ldflags = `-s -w${mod.versionVariable ? ` -X ${mod.versionVariable}=${version}` : ""}`;
  const args = ["build", "-trimpath", "-ldflags", ldflags, "-o", output, mod.pkg];
  const started = Date.now();
  const ticker = setInterval(() => {
    progress(`  ... still building ${mod.binary} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }, 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn("go", args, { cwd: mod.dir, stdio: ["ignore", "pipe", "pipe"], env: goEnv() });
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", (err) => reject(goMissing(err, mod)));
      child.on("exit", (code) => {
        if (code === 0) resolve();
        else reject(new Error(`go ${args.join(" ")} failed in ${mod.dir} (exit ${code}):\n${stderr.trim()}`));
      });
    });
  } finally {
    clearInterval(ticker);
  }
}

/** The wrapper modules need at most the Go they declare; GOFLAGS from the caller could add -mod=vendor and the like. */
function goEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["GOFLAGS"];
  return env;
}

function goMissing(err: NodeJS.ErrnoException, mod: GoModule): Error {
  if (err.code !== "ENOENT") return err;
  return new Error(
    `${mod.binary} is not built yet and cannot be built here: \`go\` is not on PATH.\n` +
      `Install Go 1.26 or newer so that it can be built from its Go module (${mod.dir}). The Pulumi CLI and its ` +
      "language hosts can come from a Pulumi install on PATH instead (https://www.pulumi.com/docs/iac/download-install/).",
  );
}
