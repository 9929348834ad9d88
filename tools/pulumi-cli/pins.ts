/**
 * What the pinned builds (the Pulumi CLI, its language hosts) are made of, read from the wrapper Go modules beside
 * this file so that the go.mod files stay the one place a version is written.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/** One Go module whose main package is built into one binary. */
export interface GoModule {
  /** The module directory (its go.mod). */
  readonly dir: string;
  /** The package to build (a `tool` of a wrapper module, or the module's own main package). */
  readonly pkg: string;
  /** The binary's file name. */
  readonly binary: string;
  /** The required module whose version names the build (for example `github.com/pulumi/pulumi/pkg/v3`). */
  readonly versionOf: string;
  /**
   * The linker variable that holds the program's version (`-X <var>=<version>`), for programs that report it; the
   * CLI's version checks fail when it is empty.
   */
  readonly versionVariable?: string;
}

/**
 * Binaries built from one or more modules into one cache directory, under one key: a changed pin of one build
 * never rebuilds another.
 */
export interface GoBuild {
  /** The cache directory's name, `~/.cache/pulumi-zstack-vm/<cacheName>/<key>/bin`. */
  readonly cacheName: string;
  /** What progress lines call it. */
  readonly title: string;
  /** The modules, the first naming the build's version. */
  readonly modules: readonly GoModule[];
}

const SDK_VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The wrapper modules of the Pulumi programs the tests run. */
export const GO_MODULES = {
  cli: {
    dir: path.join(__dirname, "go", "cli"),
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    binary: "pulumi",
    versionOf: "github.com/pulumi/pulumi/pkg/v3",
    versionVariable: SDK_VERSION_VARIABLE,
  },
  nodejsHost: {
    dir: path.join(__dirname, "go", "nodejs-language-host"),
    pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    binary: "pulumi-language-nodejs",
    versionOf: "github.com/pulumi/pulumi/sdk/v3",
    versionVariable: SDK_VERSION_VARIABLE,
  },
  yamlHost: {
    dir: path.join(__dirname, "go", "yaml-language-host"),
    pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
    binary: "pulumi-language-yaml",
    versionOf: "github.com/pulumi/pulumi-yaml",
    versionVariable: "github.com/pulumi/pulumi-yaml/pkg/version.Version",
  },
  goHost: {
    dir: path.join(__dirname, "go", "go-language-host"),
    pkg: "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go",
    binary: "pulumi-language-go",
    versionOf: "github.com/pulumi/pulumi/sdk/v3",
    versionVariable: SDK_VERSION_VARIABLE,
  },
} as const satisfies Record<string, GoModule>;

/**
 * The CLI with the Node.js host that `pulumi up` in a TypeScript project starts (one build: the key it has always
 * had, so existing caches stay valid).
 */
export const CLI_BUILD: GoBuild = {
  cacheName: "pulumi-cli",
  title: "Pulumi CLI",
  modules: [GO_MODULES.cli, GO_MODULES.nodejsHost],
};

/** The language hosts of YAML and Go programs, each its own build. */
export const LANGUAGE_HOST_BUILDS = {
  yaml: { cacheName: "pulumi-language-yaml", title: "YAML language host", modules: [GO_MODULES.yamlHost] },
  go: { cacheName: "pulumi-language-go", title: "Go language host", modules: [GO_MODULES.goHost] },
} as const satisfies Record<string, GoBuild>;

/** A runtime whose language host is built here (`runtime:` in a Pulumi.yaml). */
export type HostedRuntime = keyof typeof LANGUAGE_HOST_BUILDS;

/**
 * The oldest `pulumi` found on PATH that the demo, tests and benchmark use; an older one is passed over for the
 * pinned build. The engine behaviour our docs describe was read from 3.260's sources and is tested with the pin.
 */
export const MIN_CLI_VERSION = "3.260.0";

/** The version the module pins for `mod.versionOf` (for example `v3.276.0`). */
export function pinnedVersion(mod: GoModule): string {
  const text = readFileSync(path.join(mod.dir, "go.mod"), "utf8");
  const escaped = mod.versionOf.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(text);
  if (!match) throw new Error(`${path.join(mod.dir, "go.mod")} does not require ${mod.versionOf}`);
  return match[1]!;
}

/**
 * The cache key of a build: its version and a short digest of every file in each module's directory (go.mod and
 * go.sum; a module of ours also its sources and embedded files), so that a changed pin, replace line or source
 * builds anew instead of reusing a binary made from other sources.
 */
export function buildKey(build: GoBuild): string {
  const hash = createHash("sha256");
  for (const mod of build.modules) {
    const files = readdirSync(mod.dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
    for (const file of files) hash.update(readFileSync(path.join(mod.dir, file)));
  }
  return `${pinnedVersion(build.modules[0]!)}-${hash.digest("hex").slice(0, 12)}`;
}
