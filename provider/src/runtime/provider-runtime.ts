import {
  AdaptivePollSchedule,
  ZStackClient,
  type ClientOptions,
  type ConnectionSettings,
  type PollSchedule,
} from "../zstack";
import { Coordination } from "./coordination";
import { ProviderError } from "./errors";
import { checkSetConnectionSettings, resolveConnectionSettings } from "./settings";

/** Where a runtime's connection settings come from: called when a call first needs the network. */
export type SettingsSource = () => ConnectionSettings;

/** Checks the settings that are set, without the network, and throws when one is invalid. */
export type SettingsCheck = () => void;

/** How a {@link ProviderRuntime} is made; every field is optional. */
export interface ProviderRuntimeOptions {
  /**
   * The connection settings (default: the `ZSTACK_*` environment alone, see {@link resolveConnectionSettings}).
   * Called on the first call that needs the network, never by check and diff; a source that throws (settings
   * missing or malformed) fails that call only, and the next call asks again.
   */
  readonly settings?: SettingsSource;
  /**
   * Checks, in every check (so in a preview), the settings that are set, with no network (default: the
   * `ZSTACK_*` environment's, when `settings` is not given, else none; see {@link checkSetConnectionSettings}).
   * Settings that are not set pass: they fail the first call that needs the network.
   */
  readonly checkSettings?: SettingsCheck;
  /** The schedule the client polls jobs on (default: an {@link AdaptivePollSchedule} of this runtime's own). */
  readonly pollSchedule?: PollSchedule;
  /** Retry strategy, logger and the like of the client (see {@link ClientOptions}). */
  readonly client?: Omit<ClientOptions, "pollSchedule">;
}

/**
 * One provider instance's runtime: what the resource controllers work with. An instance owns
 *
 * - its **connection settings**, resolved from its {@link SettingsSource} when a call first needs the network, so
 *   check and diff run with no settings at all;
 * - its **ZStack client**, made on that first need and then kept: one pool of connections and, with account
 *   credentials, one session, shared by every resource the runtime serves;
 * - its **poll schedule**, which learns how long this endpoint's jobs take over the resources of a deployment;
 * - its **coordination scope** ({@link Coordination}): the per-VM claims of its resources and its operations in
 *   flight, which start empty and are seen by nothing else.
 *
 * Its session ends with {@link ProviderRuntime.close}, which logs the session out and closes the pool; calls after
 * that fail. The dynamic-provider host makes one runtime per process (one `pulumi` command), a native provider one
 * per provider instance, a test one per world.
 */
export class ProviderRuntime {
  /** The per-VM claims and operations in flight of the resources this runtime serves. */
  readonly coordination = new Coordination();
  /** The schedule this runtime's client polls jobs on. */
  readonly pollSchedule: PollSchedule;
  private readonly settings: SettingsSource;
  private readonly settingsCheck: SettingsCheck;
  private readonly clientOptions: Omit<ClientOptions, "pollSchedule">;
  private made: ZStackClient | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: ProviderRuntimeOptions = {}) {
    this.settings = options.settings ?? (() => resolveConnectionSettings(undefined));
    // A caller's settings source could only be checked by resolving it, which check must not do.
    this.settingsCheck =
      options.checkSettings ?? (options.settings ? () => {} : () => checkSetConnectionSettings(undefined));
    this.pollSchedule = options.pollSchedule ?? new AdaptivePollSchedule();
    this.clientOptions = options.client ?? {};
  }

  /**
   * The runtime's ZStack client, made on the first call from the settings resolved then. Throws the settings
   * error when they are missing or malformed, and after {@link close}.
   */
  client(): ZStackClient {
    if (this.closing !== undefined) {
      throw new ProviderError(
        "pulumi-zstack-vm: this provider runtime was closed, so it sends no more requests to ZStack. Make a new " +
          "runtime for further work.",
      );
    }
    this.made ??= new ZStackClient(this.settings(), {
      ...this.clientOptions,
      pollSchedule: this.pollSchedule,
    });
    return this.made;
  }

  /**
   * Throws the settings error when a setting that is set is invalid; sends nothing and makes no client, so a
   * preview catches a broken `zstack:port` before any `pulumi up`.
   */
  checkSettings(): void {
    this.settingsCheck();
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Ends the runtime's work: logs out its session, if one was opened, and closes its connection pool. Calls in
   * flight then fail with the client's `CLIENT.CLOSED` error. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.made?.close() ?? Promise.resolve();
    return this.closing;
  }
}
