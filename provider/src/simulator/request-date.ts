// The `Date` header of AccessKey requests as RestServer.checkTime reads it: `ZonedDateTime.parse` with the
// case-insensitive English pattern `EEE, dd MMM yyyy HH:mm:ss z`, then, under the default
// `rest.checkTimeZone=false`, a comparison of wall-clock times only: the zone label is parsed but not trusted.

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// Fixed widths: `dd`, `HH`, `mm`, `ss` are two digits and `yyyy` at least four when java.time parses them.
const PATTERN = /^([a-z]{3}), (\d{2}) ([a-z]{3}) (\d{4,9}) (\d{2}):(\d{2}):(\d{2}) (\S+)$/i;

// Pattern letter `z` also takes the English short names of zones. Java knows many; these are the ones clients
// actually send. Region ids and GMT/UTC offsets are recognised separately.
const ZONE_NAMES = new Set([
  "GMT",
  "UTC",
  "UT",
  "WET",
  "WEST",
  "BST",
  "CET",
  "CEST",
  "EET",
  "EEST",
  "MSK",
  "IST",
  "PKT",
  "ICT",
  "WIB",
  "SGT",
  "HKT",
  "JST",
  "KST",
  "AEST",
  "AEDT",
  "ACST",
  "AWST",
  "NZST",
  "NZDT",
  "HST",
  "AKST",
  "AKDT",
  "PST",
  "PDT",
  "MST",
  "MDT",
  "CST",
  "CDT",
  "EST",
  "EDT",
]);

function isZone(text: string): boolean {
  if (ZONE_NAMES.has(text.toUpperCase())) return true;
  if (/^(GMT|UTC|UT)[+-]\d{1,2}(:?\d{2})?$/i.test(text)) return true;
  if (!text.includes("/")) return false;
  try {
    // A region id such as `Etc/UTC` or `Asia/Shanghai` (what the Java SDK's `VV` pattern sends).
    new Intl.DateTimeFormat("en-US", { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall-clock time a `Date` header states, as milliseconds on a zone-less time line (its fields read as if
 * UTC), or undefined when java.time would refuse to parse it: a wrong pattern, an unknown zone, an impossible
 * date, or a day of week that does not match the date.
 */
export function parseRequestDate(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (m === null) return undefined;
  const [, day, dd, mon, yyyy, hh, mi, ss, zone] = m;
  const month = MONTHS.indexOf((mon ?? "").toLowerCase());
  const weekday = DAYS.indexOf((day ?? "").toLowerCase());
  if (month < 0 || weekday < 0 || !isZone(zone ?? "")) return undefined;
  const fields = [Number(yyyy), month, Number(dd), Number(hh), Number(mi), Number(ss)] as const;
  const wallClock = Date.UTC(...fields);
  const check = new Date(wallClock);
  // Date.UTC rolls over (Feb 30 → Mar 2); java.time rejects such dates, and a day of week that disagrees.
  if (check.getUTCDate() !== fields[2] || check.getUTCMonth() !== month || fields[3] > 23) return undefined;
  if (fields[4] > 59 || fields[5] > 59 || check.getUTCDay() !== weekday) return undefined;
  return wallClock;
}

/** The server's own wall-clock time now (its local zone), on the same zone-less time line. */
export function localWallClock(nowMs: number): number {
  return nowMs - new Date(nowMs).getTimezoneOffset() * 60_000;
}
