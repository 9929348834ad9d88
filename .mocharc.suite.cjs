// The suite `npm test` runs (`mocha --config .mocharc.suite.cjs`): the options of .mocharc.json, the spec files,
// and two workers (each spec file runs in a worker process of its own; every world starts its own simulator on a
// free port and every CLI suite its own Pulumi home and backend, so files share nothing).
//
// TEST_SUITE picks the files:
// - `all` (the default): every spec file;
// - `node-lts`: CI's second pass, on the newest Node.js LTS, with the files where the Node.js version can matter:
//   the provider host, the client (HTTP and TLS), the runtime and its serialized provider, the program side, and one
//   CLI story. Every other CLI story, the simulator, the package checks and the benchmark run once, in the first
//   pass. `npx mocha <file>` reads .mocharc.json alone and runs just that file.
/* global module, process, require */
"use strict";

const base = require("./.mocharc.json");

const SUITES = {
  all: ["test/**/*.spec.ts"],
  "node-lts": [
    "test/host/*.spec.ts",
    "test/client/*.spec.ts",
    "test/reliability/tls.spec.ts",
    "test/runtime/*.spec.ts",
    "test/serialization/*.spec.ts",
    "test/resources/*.spec.ts",
    "test/lookups/*.spec.ts",
    "test/programs/*.spec.ts",
    "test/cli/quickstart.spec.ts",
  ],
};

const suite = process.env.TEST_SUITE || "all";
if (!(suite in SUITES)) {
  throw new Error(
    `TEST_SUITE=${suite} is not a suite of .mocharc.suite.cjs; use one of: ${Object.keys(SUITES).join(", ")}`,
  );
}

module.exports = { ...base, spec: SUITES[suite], parallel: true, jobs: 2 };
