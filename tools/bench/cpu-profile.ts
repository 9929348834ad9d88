/**
 * Where a process's CPU went, from a V8 `.cpuprofile`: each sample is charged to a category by the frames on its
 * stack, so that the report can say what a create costs in the provider host, and what a resource costs in the
 * Pulumi program, measured rather than guessed.
 *
 * A sample goes to the first stack-wide rule that matches any of its frames (garbage collection, a caller whose
 * cost is in what it calls), else to the first category, top of the stack first, whose rule matches a
 * frame: so zod called from our code counts as validation, and the host's gRPC answer built from our outputs as
 * "host: gRPC and protobuf". Only samples from `fromFrame` on count (the fleet section passes the first Create, which
 * leaves out the host's start and the checks).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The role a profiled Node process had (see cpu-profile-preload.js). */
export type ProfiledRole = "host" | "program" | "other";

/** Environment that makes every Node process started with it write its CPU profile into `dir`. */
export function profilingEnv(dir: string): Record<string, string> {
  return {
    NODE_OPTIONS: `--require ${path.join(__dirname, "cpu-profile-preload.js")}`,
    BENCH_CPU_PROFILE_DIR: dir,
  };
}

/**
 * The role of a Node process the Pulumi CLI starts, from the script it runs: `host` for the dynamic-provider host
 * (`node <.../@pulumi/pulumi/cmd/dynamic-provider/index.js> <engine>`) and for the native provider plugin
 * (`node <.../provider/dist/plugin/main.js> <engine>`, as its launcher starts it), `program` for the Pulumi program
 * (`node <.../@pulumi/pulumi/cmd/run> ...`, as the language host starts it), `other` for the rest (the language
 * host's short `node -e` checks).
 */
export function roleOfScript(script: string): ProfiledRole {
  if (/cmd[/\\]dynamic-provider/.test(script) || /dist[/\\]plugin[/\\]main\.js$/.test(script)) return "host";
  return /cmd[/\\]run/.test(script) ? "program" : "other";
}

/** The profiles of the processes of one role written into `dir` (see cpu-profile-preload.js), largest first. */
export function profilesIn(dir: string, role: ProfiledRole): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => path.join(dir, name))
    .filter((file) => roleOfScript(readFileSync(file.replace(/\.cpuprofile$/, ".script"), "utf8")) === role)
    .map((file) => ({ file, size: statSync(file).size }))
    .sort((a, b) => b.size - a.size)
    .map(({ file }) => file);
}

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
  /**
   * `stack`: the rule wins when any frame of the sample's stack matches, before frame rules are tried (for callers
   * whose cost is in what they call: the SDK's `transferProperties` spends its time formatting stack traces in
   * source-map-support). `frame` (the default): tried frame by frame, top of the stack first.
   */
  readonly scope?: "stack" | "frame";
}

/** A set of rules and the category of samples no rule matches. */
export interface ProfileCategories {
  readonly rules: readonly Rule[];
  readonly other: string;
}

const inPackage = (name: string) => (_f: string, url: string) => url.includes(`/node_modules/${name}/`);

const GARBAGE_COLLECTION: Rule = {
  category: "garbage collection",
  matches: (f) => f === "(garbage collector)",
  scope: "stack",
};
/**
 * Charged frame by frame like the others: a program's resources are declared while its module loads, so this must
 * not win over what runs inside the load.
 */
const MODULE_LOADING: Rule = {
  category: "module loading",
  matches: (f, url) => url === "node:internal/modules/cjs/loader" && f === "Module._load",
};
const GRPC = (category: string): Rule => ({
  category,
  matches: (_f, url) =>
    ["/google-protobuf/", "/@grpc/", "/@pulumi/pulumi/proto/"].some((part) => url.includes(part)) ||
    url.startsWith("node:internal/http2"),
});
const OURS = (category: string): Rule => ({
  category,
  matches: (_f, url) => /provider\/(dist|src)\//.test(url),
});
const NODE_INTERNALS = "Node.js internals and other (timers, streams, sockets, promises)";

/** The dynamic-provider host's categories, most specific first. */
export const HOST_CATEGORIES: ProfileCategories = {
  rules: [
    GARBAGE_COLLECTION,
    MODULE_LOADING,
    { category: "validation (zod)", matches: inPackage("zod") },
    {
      category: "JSON parsing of ZStack replies",
      matches: (f, url) => f === "parseJson" && url.includes("/zstack/"),
    },
    { category: "HTTP client (undici)", matches: inPackage("undici") },
    GRPC("host: gRPC and protobuf (encoding inputs and outputs)"),
    OURS("pulumi-zstack-vm runtime and client"),
    { category: "host: @pulumi/pulumi dynamic-provider code", matches: inPackage("@pulumi/pulumi") },
  ],
  other: NODE_INTERNALS,
};

/** The program's category for the SDK's per-property Outputs (`transferProperties`). */
export const PER_PROPERTY_OUTPUTS =
  "@pulumi/pulumi: an Output per declared property (4 promises, each with a formatted stack trace)";

/**
 * The Pulumi program's categories (the Node process the language host starts on `@pulumi/pulumi`'s `cmd/run`). The
 * SDK's `transferProperties` makes an `Output` of four promises for every property a resource declares, and each
 * promise records a formatted stack trace (`debuggablePromise`), mapped through source maps by the source-map-support
 * that ts-node installs: so a resource's cost in the program grows with its number of declared outputs (unless, as
 * this package's resources do, it is constructed with those traces suspended).
 */
export const PROGRAM_CATEGORIES: ProfileCategories = {
  rules: [
    GARBAGE_COLLECTION,
    {
      category: PER_PROPERTY_OUTPUTS,
      matches: (f, url) => f === "transferProperties" && url.includes("/@pulumi/pulumi/"),
      scope: "stack",
    },
    {
      category: "@pulumi/pulumi: each resource's source position (a formatted stack trace)",
      matches: (f, url) => f.endsWith("callsites") && url.includes("/@pulumi/pulumi/"),
      scope: "stack",
    },
    MODULE_LOADING,
    GRPC("@pulumi/pulumi: gRPC and protobuf (registrations and their answers)"),
    {
      category: "@pulumi/pulumi: other (serialization, outputs, promises)",
      matches: inPackage("@pulumi/pulumi"),
    },
    OURS("pulumi-zstack-vm resource classes"),
  ],
  other: NODE_INTERNALS,
};

/** Charges the samples of a profile file to `categories`, from the first sample whose stack has `fromFrame` on (all by default). */
export function profileBreakdown(
  file: string,
  categories: ProfileCategories,
  fromFrame: (functionName: string, url: string) => boolean = () => true,
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
  const stackRules = categories.rules.filter((rule) => rule.scope === "stack");
  const frameRules = categories.rules.filter((rule) => rule.scope !== "stack");
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
    const matchesAny = (rule: Rule) => stack.some((frame) => rule.matches(frame.functionName, frame.url));
    const rule =
      stackRules.find(matchesAny) ??
      stack
        .map((frame) => frameRules.find((r) => r.matches(frame.functionName, frame.url)))
        .find((found) => found !== undefined);
    const category = rule?.category ?? categories.other;
    charged.set(category, (charged.get(category) ?? 0) + us);
  });
  const shares = [...charged.entries()]
    .map(([category, us]) => ({ category, ms: us / 1000, fraction: busyUs === 0 ? 0 : us / busyUs }))
    .sort((a, b) => b.ms - a.ms);
  return { busyMs: busyUs / 1000, shares };
}
