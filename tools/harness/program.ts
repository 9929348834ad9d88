/**
 * Finding a Pulumi project (Pulumi.yaml) and running its program once in a fresh child process (runner.ts).
 *
 * The parent keeps the engine's part (provider host, state); the child only runs the program. Messages from the child
 * are handled one at a time, in arrival order: the Node.js SDK only registers a resource once the outputs it depends
 * on are resolved, so arrival order is a valid dependency order.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type { ChildMessage, OutputsMessage, ParentMessage, ResourceReply, ResourceRequest } from "./protocol";

/** A Pulumi project on disk. */
export interface ProjectInfo {
  readonly dir: string;
  /** `name` from Pulumi.yaml. */
  readonly name: string;
  /** Absolute path of the entry: `main` from Pulumi.yaml (file or directory), else the project directory. */
  readonly main: string;
}

/** Reads `<dir>/Pulumi.yaml` (`name`, `runtime: nodejs`, optional `main`). */
export function loadProject(dir: string): ProjectInfo {
  const abs = path.resolve(dir);
  const file = path.join(abs, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`no Pulumi.yaml in ${abs}`);
  // js-yaml comes with @pulumi/pulumi; resolve it from there rather than adding a dependency.
  const pulumiPkg = require.resolve("@pulumi/pulumi/package.json");
  const yaml = createRequire(pulumiPkg)("js-yaml") as { load(s: string): unknown };
  const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  if (typeof doc.name !== "string" || doc.name === "") throw new Error(`${file}: missing name`);
  const runtime =
    typeof doc.runtime === "object" && doc.runtime !== null
      ? (doc.runtime as { name?: unknown }).name
      : doc.runtime;
  if (runtime !== "nodejs")
    throw new Error(`${file}: runtime must be nodejs, got ${JSON.stringify(runtime)}`);
  const main = typeof doc.main === "string" ? path.resolve(abs, doc.main) : abs;
  return { dir: abs, name: doc.name, main };
}

/** A config value as the harness receives it. */
export interface ConfigEntry {
  readonly value: string;
  readonly secret: boolean;
}

/** How to run the program once. */
export interface ProgramRunOptions {
  readonly project: ProjectInfo;
  readonly stack: string;
  readonly preview: boolean;
  /** Namespaced keys (`zstack:host`). */
  readonly config: Readonly<Record<string, ConfigEntry>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Handles one registration or read; must not throw (return `error` instead). */
  readonly onResource: (req: ResourceRequest) => Promise<Omit<ResourceReply, "kind" | "seq">>;
  readonly onOutputs: (msg: OutputsMessage) => void;
  /** A line the program printed. */
  readonly onLog: (line: string, stream: "stdout" | "stderr") => void;
}

/** How the program run ended. */
export interface ProgramRunResult {
  /** Program errors (not the failed registrations, which the handler already knows). */
  readonly errors: readonly string[];
}

/** Runs the program in `node --require tsx/cjs runner.ts`, with cwd = the project directory. */
export function runProgram(options: ProgramRunOptions): Promise<ProgramRunResult> {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, e] of Object.entries(options.config)) {
    config[k] = e.value;
    if (e.secret) secretKeys.push(k);
  }
  const child = fork(path.join(__dirname, "runner.ts"), [], {
    cwd: options.project.dir,
    execArgv: ["--require", pulumiEntry(options.project.dir), "--require", require.resolve("tsx/cjs")],
    env: {
      ...process.env,
      ...options.env,
      PULUMI_NODEJS_PROJECT: options.project.name,
      PULUMI_NODEJS_STACK: options.stack,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const lineSplitter = (stream: "stdout" | "stderr") => {
    let buf = "";
    return {
      push: (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          options.onLog(buf.slice(0, nl), stream);
          buf = buf.slice(nl + 1);
        }
      },
      flush: () => {
        if (buf) options.onLog(buf, stream);
        buf = "";
      },
    };
  };
  const out = lineSplitter("stdout");
  const err = lineSplitter("stderr");
  child.stdout?.setEncoding("utf8").on("data", out.push);
  child.stderr?.setEncoding("utf8").on("data", err.push);

  return new Promise<ProgramRunResult>((resolve) => {
    let queue = Promise.resolve();
    let done: ProgramRunResult | undefined;
    const reply = (m: ParentMessage): void => {
      if (child.connected) child.send(m);
    };
    child.on("message", (m: ChildMessage) => {
      queue = queue.then(async () => {
        if (m.kind === "register" || m.kind === "read") {
          const r = await options.onResource(m);
          reply({ kind: "reply", seq: m.seq, ...r });
        } else if (m.kind === "outputs") {
          options.onOutputs(m);
        } else if (m.kind === "done") {
          done = { errors: m.errors };
          // The runner disconnects and normally exits on its own; a program that leaves handles open is stopped.
          setTimeout(() => child.kill(), 2000).unref();
        }
      });
    });
    child.on("exit", (code, signal) => {
      void queue.then(() => {
        out.flush();
        err.flush();
        if (done) resolve(done);
        else resolve({ errors: [`the program exited (${code ?? signal}) before it completed`] });
      });
    });
    child.send({
      kind: "run",
      program: options.project.main,
      project: options.project.name,
      stack: options.stack,
      preview: options.preview,
    } satisfies ParentMessage);
  });
}

/**
 * The project's `@pulumi/pulumi`, preloaded with `--require` *before* tsx registers its hooks: loading the SDK through
 * tsx's resolver costs about half a second per run, and the SDK is plain CommonJS.
 */
function pulumiEntry(projectDir: string): string {
  return require.resolve("@pulumi/pulumi", { paths: [projectDir, __dirname] });
}
