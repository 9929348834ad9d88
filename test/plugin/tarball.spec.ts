import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { packPlugin } from "../../tools/plugin/bundle";

describe("npm run plugin: the plugin tarball", function () {
  this.timeout(120_000);

  it("holds the launcher, one bundled file and the license, named for this version and platform", async () => {
    // packPlugin itself starts the bundle alone (no node_modules) and fails unless GetPluginInfo answers the version.
    // A directory of its own: another spec may be packing into provider/plugin-dist at the same time.
    const tarball = await packPlugin(mkdtempSync(path.join(os.tmpdir(), "plugin-tarball-")));
    const { version } = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "provider", "package.json"), "utf8"),
    ) as { version: string };
    assert.match(
      path.basename(tarball),
      new RegExp(`^pulumi-resource-zstackvm-v${version}-[a-z]+-[a-z0-9]+\\.tar\\.gz$`),
    );
    const listing = spawnSync("tar", ["-tvzf", tarball], { encoding: "utf8" }).stdout.trim().split("\n");
    assert.deepEqual(listing.map((line) => line.split(/\s+/).at(-1)).sort(), [
      "LICENSE",
      "pulumi-resource-zstackvm",
      "pulumi-resource-zstackvm.js",
    ]);
    const launcher = listing.find((line) => line.endsWith(" pulumi-resource-zstackvm"));
    assert.match(launcher ?? "", /^-rwx/);
    rmSync(path.dirname(tarball), { recursive: true, force: true });
  });
});
