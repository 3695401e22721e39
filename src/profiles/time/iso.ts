// ISO 8601 date-times as the settlement input gives them: `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]`
// (a space may stand for the T). Without an offset the time is Europe/Stockholm wall-clock time.
// A hand-written scanner rather than a regex or Date.parse: it is strict (no date-only values, no
// 24:00, no overflowing days) and cheap enough for a national year of stays.
import { daysFromCivil, localToUtc } from './stockholm.ts';

export const ISO_DATE_TIME_HINT = 'YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], without offset = Europe/Stockholm';

/** Two decimal digits at `i`, or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of the instant, or NaN when the text is not a date-time of the accepted form. */
export function parseIsoDateTime(s: string): number {
  if (s.length < 16) return NaN;
  const century = d2(s, 0);
  const yy = d2(s, 2);
  const year = century < 0 || yy < 0 ? -1 : century * 100 + yy;
  const month = d2(s, 5);
  const day = d2(s, 8);
  const hour = d2(s, 11);
  const minute = d2(s, 14);
  const sep = s.charCodeAt(10);
  // '-' 45, 'T' 84, ' ' 32, ':' 58
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58) return NaN;
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s[i] === ':') {
    second = d2(s, i + 1);
    if (second < 0 || second > 59) return NaN;
    i += 3;
    if (s[i] === '.' || s[i] === ',') {
      i++;
      const from = i;
      let scale = 100;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
        ms += (s.charCodeAt(i) - 48) * scale;
        scale /= 10;
        i++;
      }
      if (i === from) return NaN;
      ms = Math.floor(ms);
    }
  }
  // Integer arithmetic instead of Date.UTC: this runs for every time of every stay.
  const wall = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  if (i === s.length) return localToUtc(wall);
  const z = s[i];
  if (z === 'Z' || z === 'z') return i + 1 === s.length ? wall : NaN;
  if (z !== '+' && z !== '-') return NaN;
  const oh = d2(s, i + 1);
  if (oh < 0 || oh > 23) return NaN;
  let om = 0;
  const rest = s.length - (i + 3);
  if (rest === 3 && s[i + 3] === ':') om = d2(s, i + 4);
  else if (rest === 2) om = d2(s, i + 3);
  else if (rest !== 0) return NaN;
  if (om < 0 || om > 59) return NaN;
  const offset = (oh * 60 + om) * 60_000 * (z === '-' ? -1 : 1);
  return wall - offset;
}
