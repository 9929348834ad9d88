/**
 * The native provider plugin's start-up time: every `pulumi` command starts one plugin process per provider
 * instance (the default provider and each explicit one), so this is paid per command and per instance. Measured from
 * the spawn of the executable the CLI runs (`pulumi-resource-zstackvm`, a shell launcher of Node.js) to the line on
 * which the plugin announces its gRPC port, which is the moment the engine can first call it; the process is then
 * ended. The engine's address it is given is not listening: the plugin only calls the engine back to log, which
 * none of this does.
 *
 * Two forms: the package's (`provider/bin`, which a `plugins:` path or the npm bin on PATH runs: the compiled
 * modules and `node_modules`), and the tarball's (`npm run plugin`, unpacked: one esbuild bundle).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { PLUGIN_BIN_DIR } from "../pulumi-cli/plugin-project";
import { packPlugin } from "../plugin/bundle";
import { summarize, type Summary } from "./stats";

/** The plugin executable's name, in `provider/bin` and in the tarball. */
const EXECUTABLE = "pulumi-resource-zstackvm";

/** A port line: what a Pulumi plugin prints first on stdout once it listens. */
const PORT_LINE = /^\d+\s*$/m;

/** How long one start may take before the measurement fails, ms. */
const START_TIMEOUT_MS = 30_000;

/** Spawn-to-port of each form of the plugin, ms. */
export interface PluginStartup {
  /** The package's launcher (`provider/bin`). */
  readonly package: Summary;
  /** The tarball's launcher and bundle, unpacked. */
  readonly tarball: Summary;
}

/** Packs the tarball, then starts each form `samples` times, alternating, and summarizes spawn-to-port. */
export async function measurePluginStartup(samples: number): Promise<PluginStartup> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-plugin-"));
  try {
    const tarball = await packPlugin(scratch);
    const unpacked = path.join(scratch, "unpacked");
    mkdirSync(unpacked);
    const tar = spawnSync("tar", ["-xzf", tarball, "-C", unpacked]);
    if (tar.status !== 0) throw new Error(`could not unpack ${tarball}: ${tar.stderr.toString().trim()}`);
    const forms = {
      package: path.join(PLUGIN_BIN_DIR, EXECUTABLE),
      tarball: path.join(unpacked, EXECUTABLE),
    } as const;
    const times = { package: [] as number[], tarball: [] as number[] };
    for (let i = 0; i < samples; i++) {
      times.package.push(await startOnce(forms.package));
      times.tarball.push(await startOnce(forms.tarball));
    }
    return { package: summarize(times.package), tarball: summarize(times.tarball) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One start of `plugin`, spawn to port, ms. */
function startOnce(plugin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(plugin, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${plugin} printed no port within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`));
    }, START_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!PORT_LINE.test(stdout)) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      child.once("close", () => resolve(ms));
      child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${plugin} (run \`npm run build\` first): ${error.message}`));
    });
    child.on("close", (code) => {
      if (PORT_LINE.test(stdout)) return;
      clearTimeout(timer);
      reject(new Error(`${plugin} exited ${code} before printing its port: ${stderr.trim()}`));
    });
  });
}
