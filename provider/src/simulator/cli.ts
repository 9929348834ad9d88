#!/usr/bin/env node
// `npm run simulator` / `zstack-simulator`: runs the simulator standalone and prints how to point the
// resources (Pulumi config or ZSTACK_* environment) at it. SIGINT/SIGTERM close it cleanly.

import { parseArgs } from "node:util";
import { DEFAULT_PORT } from "../vocabulary/connection-defaults";
import { VM_ACTION_NAMES, type VmActionName } from "../vocabulary/vm-actions";
import type { AccessKeyCredentials } from "./auth";
import { connectionSettings } from "./connection";
import { demoVms } from "./demo-vms";
import { DEFAULT_ZSTACK_VERSION } from "./server-version";
import { startSimulator, type Simulator } from "./simulator";

const USAGE = `Usage: zstack-simulator [--port ${DEFAULT_PORT}] [--host 127.0.0.1] [--seed <file.json>] [--job-ms <ms>]
                       [--access-key <id>:<secret>]... [--sync-action <action>]...
                       [--zstack-version ${DEFAULT_ZSTACK_VERSION}] [--session-max-concurrent 500]
                       [--session-timeout 7200] [--session-cleanup-interval 3600] [--unique-session]
       zstack-simulator --dump-seed     print the default demo seed as JSON (a template for --seed)

  --port                     port to listen on (0 picks a free one; default ${DEFAULT_PORT})
  --host                     address to bind (default 127.0.0.1)
  --seed                     JSON seed fixture: an array of VM inventories or a {"inventories": [...]} query reply,
                             which may also list "accessKeys": [{"id": "...", "secret": "..."}]
  --job-ms                   duration of transitional states and jobs, in ms (default 500)
  --access-key               an AccessKey the node accepts, as <id>:<secret> (repeatable)
  --sync-action              answer this action's submit synchronously, 200/503 with no job to poll (repeatable;
                             one of ${VM_ACTION_NAMES.join(", ")})
  --zstack-version           the version the node reports and behaves as (default ${DEFAULT_ZSTACK_VERSION}); before
                             4.1.0 it has no setVmClockTrack, before 4.4.12 that action applies only track
  --session-max-concurrent   open sessions per account before a login fails ID.1006 (default 500)
  --session-timeout          sliding session lifetime in seconds (default 7200)
  --session-cleanup-interval seconds between sweeps of expired sessions, which count against the limit until
                             swept (default 3600)
  --unique-session           every login ends the account's other sessions (identity.enable.unique.session)`;

function nonNegative(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number, got ${value}`);
  return n;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return n;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got ${value}`);
  return n;
}

function accessKey(value: string): AccessKeyCredentials {
  const colon = value.indexOf(":");
  const id = value.slice(0, colon);
  const secret = value.slice(colon + 1);
  // The value is not echoed: it holds the secret. The id goes into `ZStack <id>:<signature>`, split on ':'.
  if (colon <= 0)
    throw new Error(
      `--access-key must be <id>:<secret>, got a value with ${colon < 0 ? "no ':'" : "an empty id before ':'"}`,
    );
  if (/\s/.test(id)) throw new Error(`--access-key id must have no spaces, got ${JSON.stringify(id)}`);
  if (secret === "") throw new Error(`--access-key ${id}: the secret after ':' must not be empty`);
  return { id, secret };
}

function syncAction(value: string): VmActionName {
  const action = VM_ACTION_NAMES.find((a) => a === value);
  if (action === undefined)
    throw new Error(
      `--sync-action must be one of ${VM_ACTION_NAMES.join(", ")}, got ${JSON.stringify(value)}`,
    );
  return action;
}

function describe(sim: Simulator, synchronous: readonly VmActionName[]): string {
  const { accountName, password } = sim.credentials;
  const settings = connectionSettings(sim.endpoint, sim.credentials);
  const vms = sim.vms.list().map((vm) => `  ${vm.uuid}  ${vm.name.padEnd(12)} ${vm.state}`);
  // Like the account, each AccessKey is printed whole: this is a local test node, and the user needs the secret.
  const keys = sim.accessKeys.flatMap((key) => [
    `AccessKey: id ${key.id}, secret ${key.secret}`,
    ...connectionSettings(sim.endpoint, { accessKeyId: key.id, accessKeySecret: key.secret })
      .filter((s) => s.name === "accessKeyId" || s.name === "accessKeySecret")
      .flatMap((s) => [
        `  pulumi config set ${s.secret ? "--secret " : ""}${s.configKey} ${s.value}`,
        `  export ${s.envVar}=${s.value}`,
      ]),
  ]);
  return [
    `ZStack simulator listening on ${sim.url} (ZStack ${sim.version})`,
    `Demo credentials: account ${accountName}, password ${password}`,
    ...keys,
    ...(synchronous.length === 0
      ? []
      : [`Answered synchronously (no job to poll): ${synchronous.join(", ")}`]),
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
      port: { type: "string", default: String(DEFAULT_PORT) },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string" },
      "job-ms": { type: "string", default: "500" },
      "dump-seed": { type: "boolean", default: false },
      "access-key": { type: "string", multiple: true, default: [] },
      "sync-action": { type: "string", multiple: true, default: [] },
      "zstack-version": { type: "string", default: DEFAULT_ZSTACK_VERSION },
      "session-max-concurrent": { type: "string", default: "500" },
      "session-timeout": { type: "string", default: "7200" },
      "session-cleanup-interval": { type: "string", default: "3600" },
      "unique-session": { type: "boolean", default: false },
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
  const accessKeys = values["access-key"].map(accessKey);
  const synchronous = values["sync-action"].map(syncAction);
  const sim = await startSimulator({
    host: values.host,
    accessKeys,
    synchronousActions: synchronous,
    version: values["zstack-version"],
    sessionMaxConcurrent: positiveInteger("--session-max-concurrent", values["session-max-concurrent"]),
    sessionTimeoutSeconds: positive("--session-timeout", values["session-timeout"]),
    sessionCleanupIntervalSeconds: positive("--session-cleanup-interval", values["session-cleanup-interval"]),
    uniqueSession: values["unique-session"],
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
  console.log(describe(sim, synchronous));
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
