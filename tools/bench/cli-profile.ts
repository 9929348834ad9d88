/**
 * Where the Pulumi CLI's own CPU goes, from the CPU profile it writes with `--profiling <prefix>` (Go pprof format,
 * `<prefix>.<pid>.cpu`), read with `go tool pprof` (the machines that build the CLI have Go; without it, no figure).
 * The benchmark asks one thing of it: how much of the CLI's CPU the checkpoint writes take
 * (`SnapshotManager.saveSnapshot`, which serializes and rewrites the whole state file on every step).
 */
import { execFileSync } from "node:child_process";

/** The CLI's profiled CPU and the part of it under one function. */
export interface CliProfileShare {
  /** CPU samples of the whole profile, ms. */
  readonly totalMs: number;
  /** Of which under the function (cumulative), ms. */
  readonly functionMs: number;
}

/** The function that writes checkpoints in pkg/backend/snapshot.go. */
export const SAVE_SNAPSHOT = "backend.(*SnapshotManager).saveSnapshot";

function toMs(amount: string, unit: string): number {
  const value = Number(amount);
  return unit === "s"
    ? value * 1000
    : unit === "ms"
      ? value
      : unit === "us" || unit === "µs"
        ? value / 1000
        : NaN;
}

/** Reads `profile` of `binary` with `go tool pprof -top -cum` (no node dropped: in a short run the function may be small); undefined when Go or the profile is missing. */
export function cliProfileShare(
  binary: string,
  profile: string,
  fn = SAVE_SNAPSHOT,
): CliProfileShare | undefined {
  let top: string;
  try {
    top = execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodefraction=0", binary, profile], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 120_000,
      // Every node is listed (-nodefraction=0), which for a long run is megabytes of text.
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  const total = /Total samples = ([\d.]+)(s|ms|us|µs)/.exec(top);
  // Rows: flat flat% sum% cum cum% name; the function's cum column is the 4th.
  const row = top.split("\n").find((line) => line.trim().endsWith(fn));
  const cum = row
    ?.trim()
    .split(/\s+/)[3]
    ?.match(/^([\d.]+)(s|ms|us|µs)$/);
  if (!total || (row !== undefined && !cum)) return undefined;
  const totalMs = toMs(total[1] as string, total[2] as string);
  // pprof lists only functions that were sampled: no row is no sample.
  const functionMs = cum ? toMs(cum[1] as string, cum[2] as string) : 0;
  return Number.isFinite(totalMs) && Number.isFinite(functionMs) ? { totalMs, functionMs } : undefined;
}
