// Counting utskrivningsklara days (agreements.md §4). T = the valid notice 8, D = discharge, both instants.
import { MS_PER_DAY, MS_PER_HOUR, formatLocal, localDayNumber, localMsOfDay, offsetAt } from '../../profiles/time/stockholm.ts';

/**
 * - calendar: k = date(D) − date(T) in Stockholm; the day of notice 8 is day 0 (law, Jämtland, Blekinge, VGR).
 * - hours:    k = floor((D − T) / 24 h) of elapsed time, so a 23-hour DST day is still day 0 (Jönköping).
 * - noon-rule: calendar, minus one when notice 8 was sent after 12:00, floored at 0 (Örebro).
 */
export type DayCounting = 'calendar' | 'hours' | 'noon-rule';

export const NOON_MS = 12 * MS_PER_HOUR;

/** After 12:00 means strictly later than 12:00:00.000 local time: a notice at 12:00 sharp is before noon. */
export function isAfterNoon(utcMs: number): boolean {
  return localMsOfDay(utcMs) > NOON_MS;
}

export function calendarDays(readyMs: number, dischargedMs: number): number {
  return localDayNumber(dischargedMs) - localDayNumber(readyMs);
}

export function hoursDays(readyMs: number, dischargedMs: number): number {
  return Math.floor((dischargedMs - readyMs) / MS_PER_DAY);
}

export function noonRuleDays(readyMs: number, dischargedMs: number): number {
  const k = calendarDays(readyMs, dischargedMs);
  return isAfterNoon(readyMs) ? Math.max(0, k - 1) : k;
}

export function countDays(rule: DayCounting, readyMs: number, dischargedMs: number): number {
  switch (rule) {
    case 'calendar':
      return calendarDays(readyMs, dischargedMs);
    case 'hours':
      return hoursDays(readyMs, dischargedMs);
    case 'noon-rule':
      return noonRuleDays(readyMs, dischargedMs);
  }
}

export type AllCounts = { calendar: number; hours: number; noonRule: number; readyAfterNoon: boolean };

/** k under every rule at once, with one offset lookup per instant (the indexing hot path). */
export function countAll(readyMs: number, dischargedMs: number): AllCounts {
  const tLocal = readyMs + offsetAt(readyMs);
  const tDay = Math.floor(tLocal / MS_PER_DAY);
  const calendar = Math.floor((dischargedMs + offsetAt(dischargedMs)) / MS_PER_DAY) - tDay;
  const readyAfterNoon = tLocal - tDay * MS_PER_DAY > NOON_MS;
  return {
    calendar,
    hours: Math.floor((dischargedMs - readyMs) / MS_PER_DAY),
    noonRule: readyAfterNoon ? Math.max(0, calendar - 1) : calendar,
    readyAfterNoon,
  };
}

/** One line saying how k was reached, for the trace. */
export function explainCount(
  rule: DayCounting,
  readyMs: number,
  dischargedMs: number,
  t = formatLocal(readyMs),
  d = formatLocal(dischargedMs),
): string {
  const k = countDays(rule, readyMs, dischargedMs);
  switch (rule) {
    case 'calendar':
      return `calendar days: date(D ${d}) − date(T ${t}) = ${k}`;
    case 'hours': {
      const hours = (dischargedMs - readyMs) / MS_PER_HOUR;
      return `hours: floor(${+hours.toFixed(2)} h elapsed from T ${t} to D ${d} / 24) = ${k}`;
    }
    case 'noon-rule': {
      const cal = calendarDays(readyMs, dischargedMs);
      return isAfterNoon(readyMs)
        ? `noon rule: T ${t} is after 12:00, so that day is not counted: max(0, ${cal} − 1) = ${k}`
        : `noon rule: T ${t} is not after 12:00: date(D ${d}) − date(T) = ${k}`;
    }
  }
}

/** Notice 8 (ready) and notice 9 (withdrawn), as instants. */
export type ReadinessEvent = { kind: 'ready' | 'withdrawn'; atMs: number };

export type Readiness = {
  /** The notice 8 that counts, or null when none stands (never sent, or the last one was withdrawn). */
  readyMs: number | null;
  /** Notices 8 voided by a later withdrawal, in time order. */
  voided: number[];
  /** The withdrawal that left no readiness standing, if any. */
  withdrawnAt: number | null;
};

/** A withdrawal voids every earlier notice 8; the latest notice 8 after the last withdrawal counts. */
export function effectiveReadiness(events: readonly ReadinessEvent[]): Readiness {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i);
  let current: number | null = null;
  let withdrawnAt: number | null = null;
  const pending: number[] = [];
  const voided: number[] = [];
  for (const { e } of sorted) {
    if (e.kind === 'ready') {
      pending.push(e.atMs);
      current = e.atMs;
      withdrawnAt = null;
    } else {
      voided.push(...pending);
      pending.length = 0;
      current = null;
      withdrawnAt = e.atMs;
    }
  }
  // Repeated notices 8 without a withdrawal: the latest counts (agreements.md §4).
  return { readyMs: current, voided, withdrawnAt };
}
