/**
 * How the client's schemas appear in the published types: the few members callers use, without zod's own types.
 *
 * The schemas are zod schemas, but a `.d.ts` that names a zod type imports zod's declarations, and those need
 * `esModuleInterop` to compile; projects shaped like Pulumi's TypeScript template do not set it. zod's schemas are
 * assignable to these interfaces, so the implementation keeps using zod unchanged.
 */

/** One problem found by a schema: where (the property path) and what. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The result of {@link Schema.safeParse}: the parsed value, or the issues. */
export type SchemaResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: readonly SchemaIssue[] } };

/** A schema that parses unknown JSON into `T` (normalizing it), or says why it cannot. */
export interface Schema<T> {
  /** Parses `value`, throwing an error that lists the issues when it does not fit. */
  parse(value: unknown): T;
  /** Parses `value` without throwing. */
  safeParse(value: unknown): SchemaResult<T>;
}

/** A schema of an object: also lists the fields it declares. */
export interface ObjectSchema<T> extends Schema<T> {
  /** The declared fields, by name (zod's `shape`). */
  readonly shape: Readonly<Record<string, unknown>>;
}
