/**
 * Resource use of a command's whole process tree, from Linux `/proc`: the Pulumi CLI starts a language host, the
 * program's Node process and the dynamic-provider host, and the benchmark wants the CLI's and the provider host's
 * peak memory and the CPU of the program and of the provider host apart. Every reader returns `undefined` where
 * `/proc` is not available.
 *
 * Bytes written and CPU of the whole tree come from this process's own accounting instead: when a process reaps a
 * child, the kernel adds the child's I/O counters and CPU times (with those of the children it reaped) to the
 * parent's (`/proc/self/io`, `cutime`/`cstime` in `/proc/self/stat`). Read before and after a command, the difference
 * is what the command's tree did, counted even for processes that lived between two samples.
 */
import { readFileSync } from "node:fs";

import { livePids } from "../pulumi-cli/live-pids";
import { roleOfScript, type ProfiledRole } from "./cpu-profile";
import { cpuTimeMs, memoryOf } from "./proc";

/** I/O counters of `/proc/<pid>/io`, bytes. */
export interface IoReading {
  /** Bytes the process caused to be sent to storage (`write_bytes`: the checkpoint files, not pipes). */
  readonly writeBytes: number;
  /** Bytes passed to write(2) and similar, pipes and sockets included (`wchar`). */
  readonly writeChars: number;
}

/** Reads `/proc/<pid>/io` (`self` for this process, which then includes its reaped children). */
export function ioOf(pid: number | "self"): IoReading | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/io`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(text)?.[1]);
  const writeBytes = field("write_bytes");
  const writeChars = field("wchar");
  return Number.isFinite(writeBytes) && Number.isFinite(writeChars) ? { writeBytes, writeChars } : undefined;
}

/** CPU time of this process's reaped children so far (`cutime + cstime`), ms. */
export function reapedChildrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  // After the command name: state is field 3; cutime and cstime are fields 16 and 17, in clock ticks (100 per s).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[13]) + Number(fields[14]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

/** The parent of every live process, from `/proc/<pid>/stat`. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const pid of livePids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      map.set(pid, Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return map;
}

/** `root` and its live descendants. */
function treeOf(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(byParent.get(pid) ?? []));
  }
  return tree;
}

/**
 * The Node process `pid` is, if it is one the benchmark tells apart (see `roleOfScript`): the dynamic-provider host,
 * as the plugin script starts it (not the script's shell), or the Pulumi program.
 */
function nodeRoleOf(pid: number): Exclude<ProfiledRole, "other"> | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    if (!/node$/.test(argv[0] ?? "")) return undefined;
    const role = roleOfScript(argv[1] ?? "");
    return role === "other" ? undefined : role;
  } catch {
    return undefined;
  }
}

/** Peaks of one command's tree. */
export interface TreePeaks {
  /** Peak resident memory of the CLI process itself, KiB. */
  readonly cliPeakRssKb: number | undefined;
  /** Peak resident memory of the dynamic-provider host (the largest if several ran), KiB. */
  readonly hostPeakRssKb: number | undefined;
  /** CPU time of the dynamic-provider host at its last sample, ms (it is killed at the end, between samples). */
  readonly hostCpuMs: number | undefined;
  /** CPU time of the Pulumi program's Node process at its last sample, ms (it exits between samples). */
  readonly programCpuMs: number | undefined;
}

/**
 * Samples the tree under `root` every `intervalMs` until stopped: memory peaks (`VmHWM`, the kernel's high-water
 * mark, so a peak between samples is not missed) and the CPU time of the provider host and of the program.
 */
export function sampleTree(root: number, intervalMs = 250): { stop(): TreePeaks } {
  let cliPeakRssKb: number | undefined;
  let hostPeakRssKb: number | undefined;
  const cpuOf = { host: new Map<number, number>(), program: new Map<number, number>() };
  const take = (): void => {
    for (const pid of treeOf(root)) {
      const memory = memoryOf(pid);
      if (memory === undefined) continue;
      if (pid === root) {
        cliPeakRssKb = Math.max(cliPeakRssKb ?? 0, memory.peakKb);
        continue;
      }
      const role = nodeRoleOf(pid);
      if (role === undefined) continue;
      if (role === "host") hostPeakRssKb = Math.max(hostPeakRssKb ?? 0, memory.peakKb);
      const cpu = cpuTimeMs(pid);
      if (cpu !== undefined) cpuOf[role].set(pid, cpu);
    }
  };
  const total = (byPid: Map<number, number>) =>
    byPid.size === 0 ? undefined : [...byPid.values()].reduce((a, b) => a + b, 0);
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop(): TreePeaks {
      clearInterval(timer);
      return {
        cliPeakRssKb,
        hostPeakRssKb,
        hostCpuMs: total(cpuOf.host),
        programCpuMs: total(cpuOf.program),
      };
    },
  };
}
