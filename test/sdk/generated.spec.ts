/**
 * The committed SDKs (`sdk/`) are exactly what Pulumi's code generators make of `provider/schema.json`: a schema
 * change without `npm run sdk`, or a hand edit of a generated file, fails here.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { SDK_DIR, compareSdks, generateSdks } from "../../tools/sdk-gen/generate";

describe("sdk: the committed SDKs are what the schema generates", function () {
  // A machine without the generators in its cache builds them first (Go; about a minute after the CLI's build).
  this.timeout(15 * 60_000);
  this.slow(30_000);

  it("regenerating nodejs, go, python and dotnet into a temporary directory gives sdk/ byte for byte", async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "pulumi-zstack-vm-sdk-"));
    try {
      await generateSdks(work, (line) => process.stderr.write(`${line}\n`));
      const differences = compareSdks(work, SDK_DIR);
      assert.deepEqual(
        differences,
        [],
        `sdk/ is not what provider/schema.json generates; run \`npm run sdk\` and commit sdk/:\n  ` +
          differences.join("\n  "),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
