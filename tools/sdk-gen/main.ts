/**
 * `npm run sdk`: regenerates `sdk/` (nodejs, go, python, dotnet) from `provider/schema.json` and compiles the nodejs
 * SDK as `npm ci` does (its postinstall script). `npm run sdk -- --check` generates into a temporary directory instead
 * and fails, listing the files, when the committed `sdk/` differs from what the schema generates.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { REPO_ROOT, SDK_DIR, compareSdks, generateSdks } from "./generate";

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  if (process.argv.includes("--check")) {
    const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-zstack-vm-sdk-"));
    try {
      await generateSdks(work, progress);
      const differences = compareSdks(work, SDK_DIR);
      if (differences.length > 0) {
        throw new Error(
          `sdk/ is not what provider/schema.json generates:\n  ${differences.join("\n  ")}\n` +
            "Run `npm run sdk` and commit sdk/.",
        );
      }
      console.log("sdk/ is up to date with provider/schema.json");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  await generateSdks(SDK_DIR, progress);
  const nodejs = path.join(SDK_DIR, "nodejs");
  await promisify(execFile)("node", ["scripts/postinstall.js"], {
    cwd: nodejs,
    env: {
      ...process.env,
      PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}${path.delimiter}${process.env["PATH"]}`,
    },
  });
  console.log(`wrote ${SDK_DIR} (nodejs, go, python, dotnet) and compiled ${nodejs}/bin`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
