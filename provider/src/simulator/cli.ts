#!/usr/bin/env node
// `npm run simulator` / `zstack-simulator`: runs the simulator standalone and prints how to point the
// resources (Pulumi config or ZSTACK_* environment) at it. SIGINT/SIGTERM close it cleanly.

import { parseArgs } from "node:util";
import { connectionSettings } from "./connection";
import { demoVms } from "./demo-vms";
import { startSimulator, type Simulator } from "./simulator";

const USAGE = `Usage: zstack-simulator [--port 8080] [--host 127.0.0.1] [--seed <file.json>] [--job-ms <ms>]
       zstack-simulator --dump-seed     print the default demo seed as JSON (a template for --seed)

  --port      port to listen on (0 picks a free one; default 8080)
  --host      address to bind (default 127.0.0.1)
  --seed      JSON seed fixture: an array of VM inventories or a {"inventories": [...]} query reply
  --job-ms    duration of transitional states and jobs, in ms (default 500)`;

function nonNegative(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number, got ${value}`);
  return n;
}

function describe(sim: Simulator): string {
  const { accountName, password } = sim.credentials;
  const settings = connectionSettings(sim.endpoint, sim.credentials);
  const vms = sim.vms.list().map((vm) => `  ${vm.uuid}  ${vm.name.padEnd(12)} ${vm.state}`);
  return [
    `ZStack simulator listening on ${sim.url}`,
    `Demo credentials: account ${accountName}, password ${password}`,
    "",
    "Pulumi config:",
    ...settings.map((s) => `  pulumi config set ${s.secret ? "--secret " : ""}${s.configKey} ${s.value}`),
    "",
    "Environment:",
    ...settings.map((s) => `  export ${s.envVar}=${s.value}`),
    "",
    "VMs:",
    ...vms,
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string" },
      "job-ms": { type: "string", default: "500" },
      "dump-seed": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values["dump-seed"]) {
    console.log(JSON.stringify(demoVms(), null, 2));
    return;
  }
  const jobMs = nonNegative("--job-ms", values["job-ms"]);
  const sim = await startSimulator({
    host: values.host,
    port: nonNegative("--port", values.port),
    ...(values.seed === undefined ? {} : { seedFile: values.seed }),
    timings: {
      pauseMs: jobMs,
      resumeMs: jobMs,
      stopMs: jobMs,
      startMs: jobMs,
      destroyMs: jobMs,
      clockTrackMs: jobMs,
      resourceConfigMs: jobMs,
    },
  });
  console.log(describe(sim));
  const stop = (signal: string): void => {
    console.log(`\n${signal}: stopping the simulator`);
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(`zstack-simulator: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  process.exit(2);
});
