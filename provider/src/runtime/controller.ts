import type * as dynamic from "@pulumi/pulumi/dynamic";

import type { VmInstanceInventory, ZStackClient } from "../zstack";
import { newOwner, ownerOf, type AspectValues } from "./coordination";
import { checkInputs, isUnknown, type CheckOutcome, type FieldSpec } from "./inputs";
import { debug } from "./log";
import type { ProviderRuntime } from "./provider-runtime";
import { readScope, unmanagedOutputs, type ReadScope } from "./read-scope";
import type { ResourceKind } from "../vocabulary/resource-kinds";

/** The serialized provider text the host passes along with inputs and outputs. */
export interface WithProviderText {
  readonly __provider?: string;
}

/** Inputs as check and diff see them: any value may be the preview-time unknown sentinel. */
export type Unchecked<Inputs> = { readonly [K in keyof Inputs]: unknown };

/**
 * The dynamic-provider methods of one resource kind, as run inside the host. `check` and `diff` receive raw values
 * that may hold the preview-time unknown sentinel; the other methods receive checked inputs and stored outputs.
 * Every method that returns outputs returns all of them, with `null` rather than `undefined`.
 */
export interface ResourceController<Inputs, Outputs> {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckOutcome>;
  diff(id: string, olds: Outputs, news: Unchecked<Inputs>): Promise<dynamic.DiffResult>;
  create(inputs: Inputs & WithProviderText): Promise<{ readonly id: string; readonly outs: Outputs }>;
  read(id: string, props: Partial<Outputs> & WithProviderText): Promise<dynamic.ReadResult>;
  update(id: string, olds: Outputs, news: Inputs & WithProviderText): Promise<{ readonly outs: Outputs }>;
  delete(id: string, props: Outputs): Promise<void>;
  /**
   * Adopts the VM `id` as it is, sending no action: the inputs that declare what the VM is now, and the outputs a
   * create that found it so would record (so delete restores nothing). What an import reads: the native provider's
   * Read with an id and no state. The dynamic-provider host never calls it.
   */
  adopt(id: string): Promise<Adopted<Outputs>>;
}

/** What {@link ResourceController.adopt} read: the declaring inputs and the recorded outputs. */
export interface Adopted<Outputs> {
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly props: Outputs;
}

/** What every kind's inputs and outputs record: the VM, the time budget and what delete does. */
export interface ResourceRecord {
  readonly vmUuid: string;
  readonly timeoutSeconds: number;
  readonly onDelete: "restore" | "leave";
}

/**
 * What a resource kind adds to the skeleton every controller shares ({@link controllerOf}): its inputs, what it
 * declares, how it converges, reads and restores a VM. Every function receives the runtime it works for.
 */
export interface KindRules<Inputs extends ResourceRecord, Outputs extends ResourceRecord> {
  readonly kind: ResourceKind;
  readonly fields: Readonly<Record<keyof Inputs, FieldSpec>>;
  /**
   * The outputs that make up a resource's own record, which only its create and update write: what identifies it to
   * the runtime's coordination (see `coordination.ts`).
   */
  readonly recordKeys: readonly (keyof Outputs & string)[];
  /**
   * What a diff claims for a resource of the program already in the stack: the declaration its stored record and
   * the new inputs agree on, or `null`. A refresh also calls diff, with inputs that may hold refreshed actual values
   * rather than the program's, and a changed declaration is claimed by its update.
   */
  agreed(olds: Outputs, news: Unchecked<Inputs>): AspectValues | null;
  /** What a create or update declares. */
  declared(inputs: Inputs): AspectValues;
  /**
   * True when going from the stored outputs to `news` may act on the VM (or change what delete restores). Diff and
   * update share this test, so an update touches the VM only where the preview showed a change that could.
   */
  mayAct(olds: Outputs, news: Unchecked<Inputs>): boolean;
  /**
   * Throws when the management node cannot do what `news` declares (a field its version lacks). A diff that may act
   * calls it, so the preview fails, and so do create and an update that may act, before they send anything. A kind
   * whose actions every supported node has leaves it out.
   */
  supported?(runtime: ProviderRuntime, news: Unchecked<Inputs>): Promise<void>;
  /** The outputs of an update that may not act: the stored record with the new declaration (see `record.ts`). */
  keepRecord(olds: Outputs, news: Inputs): Outputs;
  /** Converges the VM for a create (no `olds`) or an update that may act, and returns the outputs. */
  apply(
    runtime: ProviderRuntime,
    inputs: Inputs & WithProviderText,
    olds: Outputs | undefined,
  ): Promise<Outputs>;
  /** The outputs that describe the live VM, `vm` as just read: its inventory and what the kind reads besides. */
  describe(client: ZStackClient, vm: VmInstanceInventory, scope: ReadScope): Promise<object>;
  /** True for stored outputs that declare something; false for those of a static `get` (or of none). */
  manages(props: Partial<Outputs>): boolean;
  /** The declaration outputs of a static `get`, which declares nothing: each `null`. */
  readonly undeclared: Readonly<Record<string, null>>;
  /** The inputs a refresh stores: the live values of what the resource declares, so drift shows in the preview. */
  refreshedInputs(props: Partial<Outputs>, live: object, vmUuid: string): Record<string, unknown>;
  /**
   * Reads the VM for an import: the inputs declaring what it is now (only what the kind's program would write) and
   * the outputs of a create that found it so. Shares the adoption read and the record with create.
   */
  adopt(
    runtime: ProviderRuntime,
    scope: ReadScope,
  ): Promise<{ readonly inputs: Record<string, unknown>; readonly outputs: Outputs }>;
  /**
   * Returns the VM to what the resource found, on a delete with `onDelete: "restore"`, once the resource's own
   * claims are released; `owner` is the resource's, to tell its claims from those of others.
   */
  restore(runtime: ProviderRuntime, props: Outputs, owner: string): Promise<void>;
}

