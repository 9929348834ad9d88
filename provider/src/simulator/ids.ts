// ZStack identifiers: uuids are 32 lowercase hex characters without dashes (RestConstants' X-Job-UUID rule).

import { createHash, randomBytes } from "node:crypto";

/** A fresh random uuid in ZStack's dash-less form. */
export function newUuid(): string {
  return randomBytes(16).toString("hex");
}

/** A stable uuid derived from its parts, so fixtures and accounts are reproducible across runs. */
export function derivedUuid(...parts: readonly (string | number)[]): string {
  return createHash("sha256").update(parts.join(":")).digest("hex").slice(0, 32);
}

/** Whether `value` has the shape of a dash-less uuid (32 hex characters). */
export function isUuid(value: string): boolean {
  return /^[0-9a-fA-F]{32}$/.test(value);
}
