// The README's benchmark summary is generated from the committed report, and a quick run never replaces that report.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { parseBenchArgs, QUICK_REPORT_DIR, saveReport } from "../../tools/bench/main";
import {
  COMMITTED_REPORT_DIR,
  README_PATH,
  readCommittedReport,
  renderReadmeSummary,
  spliceReadme,
  SUMMARY_END,
  SUMMARY_START,
} from "../../tools/bench/readme-summary";
import type { BenchReport } from "../../tools/bench/report";

const COMMITTED_FILES = ["report.md", "report.json"].map((name) => path.join(COMMITTED_REPORT_DIR, name));

/** The committed report's files, byte for byte. */
function committedBytes(): Buffer[] {
  return COMMITTED_FILES.map((file) => readFileSync(file));
}

/** The committed report as a run of `mode` would have produced it. */
function reportOf(mode: BenchReport["meta"]["mode"]): BenchReport {
  const report = JSON.parse(readFileSync(COMMITTED_FILES[1]!, "utf8")) as BenchReport;
  return { ...report, meta: { ...report.meta, mode } };
}

describe("benchmark: the README's summary and the committed report", () => {
  it("the README's summary is the one rendered from bench/report.json (npm run bench:readme rewrites it)", () => {
    const readme = readFileSync(README_PATH, "utf8");
    const summary = renderReadmeSummary(readCommittedReport());
    assert.ok(readme.includes(summary), "README.md's benchmark summary is stale: run npm run bench:readme");
    assert.equal(spliceReadme(readme, summary), readme);
    assert.match(summary, /\| Section \| Figure \| Value \| Target \| Result \|/);
    assert.match(summary, /\*\*full\*\* run/, "the committed report is a full run");
  });

  it("splices only between the markers, and names them when they are missing", () => {
    const readme = `# Title\n\nbefore\n${SUMMARY_START}\nold table\n${SUMMARY_END}\nafter\n`;
    assert.equal(
      spliceReadme(readme, `${SUMMARY_START}\nnew table\n${SUMMARY_END}`),
      `# Title\n\nbefore\n${SUMMARY_START}\nnew table\n${SUMMARY_END}\nafter\n`,
    );
    assert.throws(() => spliceReadme("# Title\n", "x"), /no benchmark summary block.*npm run bench:readme/);
  });

  it("a quick run writes under .bench/quick by default, a full run to bench/", () => {
    assert.equal(parseBenchArgs(["--quick"]).out, QUICK_REPORT_DIR);
    assert.equal(parseBenchArgs([]).out, COMMITTED_REPORT_DIR);
    assert.notEqual(path.dirname(QUICK_REPORT_DIR), COMMITTED_REPORT_DIR);
    assert.equal(parseBenchArgs(["--quick", "--out", "elsewhere"]).out, path.resolve("elsewhere"));
  });

  it("a quick report leaves the committed report untouched: written elsewhere, refused in bench/", async () => {
    const before = committedBytes();
    const readmeBefore = readFileSync(README_PATH, "utf8");
    const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-quick-"));
    try {
      await saveReport(reportOf("quick"), scratch);
      assert.ok(existsSync(path.join(scratch, "report.md")) && existsSync(path.join(scratch, "report.json")));
      assert.match(readFileSync(path.join(scratch, "report.md"), "utf8"), /npm run bench -- --quick/);

      await assert.rejects(
        saveReport(reportOf("quick"), COMMITTED_REPORT_DIR),
        /a quick run must not replace the committed full report/,
      );
      assert.deepEqual(committedBytes(), before);
      assert.equal(readFileSync(README_PATH, "utf8"), readmeBefore);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
