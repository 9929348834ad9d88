/**
 * The package's layers point one way: the program side (resources, lookups) uses the runtime's contract, the runtime
 * uses the client, and the simulator stands alone. Read from the sources' import specifiers, so that a new import
 * against the direction fails here rather than in a reviewer's head.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const SRC = path.join(__dirname, "..", "..", "provider", "src");

/** A top-level part of `provider/src`: a directory, or a file at the top without its extension. */
type Area = "index" | "setting-sources" | "resources" | "lookups" | "runtime" | "zstack" | "simulator";

/** What each area may import from the package besides itself. */
const MAY_IMPORT: Readonly<Record<Area, readonly Area[]>> = {
  index: ["resources", "lookups", "runtime", "zstack", "setting-sources"],
  resources: ["runtime", "zstack", "setting-sources"],
  lookups: ["runtime", "zstack", "setting-sources"],
  runtime: ["zstack", "setting-sources"],
  zstack: [],
  simulator: ["setting-sources"],
  "setting-sources": [],
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

describe("package layers", () => {
  const files = sourceFiles(SRC);

  it("every source file belongs to a known area", () => {
    const unknown = files.filter((file) => !(areaOf(file) in MAY_IMPORT));
    assert.deepEqual(unknown, []);
  });

  it("no area imports one it must not (a lower layer never imports a higher one; the simulator stands alone)", () => {
    const violations: string[] = [];
    let crossings = 0;
    for (const file of files) {
      const from = areaOf(file);
      for (const specifier of relativeImports(readFileSync(file, "utf8"))) {
        const to = areaOf(path.resolve(path.dirname(file), specifier));
        if (to === from) continue;
        crossings++;
        if (!MAY_IMPORT[from].includes(to)) {
          violations.push(`${path.relative(SRC, file)} imports ${specifier} (${from} -> ${to})`);
        }
      }
    }
    assert.deepEqual(violations, []);
    // The scan found the imports it judges: the runtime does use the client, and so on.
    assert.ok(
      crossings > 20,
      `only ${crossings} imports across areas found: the scan is not reading the sources`,
    );
  });

  it("detects an import against the direction", () => {
    const simulatorFile = path.join(SRC, "simulator", "connection.ts");
    const specifier = relativeImports('import { SETTING_SOURCES } from "../runtime/settings";')[0] as string;
    const to = areaOf(path.resolve(path.dirname(simulatorFile), specifier));
    assert.equal(to, "runtime");
    assert.ok(!MAY_IMPORT.simulator.includes(to));
  });
});
