// Times for FHIR: every instant a mapping emits is Europe/Stockholm wall-clock time with its UTC offset
// (+01:00 in winter, +02:00 in summer), so the time of day the source meant survives any DST change.
import { parseIsoDateTime } from '../../profiles/time/iso.ts';
import { civilFromDays, daysFromCivil, localToUtc, MS_PER_DAY, MS_PER_MINUTE, offsetAt } from '../../profiles/time/stockholm.ts';

const two = (n: number) => (n < 10 ? '0' : '') + n;

/** An instant as `YYYY-MM-DDTHH:MM:SS+HH:MM` in Stockholm local time. */
export function stockholmIso(utcMs: number): string {
  const off = offsetAt(utcMs);
  const local = utcMs + off;
  const day = Math.floor(local / MS_PER_DAY);
  const { year, month, day: d } = civilFromDays(day);
  const secs = Math.floor((local - day * MS_PER_DAY) / 1000);
  const offMin = off / MS_PER_MINUTE;
  const sign = offMin < 0 ? '-' : '+';
  const abs = Math.abs(offMin);
  return `${year}-${two(month)}-${two(d)}T${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * An ISO 8601 date-time from a source (with an offset or Z, or without one = Stockholm wall-clock time)
 * as a Stockholm instant with its offset; undefined when it is not a date-time with a time of day.
 */
export function toStockholm(text: string): string | undefined {
  const ms = parseIsoDateTime(text);
  return Number.isNaN(ms) ? undefined : stockholmIso(ms);
}

/**
 * An HL7v2 TS/DTM value (`YYYYMMDDHHMM[SS[.S+]][+/-ZZZZ]`, at least to the minute) as a Stockholm instant;
 * without an offset it is Stockholm wall-clock time. Undefined when malformed.
 */
export function hl7ToStockholm(ts: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:\.\d{1,4})?)?([+-]\d{4})?$/.exec(ts);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const days = daysFromCivil(year, month, day);
  if (civilFromDays(days).day !== day) return undefined;
  const wall = days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  if (!zone) return stockholmIso(localToUtc(wall));
  const sign = zone[0] === '-' ? -1 : 1;
  const offMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  return stockholmIso(wall - offMin * MS_PER_MINUTE);
}

/** A calendar date `YYYY-MM-DD` when valid, else undefined (estimated discharge may be a date only). */
export function isoDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const c = civilFromDays(days);
  return c.month === Number(m[2]) && c.day === Number(m[3]) ? text : undefined;
}

/** Epoch ms of a Stockholm instant this module made (for ordering). */
export function instantMs(iso: string): number {
  return parseIsoDateTime(iso);
}
