// ISO 8601 date-times as the settlement input gives them: `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]`
// (a space may stand for the T). Without an offset the time is Europe/Stockholm wall-clock time.
// A hand-written scanner rather than a regex or Date.parse: it is strict (no date-only values, no
// 24:00, no overflowing days) and cheap enough for a national year of stays.
import { daysFromCivil, localToUtc } from './stockholm.ts';

export const ISO_DATE_TIME_HINT = 'YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], without offset = Europe/Stockholm';

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of the instant, or NaN when the text is not a date-time of the accepted form. */
export function parseIsoDateTime(s: string): number {
  if (s.length < 16) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const sep = s[10];
  if (s[4] !== '-' || s[7] !== '-' || (sep !== 'T' && sep !== ' ') || s[13] !== ':') return NaN;
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (s[i] === ':') {
    second = digits(s, i + 1, 2);
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
  const oh = digits(s, i + 1, 2);
  if (oh < 0 || oh > 23) return NaN;
  let om = 0;
  const rest = s.length - (i + 3);
  if (rest === 3 && s[i + 3] === ':') om = digits(s, i + 4, 2);
  else if (rest === 2) om = digits(s, i + 3, 2);
  else if (rest !== 0) return NaN;
  if (om < 0 || om > 59) return NaN;
  const offset = (oh * 60 + om) * 60_000 * (z === '-' ? -1 : 1);
  return wall - offset;
}
