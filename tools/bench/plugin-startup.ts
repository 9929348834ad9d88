/**
 * The native provider plugin's start-up time: every `pulumi` command starts one plugin process per provider
 * instance (the default provider and each explicit one), so this is paid per command and per instance. Measured from
 * the spawn of the executable the CLI runs (`provider/bin/pulumi-resource-zstackvm`, a shell launcher of Node.js)
 * to the line on which the plugin announces its gRPC port, which is the moment the engine can first call it; the
 * process is then ended. The engine's address it is given is not listening: the plugin only calls the engine back
 * to log, which none of this does.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { PLUGIN_BIN_DIR } from "../pulumi-cli/plugin-project";
import { summarize, type Summary } from "./stats";

/** The executable the CLI starts. */
const PLUGIN = path.join(PLUGIN_BIN_DIR, "pulumi-resource-zstackvm");

/** A port line: what a Pulumi plugin prints first on stdout once it listens. */
const PORT_LINE = /^\d+\s*$/m;

/** How long one start may take before the measurement fails, ms. */
const START_TIMEOUT_MS = 30_000;

/** Starts the plugin `samples` times, one after the other, and summarizes spawn-to-port, ms. */
export async function measurePluginStartup(samples: number): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await startOnce());
  return summarize(times);
}

function startOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(PLUGIN, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${PLUGIN} printed no port within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`));
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
      reject(new Error(`could not start ${PLUGIN} (run \`npm run build\` first): ${error.message}`));
    });
    child.on("close", (code) => {
      if (PORT_LINE.test(stdout)) return;
      clearTimeout(timer);
      reject(new Error(`${PLUGIN} exited ${code} before printing its port: ${stderr.trim()}`));
    });
  });
}
