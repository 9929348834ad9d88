/**
 * `npm run plugin`: the plugin tarball `pulumi plugin install resource zstackvm <version> --file <tarball>` takes,
 * `provider/plugin-dist/pulumi-resource-zstackvm-v<version>-<os>-<arch>.tar.gz`. It holds the `sh` launcher, one
 * JavaScript file (an esbuild bundle of the compiled plugin, `@pulumi/pulumi`'s gRPC stubs and every dependency, so
 * it needs only `node`) and the license. Before packing, the bundle is started alone, from a directory with no
 * `node_modules`, and must answer GetPluginInfo with the package's version.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { build, type Plugin } from "esbuild";

import { WIRE_MODULE_PATHS } from "../../provider/src/plugin/wire-modules";
import { startProviderHost } from "../provider-host/host";

const REPO = path.join(__dirname, "..", "..");
const PROVIDER = path.join(REPO, "provider");
const NAME = "pulumi-resource-zstackvm";

/** Where the tarballs go (ignored by git). */
export const PLUGIN_DIST = path.join(PROVIDER, "plugin-dist");

/** Pulumi's names of the platform: its `<os>-<arch>` of plugin tarballs. */
function platform(): string {
  const osName = { win32: "windows" }[process.platform as string] ?? process.platform;
  const arch = { x64: "amd64" }[process.arch as string] ?? process.arch;
  return `${osName}-${arch}`;
}

/**
 * The bundle loads the gRPC modules with plain requires resolved from `@pulumi/pulumi`'s directory, where the
 * compiled plugin resolves them at run time through `createRequire` (which a bundler cannot follow): the same
 * copies, from the same list.
 */
const wireModulesFromPulumi: Plugin = {
  name: "wire-modules-from-pulumi",
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]plugin[\\/]wire-modules\.js$/ }, () => ({
      resolveDir: path.dirname(require.resolve("@pulumi/pulumi/package.json")),
      loader: "js",
      contents:
        "exports.WIRE_MODULE_PATHS = {};\nexports.wireModules = () => ({\n" +
        Object.entries(WIRE_MODULE_PATHS)
          .map(([name, specifier]) => `  ${name}: require(${JSON.stringify(specifier)}),`)
          .join("\n") +
        "\n});\n",
    }));
  },
};

/** Bundles `dist/plugin/main.js` (run `npm run build` first) into `outfile`. */
async function bundle(outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(PROVIDER, "dist", "plugin", "main.js")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    logLevel: "warning",
    plugins: [wireModulesFromPulumi],
  });
}

/** Starts the packed plugin as the engine would and returns the version it reports. */
async function versionOf(launcher: string, cwd: string): Promise<string> {
  const plugin = await startProviderHost({ cwd, project: "plugin-tarball", command: launcher });
  try {
    return await plugin.getPluginInfo();
  } finally {
    await plugin.close();
  }
}

/** Writes the tarball into `outDir` (default {@link PLUGIN_DIST}) and returns its path. */
export async function packPlugin(outDir: string = PLUGIN_DIST): Promise<string> {
  const { version } = JSON.parse(readFileSync(path.join(PROVIDER, "package.json"), "utf8")) as {
    readonly version: string;
  };
  const staging = mkdtempSync(path.join(os.tmpdir(), `${NAME}-`));
  try {
    await bundle(path.join(staging, `${NAME}.js`));
    copyFileSync(path.join(PROVIDER, "bin", NAME), path.join(staging, NAME));
    copyFileSync(path.join(REPO, "LICENSE"), path.join(staging, "LICENSE"));
    const reported = await versionOf(path.join(staging, NAME), staging);
    if (reported !== version) {
      throw new Error(`the bundled plugin reports version ${JSON.stringify(reported)}, not ${version}`);
    }
    mkdirSync(outDir, { recursive: true });
    const tarball = path.join(outDir, `${NAME}-v${version}-${platform()}.tar.gz`);
    const tar = spawnSync("tar", ["-czf", tarball, "-C", staging, NAME, `${NAME}.js`, "LICENSE"], {
      stdio: "inherit",
    });
    if (tar.status !== 0) throw new Error(`tar exited ${tar.status ?? tar.signal}`);
    return tarball;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  packPlugin().then(
    (tarball) => process.stdout.write(`wrote ${path.relative(process.cwd(), tarball)}\n`),
    (error: unknown) => {
      process.stderr.write(`npm run plugin: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
