// The query API (zstack-api.md §5.7): `q` conditions, `limit`/`start`, `count`/`replyWithCount`, `sort` and
// `fields`, over a list of inventories. Parameter syntax errors are plain-text 400s raised by the REST
// layer; unknown field names fail later, in the query handler, as SYS.1007.

import { querySchema } from "./schema";
import { errorReply, jsonReply, textReply, zstackError, type Reply } from "./wire";

// Checked in this order, first match wins (§5.7); `is null`/`not null` follow the field after a space.
const OPERATORS = [
  "!=",
  ">=",
  "<=",
  "!?=",
  "!~=",
  "~=",
  "?=",
  "=",
  ">",
  "<",
  " is null",
  " not null",
] as const;
type Operator = (typeof OPERATORS)[number];

interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: string;
}

/** A parsed query. */
export interface Query {
  readonly conditions: readonly Condition[];
  readonly limit: number;
  readonly start: number;
  readonly count: boolean;
  readonly replyWithCount: boolean;
  readonly sort?: { readonly field: string; readonly descending: boolean };
  readonly fields?: readonly string[];
}

/** What a query runs over: the inventories, their queryable top-level fields and their Java class. */
export interface QueryTarget {
  readonly inventories: readonly object[];
  readonly fields: ReadonlySet<string>;
  readonly className: string;
}

function parseCondition(q: string): Condition | undefined {
  for (const op of OPERATORS) {
    const at = q.indexOf(op);
    if (at > 0) return { field: q.slice(0, at), op, value: q.slice(at + op.length) };
  }
  return undefined;
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number | Reply {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  return /^-?\d+$/.test(raw) && Number.isSafeInteger(n)
    ? n
    : textReply(400, `Invalid query parameter. '${name}' must be an integer`);
}

/** Parses the query string; a plain-text 400 reply when it is malformed. */
export function parseQuery(params: URLSearchParams): Query | Reply {
  const conditions: Condition[] = [];
  for (const q of params.getAll("q")) {
    const condition = parseCondition(q);
    // The reference gives no wording for a malformed condition; this follows the 'limit' message.
    if (condition === undefined)
      return textReply(
        400,
        `Invalid query parameter. 'q' must be in format 'field<operator>value', but got [${q}]`,
      );
    conditions.push(condition);
  }
  const limit = integerParam(params, "limit", 1000); // APIQueryMessage.limit defaults to 1000
  if (typeof limit !== "number") return limit;
  const start = integerParam(params, "start", 0);
  if (typeof start !== "number") return start;
  const sortParam = params.get("sort");
  const sort =
    sortParam === null || sortParam === ""
      ? undefined
      : { field: sortParam.replace(/^[+-]/, ""), descending: sortParam.startsWith("-") };
  // Only the first `fields` parameter is read, then split on commas (§5.7).
  const fieldsParam = params.get("fields");
  const fields = fieldsParam === null ? undefined : fieldsParam.split(",").filter((f) => f !== "");
  return {
    conditions,
    limit,
    start,
    count: params.get("count") === "true",
    replyWithCount: params.get("replyWithCount") === "true",
    ...(sort === undefined ? {} : { sort }),
    ...(fields === undefined ? {} : { fields }),
  };
}

/** The values at a dotted path; arrays along the way fan out (`vmNics.ip` is every NIC's ip). */
function valuesAt(record: unknown, path: readonly string[]): unknown[] {
  if (record === undefined || record === null) return [];
  if (Array.isArray(record)) return record.flatMap((item) => valuesAt(item, path));
  const [head, ...rest] = path;
  if (head === undefined) return [record];
  return valuesAt((record as Record<string, unknown>)[head], rest);
}

function likeRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "s");
}

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

// SQL semantics: an absent (NULL) value matches nothing but `is null`; nested fields match if any value does.
function matches(record: object, condition: Condition): boolean {
  const values = valuesAt(record, condition.field.split(".")).map(String);
  const { op, value } = condition;
  switch (op) {
    case " is null":
      return values.length === 0;
    case " not null":
      return values.length > 0;
    case "=":
      return values.includes(value);
    case "!=":
      return values.length > 0 && !values.includes(value);
    case "?=":
      return values.some((v) => value.split(",").includes(v));
    case "!?=":
      return values.length > 0 && !values.some((v) => value.split(",").includes(v));
    case "~=":
      return values.some((v) => likeRegExp(value).test(v));
    case "!~=":
      return values.length > 0 && !values.some((v) => likeRegExp(value).test(v));
    case ">":
      return values.some((v) => compare(v, value) > 0);
    case "<":
      return values.some((v) => compare(v, value) < 0);
    case ">=":
      return values.some((v) => compare(v, value) >= 0);
    case "<=":
      return values.some((v) => compare(v, value) <= 0);
  }
}

function project(record: object, fields: readonly string[]): object {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

/**
 * Runs the query: 503 SYS.1007 for a field the inventory does not have, else 200 with `inventories` (absent
 * when `count=true`), `total` (with `count` or `replyWithCount`) and the `schema` map.
 */
export function runQuery(query: Query, target: QueryTarget): Reply {
  const named = [
    ...query.conditions.map((c) => c.field),
    ...(query.sort === undefined ? [] : [query.sort.field]),
  ];
  const unknown = named.find((field) => !target.fields.has(field.split(".")[0] ?? ""));
  if (unknown !== undefined)
    return errorReply(
      zstackError(
        "SYS.1007",
        `condition name[${unknown}] is invalid, no such field on inventory class[${target.className}]`,
      ),
    );
  let found = target.inventories.filter((record) => query.conditions.every((c) => matches(record, c)));
  if (query.count) return jsonReply(200, { total: found.length });
  const total = found.length;
  if (query.sort !== undefined) {
    const path = query.sort.field.split(".");
    const sign = query.sort.descending ? -1 : 1;
    found = [...found].sort(
      (a, b) => sign * compare(String(valuesAt(a, path)[0] ?? ""), String(valuesAt(b, path)[0] ?? "")),
    );
  }
  const page = found.slice(query.start, query.start + query.limit);
  const fields = query.fields;
  const inventories =
    fields === undefined || fields.length === 0 ? page : page.map((r) => project(r, fields));
  const schema = querySchema(inventories, target.className);
  // An empty schema map is left out, so an empty result reads `{"inventories":[]}` as on the wire (§2).
  return jsonReply(200, {
    inventories,
    ...(query.replyWithCount ? { total } : {}),
    ...(Object.keys(schema).length === 0 ? {} : { schema }),
  });
}
