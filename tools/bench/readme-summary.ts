/**
 * The README's benchmark summary, generated from the committed report (`bench/report.json`) rather than copied by
 * hand: the run it comes from, the summary table and the tally, between two marker comments in README.md.
 *
 * `npm run bench` rewrites it after a full run; `npm run bench:readme` rewrites it from the committed report (after a
 * report is edited or the rendering changes), and `npm run bench:readme -- --check` fails when it is stale, as
 * `test/bench/readme-summary.spec.ts` does.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { summaryTable, tally, type BenchReport } from "./report";
import { REPO_ROOT } from "../quickstart";

/** Where `npm run bench` writes the full report that the repository commits (and the README summarizes). */
export const COMMITTED_REPORT_DIR = path.join(REPO_ROOT, "bench");

/** The README the summary lives in. */
export const README_PATH = path.join(REPO_ROOT, "README.md");

/** The marker lines around the generated summary. */
export const SUMMARY_START =
  "<!-- bench-summary: generated from bench/report.json by `npm run bench:readme` -->";
export const SUMMARY_END = "<!-- /bench-summary -->";

/** What the summary needs of a report: where and how it ran, its figures, and the fleet's size. */
export type SummarizedReport = Pick<BenchReport, "meta" | "figures"> & {
  readonly results: { readonly cliFleet: { readonly resources: number } };
};

const thousands = (n: number): string => n.toLocaleString("en-US");

/** `2026-12-02T07:53:00.054Z` as `2026-12-02 07:53 UTC`. */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The generated block, markers included. */
export function renderReadmeSummary(report: SummarizedReport): string {
  const { meta, figures } = report;
  const counts = tally(figures);
  const run = [
    utcMinute(meta.startedAt),
    `${thousands(Math.round(meta.durationS))} s`,
    `${thousands(report.results.cliFleet.resources)} VMs and resources`,
    `${meta.cpus} shared CPUs`,
    `load average ${meta.loadAverage.start.toFixed(1)} → ${meta.loadAverage.end.toFixed(1)}`,
    ...(meta.commit ? [`commit ${meta.commit}`] : []),
  ].join(", ");
  return [
    SUMMARY_START,
    `The committed report is a **${meta.mode}** run, [\`bench/report.md\`](bench/report.md) (${run}): ` +
      `**${counts.pass} pass, ${counts.miss} miss**.`,
    "",
    summaryTable(figures),
    SUMMARY_END,
  ].join("\n");
}

/** `readme` with its summary block replaced by `summary`; throws when the markers are missing or out of order. */
export function spliceReadme(readme: string, summary: string): string {
  const start = readme.indexOf(SUMMARY_START);
  const end = readme.indexOf(SUMMARY_END, start);
  if (start < 0 || end < 0) {
    throw new Error(
      `README.md has no benchmark summary block: put the lines "${SUMMARY_START}" and "${SUMMARY_END}" ` +
        "where the summary goes, then run npm run bench:readme",
    );
  }
  return readme.slice(0, start) + summary + readme.slice(end + SUMMARY_END.length);
}

/** The committed report, as the summary reads it. */
export function readCommittedReport(): SummarizedReport {
  return JSON.parse(readFileSync(path.join(COMMITTED_REPORT_DIR, "report.json"), "utf8")) as SummarizedReport;
}

/** Rewrites the README's summary from `report`; returns whether the README changed. */
export function updateReadmeSummary(report: SummarizedReport): boolean {
  const readme = readFileSync(README_PATH, "utf8");
  const updated = spliceReadme(readme, renderReadmeSummary(report));
  if (updated === readme) return false;
  writeFileSync(README_PATH, updated);
  return true;
}

function main(argv: readonly string[]): void {
  const report = readCommittedReport();
  if (argv.includes("--check")) {
    const readme = readFileSync(README_PATH, "utf8");
    if (spliceReadme(readme, renderReadmeSummary(report)) !== readme) {
      process.stderr.write(
        "README.md's benchmark summary differs from bench/report.json: run npm run bench:readme\n",
      );
      process.exit(1);
    }
    return;
  }
  const changed = updateReadmeSummary(report);
  process.stdout.write(
    changed ? "README.md: benchmark summary rewritten\n" : "README.md: benchmark summary current\n",
  );
}

if (require.main === module) main(process.argv.slice(2));
