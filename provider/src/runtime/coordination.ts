import { createHash, randomUUID } from "node:crypto";

import { ProviderError, ResourceInitFailedError } from "./errors";
import type { ResourceKind } from "../vocabulary/resource-kinds";

/**
 * Per-VM coordination of the resources one provider runtime serves (see {@link Coordination}).
 *
 * The Pulumi CLI starts one host process per deployment (`pulumi up`, `destroy`, ...) and sends it the Check, Diff,
 * Create, Update, Read and Delete calls of every resource, up to `--parallel` at once. Three things need to know
 * what the *other* resources of that deployment do to the same VM:
 *
 * 1. **Conflicts.** Two resources declaring different values of one aspect of one VM (`state: "Paused"` and
 *    `state: "Running"`, or two `intervalInSeconds`) would each converge the VM on every `up`, for ever. The second
 *    declaration seen fails with an error naming both.
 * 2. **Hand-over.** `pulumi up --replace <urn>` and a rename without an alias are create-new-then-delete-old on the
 *    same VM in one process: the new resource adopts the VM as already declared, then the old one's delete would
 *    restore the VM and leave it *not* as declared. A delete leaves alone every aspect a live resource of the same
 *    process declares.
 * 3. **One action at a time.** Concurrent operations converging one VM to the same target share one in-flight
 *    operation, so 50 creates of one VM send one pause, not 50 submits of which 49 fail.
 *
 * **Identity without URNs.** The host passes no URN or name to create and delete (only `check(olds, news)`,
 * `diff(id, olds, news)`, `create(inputs)`, `update(id, olds, news)`, `delete(id, props)`; @pulumi/pulumi 3.270
 * `cmd/dynamic-provider`), and `id` is the VM uuid, the same for every resource of a VM. So a resource is known by
 * the **fingerprint of its record**: the part of its outputs that only its own create and update write (the VM,
 * the declared values, what it found when it adopted the VM, `timeoutSeconds`, `onDelete`), which a refresh does
 * not change. Diff, update and delete see it in the stored outputs; create and update claim under a temporary
 * owner while they run and hand their claims to the fingerprint of the outputs they return.
 *
 * **Where claims come from.** A claim is made by diff (a resource of the program that is already in the stack, for
 * what its stored record and `news` agree on: a refresh calls diff too, with old inputs that may hold a refreshed
 * actual state instead of the program's), by update (the same owner as its diff) and by create. Read makes none: a
 * refresh declares nothing. A delete releases the deleted resource's own claims and restores only what no *other* owner claims.
 * This keeps each engine sequence right:
 * - `--replace` or rename (create new, delete old): the new resource's create claims the VM; the old delete finds
 *   that claim and leaves the VM as declared.
 * - `deleteBeforeReplace` (delete old, create new): the old resource's only claim is its own diff's, so its delete
 *   restores; then the create converges again and records the true initial state.
 * - a `vmUuid` change: claims are per VM, so the old VM is restored.
 * - `pulumi destroy` runs no program, hence no diff and no create: every delete restores.
 * - a resource removed from the program while another one on the same VM stays: the staying one's diff claims the
 *   VM, so the removed one's delete leaves it.
 *
 * Limits: claims are made only where one runtime sees them (the dynamic-provider host makes one runtime per process,
 * hence per deployment; two stacks or two processes are not coordinated); a conflict is reported against the second resource seen, and the first is described by where its
 * claim came from and what it declares, not by name; two resources with the same record (the same declaration of
 * the same VM, adopted in the same state) cannot be told apart, so a replacement that re-adopted a VM from the very
 * state the old resource found (possible only after out-of-band changes not refreshed) restores as a plain delete.
 *
 * Claims are by VM uuid, which is unique per management node: a runtime talks to one endpoint, so its claims are
 * those of one node.
 */

/** One aspect of a VM that a resource declares: `state` for VmPauseState, each clock setting for VmClockTrack. */
export type Aspect = "state" | "track" | "syncAfterVMResume" | "intervalInSeconds";

/** A declared value of one aspect. */
export type AspectValue = string | number | boolean;

/** Declared values by aspect; `null` means the resource leaves the aspect alone. */
export type AspectValues = Readonly<Partial<Record<Aspect, AspectValue | null>>>;

/** Where a claim came from, which is how messages describe the other resource of a conflict. */
export type ClaimOrigin = "diff" | "create" | "update";

/** Who makes a claim: the owner (see the module notes) and how it came about. */
export interface Claimant {
  readonly owner: string;
  readonly origin: ClaimOrigin;
}

/** A live declaration of one aspect of one VM by one resource of this runtime. */
export interface Claim extends Claimant {
  readonly kind: ResourceKind;
  readonly vmUuid: string;
  readonly aspect: Aspect;
  readonly value: AspectValue;
}

/** An operation in flight: its result, and what the caller that started it observes while it runs. */
export interface InFlight<T, Notes extends object> {
  readonly result: Promise<T>;
  readonly notes: Notes;
}

/** What a create or update declares, and for which VM. */
export interface Declaration {
  readonly kind: ResourceKind;
  readonly vmUuid: string;
  readonly values: AspectValues;
}

/**
 * The owner of a resource: a fingerprint of its record (see the module notes), the given fields of its outputs.
 * Keys are sorted, as the engine does not keep their order.
 */
export function ownerOf(outputs: object, recordKeys: readonly string[]): string {
  const record: Record<string, unknown> = {};
  for (const key of recordKeys) record[key] = (outputs as Record<string, unknown>)[key] ?? null;
  return `record:${createHash("sha256").update(stableJson(record)).digest("hex").slice(0, 32)}`;
}

