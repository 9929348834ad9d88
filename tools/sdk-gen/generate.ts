/**
 * Generates the SDKs under `sdk/` from `provider/schema.json` with Pulumi's own code generators, run by the Go
 * programs in `go/` (built once and cached under their own key, like the CLI's language hosts), and compares a
 * generated tree with the committed one.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { buildCached, cachedBinDir, type ProgressSink } from "../pulumi-cli/build";
import { pinnedVersion, type GoBuild, type GoModule } from "../pulumi-cli/pins";

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The schema the SDKs are generated from (the plugin serves the same text). */
export const SCHEMA_FILE = path.join(REPO_ROOT, "provider", "schema.json");

/** The committed SDKs: `sdk/<language>`. */
export const SDK_DIR = path.join(REPO_ROOT, "sdk");

/** The languages generated, each into `sdk/<language>`. */
export const LANGUAGES = ["nodejs", "go", "python", "dotnet"] as const;

/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

const PKG = "github.com/pulumi/pulumi/pkg/v3";

const GENERATOR: GoModule = {
  dir: path.join(__dirname, "go"),
  pkg: ".",
  binary: "sdk-gen",
  versionOf: PKG,
};

const DOTNET_GENERATOR: GoModule = {
  dir: path.join(__dirname, "go", "dotnet"),
  pkg: ".",
  binary: "sdk-gen-dotnet",
  versionOf: PKG,
};

/** The generators: one build, cached apart from the CLI and the hosts. */
export const SDK_GEN_BUILD: GoBuild = {
  cacheName: "sdk-gen",
  title: "SDK generator",
  modules: [GENERATOR, DOTNET_GENERATOR],
};

/** The Go SDK's module requires the Go SDK the generator's codegen was written for. */
const GO_SDK = "github.com/pulumi/pulumi/sdk/v3";

/** The directory holding both generators, built now if the cache has none for the current sources. */
export async function resolveGenerators(progress: ProgressSink): Promise<string> {
  const cached = cachedBinDir(SDK_GEN_BUILD);
  if (SDK_GEN_BUILD.modules.every((mod) => existsSync(path.join(cached, mod.binary)))) return cached;
  return buildCached(SDK_GEN_BUILD, progress);
}

/**
 * Writes every SDK into `outDir/<language>`, replacing what was there (a directory an SDK's own `.gitignore` lists,
 * such as the nodejs SDK's `bin/` and `node_modules/`, is kept).
 */
export async function generateSdks(outDir: string, progress: ProgressSink): Promise<void> {
  const bin = await resolveGenerators(progress);
  const schema = readFileSync(SCHEMA_FILE);
  for (const language of LANGUAGES) {
    const files = await runGenerator(bin, language, schema);
    const dir = path.join(outDir, language);
    clearGenerated(dir);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    if (language === "go") await writeGoModule(dir, schema);
  }
}

/** The differences between two SDK trees, as `sdk/...` paths with what differs; empty when they are equal. */
export function compareSdks(expectedDir: string, actualDir: string): string[] {
  const expected = listFiles(expectedDir);
  const actual = listFiles(actualDir);
  const differences: string[] = [];
  for (const file of new Set([...expected, ...actual])) {
    const shown = path.posix.join("sdk", file);
    if (!actual.includes(file)) differences.push(`${shown}: missing`);
    else if (!expected.includes(file)) differences.push(`${shown}: not generated from the schema`);
    else if (!readFileSync(path.join(expectedDir, file)).equals(readFileSync(path.join(actualDir, file))))
      differences.push(`${shown}: differs`);
  }
  return differences.sort();
}

async function runGenerator(
  bin: string,
  language: Language,
  schema: Buffer,
): Promise<Record<string, Buffer>> {
  const [binary, args] =
    language === "dotnet"
      ? [DOTNET_GENERATOR.binary, []]
      : [GENERATOR.binary, ["-typescript-version", workspaceTypeScript(), language]];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(path.join(bin, binary), args, { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`${binary} ${args.join(" ")} failed (exit ${code}) on ${SCHEMA_FILE}:\n${err.trim()}`),
        );
    });
    child.stdin.end(schema);
  });
  const encoded = JSON.parse(stdout) as Record<string, string>;
  return Object.fromEntries(Object.entries(encoded).map(([file, b64]) => [file, Buffer.from(b64, "base64")]));
}

/**
 * The nodejs SDK is compiled by the TypeScript the repository builds with (the generator's default, ^4.7.0, would
 * make `npm ci` install a second TypeScript for the workspace's SDK).
 */
function workspaceTypeScript(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  return pkg.devDependencies["typescript"]!;
}

/**
 * Pulumi's Go generator writes a go.mod only for parameterized packages; ours holds `sdk/go` as one module (the
 * schema's import path without its package directory), on the Go SDK the generator's codegen comes with, and
 * `go mod tidy` completes it with go.sum, so that `go build ./...` works in it.
 */
async function writeGoModule(dir: string, schema: Buffer): Promise<void> {
  const spec = JSON.parse(schema.toString()) as { language?: { go?: { importBasePath?: string } } };
  const importBasePath = spec.language?.go?.importBasePath;
  if (!importBasePath)
    throw new Error(`${SCHEMA_FILE} has no language.go.importBasePath to name the Go module`);
  const goLine = /^go (\S+)/m.exec(readFileSync(path.join(GENERATOR.dir, "go.mod"), "utf8"))![1];
  const version = pinnedVersion({ ...GENERATOR, versionOf: GO_SDK });
  writeFileSync(
    path.join(dir, "go.mod"),
    `module ${path.posix.dirname(importBasePath)}\n\ngo ${goLine}\n\nrequire ${GO_SDK} ${version}\n`,
  );
  const env = { ...process.env };
  delete env["GOFLAGS"];
  await promisify(execFile)("go", ["mod", "tidy"], { cwd: dir, env }).catch((err: { stderr?: string }) => {
    throw new Error(`go mod tidy failed in ${dir}:\n${err.stderr ?? String(err)}`);
  });
}

/** Removes an SDK's files, keeping the directories its `.gitignore` lists (build output, installed packages). */
function clearGenerated(dir: string): void {
  if (!existsSync(dir)) return;
  const kept = ignoredDirs(dir);
  for (const entry of readdirSync(dir)) {
    if (!kept.has(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * The files of an SDK tree (relative, `/`-separated), without what its `.gitignore` files list (a name listed there
 * is skipped at any depth below, as git does: the Python SDK's `__pycache__`).
 */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, rel: string, inherited: ReadonlySet<string>): void => {
    if (!existsSync(dir)) return;
    const skipped = new Set([...inherited, ...ignoredDirs(dir)]);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skipped.has(entry.name)) continue;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath, skipped);
      else files.push(relPath);
    }
  };
  walk(root, "", new Set());
  return files;
}

/** The plain names a generated `.gitignore` in `dir` lists (`bin/`, `node_modules/`, `dist`), patterns left out. */
function ignoredDirs(dir: string): Set<string> {
  const file = path.join(dir, ".gitignore");
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => /^[\w.-]+\/?$/.test(line))
      .map((line) => line.replace(/\/$/, "")),
  );
}
