// The VMs and their state machine (docs/zstack-behaviour.md#vm-states): operations check the allowed states,
// hold the transitional state for a configurable time and land in the final state, one at a time per VM
// chain.

import { VM_STATES, type VmState } from "../vocabulary/vm-states";
import { withState, type VmInstanceInventory } from "./inventory";
import {
  formatZStackDate,
  resourceNotFound,
  zstackError,
  ZStackApiError,
  type ZStackErrorCode,
} from "./wire";

/** VM operations the simulator models: the two API actions, and what other clients may do out of band. */
export type VmOperation = "pause" | "resume" | "stop" | "start" | "destroy";

interface OperationRule {
  /** The API message's canonical class name, printed in the state error (Message.getMessageName). */
  readonly message: string;
  /** `AbstractVmInstance.allowedOperations` for the message. */
  readonly allowed: readonly VmState[];
  readonly transitional: VmState;
  readonly final: VmState;
  /** The outer error that wraps VM.1010, for the APIs that wrap it (VmInstanceBase). */
  readonly wrap?: "VM.1012" | "VM.1013";
}

const NOT_DESTROYABLE: readonly VmState[] = ["Destroying", "Destroyed", "Expunging"];

// Pause and resume follow AbstractVmInstance.allowedOperations exactly. Stop, start and destroy are only used
// for out-of-band changes; their allowed states are the usual ones and their failures are the bare VM.1010.
const RULES: Readonly<Record<VmOperation, OperationRule>> = {
  pause: {
    message: "org.zstack.header.vm.APIPauseVmInstanceMsg",
    allowed: ["Running"],
    transitional: "Pausing",
    final: "Paused",
    wrap: "VM.1012",
  },
  resume: {
    message: "org.zstack.header.vm.APIResumeVmInstanceMsg",
    allowed: ["Paused"],
    transitional: "Resuming",
    final: "Running",
    wrap: "VM.1013",
  },
  stop: {
    message: "org.zstack.header.vm.APIStopVmInstanceMsg",
    allowed: ["Running", "Paused", "Unknown"],
    transitional: "Stopping",
    final: "Stopped",
  },
  start: {
    message: "org.zstack.header.vm.APIStartVmInstanceMsg",
    allowed: ["Created", "Stopped"],
    transitional: "Starting",
    final: "Running",
  },
  destroy: {
    message: "org.zstack.header.vm.APIDestroyVmInstanceMsg",
    allowed: VM_STATES.filter((s) => !NOT_DESTROYABLE.includes(s)),
    transitional: "Destroying",
    final: "Destroyed",
  },
};

/**
 * The error of `validateOperationByState` (VM.1010), wrapped as the API does
 * (docs/zstack-behaviour.md#errors).
 */
function stateError(operation: VmOperation, state: VmState): ZStackErrorCode {
  const rule = RULES[operation];
  const details =
    `current vm instance state[${state}] doesn't allow to proceed message[${rule.message}], ` +
    `allowed states are [${rule.allowed.join(", ")}]`;
  const cause = zstackError("VM.1010", details);
  return rule.wrap === undefined ? cause : zstackError(rule.wrap, details, cause);
}

/** SYS.1003 for a VM uuid that does not exist (expunged VMs included). */
export function vmNotFound(uuid: string): ZStackErrorCode {
  return resourceNotFound("uuid", uuid, "VmInstanceVO");
}

/** An operation on one VM held in its transitional state until the test releases it (see {@link VmStore.hold}). */
export interface VmHold {
  /** Resolves with the VM's inventory once an operation has entered its transitional state and waits there. */
  readonly held: Promise<VmInstanceInventory>;
  /** Lets the held operation go on (its configured time then runs) and ends the hold; later calls do nothing. */
  release(): void;
}

/** A hold as the store keeps it: what `held` resolves and what `release` resolves. */
interface PendingHold {
  readonly reached: (vm: VmInstanceInventory) => void;
  readonly released: Promise<void>;
}

/** A test waiting for a VM to reach a state. */
interface StateWatcher {
  readonly uuid: string;
  readonly state: VmState;
  readonly resolve: (vm: VmInstanceInventory) => void;
}

/** The name of a VM's sync chain, shared by pause, resume, start, stop and destroy. */
export function vmChain(uuid: string): string {
  return `vm-${uuid}`;
}

/** The VM table, the per-VM sync chains and the state machine. */
export class VmStore {
  private readonly vms = new Map<string, VmInstanceInventory>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly holds = new Map<string, PendingHold>();
  private readonly watchers = new Set<StateWatcher>();

  /** `holdMs[op]`: how long the operation's transitional state lasts. */
  constructor(private readonly holdMs: Readonly<Record<VmOperation, number>>) {}