/** A temporary owner for a create or update in progress; its claims go to the record's owner when it returns. */
export function newOwner(): string {
  return `running:${randomUUID()}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${stableJson(member)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const ORIGINS: Readonly<Record<ClaimOrigin, string>> = {
  diff: "a resource already in the stack",
  create: "a resource created in this run",
  update: "a resource updated in this run",
};

function conflictError(mine: Claim, theirs: Claim): ProviderError {
  const what = mine.aspect === "state" ? "state" : mine.aspect;
  return new ProviderError(
    `${mine.kind}: two resources of this deployment declare ${what} of VM ${mine.vmUuid}: this one ` +
      `${JSON.stringify(mine.value)} and another ${theirs.kind} (${ORIGINS[theirs.origin]}) ` +
      `${JSON.stringify(theirs.value)}. Each would undo the other on every \`pulumi up\`. Keep one resource per VM ` +
      `and ${what}, or make both declare the same value.`,
  );
}

/**
 * The coordination scope of one provider runtime (see the module notes): the claims of its resources, by VM and
 * owner, and its operations in flight. It starts empty, as a new host process does, and lives as long as its
 * runtime; nothing is shared between runtimes.
 */
export class Coordination {
  /** The claims, by VM uuid, then by owner. */
  private readonly claims = new Map<string, Map<string, readonly Claim[]>>();
  /** Operations in flight, by kind, VM and target. */
  private readonly inFlight = new Map<string, InFlight<unknown, object>>();

  private claimsOf(vmUuid: string): Map<string, readonly Claim[]> {
    let byOwner = this.claims.get(vmUuid);
    if (byOwner === undefined) this.claims.set(vmUuid, (byOwner = new Map()));
    return byOwner;
  }

  /**
   * Records what a resource declares for a VM, replacing that owner's earlier claims on it. Throws, and records
   * nothing, when another owner declares a different value of one of the same aspects.
   */
  claim(kind: ResourceKind, vmUuid: string, values: AspectValues, claimant: Claimant): void {
    const byOwner = this.claimsOf(vmUuid);
    const mine: Claim[] = [];
    for (const [aspect, value] of Object.entries(values) as [Aspect, AspectValue | null][]) {
      if (value === null) continue;
      const claimed: Claim = { ...claimant, kind, vmUuid, aspect, value };
      for (const [owner, theirs] of byOwner) {
        if (owner === claimant.owner) continue;
        const other = theirs.find((c) => c.kind === kind && c.aspect === aspect && c.value !== value);
        if (other !== undefined) throw conflictError(claimed, other);
      }
      mine.push(claimed);
    }
    byOwner.set(claimant.owner, mine);
  }

  /** The claim another owner holds on an aspect of a VM, if any: what a delete must not undo. */
  heldByOthers(kind: ResourceKind, vmUuid: string, aspect: Aspect, owner: string): Claim | undefined {
    for (const [other, theirs] of this.claimsOf(vmUuid)) {
      if (other === owner) continue;
      const held = theirs.find((c) => c.kind === kind && c.aspect === aspect);
      if (held !== undefined) return held;
    }
    return undefined;
  }

  /**
   * Hands an owner's claims on a VM to another owner: a create or update that returns its outputs now has a record.
   * Claims the new owner held already (the same resource's, from its diff) are replaced.
   */
  transfer(vmUuid: string, from: string, to: string): void {
    const byOwner = this.claimsOf(vmUuid);
    const held = byOwner.get(from);
    if (held === undefined) return;
    byOwner.delete(from);
    byOwner.set(
      to,
      held.map((c) => ({ ...c, owner: to })),
    );
  }

  /** Forgets an owner's claims on a VM: its resource is being deleted. */
  release(vmUuid: string, owner: string): void {
    this.claimsOf(vmUuid).delete(owner);
  }

  /**
   * Runs a create or update under its claim: claims first (a conflict fails before any call to ZStack), then runs
   * `operation`, and hands the claim to the owner of the outputs it returns, or of the partial outputs it records
   * when an action outlives the deadline. A create that fails outright releases its claim, since no resource was
   * made; a failed update keeps it, since its resource stays in the stack with the same declaration.
   */
  async underClaim<Outputs extends object>(
    declaration: Declaration,
    claimant: Claimant,
    ownerOfOutputs: (outputs: object) => string,
    operation: () => Promise<Outputs>,
  ): Promise<Outputs> {
    const { kind, vmUuid, values } = declaration;
    this.claim(kind, vmUuid, values, claimant);
    try {
      const outputs = await operation();
      this.transfer(vmUuid, claimant.owner, ownerOfOutputs(outputs));
      return outputs;
    } catch (error) {
      if (error instanceof ResourceInitFailedError) {
        this.transfer(vmUuid, claimant.owner, ownerOfOutputs(error.properties));
      } else if (claimant.origin === "create") {
        this.release(vmUuid, claimant.owner);
      }
      throw error;
    }
  }

  /**
   * Runs `operation` unless an operation with the same key (kind, VM and target) is already in flight, in which case
   * the caller joins it: both get its result or its error, and the `notes` its leader keeps (what it observed, such
   * as the state the VM was first seen in), so a joiner reports what the leader saw. The operation runs under the
   * deadline of the caller that started it.
   */
  shareInFlight<T, Notes extends object>(
    key: string,
    notes: () => Notes,
    operation: (notes: Notes) => Promise<T>,
  ): InFlight<T, Notes> {
    const running = this.inFlight.get(key) as InFlight<T, Notes> | undefined;
    if (running !== undefined) return running;
    const kept = notes();
    const result = (async () => {
      try {
        return await operation(kept);
      } finally {
        this.inFlight.delete(key);
      }
    })();
    const entry: InFlight<T, Notes> = { result, notes: kept };
    this.inFlight.set(key, entry as InFlight<unknown, object>);
    return entry;
  }
}
