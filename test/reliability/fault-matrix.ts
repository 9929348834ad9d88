/**
 * The fault matrix: every fault on every operation of the ZStack API the provider uses, and the outcome the provider
 * promises for it. This one table drives the test (fault-matrix.spec.ts) and generates the table in
 * provider/docs/reliability.md, so the documented outcomes are exactly the tested ones.
 *
 * Each cell creates one resource through the runtime controllers (as the host calls them) against a
 * simulator behind a loopback TCP proxy: a VmPauseState pausing a Running VM, or, in the resource-config column (only
 * VmClockTrack reads resource configurations), a VmClockTrack setting `track: "guest"`. One change is wanted, so one
 * action is the most the simulator may ever accept for it.
 */
import {
  VM_ACTION_NAMES,
  type FaultRule,
  type Simulator,
  type SimulatorOptions,
} from "pulumi-zstack-vm/simulator";

import type { Operation, TcpProxy, Verdict } from "./support/proxy";

export type { Operation } from "./support/proxy";

/** The columns, in API order. */
export const OPERATIONS: readonly Operation[] = [
  "login",
  "vmQuery",
  "resourceConfig",
  "actionSubmit",
  "jobPoll",
];

/** Column headings of the generated table. */
const OPERATION_TITLES: Readonly<Record<Operation, string>> = {
  login: "login",
  vmQuery: "VM query",
  resourceConfig: "resource-config read",
  actionSubmit: "action submit",
  jobPoll: "job poll",
};

/** What a cell must end in. `accepted` and `executed` count the simulator's accepted and executed actions. */
export type Expected =
  | {
      /** create returned complete outputs in the declared state, and a read describes the VM as it really is. */
      readonly outcome: "converged";
      readonly accepted: number;
      /** Default: `accepted` (every accepted action ran). */
      readonly executed?: number;
      /** The VM's state afterwards, when someone else changed it (default: the declared state). */
      readonly vmState?: "Running" | "Paused" | "Stopped" | "gone";
      /** Why more than one action was accepted, for the docs. */
      readonly note?: string;
    }
  | {
      /** create failed with this error, and the VM is as the accepted actions left it. */
      readonly outcome: "error";
      /** The `ZStackError` code, when the error is the client's. */
      readonly code?: string;
      readonly message: RegExp;
      readonly accepted: number;
      readonly executed?: number;
    }
  | {
      /**
       * create failed with the engine's "created but failed to initialize": Pulumi records the resource with the
       * pending job, and the next `up` (an update from that partial state, with the fault gone) converges without
       * a second action.
       */
      readonly outcome: "partial";
      readonly message: RegExp;
      /** Accepted actions when create failed (the next up must end with exactly one). */
      readonly accepted: number;
    }
  | { readonly outcome: "n/a"; readonly reason: string };

/** What a cell can touch. */
export interface CellContext {
  readonly sim: Simulator;
  readonly proxy: TcpProxy;
  readonly vmUuid: string;
}

/** One row: a fault, how to arm it on an operation, and the expected outcome per operation. */
export interface FaultRow {
  readonly id: string;
  /** The row heading in the docs. */
  readonly title: string;
  /** Arms the fault on one operation before create runs. */
  readonly arm: (context: CellContext, operation: Operation) => void;
  /** The resource's timeoutSeconds (default 20). */
  readonly timeoutSeconds?: number;
  /**
   * The client's per-request timeout. The stack config cannot set one under a second (`zstack:requestTimeoutSeconds`),
   * so the cell's runtime is given settings with this timeout.
   */
  readonly requestTimeoutMs?: number;
  /**
   * How the simulator answers action submits: `async` (202 + location, as the server code does; the default) or
   * `sync` (200/503 to the submit itself, as the SetVmClockTrack doc page shows, with no job to poll).
   */
  readonly answers?: "async" | "sync";
  /**
   * How long to wait after create for a delayed request still in flight to land: before the actions are counted,
   * and before the next `up` of a partial cell.
   */
  readonly settleBeforeNextUpMs?: number;
  readonly expect: Readonly<Record<Operation, Expected>>;
}

