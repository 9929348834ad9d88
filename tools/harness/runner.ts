/**
 * Child-process entry of the engine harness: runs one Pulumi program under `pulumi.runtime.setMocks` and forwards
 * every resource operation to the parent over IPC (see protocol.ts). Started as
 * `node --require tsx/cjs runner.ts` with cwd = the project directory and the stack config in `PULUMI_CONFIG` /
 * `PULUMI_CONFIG_SECRET_KEYS`, which `@pulumi/pulumi` reads when it loads (so `new pulumi.Config("zstack")` works).
 *
 * One process per program execution, because the Pulumi runtime keeps module-global state (the stack resource, the
 * RPC queue, the dynamic-provider serialization cache).
 *
 * Why a monitor subclass and not only a `Mocks` object: `MockResourceArgs` carries no parent, no dependencies, no
 * `deleteBeforeReplace` and no `additionalSecretOutputs`, and deserializes inputs (unknowns become `undefined`
 * outside previews). The engine needs the request as sent, so the harness monitor answers `registerResource`,
 * `readResource` and `registerResourceOutputs` itself and leaves everything else (invokes, features) to `MockMonitor`.
 */
import * as path from "node:path";
import { createRequire } from "node:module";
import type { ChildMessage, ParentMessage, ResourceReply, ResourceRequest, RunRequest } from "./protocol";
import type { PropertyMap } from "../provider-host/properties";

/** The few protobuf accessors the monitor needs (the stubs are loaded from the project's @pulumi/pulumi). */
interface StructLike {
  toJavaScript(): PropertyMap;
}
interface StructStatic {
  fromJavaScript(v: PropertyMap): StructLike;
}
interface RegisterRequestLike {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }) => void): void };
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getImportid(): string;
}
interface ReadRequestLike {
  getId(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): StructLike | undefined;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}
type Callback = (err: Error | null, res?: unknown) => void;
interface MockMonitorLike {
  readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
  registerResourceOutputs(
    req: { getUrn(): string; getOutputs(): StructLike | undefined },
    cb: Callback,
  ): void;
}

const send = (m: ChildMessage): void => {
  process.send?.(m);
};

let nextSeq = 1;
const pending = new Map<number, (r: ResourceReply) => void>();
/** Messages of failed registrations: program errors that only repeat them are not reported twice. */
const registrationErrors: string[] = [];

function ask(req: Omit<ResourceRequest, "seq">): Promise<ResourceReply> {
  const seq = nextSeq++;
  return new Promise((resolve) => {
    pending.set(seq, resolve);
    send({ ...req, seq } as ResourceRequest);
  });
}

process.on("message", (m: ParentMessage) => {
  if (m.kind === "run") void run(m);
  else if (m.kind === "reply") {
    const resolve = pending.get(m.seq);
    pending.delete(m.seq);
    resolve?.(m);
  }
});

const programErrors: string[] = [];
const recordError = (e: unknown): void => {
  const message = e instanceof Error ? e.message : String(e);
  if (registrationErrors.some((r) => message.includes(r))) return;
  if (!programErrors.includes(message)) programErrors.push(message);
};
process.on("unhandledRejection", recordError);
process.on("uncaughtException", recordError);

