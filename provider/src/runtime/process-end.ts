/**
 * Ends what a process opened on ZStack when the process's work is done, so that every process that logs in logs
 * out: ZStack counts an account's open sessions against `identity.session.maxConcurrent` and refuses the next login
 * beyond it (`ID.1006`).
 *
 * A process ends its work in one of three ways, and each runs the registered closers:
 * - its event loop empties (`beforeExit`): a program after its last lookup, whether it succeeded or failed;
 * - SIGINT or SIGTERM: how the Pulumi engine ends a provider plugin (it closes the gRPC connection, sends SIGINT to
 *   the plugin's process group and kills it 5 s later if it still runs; pulumi/pulumi
 *   `sdk/go/common/resource/plugin/plugin.go`), and how a user or a CI runner interrupts. The closers get
 *   {@link SIGNAL_CLOSE_BUDGET_MS} at most, then the signal ends the process as it would have without them;
 * - SIGKILL: nothing runs, and the one session the process opened expires on the server (`identity.session.timeout`).
 */

/** What a closer gets at most, on a signal, before the process ends anyway: well under the engine's 5 s. */
export const SIGNAL_CLOSE_BUDGET_MS = 2000;

/** The signals after which the closers run; the process then ends by the same signal. */
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

const closers = new Set<() => Promise<void>>();
let installed = false;

/**
 * Runs `close` once when the process's work ends (event loop empty, SIGINT or SIGTERM), unless
 * {@link forgetAtProcessEnd} took it back first. A closer must not throw for an expected failure (a logout that
 * does not go through is the server's to expire).
 */
export function closeAtProcessEnd(close: () => Promise<void>): void {
  closers.add(close);
  if (installed) return;
  installed = true;
  process.on("beforeExit", onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Takes back a closer registered with {@link closeAtProcessEnd} (its owner closed it already). */
export function forgetAtProcessEnd(close: () => Promise<void>): void {
  closers.delete(close);
}

/** Runs every registered closer once; failures are ignored (the server expires what a logout left). */
function closeAll(): Promise<void> {
  const pending = [...closers];
  closers.clear();
  return Promise.allSettled(pending.map((close) => close())).then(() => undefined);
}

function onBeforeExit(): void {
  // The closers' requests keep the event loop busy; the next `beforeExit` finds nothing left to close.
  if (closers.size > 0) void closeAll();
}

function onSignal(signal: NodeJS.Signals): void {
  const budget = new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_CLOSE_BUDGET_MS).unref());
  void Promise.race([closeAll(), budget]).then(() => {
    for (const s of SIGNALS) process.off(s, onSignal);
    // With no other listener, the signal's default action ends the process as if we had never listened (exit by
    // that signal); another listener (the user's) decided what the signal does, and has already run.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}