const PLAIN_503 = "Service Temporarily Unavailable: the management node is starting";
const HTML_502 =
  "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" +
  "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

/** The simulator options of a row's answer mode. */
export function simulatorOptionsFor(row: FaultRow): Pick<SimulatorOptions, "synchronousActions"> {
  return row.answers === "sync" ? { synchronousActions: VM_ACTION_NAMES } : {};
}

/** Arms a simulator fault rule on the operation. */
function inject(rule: Omit<FaultRule, "on">): FaultRow["arm"] {
  return ({ sim }, on) => void sim.faults.inject({ ...rule, on });
}

const every = (expected: Expected): Readonly<Record<Operation, Expected>> => ({
  login: expected,
  vmQuery: expected,
  resourceConfig: expected,
  actionSubmit: expected,
  jobPoll: expected,
});

const converged: Expected = { outcome: "converged", accepted: 1 };

/**
 * ZStack checks the session only when an accepted job starts (AuthorizationManager runs in the job's interceptor
 * chain: provider/docs/zstack-behaviour.md#login-and-sessions), so a submit sent with a session that just expired is accepted and then refused with ID.1001
 * before it runs. The client then logs in again and resubmits once: two accepted, one ran.
 */
const refusedBeforeRunning: Expected = {
  outcome: "converged",
  accepted: 2,
  executed: 1,
  note: "the first job was refused with ID.1001 before it ran (the session was gone); one resubmit",
};
const notApplicable = (reason: string): Expected => ({ outcome: "n/a", reason });

/** Out-of-band changes only matter while our action is in flight; before it they are simply read. */
const beforeAction = {
  login: notApplicable("before any VM is read; the change is simply read"),
  vmQuery: notApplicable("the change is simply read and decided on"),
  resourceConfig: notApplicable("VmPauseState reads no resource config"),
} as const;

