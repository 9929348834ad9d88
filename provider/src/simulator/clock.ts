// One clock for the log and job records: epoch milliseconds with sub-millisecond resolution, so that the
// benchmark can compare server-side job durations with client-side latencies precisely.

import { performance } from "node:perf_hooks";

/** Now, in epoch milliseconds with a fractional part. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
