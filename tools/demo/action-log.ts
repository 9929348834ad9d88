/**
 * The demo's finale: what was sent to ZStack, from the simulator's request log, grouped by the demo section that
 * caused it. To keep it readable, job polls are folded into the action they poll (their count and the job's
 * server-side time), paths are shown below the context path with uuids and config names as placeholders, and
 * consecutive identical reads (the three clock settings of a VM) share a row with a count.
 */
import type { RequestLogEntry, Simulator } from "pulumi-zstack-vm/simulator";
import { table } from "./simulator";

const UUID = /[0-9a-f]{32}/g;
/** A config name in a GetResourceConfig path (`…/{uuid}/vm/<name>`) or a DeleteResourceConfig one (`…/vm/<name>/{uuid}`). */
const CONFIG_NAME = /(\/resource-configurations\/(?:\{uuid\}\/)?vm\/)[\w.]+/;

/** One row of the table: a request, or a run of identical reads. */
interface Row {
  readonly entry: RequestLogEntry;
  readonly path: string;
  count: number;
}

/** Records which requests of the simulator's log belong to which section of the demo. */
export class ActionLog {
  private readonly phases: { readonly title: string; readonly fromSeq: number }[] = [];

  constructor(private readonly sim: Simulator) {}

  /** Starts a phase: requests logged from now on belong to it. */
  mark(title: string): void {
    this.phases.push({ title, fromSeq: this.lastSeq() + 1 });
  }

  /** VM action submits (pause, resume, setVmClockTrack...) logged since `mark(title)` was called for the phase. */
  actionsIn(title: string): RequestLogEntry[] {
    return this.entriesIn(title).filter((e) => e.kind === "actionSubmit");
  }

  /** The table of every phase's requests (job polls folded into their action), then the totals. */
  render(): string[] {
    const polls = new Map<string, number>();
    for (const e of this.sim.log.entries) {
      if (e.kind === "jobPoll" && e.jobUuid) polls.set(e.jobUuid, (polls.get(e.jobUuid) ?? 0) + 1);
    }
    const rows: string[][] = [];
    for (const phase of this.phases) {
      const entries = this.entriesIn(phase.title).filter((e) => e.kind !== "jobPoll");
      if (entries.length === 0) {
        rows.push([phase.title, "", "(nothing sent)", "", "", "", ""]);
        continue;
      }
      this.rowsOf(entries).forEach((row, i) => {
        const e = row.entry;
        const vm = e.vmUuid ? (this.sim.vms.get(e.vmUuid)?.name ?? e.vmUuid) : "";
        rows.push([
          i === 0 ? phase.title : "",
          e.method,
          row.count > 1 ? `${row.path} ×${row.count}` : row.path,
          e.action ?? "",
          vm,
          String(e.status ?? "reset"),
          this.jobCell(e, polls),
        ]);
      });
    }
    const c = this.sim.counters;
    const deletes = this.sim.log.entries.filter(
      (e) => e.action === "deleteResourceConfig" && e.method === "DELETE",
    );
    return [
      `  paths below ${this.sim.url}; job: its final state, server-side time (submit to done) and polls`,
      "",
      ...table(["step", "method", "path", "action", "VM", "status", "job"], rows),
      "",
      `  ${c.count()} requests: ${c.count("login")} logins, ${c.count("vmQuery")} VM reads, ` +
        `${c.count("resourceConfig") - deletes.length} resource-config reads, ${c.count("actionSubmit")} VM ` +
        `actions and ${deletes.length} resource-config deletes submitted (${c.acceptedActions()} accepted, ` +
        `${c.executedActions()} executed), ${c.count("jobPoll")} job polls.`,
    ];
  }

  /** Rows of one phase: paths made generic, consecutive identical reads merged. */
  private rowsOf(entries: readonly RequestLogEntry[]): Row[] {
    const prefix = `/${this.sim.endpoint.contextPath}`;
    const rows: Row[] = [];
    for (const entry of entries) {
      const relative = entry.path.startsWith(prefix) ? entry.path.slice(prefix.length) : entry.path;
      const path = relative.replace(UUID, "{uuid}").replace(CONFIG_NAME, "$1{name}");
      const last = rows[rows.length - 1];
      if (
        last &&
        entry.method === "GET" &&
        last.entry.method === "GET" &&
        last.path === path &&
        last.entry.vmUuid === entry.vmUuid &&
        last.entry.status === entry.status
      ) {
        last.count += 1;
      } else rows.push({ entry, path, count: 1 });
    }
    return rows;
  }

  private jobCell(e: RequestLogEntry, polls: ReadonlyMap<string, number>): string {
    // A submit: a VM action, or a DeleteResourceConfig (a poll carries the action of the job it polls).
    if (e.kind === "jobPoll" || e.action === undefined || !e.jobUuid) return "";
    const job = this.sim.jobs.get(e.jobUuid);
    if (!job) return "";
    const time = job.durationMs === undefined ? "running" : `${Math.round(job.durationMs)} ms`;
    return `${job.state}, ${time}, ${polls.get(e.jobUuid) ?? 0} polls`;
  }

  private entriesIn(title: string): RequestLogEntry[] {
    const i = this.phases.findIndex((p) => p.title === title);
    if (i < 0) return [];
    const from = this.phases[i]?.fromSeq ?? 0;
    const to = this.phases[i + 1]?.fromSeq ?? Number.POSITIVE_INFINITY;
    return this.sim.log.entries.filter((e) => e.seq >= from && e.seq < to);
  }

  private lastSeq(): number {
    const entries = this.sim.log.entries;
    return entries.length ? (entries[entries.length - 1]?.seq ?? 0) : 0;
  }
}