/** The rows. Expected outcomes are the provider's promises; the spec checks each against a live run. */
export const FAULT_ROWS: readonly FaultRow[] = [
  {
    id: "5xx-text",
    title: "transient 503, plain text (twice)",
    arm: inject({
      times: 2,
      fault: { kind: "status", status: 503, body: PLAIN_503, contentType: "text/plain" },
    }),
    expect: every(converged),
  },
  {
    id: "5xx-html",
    title: "transient 502, HTML page (twice)",
    arm: inject({
      times: 2,
      fault: { kind: "status", status: 502, body: HTML_502, contentType: "text/html" },
    }),
    expect: every(converged),
  },
  {
    id: "5xx-persistent",
    title: "503 plain text that does not go away",
    arm: inject({
      times: Infinity,
      fault: { kind: "status", status: 503, body: PLAIN_503, contentType: "text/plain" },
    }),
    expect: {
      login: {
        outcome: "error",
        code: "HTTP.503",
        message: /^login failed: HTTP\.503 Service Unavailable: "Service Temporarily Unavailable/,
        accepted: 0,
      },
      vmQuery: {
        outcome: "error",
        code: "HTTP.503",
        message: /^getVm on VM [0-9a-f]{32} failed: HTTP\.503 Service Unavailable/,
        accepted: 0,
      },
      resourceConfig: {
        outcome: "error",
        code: "HTTP.503",
        message: /^getResourceConfig on VM [0-9a-f]{32} failed: HTTP\.503 Service Unavailable/,
        accepted: 0,
      },
      // Every submit got the 503 page and every probe of its job uuid a 404: nothing ran, but the client cannot
      // prove the last submit was not accepted, so the job is recorded and the next up finds it lost and acts.
      actionSubmit: {
        outcome: "partial",
        message:
          /was sent to ZStack \(job [0-9a-f]{32}\), but no answer confirmed it.*HTTP\.503.*so whether ZStack accepted it is unknown/,
        accepted: 0,
      },
      jobPoll: {
        outcome: "partial",
        message:
          /was accepted by ZStack \(job [0-9a-f]{32}\), but its result could not be learned.*HTTP\.503.*the VM is Paused/,
        accepted: 1,
      },
    },
  },
  {
    id: "refused",
    title: "connection refused (node off the network for 100 ms)",
    arm: ({ proxy }, operation) =>
      proxy.on(operation, () => {
        void proxy.outage(100);
        return "drop";
      }),
    expect: every(converged),
  },
  {
    id: "refused-for-good",
    title: "connection refused for good (node gone)",
    arm: ({ proxy }, operation) =>
      proxy.on(operation, () => {
        void proxy.outage(Infinity);
        return "drop";
      }),
    expect: {
      login: {
        outcome: "error",
        code: "CLIENT.TRANSPORT",
        message:
          /^login failed: CLIENT\.TRANSPORT Connection failed: PUT login to http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/,
        accepted: 0,
      },
      vmQuery: {
        outcome: "error",
        code: "CLIENT.TRANSPORT",
        message:
          /^getVm on VM [0-9a-f]{32} failed: CLIENT\.TRANSPORT Connection failed: GET vmQuery .*ECONNREFUSED/,
        accepted: 0,
      },
      resourceConfig: {
        outcome: "error",
        code: "CLIENT.TRANSPORT",
        message: /^getResourceConfig on VM [0-9a-f]{32} failed: CLIENT\.TRANSPORT .*ECONNREFUSED/,
        accepted: 0,
      },
      actionSubmit: {
        outcome: "error",
        code: "CLIENT.TRANSPORT",
        message:
          /^pauseVmInstance on VM [0-9a-f]{32} failed: CLIENT\.TRANSPORT .*ECONNREFUSED.*\[job [0-9a-f]{32}\]$/,
        accepted: 0,
      },
      // The job ran, but with the node unreachable the VM cannot be read to describe a partial state.
      jobPoll: {
        outcome: "error",
        code: "CLIENT.TRANSPORT",
        message: /^pauseVmInstance on VM [0-9a-f]{32} failed: CLIENT\.TRANSPORT .*ECONNREFUSED/,
        accepted: 1,
      },
    },
  },
  {
    id: "reset-before",
    title: "connection reset before the request is handled",
    arm: inject({ fault: { kind: "reset", when: "beforeAccept" } }),
    expect: every(converged),
  },
  {
    id: "reset-after",
    title: "connection reset after the request was handled (submit accepted, answer lost)",
    arm: inject({ fault: { kind: "reset", when: "afterAccept" } }),
    expect: every(converged),
  },
  {
    id: "slow-request",
    title: "answer slower than the client's per-request timeout (1.2 s vs 400 ms), once",
    requestTimeoutMs: 400,
    settleBeforeNextUpMs: 1000,
    arm: inject({ fault: { kind: "delay", ms: 1200 } }),
    expect: {
      ...every(converged),
      actionSubmit: {
        outcome: "converged",
        accepted: 2,
        executed: 1,
        note:
          "the probe of the timed-out submit gets 404 and this endpoint has not yet shown that it keeps jobs (a " +
          "synchronous server would run a resubmission again), so the VM is read and paused anew; the late " +
          "original is then refused with VM.1012",
      },
    },
  },
  {
    id: "slow-deadline",
    title: "answer slower than the resource's timeoutSeconds (3 s vs 2 s)",
    timeoutSeconds: 2,
    settleBeforeNextUpMs: 1500,
    arm: inject({ fault: { kind: "delay", ms: 3000 } }),
    expect: {
      // The login runs under the operation's deadline: it is cut at timeoutSeconds, and the operation fails there.
      login: {
        outcome: "error",
        code: "CLIENT.TIMEOUT",
        message: /^login failed: CLIENT\.TIMEOUT Deadline exceeded/,
        accepted: 0,
      },
      vmQuery: {
        outcome: "error",
        code: "CLIENT.TIMEOUT",
        message: /^getVm on VM [0-9a-f]{32} failed: CLIENT\.TIMEOUT Deadline exceeded/,
        accepted: 0,
      },
      resourceConfig: {
        outcome: "error",
        code: "CLIENT.TIMEOUT",
        message: /^getResourceConfig on VM [0-9a-f]{32} failed: CLIENT\.TIMEOUT Deadline exceeded/,
        accepted: 0,
      },
      // The delayed submit is accepted a second after create gave up, which create cannot know: it says the outcome
      // is unknown, not that the job was accepted; the next up polls that job.
      actionSubmit: {
        outcome: "partial",
        message:
          /was sent to ZStack \(job [0-9a-f]{32}\), but no answer confirmed it.*so whether ZStack accepted it is unknown; the VM is Running/,
        accepted: 0,
      },
      jobPoll: {
        outcome: "partial",
        message: /had not finished when timeoutSeconds \(2\) ran out; the VM is Paused/,
        accepted: 1,
      },
    },
  },
  {
    id: "session-expired",
    title: "session expired just before the request",
    arm: inject({ fault: { kind: "expireSession" } }),
    expect: { ...every(converged), actionSubmit: refusedBeforeRunning },
  },
  {
    id: "job-lost",
    title: "job lost (404 while polling)",
    arm: ({ sim }, on) => {
      if (on === "jobPoll") sim.faults.inject({ on, fault: { kind: "loseJob" } });
    },
    expect: {
      login: notApplicable("only a job can be lost"),
      vmQuery: notApplicable("only a job can be lost"),
      resourceConfig: notApplicable("only a job can be lost"),
      actionSubmit: notApplicable("only a job can be lost"),
      jobPoll: converged,
    },
  },
  {
    id: "restart",
    title: "management node restarted (sessions and jobs gone, request dropped)",
    arm: ({ sim, proxy }, operation) =>
      proxy.on(operation, async (): Promise<Verdict> => {
        await sim.restart();
        return "drop";
      }),
    // The dropped submit's probe gets 404 and nothing is known of the endpoint yet, so the runtime reads the VM
    // (logging in again on ID.1001) and pauses it: one action.
    expect: every(converged),
  },
  {
    id: "sync-reset-after",
    title:
      "synchronous answers: connection reset after the request was handled (the action ran, its answer lost)",
    answers: "sync",
    arm: inject({ fault: { kind: "reset", when: "afterAccept" } }),
    expect: {
      ...every(converged),
      // The server keeps no job of a synchronous answer: the probe's 404 proves nothing, so the client does not send
      // the action again; the runtime reads the VM, finds it Paused, and is done.
      jobPoll: notApplicable("a synchronous answer leaves no job to poll"),
    },
  },
  {
    id: "sync-5xx-text",
    title: "synchronous answers: transient 503, plain text (twice)",
    answers: "sync",
    arm: inject({
      times: 2,
      fault: { kind: "status", status: 503, body: PLAIN_503, contentType: "text/plain" },
    }),
    expect: { ...every(converged), jobPoll: notApplicable("a synchronous answer leaves no job to poll") },
  },
  {
    id: "sync-slow-request",
    title: "synchronous answers: answer slower than the client's per-request timeout (1.2 s vs 400 ms), once",
    answers: "sync",
    requestTimeoutMs: 400,
    arm: inject({ fault: { kind: "delay", ms: 1200 } }),
    expect: { ...every(converged), jobPoll: notApplicable("a synchronous answer leaves no job to poll") },
  },
  {
    id: "oob-paused",
    title: "VM paused by someone else as our pause is sent",
    arm: ({ sim, proxy, vmUuid }, operation) =>
      proxy.on(operation, () => {
        // Started, not awaited: the VM is Pausing when our request arrives, as in a real race.
        void sim.vms.outOfBand(vmUuid, "pause");
        return "forward";
      }),
    expect: {
      ...beforeAction,
      // Our pause is accepted and fails (VM.1012 wrapping VM.1010): a lost race, re-read, already Paused.
      actionSubmit: { outcome: "converged", accepted: 1, executed: 0 },
      jobPoll: notApplicable("our pause has run by then; see 'resumed by someone else'"),
    },
  },
  {
    id: "oob-resumed",
    title: "VM resumed by someone else after our pause ran",
    arm: ({ sim, proxy, vmUuid }, operation) =>
      proxy.on(operation, async (): Promise<Verdict> => {
        if (operation === "jobPoll") await sim.vms.outOfBand(vmUuid, "resume");
        return "forward";
      }),
    expect: {
      ...beforeAction,
      actionSubmit: notApplicable("nothing to resume before our pause ran; see 'paused by someone else'"),
      // create reports the job's result; the refresh that follows shows the drift (Running).
      jobPoll: { outcome: "converged", accepted: 1, vmState: "Running" },
    },
  },
  {
    id: "oob-stopped",
    title: "VM stopped by someone else mid-operation",
    arm: ({ sim, proxy, vmUuid }, operation) =>
      proxy.on(operation, async (): Promise<Verdict> => {
        if (operation === "jobPoll") await sim.vms.outOfBand(vmUuid, "stop");
        else void sim.vms.outOfBand(vmUuid, "stop");
        return "forward";
      }),
    expect: {
      ...beforeAction,
      actionSubmit: {
        outcome: "error",
        message: /^VmPauseState: VM [0-9a-f]{32} is Stopped, so it cannot be made Paused.*start the VM first/,
        accepted: 1,
        executed: 0,
      },
      jobPoll: { outcome: "converged", accepted: 1, vmState: "Stopped" },
    },
  },
  {
    id: "oob-deleted",
    title: "VM deleted (expunged) by someone else mid-operation",
    arm: ({ sim, proxy, vmUuid }, operation) =>
      proxy.on(operation, () => {
        sim.vms.remove(vmUuid);
        return "forward";
      }),
    expect: {
      ...beforeAction,
      actionSubmit: {
        outcome: "error",
        message: /^VmPauseState: VM [0-9a-f]{32} was not found on the ZStack management node/,
        accepted: 1,
        executed: 0,
      },
      jobPoll: { outcome: "converged", accepted: 1, vmState: "gone" },
    },
  },
];

