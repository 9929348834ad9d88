// The query API (docs/zstack-behaviour.md#query-api): `q` conditions, `limit`/`start`,
// `count`/`replyWithCount`, `sort` and `fields`, over a list of inventories. Parameter syntax errors are
// plain-text 400s raised by the REST layer; unknown field names fail later, in the query handler, as
// SYS.1007.

import { querySchema } from "./schema";
import { errorReply, jsonReply, textReply, zstackError, type Reply } from "./wire";

// Checked in this order, first match anywhere in the condition wins (RestServer.QUERY_OP_MAPPING: "an operator
// contained by another operator must be placed after the containing operator").
const OPERATORS = ["!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", "is null", "not null"] as const;
type Operator = (typeof OPERATORS)[number];

interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: string;
}

/** A parsed query. */
interface Query {
  readonly conditions: readonly Condition[];
  readonly limit: number;
  readonly start: number;
  readonly count: boolean;
  readonly replyWithCount: boolean;
  readonly sort?: { readonly field: string; readonly descending: boolean };
  readonly fields?: readonly string[];
}

/** What a query runs over: the inventories, their queryable top-level fields and their Java class. */
interface QueryTarget {
  readonly inventories: readonly object[];
  readonly fields: ReadonlySet<string>;
  readonly className: string;
}

// Java's `Arrays.asList(keySet)` wraps the one Set argument in a list, hence the doubled brackets.
const OPERATOR_LIST = `[[${OPERATORS.join(", ")}]]`;

/**
 * commons-lang `StringUtils.splitByWholeSeparator(text, separator, 2)`: empty tokens are skipped, so a leading
 * separator is dropped (`=x` is one token) while a trailing one leaves an empty last token (`name=` is two).
 */
function splitInTwo(text: string, separator: string): string[] {
  const tokens: string[] = [];
  let begin = 0;
  for (;;) {
    const end = text.indexOf(separator, begin);
    if (end < 0) {
      tokens.push(text.slice(begin));
      return tokens;
    }
    if (end > begin) {
      if (tokens.length === 1) {
        tokens.push(text.slice(begin));
        return tokens;
      }
      tokens.push(text.slice(begin, end));
    }
    begin = end + separator.length;
  }
}

// handleQueryApi: the condition itself is not trimmed and neither is its value ("a space is valid in some
// conditions"); only the field name is.
function parseCondition(cond: string): Condition | Reply {
  const op = OPERATORS.find((candidate) => cond.includes(candidate));
  if (op === undefined)
    return textReply(
      400,
      `Invalid query parameter. The '${cond}' in the parameter[q] doesn't contain any query operator. ` +
        `Valid query operators are ${OPERATOR_LIST}`,
    );
  const tokens = splitInTwo(cond, op);
  if (op === "is null" || op === "not null") return { field: javaTrim(tokens[0] ?? ""), op, value: "" };
  if (tokens.length !== 2)
    return textReply(
      400,
      `Invalid query parameter. The '${cond}' in parameter[q] is not a key-value pair split by ${op}`,
    );
  return { field: javaTrim(tokens[0] ?? ""), op, value: tokens[1] ?? "" };
}

// `Integer.valueOf`: an optional sign, decimal digits, within 32 bits.
function integerValue(name: string, raw: string): number | Reply {
  const n = Number(raw);
  return /^[+-]?\d+$/.test(raw) && n >= -2147483648 && n <= 2147483647
    ? n
    : textReply(400, `Invalid query parameter. '${name}' must be an integer`);
}

/** Java's `String.trim`: strips every character up to U+0020 (controls included), and nothing else. */
function javaTrim(text: string): string {
  let begin = 0;
  let end = text.length;
  while (begin < end && text.charCodeAt(begin) <= 0x20) begin++;
  while (end > begin && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(begin, end);
}

/** `Boolean.parseBoolean`: true for any casing of "true", false for everything else. */
function parseBoolean(value: string): boolean {
  return value.toLowerCase() === "true";
}

interface QueryDraft {
  conditions: Condition[];
  limit: number;
  start: number;
  count: boolean;
  replyWithCount: boolean;
  sort?: { readonly field: string; readonly descending: boolean };
  fields?: readonly string[];
}

/**
 * Parses the query string as RestServer.handleQueryApi does; a plain-text 400 reply when it is malformed.
 *
 * Each parameter name is read once, trimmed, with its first value trimmed (so `sort=+name` sent unencoded, which
 * arrives as ` name`, sorts by name ascending); `q` is the exception, every value of it is a condition. Unknown
 * names are ignored. The server tests `"q".startsWith(name)`, so an empty name is a condition too.
 */
export function parseQuery(params: URLSearchParams): Query | Reply {
  const query: QueryDraft = { conditions: [], limit: 1000, start: 0, count: false, replyWithCount: false };
  for (const rawName of new Set(params.keys())) {
    const name = javaTrim(rawName);
    const values = params.getAll(rawName);
    const value = javaTrim(values[0] ?? "");
    switch (name) {
      case "limit":
      case "start": {
        const n = integerValue(name, value);
        if (typeof n !== "number") return n;
        query[name] = n;
        break;
      }
      case "count":
      case "replyWithCount":
        query[name] = parseBoolean(value);
        break;
      case "sort": {
        // `StringUtils.stripStart` removes every leading sign character, not just one.
        const descending = value.startsWith("-");
        const field = value.replace(descending ? /^-+/ : /^\++/, "");
        if (field === "") delete query.sort;
        else query.sort = { field, descending };
        break;
      }
      case "fields":
        // Only the first `fields` value is read, then split on commas and trimmed
        // (RestServer.handleQueryApi).
        query.fields = value
          .split(",")
          .map(javaTrim)
          .filter((f) => f !== "");
        break;
      case "q":
      case "":
        for (const cond of values) {
          const condition = parseCondition(cond);
          if ("status" in condition) return condition;
          query.conditions.push(condition);
        }
        break;
      default:
        break;
    }
  }
  return query;
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
    case "is null":
      return values.length === 0;
    case "not null":
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
  // An empty schema map is left out, so an empty result reads `{"inventories":[]}` as on the wire
  // (docs/zstack-behaviour.md#query-api).
  return jsonReply(200, {
    inventories,
    ...(query.replyWithCount ? { total } : {}),
    ...(Object.keys(schema).length === 0 ? {} : { schema }),
  });
}