  /** The VM's current inventory (immutable: every change replaces it). */
  get(uuid: string): VmInstanceInventory | undefined {
    return this.vms.get(uuid);
  }

  /** Every VM, in insertion order. */
  list(): VmInstanceInventory[] {
    return [...this.vms.values()];
  }

  /** Adds a VM; its uuid must be new. */
  add(vm: VmInstanceInventory): void {
    if (this.vms.has(vm.uuid)) throw new Error(`a VM with uuid ${vm.uuid} already exists`);
    this.vms.set(vm.uuid, vm);
  }

  /** Expunges a VM: afterwards it is not found (SYS.1003, empty query). Returns whether it existed. */
  remove(uuid: string): boolean {
    return this.vms.delete(uuid);
  }

  /** Sets the state directly, as a DB change would, keeping hostUuid consistent and refreshing lastOpDate. */
  setState(uuid: string, state: VmState): VmInstanceInventory {
    const vm = this.vms.get(uuid);
    if (vm === undefined) throw new ZStackApiError(vmNotFound(uuid));
    const next = withState(vm, state, formatZStackDate(Date.now()));
    this.vms.set(uuid, next);
    for (const watcher of this.watchers) {
      if (watcher.uuid !== uuid || watcher.state !== state) continue;
      this.watchers.delete(watcher);
      watcher.resolve(next);
    }
    return next;
  }

  /**
   * Resolves with the VM's inventory once it is in `state`: at once when it already is, else at the change that
   * puts it there. Tests wait on this instead of sleeping through a transitional state.
   */
  reaches(uuid: string, state: VmState): Promise<VmInstanceInventory> {
    const vm = this.vms.get(uuid);
    if (vm?.state === state) return Promise.resolve(vm);
    return new Promise((resolve) => this.watchers.add({ uuid, state, resolve }));
  }

  /**
   * Holds the VM's next operation (API action or out-of-band) in its transitional state until released, so that a
   * test can act while the VM is, say, `Pausing`, however slow the machine; a `setVmClockTrack` job is held before
   * it stores the settings. One hold per VM at a time.
   */
  hold(uuid: string): VmHold {
    if (this.holds.has(uuid)) throw new Error(`VM ${uuid} is already held: release that hold first`);
    let reached!: (vm: VmInstanceInventory) => void;
    let release!: () => void;
    const held = new Promise<VmInstanceInventory>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const pending: PendingHold = { reached, released };
    this.holds.set(uuid, pending);
    return {
      held,
      release: () => {
        if (this.holds.get(uuid) === pending) this.holds.delete(uuid);
        release();
      },
    };
  }

  /**
   * Waits while a {@link hold} keeps the VM's current operation, `vm` being the VM as it waits: in its transitional
   * state, or as it is for an action that has none (`setVmClockTrack`).
   */
  async heldAt(uuid: string, vm: VmInstanceInventory): Promise<void> {
    const pending = this.holds.get(uuid);
    if (pending === undefined) return;
    pending.reached(vm);
    await pending.released;
  }

  /** Runs a VM operation on the VM's sync chain (pause, resume, start, stop... serialize per VM). */
  perform(uuid: string, operation: VmOperation): Promise<VmInstanceInventory> {
    return this.serialize(vmChain(uuid), () => this.transition(uuid, operation));
  }

  /**
   * Runs `task` after every task queued earlier on `chain` has settled, like ZStack's sync-thread chains.
   * Chains are dropped when idle, so their number stays bounded by the work in flight.
   */
  serialize<T>(chain: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(chain) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(chain, settled);
    void settled.then(() => {
      if (this.chains.get(chain) === settled) this.chains.delete(chain);
    });
    return run;
  }

  /** Waits `ms` on a timer that {@link dispose} cancels. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Cancels pending timers (server shutdown): operations in flight never finish. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * The operation itself; callers run it on {@link vmChain}, so the state check sees the outcome of the
   * operations queued before (VmInstanceBase's per-VM sync chain). The hypervisor step cannot fail here; if
   * the VM is expunged meanwhile, the operation fails SYS.1003.
   */
  async transition(uuid: string, operation: VmOperation): Promise<VmInstanceInventory> {
    const rule = RULES[operation];
    const vm = this.vms.get(uuid);
    if (vm === undefined) throw new ZStackApiError(vmNotFound(uuid));
    if (!rule.allowed.includes(vm.state)) throw new ZStackApiError(stateError(operation, vm.state));
    await this.heldAt(uuid, this.setState(uuid, rule.transitional));
    await this.sleep(this.holdMs[operation]);
    if (!this.vms.has(uuid)) throw new ZStackApiError(vmNotFound(uuid));
    return this.setState(uuid, rule.final);
  }
}
