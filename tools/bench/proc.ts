/**
 * Resource use of another process, read from Linux `/proc`: resident memory and the TCP connections it holds to a
 * given port. Both readers return `undefined` where `/proc` is not available, so the benchmark reports "n/a" rather
 * than a made-up zero.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Resident memory of a process, in KiB. */
export interface MemoryReading {
  /** Current resident set size (`VmRSS`). */
  readonly rssKb: number;
  /** Peak resident set size since the process started (`VmHWM`, the kernel's high-water mark). */
  readonly peakKb: number;
}

/** Reads `VmRSS` and `VmHWM` of `pid`. */
export function memoryOf(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : undefined;
  };
  const rssKb = field("VmRSS");
  const peakKb = field("VmHWM");
  return rssKb === undefined || peakKb === undefined ? undefined : { rssKb, peakKb };
}

/** CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`. */
export function cpuTimeMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces, hence the last ")"): state is field 3, utime 14,
  // stime 15, in clock ticks (100 per second on Linux).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

/** The inodes of the sockets `pid` has open (its `/proc/<pid>/fd` links of the form `socket:[inode]`). */
function socketInodes(pid: number): Set<string> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // The descriptor closed between readdir and readlink: it is not open any more.
    }
  }
  return inodes;
}

const TCP_ESTABLISHED = "01";

/**
 * How many established TCP connections `pid` holds to `remotePort` (any address): its socket inodes joined with
 * the kernel's TCP tables. Counting only connections to the ZStack endpoint leaves out the host's own gRPC server
 * and pipes, so the figure is the client's connection pool.
 */
export function tcpConnectionsTo(pid: number, remotePort: number): number | undefined {
  const inodes = socketInodes(pid);
  if (inodes === undefined) return undefined;
  let count = 0;
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const remote = fields[2] as string;
      const port = parseInt(remote.slice(remote.lastIndexOf(":") + 1), 16);
      if (port === remotePort && fields[3] === TCP_ESTABLISHED && inodes.has(fields[9] as string)) count++;
    }
  }
  return count;
}

/** Peak values of a periodic sampler. */
export interface ProcessPeaks {
  /** Peak resident memory in KiB (the larger of the sampled `VmRSS` and the final `VmHWM`), if readable. */
  readonly peakRssKb: number | undefined;
  /** Most TCP connections to the port seen in one sample, if readable. */
  readonly peakConnections: number | undefined;
  /** Number of samples taken. */
  readonly samples: number;
}

/**
 * Samples a process's memory and its connections to `remotePort` every `intervalMs` until stopped. The default
 * interval is a compromise: the kernel renders the whole TCP table for every read, which costs the sampling process
 * several ms on a busy machine, and the pool's connections live far longer than a quarter second.
 */
export function sampleProcess(pid: number, remotePort: number, intervalMs = 250): { stop(): ProcessPeaks } {
  let peakRssKb: number | undefined;
  let peakConnections: number | undefined;
  let samples = 0;
  const take = (): void => {
    samples++;
    const memory = memoryOf(pid);
    if (memory !== undefined) peakRssKb = Math.max(peakRssKb ?? 0, memory.rssKb, memory.peakKb);
    const connections = tcpConnectionsTo(pid, remotePort);
    if (connections !== undefined) peakConnections = Math.max(peakConnections ?? 0, connections);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop(): ProcessPeaks {
      clearInterval(timer);
      take();
      return { peakRssKb, peakConnections, samples };
    },
  };
}
