/**
 * The harness's stack state: what the engine's checkpoint keeps between runs, as one JSON file per stack.
 *
 * In memory, secret values are secret-wrapped (wire form); on disk they are encrypted (secrets.ts). Config is not
 * stored at all: it is given to every run, as a stack's Pulumi.<stack>.yaml would be.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsCrypter } from "./secrets";
import type { PropertyMap } from "../provider-host/properties";

/** One resource in the state. */
export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for provider-managed resources; false for components and the stack. */
  readonly custom: boolean;
  /** True for resources read with `get` (external: never created, updated or deleted). */
  readonly external: boolean;
  /** The physical id ("" for components). */
  readonly id: string;
  /** The parent's URN ("" for the stack). */
  readonly parent: string;
  /** URNs this resource depends on (dependsOn and property dependencies). */
  readonly dependencies: readonly string[];
  /** Checked inputs, secrets wrapped. */
  readonly inputs: PropertyMap;
  /** Outputs, secrets wrapped. */
  readonly outputs: PropertyMap;
  /** Output keys marked secret by additionalSecretOutputs (re-applied on refresh). */
  readonly additionalSecretOutputs: readonly string[];
  /**
   * The old half of a create-before-delete replacement whose deletion did not happen (the run failed first). It
   * shares its URN with its replacement and is deleted by the next `up`, as the engine's pending deletes are.
   */
  readonly pendingDelete?: boolean;
}

/** The state of one stack. */
export interface StackState {
  readonly stack: string;
  readonly project: string;
  /** Resources in dependency order (a resource comes after its parent and dependencies). */
  readonly resources: readonly ResourceState[];
  /** Stack outputs, secrets wrapped. */
  readonly outputs: PropertyMap;
}

interface StateFile {
  readonly version: 1;
  readonly stack: string;
  readonly project: string;
  /** Salt of the passphrase key (the passphrase itself is never stored). */
  readonly encryptionSalt: string;
  readonly resources: readonly ResourceState[];
  readonly outputs: PropertyMap;
}

/** An empty state. */
export function emptyState(project: string, stack: string): StackState {
  return { stack, project, resources: [], outputs: {} };
}

/** Loads and decrypts a state file, or returns an empty state when there is none. */
export function loadState(file: string, project: string, stack: string, passphrase: string): StackState {
  if (!fs.existsSync(file)) return emptyState(project, stack);
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  if (raw.version !== 1) throw new Error(`${file}: unsupported state version ${String(raw.version)}`);
  const crypter = new SecretsCrypter(passphrase, raw.encryptionSalt);
  return crypter.decryptDeep({
    stack: raw.stack,
    project: raw.project,
    resources: raw.resources,
    outputs: raw.outputs,
  }) as StackState;
}

/** Encrypts secrets and writes the state atomically (write to a temp file, then rename). */
export function saveState(file: string, state: StackState, passphrase: string): void {
  let salt: string | undefined;
  if (fs.existsSync(file)) {
    try {
      salt = (JSON.parse(fs.readFileSync(file, "utf8")) as StateFile).encryptionSalt;
    } catch {
      // A corrupt file gets a fresh salt; it is about to be replaced anyway.
    }
  }
  salt ??= SecretsCrypter.newSalt();
  const crypter = new SecretsCrypter(passphrase, salt);
  const body: StateFile = {
    version: 1,
    stack: state.stack,
    project: state.project,
    encryptionSalt: salt,
    resources: crypter.encryptDeep(state.resources) as ResourceState[],
    outputs: crypter.encryptDeep(state.outputs) as PropertyMap,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
