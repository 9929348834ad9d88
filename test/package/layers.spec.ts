/**
 * The package's layers point one way: the program side (resources, lookups) uses the runtime's contract, the runtime
 * uses the client, and the simulator stands alone. The native provider plugin is the runtime's second face, beside
 * the program side: it uses the runtime and the client, and nothing of the program side imports it, nor it them. Beside them, leaf modules hold the vocabulary every layer shares
 * (VM states, action names, setting names...): anyone may import a leaf, and a leaf imports nothing of the package.
 * Read from the sources' import specifiers, so that a new import against the direction fails here rather than in a
 * reviewer's head.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SRC = path.join(__dirname, "..", "..", "provider", "src");

/** A top-level part of `provider/src`: a directory, or a file at the top without its extension. */
type Area =
  | "index"
  | "setting-sources"
  | "vocabulary"
  | "resources"
  | "lookups"
  | "plugin"
  | "runtime"
  | "zstack"
  | "simulator";

/** The leaf areas: every area may import them; none of their files imports anything of the package. */
const LEAVES: ReadonlySet<Area> = new Set<Area>(["setting-sources", "vocabulary"]);

/** What each layer may import from the package besides itself and the leaves. */
const MAY_IMPORT: Readonly<Record<Area, readonly Area[]>> = {
  index: ["resources", "lookups", "runtime", "zstack"],
  resources: ["runtime", "zstack"],
  lookups: ["runtime", "zstack"],
  // The native face of the runtime, beside the dynamic one (runtime/host-process.ts): never the program side.
  plugin: ["runtime", "zstack"],
  runtime: ["zstack"],
  zstack: [],
  simulator: [],
  "setting-sources": [],
  vocabulary: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function areaOf(file: string): Area {
  const [first] = path.relative(SRC, file).split(path.sep);
  return (first ?? "").replace(/\.ts$/, "") as Area;
}

/** Relative specifiers of `from "…"`, `require("…")` and `import("…")`: the package's own modules. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)["'](\.{1,2}\/[^"']*)["']/g)) {
    found.push(match[1] as string);
  }
  return found;
}

/** One source file: its path and text. */
interface Source {
  readonly file: string;
  readonly text: string;
}

/** What a scan found: the imports that cross areas, and those of them against the direction. */
interface Scan {
  readonly crossings: number;
  readonly violations: readonly string[];
}

function scan(sources: readonly Source[]): Scan {
  const violations: string[] = [];
  let crossings = 0;
  for (const { file, text } of sources) {
    const from = areaOf(file);
    for (const specifier of relativeImports(text)) {
      const target = path.resolve(path.dirname(file), specifier);
      // The package manifest (the plugin reads its version there) lies outside the sources and is no layer.
      if (specifier.endsWith("package.json") && path.relative(SRC, target).startsWith("..")) continue;
      const to = areaOf(target);
      // A leaf imports nothing of the package, not even another leaf module beside it.
      if (LEAVES.has(from)) {
        violations.push(`${path.relative(SRC, file)} imports ${specifier} (${from} is a leaf)`);
        continue;
      }
      if (to === from) continue;
      crossings++;
      if (!LEAVES.has(to) && !MAY_IMPORT[from].includes(to)) {
        violations.push(`${path.relative(SRC, file)} imports ${specifier} (${from} -> ${to})`);
      }
    }
  }
  return { crossings, violations };
}

/** The source file a relative specifier names: `x.ts`, or `x/index.ts` for a directory; undefined for neither. */
function moduleFile(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => known.has(candidate));
}

/**
 * The import cycles among the sources (type-only imports included: a cycle of types is still two modules that cannot
 * be understood apart), each as the files around it, found by a depth-first walk that reports a back edge.
 */
function importCycles(sources: readonly Source[]): string[][] {
  const known = new Set(sources.map((source) => source.file));
  const edges = new Map(
    sources.map(({ file, text }) => [
      file,
      relativeImports(text).flatMap((specifier) => moduleFile(file, specifier, known) ?? []),
    ]),
  );
  const cycles: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): void => {
    const at = onPath.indexOf(file);
    if (at >= 0) {
      cycles.push(onPath.slice(at).map((member) => path.relative(SRC, member)));
      return;
    }
    if (done.has(file)) return;
    onPath.push(file);
    for (const next of edges.get(file) ?? []) visit(next);
    onPath.pop();
    done.add(file);
  };
  for (const file of known) visit(file);
  return cycles;
}

describe("package layers", () => {
  const files = sourceFiles(SRC);

  it("every source file belongs to a known area", () => {
    const unknown = files.filter((file) => !(areaOf(file) in MAY_IMPORT));
    assert.deepEqual(unknown, []);
  });

  it("no area imports one it must not (a lower layer never imports a higher one; the simulator stands alone)", () => {
    const { crossings, violations } = scan(files.map((file) => ({ file, text: readFileSync(file, "utf8") })));
    assert.deepEqual(violations, []);
    // The scan found the imports it judges: the runtime does use the client, and so on.
    assert.ok(
      crossings > 20,
      `only ${crossings} imports across areas found: the scan is not reading the sources`,
    );
  });

  it("reports every form of import against the direction and every import of a leaf, and none along it", () => {
    const sources: Source[] = [
      {
        file: path.join(SRC, "simulator", "connection.ts"),
        text: 'import { SETTING_SOURCES } from "../runtime/settings";\nimport { x } from "../setting-sources";',
      },
      { file: path.join(SRC, "zstack", "client.ts"), text: 'const r = require("../runtime");' },
      {
        file: path.join(SRC, "runtime", "index.ts"),
        text: 'type P = typeof import("../resources/vm-pause-state");',
      },
      {
        file: path.join(SRC, "resources", "vm-pause-state.ts"),
        text: 'export { y } from "../runtime/inputs";',
      },
      {
        file: path.join(SRC, "zstack", "stats.ts"),
        text: 'import { z } from "../vocabulary/endpoint-kinds";',
      },
      { file: path.join(SRC, "vocabulary", "vm-states.ts"), text: 'import { w } from "./vm-actions";' },
      { file: path.join(SRC, "setting-sources.ts"), text: 'import { v } from "./zstack";' },
    ];
    assert.deepEqual(scan(sources), {
      crossings: 6,
      violations: [
        "simulator/connection.ts imports ../runtime/settings (simulator -> runtime)",
        "zstack/client.ts imports ../runtime (zstack -> runtime)",
        "runtime/index.ts imports ../resources/vm-pause-state (runtime -> resources)",
        "vocabulary/vm-states.ts imports ./vm-actions (vocabulary is a leaf)",
        "setting-sources.ts imports ./zstack (setting-sources is a leaf)",
      ],
    });
  });

  it("no module imports itself through others (the import graph has no cycle)", () => {
    const sources = files.map((file) => ({ file, text: readFileSync(file, "utf8") }));
    assert.deepEqual(importCycles(sources), []);
  });

  it("reports an import cycle, type-only imports included, and no cycle for a chain", () => {
    const at = (name: string) => path.join(SRC, "runtime", name);
    const cycle: Source[] = [
      { file: at("errors.ts"), text: 'import type { P } from "./settings";' },
      { file: at("settings.ts"), text: 'import { settingsError } from "./errors";' },
      { file: at("index.ts"), text: 'export { x } from "./settings";' },
    ];
    assert.deepEqual(importCycles(cycle), [["runtime/errors.ts", "runtime/settings.ts"]]);
    assert.deepEqual(importCycles(cycle.slice(1)), []);
  });
});
