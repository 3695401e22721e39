// Value normalisation shared by indexing and searching, so both sides agree exactly.

/** Case- and accent-insensitive form for string search (FHIR: "ignores case and accents"). */
export function normalizeString(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/**
 * The key the `phonetic` parameters match on: one word, case and accents folded, spellings that sound alike
 * in Swedish and English names mapped together (c/k, ck, ph/f, z/s, w/v, x/ks, th/t, q/k), doubled letters
 * collapsed, then the first letter and the consonants after it (vowels and h dropped). So Karlsson, Carlsson
 * and Karlson share a key, as do Johansson and Johannesson, and Eriksson and Ericsson; Karlberg does not.
 */
export function phoneticKey(word: string): string {
  let w = normalizeString(word.replace(/[æÆ]/g, 'a').replace(/[øØ]/g, 'o')).replace(/[^a-z]/g, '');
  if (!w) return '';
  w = w
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/ck/g, 'k')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/z/g, 's')
    .replace(/w/g, 'v')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/(.)\1+/g, '$1');
  return w[0] + w.slice(1).replace(/[aeiouyh]/g, '').replace(/(.)\1+/g, '$1');
}

/** The words of a name for phonetic matching (each indexed on its own). */
export function phoneticWords(s: string): string[] {
  return s.split(/[\s-]+/).map(phoneticKey).filter(Boolean);
}

const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface DateRange {
  /** Inclusive lower bound, ISO 8601 UTC. */
  lo: string;
  /** Exclusive upper bound, ISO 8601 UTC. */
  hi: string;
}

/**
 * The instant range a FHIR date, dateTime or instant (or a search value) covers, given its precision:
 * `2024` covers the year, `2024-03-05T10:00` the minute. Values without a zone are taken as UTC.
 * Returns undefined for anything that is not a real date.
 */
export function dateRange(value: string): DateRange | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return undefined;
  const offsetMin = tz && tz !== 'Z' ? (tz[0] === '-' ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) : 0;
  const ms = frac ? Math.floor(Number('0.' + frac) * 1000) : 0;
  const start = utc(year, month - 1, day, h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, ms) - offsetMin * 60_000;
  let end: number;
  if (!mo) end = utc(year + 1, 0, 1) - offsetMin * 60_000;
  else if (!d) end = utc(year, month, 1) - offsetMin * 60_000;
  else if (h === undefined) end = utc(year, month - 1, day + 1) - offsetMin * 60_000;
  else if (s === undefined) end = start + 60_000;
  else if (!frac) end = start + 1000;
  else end = start + 1;
  if (!Number.isFinite(start) || year < 1) return undefined;
  return { lo: instant(start), hi: instant(end) };
}

// PostgreSQL timestamps (and FHIR dates) live in years 1-9999; beyond them an end is open.
const FIRST = utc(1, 0, 1);
const AFTER_LAST = utc(10000, 0, 1);

/** ISO 8601 UTC, or ±infinity outside years 1-9999 (toISOString would write +010000-…, which PostgreSQL refuses). */
export function instant(ms: number): string {
  if (ms < FIRST) return '-infinity';
  if (ms >= AFTER_LAST) return 'infinity';
  return new Date(ms).toISOString();
}

/** Date.UTC without its two-digit-year rule (Date.UTC(50, 0) is 1950; this is year 50). */
function utc(year: number, month0: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month0, day);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}
