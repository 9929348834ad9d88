/**
 * What is left of the example tests' shared setup: the example suites now run through the real Pulumi CLI
 * (test/cli/example-*.spec.ts, with test/cli/support.ts). Only the demo test still imports this, for the repository
 * root; it goes with that test's rewrite.
 */
import * as path from "node:path";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
