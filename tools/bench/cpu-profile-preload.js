/**
 * Loaded into Node processes with `NODE_OPTIONS=--require <this file>` by the benchmark's profiled runs: samples the
 * process's CPU with the V8 profiler from its first line and writes the profile into `$BENCH_CPU_PROFILE_DIR` as
 * `<pid>.cpuprofile`, with the script the process runs beside it in `<pid>.script` (cpu-profile.ts tells the roles
 * apart by it). The profile is written when the process exits or is told to stop: `node --cpu-prof` would write
 * only on a normal exit (the host runs until it is killed) and is not allowed in `NODE_OPTIONS`.
 */
"use strict";
const { writeFileSync } = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
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
      if (error) return;
      writeFileSync(path.join(dir, `${process.pid}.script`), process.argv[1] ?? "");
      writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
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
