/**
 * Messages between the engine harness (parent) and the program runner (child process), over Node's IPC channel.
 *
 * The child runs the Pulumi program under `setMocks` and forwards every resource operation in wire form (secrets
 * wrapped, unknowns as the sentinel string), so the parent sees exactly what the engine would.
 */
import type { PropertyMap } from "../provider-host/properties";

/** What the parent tells the child to run. Sent as the first message. */
export interface RunRequest {
  readonly kind: "run";
  /** Absolute path of the program's entry (a file, or a directory with index.ts / index.js). */
  readonly program: string;
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
}

/** A resource registration (`new Resource(...)`) or read (`Resource.get(...)`), in the engine's terms. */
export interface ResourceRequest {
  readonly kind: "register" | "read";
  /** Sequence number to match the reply. */
  readonly seq: number;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for custom resources (managed by a provider), false for components and the stack. */
  readonly custom: boolean;
  readonly parent: string;
  /** Inputs in wire form (secrets wrapped, unknowns as the sentinel string). */
  readonly inputs: PropertyMap;
  /** URNs this resource depends on: explicit `dependsOn` plus property dependencies. */
  readonly dependencies: readonly string[];
  /** The id of a `get`/read, or an `import` id. */
  readonly id: string;
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: readonly string[];
}

/** Stack or component outputs (`registerOutputs`), in wire form. */
export interface OutputsMessage {
  readonly kind: "outputs";
  readonly urn: string;
  readonly outputs: PropertyMap;
}

/** The program finished (successfully or not). */
export interface DoneMessage {
  readonly kind: "done";
  /** Program errors not caused by a failed registration, without stack traces. */
  readonly errors: readonly string[];
}

/** Any message from the child. */
export type ChildMessage = ResourceRequest | OutputsMessage | DoneMessage;

/** The parent's answer to a {@link ResourceRequest}. */
export interface ResourceReply {
  readonly kind: "reply";
  readonly seq: number;
  /** Empty for previews of new resources (the SDK then treats the id as unknown). */
  readonly id: string;
  /** Outputs in wire form; during preview, output-only keys are absent so the program sees them as unknown. */
  readonly outputs: PropertyMap;
  /** Set when the operation failed; the registration is rejected with this message. */
  readonly error?: string;
}

/** Any message from the parent. */
export type ParentMessage = RunRequest | ResourceReply;
