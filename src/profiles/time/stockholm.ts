// Europe/Stockholm wall-clock arithmetic without a tz library.
//
// UTC → local: the UTC offset comes from Intl.DateTimeFormat (the ICU tz database), sampled once per
// year into a table of transitions; after that every conversion is integer arithmetic, so settling
// 300 000 stays makes no Intl calls per stay.
//
// Local → UTC (an input time without an offset): the "compatible" disambiguation of Temporal and
// RFC 5545. In the spring gap (02:00–03:00 does not exist) the wall time is read with the offset before
// the jump, so 02:30 becomes 03:30 CEST; in the autumn overlap (02:00–03:00 happens twice) the earlier
// instant, CEST, is chosen. docs/settlement.md repeats this.
//
// The transition table is a memo of immutable tz data: a pure function of its input, kept per module.

export const TIME_ZONE = 'Europe/Stockholm';
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** One year's offsets: the offset at the year's first UTC instant, then each change. */
type YearOffsets = { start: number; end: number; startOffset: number; changes: { at: number; offset: number }[] };

let formatter: Intl.DateTimeFormat | undefined;
const years = new Map<number, YearOffsets>();
let lastYear: YearOffsets | undefined;

function intlOffset(utcMs: number): number {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p: Record<string, number> = {};
  for (const part of formatter.formatToParts(utcMs)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return asUtc - whole;
}

function yearOffsets(year: number): YearOffsets {
  let y = years.get(year);
  if (y) return y;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const startOffset = intlOffset(start);
  const changes: { at: number; offset: number }[] = [];
  let prevAt = start;
  let prevOffset = startOffset;
  // Daily samples, then a binary search to the minute inside each day whose offset changed.
  for (let t = start + MS_PER_DAY; t <= end; t += MS_PER_DAY) {
    const at = Math.min(t, end);
    const off = intlOffset(at);
    if (off !== prevOffset) {
      let lo = prevAt;
      let hi = at;
      while (hi - lo > MS_PER_MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
        if (intlOffset(mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      if (hi < end) changes.push({ at: hi, offset: off });
      prevOffset = off;
    }
    prevAt = at;
  }
  y = { start, end, startOffset, changes };
  years.set(year, y);
  return y;
}

// The last constant-offset stretch looked up: almost every call falls in it (summer or winter time).
let segStart = 0;
let segEnd = -1;
let segOffset = 0;

/** UTC offset in ms of Europe/Stockholm at the instant utcMs (3 600 000 in winter, 7 200 000 in summer). */
export function offsetAt(utcMs: number): number {
  if (utcMs >= segStart && utcMs < segEnd) return segOffset;
  let y = lastYear;
  if (!y || utcMs < y.start || utcMs >= y.end) {
    y = yearOffsets(civilFromDays(Math.floor(utcMs / MS_PER_DAY)).year);
    lastYear = y;
  }
  let start = y.start;
  let off = y.startOffset;
  let end = y.end;
  for (const c of y.changes) {
    if (utcMs >= c.at) {
      start = c.at;
      off = c.offset;
    } else {
      end = c.at;
      break;
    }
  }
  segStart = start;
  segEnd = end;
  segOffset = off;
  return off;
}

/** Local wall-clock time expressed as ms since the epoch as if it were UTC ("local ms"). */
export function toLocalMs(utcMs: number): number {
  return utcMs + offsetAt(utcMs);
}

/** Local calendar day number (days since 1970-01-01 in Stockholm). */
export function localDayNumber(utcMs: number): number {
  return Math.floor(toLocalMs(utcMs) / MS_PER_DAY);
}

/** Milliseconds since local midnight. */
export function localMsOfDay(utcMs: number): number {
  const l = toLocalMs(utcMs);
  return l - Math.floor(l / MS_PER_DAY) * MS_PER_DAY;
}

/** Proleptic Gregorian date of a day number (H. Hinnant's civil_from_days), without a Date object. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil); month 1–12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The local month 'YYYY-MM' of an instant. */
export function localMonth(utcMs: number): string {
  const { year, month } = civilFromDays(localDayNumber(utcMs));
  return `${year}-${month < 10 ? '0' : ''}${month}`;
}

const two = (n: number) => (n < 10 ? '0' : '') + n;

/** 'YYYY-MM-DD HH:MM (UTC+1)' in Stockholm, for traces. Plain arithmetic: no Date, no Intl. */
export function formatLocal(utcMs: number): string {
  const off = offsetAt(utcMs);
  const l = utcMs + off;
  const day = Math.floor(l / MS_PER_DAY);
  const { year, month, day: d } = civilFromDays(day);
  const minutes = Math.floor((l - day * MS_PER_DAY) / MS_PER_MINUTE);
  return `${year}-${two(month)}-${two(d)} ${two(Math.floor(minutes / 60))}:${two(minutes % 60)} (UTC+${off / MS_PER_HOUR})`;
}

/** Wall-clock Stockholm time (given as "local ms") to UTC, with the compatible disambiguation. */
export function localToUtc(localMs: number): number {
  const before = offsetAt(localMs - MS_PER_DAY);
  const after = offsetAt(localMs + MS_PER_DAY);
  // Earlier instant first: with the larger offset the UTC instant is earlier (the overlap's first pass).
  const candidates = before >= after ? [before, after] : [after, before];
  for (const off of candidates) {
    if (offsetAt(localMs - off) === off) return localMs - off;
  }
  // The gap: read with the offset in force before the jump, which lands after it.
  return localMs - before;
}
