// The benchmark's attribution of V8 profile samples to categories (tools/bench/cpu-profile.ts), on a profile built by
// hand: which rule wins when several frames of one stack match.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  HOST_CATEGORIES,
  PER_PROPERTY_OUTPUTS,
  PROGRAM_CATEGORIES,
  profileBreakdown,
  profilesIn,
} from "../../tools/bench/cpu-profile";

const LOADER = "node:internal/modules/cjs/loader";
const SDK = "file:///app/node_modules/@pulumi/pulumi/runtime/rpc.js";
const SDK_DEBUG = "file:///app/node_modules/@pulumi/pulumi/runtime/debuggable.js";
const SOURCE_MAPS = "file:///app/node_modules/@cspotcode/source-map-support/source-map-support.js";
// The package as the benchmark loads it: the workspace's provider/ directory.
const OURS = "file:///repo/provider/dist/resources/vm-pause-state.js";
const PROGRAM = "file:///app/index.js";

/** A call path from the root: [functionName, url] per frame, outermost first. */
type Path = readonly (readonly [string, string])[];

/**
 * Writes a profile as cpu-profile-preload.js does for process `pid` running `script`, and returns its path: V8's
 * format with one sample per entry of `samples` (each `ms` long) at the end of its path, sharing the tree's nodes
 * between paths with common prefixes.
 */
function writeProfile(
  dir: string,
  pid: number,
  script: string,
  samples: readonly { readonly path: Path; readonly ms: number }[],
): string {
  writeFileSync(path.join(dir, `${pid}.script`), script);
  const file = path.join(dir, `${pid}.cpuprofile`);
  const nodes = [{ id: 1, callFrame: { functionName: "(root)", url: "" }, children: [] as number[] }];
  const leafOf = (frames: Path): number => {
    let at = nodes[0]!;
    for (const [functionName, url] of frames) {
      let next = at.children
        .map((id) => nodes[id - 1]!)
        .find((n) => n.callFrame.functionName === functionName && n.callFrame.url === url);
      if (next === undefined) {
        next = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] };
        nodes.push(next);
        at.children.push(next.id);
      }
      at = next;
    }
    return at.id;
  };
  const ids = samples.map((sample) => leafOf(sample.path));
  writeFileSync(
    file,
    JSON.stringify({
      nodes,
      startTime: 0,
      samples: ids,
      timeDeltas: samples.map((sample) => sample.ms * 1000),
    }),
  );
  return file;
}

describe("benchmark CPU profile categories", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "cpu-profile-spec-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const loading: Path = [
    ["Module._load", LOADER],
    ["", PROGRAM],
  ];

  it("charges a program's resource declarations to what they call, not to the module load they run in", () => {
    const file = writeProfile(dir, 1, "/app/node_modules/@pulumi/pulumi/cmd/run", [
      // A declared property's Output: the time is in source-map-support, under the SDK's debuggablePromise.
      {
        path: [
          ...loading,
          ["VmPauseState", OURS],
          ["transferProperties", SDK],
          ["debuggablePromise", SDK_DEBUG],
          ["prepareStackTrace", SOURCE_MAPS],
        ],
        ms: 30,
      },
      // Other SDK work for the same resource.
      { path: [...loading, ["VmPauseState", OURS], ["registerResource", SDK]], ms: 5 },
      // Our constructor itself.
      { path: [...loading, ["VmPauseState", OURS]], ms: 1 },
      // Compiling a module: only the loader below.
      {
        path: [
          ["Module._load", LOADER],
          ["wrapSafe", LOADER],
        ],
        ms: 7,
      },
      { path: [["(garbage collector)", ""]], ms: 4 },
      { path: [["(idle)", ""]], ms: 100 },
    ]);
    const breakdown = profileBreakdown(file, PROGRAM_CATEGORIES);
    const ms = Object.fromEntries(breakdown.shares.map((share) => [share.category, share.ms]));
    assert.deepEqual(ms, {
      [PER_PROPERTY_OUTPUTS]: 30,
      "@pulumi/pulumi: other (serialization, outputs, promises)": 5,
      "pulumi-zstack-vm resource classes": 1,
      "module loading": 7,
      "garbage collection": 4,
    });
    // Idle time is not busy time.
    assert.equal(breakdown.busyMs, 47);
    writeProfile(dir, 3, "-e", [{ path: [["(program)", ""]], ms: 1 }]); // the language host's `node -e` checks
    assert.deepEqual(profilesIn(dir, "program"), [file]);
    assert.deepEqual(profilesIn(dir, "host"), []);
    assert.equal(profilesIn(dir, "other").length, 1);
  });

  it("counts a host's samples from the first one under the given frame", () => {
    const script = "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
    const create: Path = [
      ["create", "file:///app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"],
    ];
    const file = writeProfile(dir, 2, script, [
      {
        path: [
          ["Module._load", LOADER],
          ["wrapSafe", LOADER],
        ],
        ms: 50,
      },
      { path: [...create, ["request", "file:///app/node_modules/undici/lib/api/api-request.js"]], ms: 3 },
      { path: [...create, ["parse", "file:///app/node_modules/zod/v4/core/schemas.cjs"]], ms: 2 },
      // After the first create, everything counts, in or out of a create.
      { path: [["processTimers", "node:internal/timers"]], ms: 1 },
    ]);
    const breakdown = profileBreakdown(
      file,
      HOST_CATEGORIES,
      (name, url) => name === "create" && url.includes("dynamic-provider"),
    );
    const ms = Object.fromEntries(breakdown.shares.map((share) => [share.category, share.ms]));
    assert.deepEqual(ms, {
      "HTTP client (undici)": 3,
      "validation (zod)": 2,
      [HOST_CATEGORIES.other]: 1,
    });
    assert.equal(breakdown.busyMs, 6);
  });
});
