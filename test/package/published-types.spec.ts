/**
 * The package as users get it: `npm pack`, installed into projects outside the workspace, type-checked by `tsc`
 * with the configurations users have (Pulumi's TypeScript template: es2020, commonjs, moduleResolution node, no
 * skipLibCheck, no esModuleInterop; and `tsc --init`'s defaults). Also: no published `.d.ts` reaches zod or names
 * ErrorOptions, and every source map's sources are in the tarball.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { promisify } from "node:util";

import { TEMPLATE_TSCONFIG } from "../support/pulumi-template";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");
const PROVIDER = join(ROOT, "provider");

/** A program using every entry point and the public API's main shapes, as a user's index.ts would. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  getVmInstance,
  getVmInstanceOutput,
  getVmInstances,
  getVmInstancesOutput,
  LookupError,
  VmClockTrack,
  VmPauseState,
  type GetVmInstancesResult,
  type VmInstanceInventory,
} from "pulumi-zstack-vm";
import { ProviderRuntime, resolveConnectionSettings, type ConfigSource } from "pulumi-zstack-vm/runtime";
import { DEMO_VM_UUIDS, startSimulator } from "pulumi-zstack-vm/simulator";
import { ZStackClient, ZStackError, type ConnectionSettings } from "pulumi-zstack-vm/zstack";

async function main(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const running: GetVmInstancesResult = await getVmInstances({ state: ["Running", "Paused"], limit: 10 });
  const paused = running.vmInstances.map(
    (vm: VmInstanceInventory) => new VmPauseState(\`pause-\${vm.name}\`, { vmUuid: vm.uuid, state: "Paused" }),
  );
  const db = await getVmInstance({ name: config.get("db") ?? "db-1" }, { timeoutSeconds: 30 });
  new VmClockTrack("db-clock", { vmUuid: db.uuid, track: "guest", intervalInSeconds: 600 });
  const web = getVmInstanceOutput({ uuid: DEMO_VM_UUIDS["web-1"] });
  const cluster = getVmInstancesOutput({ clusterUuid: web.apply((vm) => vm.clusterUuid ?? "") });
  const source: ConfigSource = { get: (key: string) => config.get(key) };
  const settings: ConnectionSettings = resolveConnectionSettings(source);
  const runtime = new ProviderRuntime({ settings: () => settings });
  const failure = (error: unknown) =>
    error instanceof LookupError ? error.matched : ZStackError.isInstance(error) ? error.code : undefined;
  return {
    hosts: paused.map((p) => p.hostUuid),
    webHost: web.hostUuid,
    clusterVms: cluster.uuids,
    endpoint: new ZStackClient(settings).endpoint.origin,
    runtimeEndpoint: runtime.client().endpoint.origin,
    failure: failure(new Error("x")),
    simulator: typeof startSimulator,
  };
}

export = main;
`;

/** Runs a command, resolving its output, or rejecting with its output in the message. */
async function sh(cwd: string, file: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}${stderr}`, { cause: error });
  }
}

interface PackedFile {
  readonly path: string;
}

describe("package: the packed tarball type-checks in users' projects", function () {
  // npm install of @pulumi/pulumi and its dependencies (from the npm cache) and two tsc runs.
  this.timeout(600_000);
  this.slow(120_000);
  let work: string;
  let tarball: string;
  let files: readonly string[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "pulumi-zstack-vm-types-"));
    const packed = JSON.parse(
      await sh(PROVIDER, "npm", ["pack", "--json", "--loglevel=error", "--pack-destination", work]),
    ) as { filename: string; files: PackedFile[] }[];
    tarball = join(work, packed[0]!.filename);
    files = packed[0]!.files.map((file) => file.path);

    const workspace = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const pin = (name: string) => workspace.devDependencies[name]!;
    await writeFile(
      join(work, "package.json"),
      JSON.stringify({
        name: "types-check",
        private: true,
        dependencies: { "pulumi-zstack-vm": `file:${tarball}`, "@pulumi/pulumi": pin("@pulumi/pulumi") },
        devDependencies: { typescript: pin("typescript"), "@types/node": pin("@types/node") },
      }),
    );
    await sh(work, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]);
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const tsc = (project: string, args: readonly string[]) =>
    sh(project, process.execPath, [join(work, "node_modules", "typescript", "bin", "tsc"), ...args]);

  it("in a project shaped like Pulumi's TypeScript template (es2020, commonjs, no skipLibCheck, no esModuleInterop)", async () => {
    const project = join(work, "template");
    await mkdir(project);
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
    await writeFile(join(project, "index.ts"), PROGRAM);
    await tsc(project, ["-p", ".", "--noEmit"]);
  });

  it("in a project with `tsc --init` defaults (nodenext, strict, exactOptionalPropertyTypes, verbatimModuleSyntax)", async () => {
    const project = join(work, "init");
    await mkdir(project);
    await tsc(project, ["--init"]);
    const tsconfig = await readFile(join(project, "tsconfig.json"), "utf8");
    assert.match(tsconfig, /"module": "nodenext"/, "the defaults this test means");
    assert.match(tsconfig, /"exactOptionalPropertyTypes": true/);
    // With verbatimModuleSyntax a CommonJS file cannot use import syntax, so an --init project is an ES module.
    await writeFile(join(project, "package.json"), JSON.stringify({ type: "module" }));
    await writeFile(join(project, "index.ts"), PROGRAM.replace("export = main;", "export default main;"));
    await tsc(project, ["-p", ".", "--noEmit"]);
  });

  it("no published declaration reaches zod or names ErrorOptions", async () => {
    const declarations = files.filter((path) => path.endsWith(".d.ts"));
    assert.ok(declarations.length > 40, `only ${declarations.length} .d.ts files packed`);
    const installed = join(work, "node_modules", "pulumi-zstack-vm");
    for (const path of declarations) {
      const text = await readFile(join(installed, path), "utf8");
      assert.doesNotMatch(text, /["']zod["']/, `${path} imports zod`);
      assert.doesNotMatch(text, /\bErrorOptions\b/, `${path} uses ErrorOptions`);
    }
  });

  it("every source map's sources are in the tarball", async () => {
    const maps = files.filter((path) => path.endsWith(".map"));
    assert.ok(maps.length > 40, `only ${maps.length} maps packed`);
    const installed = join(work, "node_modules", "pulumi-zstack-vm");
    const packed = new Set(files);
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(await readFile(join(installed, map), "utf8")) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of sources) {
        const path = posix.normalize(posix.join(posix.dirname(map), sourceRoot ?? "", source));
        assert.ok(packed.has(path), `${map} points to ${path}, which is not in the tarball`);
      }
    }
  });
});
