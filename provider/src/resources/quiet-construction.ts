/**
 * Suspends stack traces while the SDK constructs one of this package's resources.
 *
 * `CustomResource`'s constructor makes four promises per output property and records a stack trace on each
 * (`debuggablePromise`, for its promise-leak report). A program run by `pulumi` has source-map-support installed, so
 * each trace is formatted on the spot, mapping every frame: with 33 outputs per resource, that is most of a
 * program's CPU in a preview of 1,000 resources (bench/report.md). Those traces are only ever printed by the leak
 * report, which names the resource and property anyway. The traces the SDK keeps for the engine (the resource's
 * source position and stack) are unaffected: it sets the limit to unbounded around its own capture, as this does
 * to 0 around the constructor. `PULUMI_DEBUG_PROMISE_LEAKS`, the SDK's switch for that report, keeps them all.
 *
 * Used as a statement pair around `super(...)`, not as a function that calls it: a wrapper frame would shift the
 * frames the SDK skips to find the source position (see `VmInventoryResource`).
 */
export class QuietConstruction {
  private readonly limit = Error.stackTraceLimit;

  constructor() {
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  }

  /** Ends the suspension, and gives `error` the stack it would have had from the caller of `constructor` on. */
  failed(error: unknown, constructor: abstract new (...args: never[]) => unknown): unknown {
    this.end();
    if (error instanceof Error) Error.captureStackTrace(error, constructor);
    return error;
  }

  /** Ends the suspension: the limit is what it was before. */
  end(): void {
    Error.stackTraceLimit = this.limit;
  }
}
