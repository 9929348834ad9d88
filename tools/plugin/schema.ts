/**
 * `npm run schema`: writes `provider/schema.json`, the package schema the plugin serves through `GetSchema`, from
 * which the SDKs are generated. `test/plugin/schema.spec.ts` fails when the committed file differs from it.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

import { schemaText } from "../../provider/src/plugin/schema";

/** Where the committed schema lives. */
export const SCHEMA_FILE = path.join(__dirname, "..", "..", "provider", "schema.json");

if (require.main === module) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
