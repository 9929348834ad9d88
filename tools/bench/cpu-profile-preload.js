/**
 * Loaded into the dynamic-provider host with `NODE_OPTIONS=--require <this file>` by the benchmark's profiled fleet
 * run: samples the host's CPU with the V8 profiler from its first line and writes the profile to
 * `$BENCH_CPU_PROFILE` when the host is told to stop. `node --cpu-prof` would write only on a normal exit, and the
 * host runs until it is killed.
 */
"use strict";
const { writeFileSync } = require("node:fs");
const inspector = require("node:inspector");

const target = process.env.BENCH_CPU_PROFILE;
if (target) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(target, JSON.stringify(result.profile));
      process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
