/**
 * The generated SDKs compile as their users build them: the nodejs SDK's sources, with a program using every
 * resource and function, type-check under Pulumi's TypeScript template against the repository's @pulumi/pulumi; the
 * Go SDK builds (`go build ./...` on sdk/v3 v3.276.0). The Python and .NET SDKs have no toolchain here.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { REPO_ROOT, SDK_DIR } from "../../tools/sdk-gen/generate";
import { TEMPLATE_TSCONFIG } from "../support/pulumi-template";

const run = promisify(execFile);

/** A program on the nodejs SDK: an explicit provider, both resources, both functions in both forms. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as zstackvm from "pulumi-zstackvm";

const config = new pulumi.Config();
const east = new zstackvm.Provider("east", {
  host: config.require("eastHost"),
  port: 8080,
  accountName: "admin",
  accountPassword: config.requireSecret("eastPassword"),
  requestTimeoutSeconds: 30,
});
const web = zstackvm.getVmInstanceOutput({ name: "web-1" }, { provider: east });
const paused = new zstackvm.VmPauseState(
  "web-paused",
  { vmUuid: web.uuid, state: "Paused", onDelete: "restore", timeoutSeconds: 600 },
  { provider: east },
);
const clock = new zstackvm.VmClockTrack("db-clock", {
  vmUuid: zstackvm.getVmInstance({ name: "db-1" }).then((vm) => vm.uuid),
  track: "guest",
  syncAfterVMResume: true,
  intervalInSeconds: 600,
});
export const state: pulumi.Output<string> = paused.state;
export const initialState = paused.initialState;
export const pendingJob = paused.pendingJob;
export const track = clock.track;
export const running = zstackvm.getVmInstancesOutput({ state: ["Running"] }).uuids;
export const names = zstackvm.getVmInstances({ nameRegex: "^web-" }).then((r) => r.vmInstances.map((vm) => vm.name));
`;

describe("sdk: the generated SDKs compile", function () {
  // tsc over @pulumi/pulumi's declarations (no skipLibCheck); go build compiles the Go SDK the first time (minutes
  // on a machine whose Go build cache has not seen sdk/v3 v3.276.0, seconds after).
  this.timeout(15 * 60_000);
  this.slow(30_000);

  it("nodejs: its sources and a program on them type-check under Pulumi's TypeScript template", async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-zstack-vm-sdk-types-"));
    try {
      symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
      const tsconfig = {
        ...TEMPLATE_TSCONFIG,
        // The sources, not the compiled declarations: the generated code itself must pass the template's checks.
        compilerOptions: {
          ...TEMPLATE_TSCONFIG.compilerOptions,
          paths: { "pulumi-zstackvm": [path.join(SDK_DIR, "nodejs", "index.ts")] },
        },
      };
      writeFileSync(path.join(work, "tsconfig.json"), JSON.stringify(tsconfig, null, 4));
      writeFileSync(path.join(work, "index.ts"), PROGRAM);
      const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
      const listed = await sh(work, process.execPath, [tsc, "-p", ".", "--noEmit", "--listFiles"]);
      assert.ok(
        listed.includes(path.join(SDK_DIR, "nodejs", "vmPauseState.ts")),
        "the program compiles against the SDK's sources",
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("go: `go build ./...` builds the Go SDK on sdk/v3 v3.276.0", async () => {
    const dir = path.join(SDK_DIR, "go");
    assert.match(readFileSync(path.join(dir, "go.mod"), "utf8"), /^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.276\.0$/m);
    const env = { ...process.env };
    delete env["GOFLAGS"];
    await sh(dir, "go", ["build", "./..."], env);
  });
});

/** Runs a command, resolving its output, or rejecting with its output in the message. */
async function sh(cwd: string, file: string, args: readonly string[], env = process.env): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}${stderr}`, { cause: error });
  }
}
