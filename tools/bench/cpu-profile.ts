/**
 * Where a process's CPU went, from a V8 `.cpuprofile`: each sample is charged to a category by the frames on its
 * stack, so that the report can say what a create costs in the provider host, measured rather than guessed.
 *
 * A sample goes to the first category, top of the stack first, whose rule matches a frame: so zod called from our
 * code counts as validation, and the host's gRPC answer built from our outputs as "host: gRPC and protobuf".
 * Only samples from `from` on count (the benchmark passes the moment of the first Create, which leaves out the host's
 * start and the checks).
 */
import { readFileSync } from "node:fs";

/** The V8 profile format (`Profiler.stop`), the parts read here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One category's share. */
export interface ProfileShare {
  readonly category: string;
  /** CPU time charged to it, ms. */
  readonly ms: number;
  /** Of the busy (non-idle) time. */
  readonly fraction: number;
}

/** The result of {@link profileBreakdown}. */
export interface ProfileBreakdown {
  /** Busy time counted (samples from the first matching frame on, idle excluded), ms. */
  readonly busyMs: number;
  readonly shares: readonly ProfileShare[];
}

interface Rule {
  readonly category: string;
  readonly matches: (functionName: string, url: string) => boolean;
}

const inPackage = (name: string) => (_f: string, url: string) => url.includes(`/node_modules/${name}/`);

/** The categories, most specific first. */
const RULES: readonly Rule[] = [
  { category: "garbage collection", matches: (f) => f === "(garbage collector)" },
  {
    category: "module loading",
    matches: (f, url) => url === "node:internal/modules/cjs/loader" && f === "Module._load",
  },
  { category: "validation (zod)", matches: inPackage("zod") },
  {
    category: "JSON parsing of ZStack replies",
    matches: (f, url) => f === "parseJson" && url.includes("/zstack/"),
  },
  { category: "HTTP client (undici)", matches: inPackage("undici") },
  {
    category: "host: gRPC and protobuf (encoding inputs and outputs)",
    matches: (_f, url) =>
      ["/google-protobuf/", "/@grpc/", "/@pulumi/pulumi/proto/"].some((part) => url.includes(part)) ||
      url.startsWith("node:internal/http2"),
  },
  {
    category: "pulumi-zstack-vm runtime and client",
    matches: (_f, url) => /provider\/(dist|src)\//.test(url),
  },
  { category: "host: @pulumi/pulumi dynamic-provider code", matches: inPackage("@pulumi/pulumi") },
];
const OTHER = "Node.js internals and other (timers, streams, sockets, promises)";

/** Charges the samples of a profile file to {@link RULES} from the first sample whose stack has `fromFrame` on. */
export function profileBreakdown(
  file: string,
  fromFrame: (functionName: string, url: string) => boolean,
): ProfileBreakdown {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id: number) => {
    const frames: { functionName: string; url: string }[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node) frames.push(node.callFrame);
    }
    return frames;
  };
  const charged = new Map<string, number>();
  let started = false;
  let busyUs = 0;
  profile.samples.forEach((sample, i) => {
    const stack = stackOf(sample);
    started ||= stack.some((frame) => fromFrame(frame.functionName, frame.url));
    const top = stack[0];
    if (!started || top === undefined || top.functionName === "(idle)") return;
    const us = profile.timeDeltas[i] ?? 0;
    busyUs += us;
    const rule = stack
      .map((frame) => RULES.find((r) => r.matches(frame.functionName, frame.url)))
      .find((found) => found !== undefined);
    const category = rule?.category ?? OTHER;
    charged.set(category, (charged.get(category) ?? 0) + us);
  });
  const shares = [...charged.entries()]
    .map(([category, us]) => ({ category, ms: us / 1000, fraction: busyUs === 0 ? 0 : us / busyUs }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busyUs / 1000, shares };
}
