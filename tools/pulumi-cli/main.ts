/**
 * `npm run pulumi-cli`: resolves the Pulumi CLI the demo, the tests and the benchmark use (building the pinned one
 * from its Go modules the first time) and prints where it is, so that a slow first build happens up front, with its
 * progress, rather than inside a test's time limit. `npm run pulumi-cli -- --path` prints only its directory, for
 * `export PATH="$(npm run -s pulumi-cli -- --path):$PATH"`.
 */
import { resolvePulumiCli } from "./resolve";

resolvePulumiCli().then(
  (cli) => {
    if (process.argv.includes("--path")) console.log(cli.binDir);
    else console.log(`pulumi ${cli.version} (${cli.source}): ${cli.pulumi}`);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
