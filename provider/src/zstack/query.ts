/**
 * ZStack's query API (docs/zstack-behaviour.md#query-api) as the client speaks it: `field<operator>value`
 * conditions (`q=`), and reading a query's every page in a stable order.
 */
import type { CallOptions } from "./call-options";
import { protocolError, type ErrorContext } from "./errors";

/**
 * The query operators, in the order the server tries them on a condition (the first one found after the field
 * wins, so `!=` must be tried before `=`). `?=` is IN (comma-separated values), `~=` is LIKE (`%` and `_`).
 */
export const QUERY_OPERATORS = [
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

/** One query operator. */
export type QueryOperator = (typeof QUERY_OPERATORS)[number];

/** A query condition split into its parts. */
export interface QueryCondition {
  /** The inventory field, possibly dotted into nested inventories (`vmNics.ip`). */
  readonly field: string;
  readonly operator: QueryOperator;
  /** The value as sent (not trimmed); empty for `is null` / `not null`. */
  readonly value: string;
}

/** A field name as the server accepts it: identifiers joined by dots, or a `__systemTag__`-style tag filter. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Splits a condition the way the server does (the first operator, in {@link QUERY_OPERATORS} order, found after at
 * least one character), or returns undefined when the text is not a condition the server would accept: no operator,
 * a field that is not a (dotted) identifier, or text after `is null` / `not null`.
 */
export function parseQueryCondition(text: string): QueryCondition | undefined {
  for (const operator of QUERY_OPERATORS) {
    const at = text.indexOf(operator);
    if (at <= 0) continue;
    const field = text.slice(0, at);
    const value = text.slice(at + operator.length);
    if (!FIELD.test(field)) return undefined;
    if ((operator === " is null" || operator === " not null") && value !== "") return undefined;
    return { field, operator, value };
  }
  return undefined;
}

/** The `q=` text of a condition. */
export function formatQueryCondition(condition: QueryCondition): string {
  return `${condition.field}${condition.operator}${condition.value}`;
}

/** Options of a query that reads every page. */
export interface QueryOptions extends CallOptions {
  /** Inventories per request (default {@link DEFAULT_QUERY_PAGE_SIZE}, the server's own default `limit`). */
  readonly pageSize?: number;
}

/** The server's default `limit` (`APIQueryMessage.limit`); one request reads that many. */
export const DEFAULT_QUERY_PAGE_SIZE = 1000;

/** Every inventory a query matched, in the server's order for the query (by uuid). */
export interface QueryResult<T> {
  readonly inventories: readonly T[];
  /** The number of requests it took. */
  readonly pages: number;
}

/** One page as the server answered it. */
export interface QueryPage<T> {
  readonly inventories: readonly T[];
  /** The number of matches, when the request asked for it (`replyWithCount`). */
  readonly total?: number;
}

/** One page request: where it starts and how many it asks for. */
export interface PageRequest {
  readonly start: number;
  readonly limit: number;
}

/**
 * The query string of one page: the conditions, the page window, the sort that keeps windows stable, and the total
 * (`replyWithCount`), by which a read notices that the list changed under it.
 */
export function pageParams(conditions: readonly string[], page: PageRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const condition of conditions) params.append("q", condition);
  params.set("limit", String(page.limit));
  params.set("start", String(page.start));
  // Without an order, `start` windows over an unordered result could overlap or skip between requests.
  params.set("sort", "+uuid");
  params.set("replyWithCount", "true");
  return params;
}

/** How many times a read starts over because the number of matches changed while its pages were read. */
const MAX_READS = 3;

/**
 * Reads every page of a query: windows of `pageSize` in uuid order, each asking for the total, until a short page
 * or the total says there is nothing more. A VM created or deleted between two requests shifts the windows (a VM
 * could be skipped or read twice), and shows as a changed total: the read then starts over, up to
 * {@link MAX_READS} times, so that the result is one consistent listing. A server that ignores `start` (every page
 * the same) is reported as a protocol error rather than looped on.
 */
export async function readAllPages<T extends { readonly uuid: string }>(
  fetchPage: (page: PageRequest) => Promise<QueryPage<T>>,
  ctx: ErrorContext,
  pageSize: number = DEFAULT_QUERY_PAGE_SIZE,
): Promise<QueryResult<T>> {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw protocolError(ctx, `pageSize must be a whole number of at least 1, got ${String(pageSize)}`);
  }
  let pages = 0;
  for (let read = 1; ; read++) {
    const seen = new Map<string, T>();
    let total: number | undefined;
    let start = 0;
    let shifted = false;
    for (;;) {
      const page = await fetchPage({ start, limit: pageSize });
      pages++;
      if (total !== undefined && page.total !== undefined && page.total !== total) {
        shifted = true;
        break;
      }
      total ??= page.total;
      let fresh = 0;
      for (const inventory of page.inventories) {
        if (!seen.has(inventory.uuid)) fresh++;
        seen.set(inventory.uuid, inventory);
      }
      start += page.inventories.length;
      if (page.inventories.length < pageSize || (total !== undefined && start >= total)) break;
      if (fresh === 0) {
        throw protocolError(
          ctx,
          `page ${pages} of the query (start=${start - page.inventories.length}) repeated earlier results; ` +
            `the server seems to ignore 'start'`,
          200,
        );
      }
    }
    if (!shifted) return { inventories: [...seen.values()], pages };
    if (read === MAX_READS) {
      throw protocolError(
        ctx,
        `the matching VMs kept changing while their ${pages} pages were read (${MAX_READS} attempts); ` +
          `try again, or narrow the query so that it fits one page`,
        200,
      );
    }
  }
}
