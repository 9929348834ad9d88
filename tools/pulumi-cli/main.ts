/**
 * `npm run pulumi-cli`: resolves the Pulumi CLI and the YAML and Go language hosts that the demo, the tests and the
 * benchmark use (building the pinned ones from their Go modules the first time) and prints where they are, so that a
 * slow first build happens up front, with its progress, rather than inside a test's time limit.
 * `npm run pulumi-cli -- --path` prints only their directories as a PATH prefix, for
 * `export PATH="$(npm run -s pulumi-cli -- --path):$PATH"`.
 */
import path from "node:path";

import { resolvePulumiCli } from "./resolve";

resolvePulumiCli().then(
  (cli) => {
    if (process.argv.includes("--path")) {
      console.log(cli.pathDirs.join(path.delimiter));
      return;
    }
    console.log(`pulumi ${cli.version} (${cli.source}): ${cli.pulumi}`);
    for (const host of cli.languageHosts) {
      console.log(`${path.basename(host.executable)} ${host.version} (${host.source}): ${host.executable}`);
    }
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
