/**
 * Loaded into Node processes with `NODE_OPTIONS=--require <this file>` by the benchmark's profiled runs: samples the
 * process's CPU with the V8 profiler from its first line and writes the profile into `$BENCH_CPU_PROFILE_DIR` as
 * `<role>.<pid>.cpuprofile`, where the role is `host` for the dynamic-provider host, `program` for the Pulumi
 * program (`@pulumi/pulumi`'s `cmd/run`) and `other` for anything else the Pulumi CLI starts (its language host's
 * short `node -e` checks). The profile is written when the process exits or is told to stop: `node --cpu-prof`
 * would write only on a normal exit (the host runs until it is killed) and is not allowed in `NODE_OPTIONS`.
 */
"use strict";
const { writeFileSync } = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const script = (process.argv[1] ?? "").split(path.sep).join("/");
  const role = script.includes("cmd/dynamic-provider")
    ? "host"
    : script.includes("cmd/run")
      ? "program"
      : "other";
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  // The inspector answers a same-thread session synchronously, so this also works in an `exit` listener.
  const write = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (error, result) => {
      if (!error)
        writeFileSync(path.join(dir, `${role}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  const stop = () => {
    write();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