async function run(req: RunRequest): Promise<void> {
  const projectDir = process.cwd();
  const pulumiPkg = require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir, __dirname] });
  const preq = createRequire(pulumiPkg);
  const pulumi = preq("./index.js") as typeof import("@pulumi/pulumi");
  const settings = preq("./runtime/settings.js") as {
    setMockOptions(m: unknown, project: string, stack: string, preview: boolean): void;
    waitForRPCs(): Promise<void>;
  };
  const stackModule = preq("./runtime/stack.js") as {
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  };
  const { MockMonitor } = preq("./runtime/mocks.js") as {
    MockMonitor: new (mocks: import("@pulumi/pulumi/runtime/mocks").Mocks) => MockMonitorLike;
  };
  const resproto = preq("./proto/resource_pb.js") as Record<
    string,
    new () => Record<string, (v: unknown) => void>
  >;
  const { Struct } = preq(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiPkg] }),
  ) as {
    Struct: StructStatic;
  };

  /** Mirrors MockMonitor's URN scheme: a child's type is qualified by its parent's type. */
  const newUrn = (parent: string, type: string, name: string): string => {
    let qualified = type;
    if (parent) qualified = `${parent.split("::")[2].split("$").pop()}$${type}`;
    return `urn:pulumi:${req.stack}::${req.project}::${qualified}::${name}`;
  };

  class HarnessMonitor extends MockMonitor {
    async registerResource(r: RegisterRequestLike, callback: Callback): Promise<void> {
      const type = r.getType();
      const name = r.getName();
      const urn = newUrn(r.getParent(), type, name);
      const deps = new Set(r.getDependenciesList());
      r.getPropertydependenciesMap().forEach((v) => v.getUrnsList().forEach((u) => deps.add(u)));
      const reply = await ask({
        kind: "register",
        urn,
        type,
        name,
        custom: r.getCustom(),
        parent: r.getParent(),
        inputs: r.getObject()?.toJavaScript() ?? {},
        dependencies: [...deps],
        id: r.getImportid(),
        deleteBeforeReplace: r.getDeletebeforereplace(),
        additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
      });
      this.answer(urn, reply, callback, () => {
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(reply.id);
        res.setObject(Struct.fromJavaScript(reply.outputs));
        return res;
      });
    }

    async readResource(r: ReadRequestLike, callback: Callback): Promise<void> {
      const type = r.getType();
      const name = r.getName();
      const urn = newUrn(r.getParent(), type, name);
      const reply = await ask({
        kind: "read",
        urn,
        type,
        name,
        custom: true,
        parent: r.getParent(),
        inputs: r.getProperties()?.toJavaScript() ?? {},
        dependencies: r.getDependenciesList(),
        id: r.getId(),
        deleteBeforeReplace: false,
        additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
      });
      this.answer(urn, reply, callback, () => {
        const res = new resproto.ReadResourceResponse();
        res.setUrn(urn);
        res.setProperties(Struct.fromJavaScript(reply.outputs));
        return res;
      });
    }

    override registerResourceOutputs(
      r: { getUrn(): string; getOutputs(): StructLike | undefined },
      callback: Callback,
    ): void {
      send({ kind: "outputs", urn: r.getUrn(), outputs: r.getOutputs()?.toJavaScript() ?? {} });
      super.registerResourceOutputs(r, callback);
    }

    private answer(urn: string, reply: ResourceReply, callback: Callback, build: () => unknown): void {
      if (reply.error !== undefined) {
        registrationErrors.push(reply.error);
        callback(new Error(reply.error));
        return;
      }
      // Keep MockMonitor's registry in sync: the `getResource` invoke and `registerResourceOutputs` rely on it.
      this.resources.set(urn, { urn, id: reply.id || null, state: reply.outputs });
      callback(null, build());
    }
  }

  const mocks: import("@pulumi/pulumi/runtime/mocks").Mocks = {
    newResource: () => {
      throw new Error("harness: unexpected MockMonitor.newResource call");
    },
    // Invokes are not part of a dynamic provider's protocol; echo the arguments like a placeholder provider would.
    call: (args) => args.inputs as Record<string, unknown>,
  };
  await pulumi.runtime.setMocks(mocks, req.project, req.stack, req.preview);
  settings.setMockOptions(new HarnessMonitor(mocks), req.project, req.stack, req.preview);

  try {
    await stackModule.runInPulumiStack(async () => {
      const loaded = require(resolveEntry(req.program)) as unknown;
      let exported = loaded;
      // A TypeScript `export default` compiles to `exports.default`: use it as the program, as Pulumi does for ESM.
      if (
        typeof loaded === "object" &&
        loaded !== null &&
        Object.keys(loaded).length === 1 &&
        "default" in loaded
      ) {
        exported = (loaded as { default: unknown }).default;
      }
      return typeof exported === "function" ? await (exported as () => unknown)() : exported;
    });
  } catch (e) {
    recordError(e);
  }
  try {
    await settings.waitForRPCs();
  } catch (e) {
    recordError(e);
  }
  // Let rejected outputs surface as unhandled rejections before reporting.
  await new Promise((r) => setTimeout(r, 20));
  send({ kind: "done", errors: programErrors });
  process.disconnect?.();
}

function resolveEntry(program: string): string {
  // require() of a directory finds index.js but not index.ts: resolve the TypeScript entry explicitly.
  const fs = require("node:fs") as typeof import("node:fs");
  if (fs.existsSync(program) && fs.statSync(program).isDirectory()) {
    for (const f of ["index.ts", "index.js"]) {
      if (fs.existsSync(path.join(program, f))) return path.join(program, f);
    }
  }
  return program;
}
