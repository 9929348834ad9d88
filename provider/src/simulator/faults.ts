// Scriptable fault injection: tests register rules matching an endpoint kind (and optionally an action and
// a VM); the first live rule that matches a request, and wins its probability draw, applies its fault once.

import type { ApiActionName } from "./api-actions";
import type { EndpointKind } from "../vocabulary/endpoint-kinds";

/**
 * A fault:
 * - `status`: answer with this 5xx and body instead of processing (a proxy or a sick node);
 * - `reset`: destroy the connection without an answer, either before the request is processed or after
 *   (`afterAccept`: the call took effect, e.g. the job was created and runs, but the client never hears);
 * - `delay`: wait `ms` before processing (a slow answer);
 * - `expireSession`: the request's session (every session, if it carries none) expires just before it is
 *   handled;
 * - `loseJob`: on `jobPoll` only, the job is forgotten, so the poll (and every later one) gets 404.
 */
export type Fault =
  | {
      readonly kind: "status";
      readonly status: 500 | 502 | 503 | 504;
      readonly body: string;
      readonly contentType?: "text/plain" | "text/html";
    }
  | { readonly kind: "reset"; readonly when: "beforeAccept" | "afterAccept" }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "expireSession" }
  | { readonly kind: "loseJob" };

/** The kind of a fault. */
export type FaultKind = Fault["kind"];

/** Which requests a fault applies to, how often, and what happens. */
export interface FaultRule {
  readonly on: EndpointKind;
  /** Only requests for this action (the submitted action, or the polled job's action). */
  readonly action?: ApiActionName;
  /** Only requests about this VM (from the URL, or the polled job's VM). */
  readonly vmUuid?: string;
  /** How many times the fault applies before it retires (default 1; `Infinity` allowed). */
  readonly times?: number;
  /** Chance that a matching request gets the fault, from the simulator's seeded PRNG (default 1). */
  readonly probability?: number;
  readonly fault: Fault;
}

/** A registered fault. */
export interface FaultHandle {
  /** Applications left (0 once retired or cancelled). */
  readonly remaining: number;
  /** How many requests got the fault so far. */
  readonly applied: number;
  /** Retires the fault now. */
  cancel(): void;
}

/** What the fault matcher knows about a request. */
interface FaultTarget {
  readonly kind: EndpointKind;
  readonly action?: ApiActionName;
  readonly vmUuid?: string;
}

class ActiveFault implements FaultHandle {
  applied = 0;
  remaining: number;

  constructor(
    readonly rule: FaultRule,
    private readonly retire: (fault: ActiveFault) => void,
  ) {
    this.remaining = rule.times ?? 1;
  }

  cancel(): void {
    this.remaining = 0;
    this.retire(this);
  }
}

// mulberry32: a tiny seeded PRNG, so probabilistic faults replay identically for a given seed.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The registry of live faults. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Registers a fault; it applies to the next matching requests. */
  inject(rule: FaultRule): FaultHandle {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new RangeError(`fault times must be positive, got ${times}`);
    const probability = rule.probability ?? 1;
    if (!(probability >= 0 && probability <= 1))
      throw new RangeError(`fault probability must be within [0, 1], got ${probability}`);
    if (rule.fault.kind === "loseJob" && rule.on !== "jobPoll")
      throw new RangeError(`the loseJob fault only applies to jobPoll, not ${rule.on}`);
    const fault = new ActiveFault(rule, (f) => (this.faults = this.faults.filter((g) => g !== f)));
    this.faults.push(fault);
    return fault;
  }

  /** Retires every fault. */
  clear(): void {
    for (const fault of [...this.faults]) fault.cancel();
  }

  /** The fault for this request, if any; consumes one application of it. */
  take(target: FaultTarget): Fault | undefined {
    for (const fault of this.faults) {
      const { on, action, vmUuid, probability = 1 } = fault.rule;
      if (on !== target.kind || (action !== undefined && action !== target.action)) continue;
      if (vmUuid !== undefined && vmUuid !== target.vmUuid) continue;
      if (probability < 1 && this.random() >= probability) continue;
      fault.applied += 1;
      fault.remaining -= 1;
      if (fault.remaining <= 0) fault.cancel();
      return fault.rule.fault;
    }
    return undefined;
  }
}