/**
 * The controller of one kind bound to one runtime: check validates against the kind's fields; diff claims what is
 * agreed and reports a replace for a new VM and a change wherever the kind may act or the record changes; create and
 * update run under their claim; read describes the VM (a static `get` when nothing is declared); delete releases the
 * resource's claims and restores unless `onDelete` is `"leave"`.
 */
export function controllerOf<Inputs extends ResourceRecord, Outputs extends ResourceRecord>(
  runtime: ProviderRuntime,
  rules: KindRules<Inputs, Outputs>,
): ResourceController<Inputs, Outputs> {
  const kind = rules.kind;
  const coordination = runtime.coordination;
  const ownerOfRecord = (outputs: object) => ownerOf(outputs, rules.recordKeys);
  return {
    async check(_olds, news) {
      // Invalid connection settings fail the preview, not only the `up` after it.
      runtime.checkSettings();
      return checkInputs(rules.fields, news);
    },

    async diff(_id, olds, news) {
      // A resource of the program already in the stack keeps declaring what it declares: a conflict with another
      // resource fails now, in the preview, and a delete of this deployment will not undo it.
      // Only a diff that may act asks the node: an unchanged program previews without a call to ZStack.
      if (typeof news.vmUuid === "string" && rules.mayAct(olds, news)) await rules.supported?.(runtime, news);
      const agreed = typeof news.vmUuid === "string" ? rules.agreed(olds, news) : null;
      if (agreed !== null) {
        coordination.claim(kind, news.vmUuid as string, agreed, {
          owner: ownerOfRecord(olds),
          origin: "diff",
        });
      }
      const replaces = isUnknown(news.vmUuid) || news.vmUuid !== olds.vmUuid ? ["vmUuid"] : [];
      // An input left out holds its default: a refresh of an imported resource diffs the inputs the import read,
      // which the engine stores without Check's defaults.
      const changes =
        replaces.length > 0 ||
        rules.mayAct(olds, news) ||
        (["timeoutSeconds", "onDelete"] as const).some(
          (key) => isUnknown(news[key]) || (news[key] ?? rules.fields[key].default) !== olds[key],
        );
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
      await rules.supported?.(runtime, inputs);
      const declaration = { kind, vmUuid: inputs.vmUuid, values: rules.declared(inputs) };
      const claimant = { owner: newOwner(), origin: "create" } as const;
      const outs = await coordination.underClaim(declaration, claimant, ownerOfRecord, () =>
        rules.apply(runtime, inputs, undefined),
      );
      return { id: inputs.vmUuid, outs };
    },

    async read(id, props) {
      const client = runtime.client();
      const scope = readScope(id, props);
      const { vmUuid, deadline } = scope;
      const vm = await client.getVm(vmUuid, { deadline, vmUuid });
      if (vm === undefined) return { id: "" };
      const live = await rules.describe(client, vm, scope);
      // A static `get` (or a refresh of one): only the VM to describe, nothing declared, no inputs to refresh.
      if (!rules.manages(props)) {
        return { id, props: { ...live, ...unmanagedOutputs(scope), ...rules.undeclared } };
      }
      return { id, props: { ...props, ...live }, inputs: rules.refreshedInputs(props, live, vmUuid) };
    },

    async update(_id, olds, news) {
      if (rules.mayAct(olds, news)) await rules.supported?.(runtime, news);
      const declaration = { kind, vmUuid: news.vmUuid, values: rules.declared(news) };
      const claimant = { owner: ownerOfRecord(olds), origin: "update" } as const;
      const outs = await coordination.underClaim(declaration, claimant, ownerOfRecord, async () =>
        rules.mayAct(olds, news) ? rules.apply(runtime, news, olds) : rules.keepRecord(olds, news),
      );
      return { outs };
    },

    async delete(_id, props) {
      const owner = ownerOfRecord(props);
      coordination.release(props.vmUuid, owner);
      if (props.onDelete === "leave") {
        debug(`${kind}: leaving VM ${props.vmUuid} as it is (onDelete: "leave")`);
        return;
      }
      await rules.restore(runtime, props, owner);
    },

    async adopt(id) {
      const { inputs, outputs } = await rules.adopt(runtime, readScope(id, {}));
      return { id, inputs, props: outputs };
    },
  };
}