/** The resource a cell of this operation creates. */
export function resourceFor(operation: Operation): "VmPauseState" | "VmClockTrack" {
  return operation === "resourceConfig" ? "VmClockTrack" : "VmPauseState";
}

function describe(expected: Expected): string {
  const actions = (n: number) => `${n} action${n === 1 ? "" : "s"}`;
  switch (expected.outcome) {
    case "converged": {
      const ran = expected.executed ?? expected.accepted;
      const count = ran === expected.accepted ? actions(ran) : `${expected.accepted} accepted, ${ran} ran`;
      const after =
        expected.vmState === undefined
          ? ""
          : expected.vmState === "gone"
            ? "; refresh finds it gone"
            : `; refresh shows ${expected.vmState}`;
      return `✅ converged, ${count}${after}${expected.note === undefined ? "" : ` (${expected.note})`}`;
    }
    case "error": {
      const ran = expected.executed ?? expected.accepted;
      const count = ran === expected.accepted ? actions(ran) : `${expected.accepted} accepted, ${ran} ran`;
      return `❌ ${expected.code === undefined ? "clear error" : `\`${expected.code}\``}, ${count}`;
    }
    case "partial":
      return `⏸ partial state (${actions(expected.accepted)}); next \`up\` converges, 1 action`;
    case "n/a":
      return `n/a (${expected.reason})`;
  }
}

/** The markdown table of the matrix, as it appears in provider/docs/reliability.md. */
export function renderFaultMatrix(): string {
  const header = `| fault | ${OPERATIONS.map((op) => OPERATION_TITLES[op]).join(" | ")} |`;
  const rule = `|---|${OPERATIONS.map(() => "---").join("|")}|`;
  const rows = FAULT_ROWS.map(
    (row) => `| ${row.title} | ${OPERATIONS.map((op) => describe(row.expect[op])).join(" | ")} |`,
  );
  const errors = FAULT_ROWS.flatMap((row) =>
    OPERATIONS.flatMap((op) => {
      const expected = row.expect[op];
      if (expected.outcome !== "error" && expected.outcome !== "partial") return [];
      return [`- ${row.title} × ${OPERATION_TITLES[op]}: message matches \`${expected.message.source}\``];
    }),
  );
  return [header, rule, ...rows, "", "Error and partial-state messages, as asserted:", "", ...errors].join(
    "\n",
  );
}
