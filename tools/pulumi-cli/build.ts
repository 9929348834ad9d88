/**
 * Builds the pinned Pulumi CLI and Node.js language host from their Go modules into a cache directory outside the
 * work tree, laid out as a real install: `pulumi`, `pulumi-language-nodejs` and the dynamic-provider plugin script
 * `pulumi-resource-pulumi-nodejs` side by side (the CLI looks for plugins beside its own binary).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { GO_MODULES, buildKey, pinnedVersion, type GoModule } from "./pins";

/** Where built CLIs are kept: `$PULUMI_ZSTACK_VM_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`, per build key. */
export function cacheRoot(): string {
  const base =
    process.env["PULUMI_ZSTACK_VM_CACHE"] ??
    process.env["XDG_CACHE_HOME"] ??
    path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-zstack-vm", "pulumi-cli");
}

/** The directory the current pins build into (it exists once a build has finished). */
export function cachedBinDir(): string {
  return path.join(cacheRoot(), buildKey(), "bin");
}

/** Receives one line of progress at a time. */
export type ProgressSink = (line: string) => void;

/**
 * Builds both binaries and installs the plugin script, then moves the result into place in one rename, so that an
 * interrupted or concurrent build never leaves a half-made directory where {@link cachedBinDir} points.
 */
export async function buildPinnedCli(progress: ProgressSink): Promise<string> {
  const finalDir = cachedBinDir();
  mkdirSync(cacheRoot(), { recursive: true });
  const work = mkdtempSync(path.join(cacheRoot(), ".build-"));
  const binDir = path.join(work, "bin");
  const started = Date.now();
  try {
    mkdirSync(binDir);
    for (const mod of [GO_MODULES.cli, GO_MODULES.languageHost]) {
      await goBuild(mod, path.join(binDir, mod.binary), progress);
    }
    const script = "pulumi-resource-pulumi-nodejs";
    copyFileSync(
      path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), script),
      path.join(binDir, script),
    );
    mkdirSync(path.dirname(finalDir), { recursive: true });
    if (!existsSync(finalDir)) renameSync(binDir, finalDir);
    progress(
      `Pulumi CLI ${pinnedVersion(GO_MODULES.cli)} built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${finalDir}`,
    );
    return finalDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function goBuild(mod: GoModule, output: string, progress: ProgressSink): Promise<void> {
  const version = pinnedVersion(mod);
  progress(`Building ${mod.binary} ${version} from ${mod.pkg} (Go module proxy; minutes the first time)...`);
  // Pulumi's Makefile sets the version this way; without it `pulumi version` is empty and version checks fail.
  const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;
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
      child.on("error", (err) => reject(goMissing(err)));
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

function goMissing(err: NodeJS.ErrnoException): Error {
  if (err.code !== "ENOENT") return err;
  return new Error(
    "No Pulumi CLI was found and it cannot be built here: `go` is not on PATH.\n" +
      "Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/), or install Go 1.26 or newer so " +
      "that the pinned CLI can be built from its Go modules (tools/pulumi-cli/go).",
  );
}
