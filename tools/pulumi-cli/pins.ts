/**
 * What the pinned build of the Pulumi CLI is made of, read from the wrapper Go modules beside this file so that the
 * go.mod files stay the one place a version is written.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The wrapper modules: the CLI, and the Node.js language host that `pulumi up` in a project directory starts. */
export const GO_MODULES = {
  cli: {
    dir: path.join(__dirname, "go", "cli"),
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    binary: "pulumi",
    versionOf: "github.com/pulumi/pulumi/pkg/v3",
  },
  languageHost: {
    dir: path.join(__dirname, "go", "nodejs-language-host"),
    pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    binary: "pulumi-language-nodejs",
    versionOf: "github.com/pulumi/pulumi/sdk/v3",
  },
} as const;

/** One of the wrapper modules. */
export type GoModule = (typeof GO_MODULES)[keyof typeof GO_MODULES];

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
 * A short digest of every wrapper module's go.mod and go.sum: the cache key of a build, so that a changed pin (or a
 * changed replace line) builds anew instead of reusing a binary made from other sources.
 */
export function buildKey(): string {
  const hash = createHash("sha256");
  for (const mod of Object.values(GO_MODULES)) {
    for (const file of ["go.mod", "go.sum"]) hash.update(readFileSync(path.join(mod.dir, file)));
  }
  return `${pinnedVersion(GO_MODULES.cli)}-${hash.digest("hex").slice(0, 12)}`;
}
