// personnummer (Folkbokföringslagen 18 §) and samordningsnummer (Lag 2022:1697): parse, check, normalise.
// Pure: 10-digit input needs the caller's "today" to infer the century; nothing here reads a clock.
import { luhnCheckDigit, digitsOf } from './luhn.ts';
import { compareDates, formatDate, isCalendarDate, parseIsoDate, pad2 } from './dates.ts';
import type { CalendarDate } from './dates.ts';
import { invalid } from './result.ts';
import type { Result } from './result.ts';

export type PersonnummerKind = 'personnummer' | 'samordningsnummer';
export type Sex = 'male' | 'female';

export type ParsedPersonnummer = {
  /** 12 digits, no separator: YYYYMMDDNNNC (a samordningsnummer keeps its day + 60). */
  normalized: string;
  kind: PersonnummerKind;
  /** The real birth date, YYYY-MM-DD (day − 60 for a samordningsnummer). */
  birthDate: string;
  /** From the ninth digit (könssiffra): odd = male, even = female. */
  sex: Sex;
};

export type PersonnummerReason = 'format' | 'checksum' | 'century' | 'date' | 'future';

export type PersonnummerOptions = {
  /**
   * The reference date, `YYYY-MM-DD` (in Swedish time; the caller decides). Needed for 10-digit input
   * (`-` = turns at most 99 this year, `+` = turns 100 this year or is older); with it, birth dates
   * after it are refused.
   */
  today?: string;
};

export type PersonnummerResult = Result<ParsedPersonnummer, PersonnummerReason>;

// Optional century, YYMMDD, optional separator, NNNC. Nothing else: no inner spaces, no letters.
const SHAPE = /^(\d{2})?(\d{6})([-+])?(\d{4})$/;

const SAMORDNING_OFFSET = 60;

/**
 * Parses a personnummer or samordningsnummer given as `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`, `YYMMDDNNNC`,
 * `YYMMDD-NNNC` or `YYMMDD+NNNC` (surrounding whitespace ignored; 10 digits without a separator read
 * as `-`; `+` in 12 digits is allowed when it is true). Checks, in this order: format (birth number
 * 001–999), check digit (kontrollsiffra), century (sekel), a real calendar date, not after `today`.
 * A real calendar date is all that can be checked: when a day's numbers run out Skatteverket may
 * use a nearby day, so the date need not be the true birthday.
 */
export function parsePersonnummer(input: unknown, options: PersonnummerOptions = {}): PersonnummerResult {
  if (typeof input !== 'string') return formatError();
  const m = SHAPE.exec(input.trim());
  if (!m) return formatError();
  const century = m[1];
  const yymmdd = m[2] ?? '';
  const separator = m[3];
  const serial = m[4] ?? '';

  const ten = yymmdd + serial;
  if (serial.startsWith('000')) {
    return invalid('format', 'the birth number (födelsenummer) 000 is never issued: it runs from 001 to 999');
  }
  const digits = digitsOf(ten);
  if (luhnCheckDigit(digits.slice(0, 9)) !== digits[9]) {
    return invalid('checksum', 'the check digit is wrong (kontrollsiffra)');
  }

  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const rawDay = Number(yymmdd.slice(4, 6));
  const kind: PersonnummerKind = rawDay > SAMORDNING_OFFSET ? 'samordningsnummer' : 'personnummer';
  const day = kind === 'samordningsnummer' ? rawDay - SAMORDNING_OFFSET : rawDay;
  const today = parseIsoDate(options.today);

  let year: number;
  if (century !== undefined) {
    if (century !== '18' && century !== '19' && century !== '20') {
      return invalid('century', `the century ${century} is not possible (sekel): it must be 18, 19 or 20`);
    }
    year = Number(century) * 100 + yy;
    // '+' is redundant in 12 digits; when it is given, it must still be true.
    if (separator === '+' && today && today.year - year < 100) {
      return invalid(
        'century',
        'the + separator means the person turns 100 this year or is older, which the birth year contradicts (sekel)',
      );
    }
  } else {
    if (!today) {
      return invalid(
        'century',
        'a 10-digit number needs a reference date to infer the century (sekel); give all 12 digits',
      );
    }
    year = inferYear(yy, today, separator === '+');
  }

  if (!isCalendarDate(year, month, day)) {
    const shown = `${year}-${pad2(month)}-${pad2(rawDay)}`;
    if (kind === 'samordningsnummer') {
      return invalid(
        'date',
        `${shown} is not a real birth date (födelsedatum) even after taking 60 from the day, as a samordningsnummer does`,
      );
    }
    return invalid('date', `${shown} is not a real calendar date (födelsedatum)`);
  }
  const birth: CalendarDate = { year, month, day };
  if (today && compareDates(birth, today) > 0) {
    return invalid('future', `the birth date (födelsedatum) ${formatDate(birth)} is after today`);
  }

  return {
    ok: true,
    value: {
      normalized: String(year).slice(0, 2) + ten,
      kind,
      birthDate: formatDate(birth),
      sex: (digits[8] ?? 0) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/**
 * The year for a 10-digit number. The separator turns from - to + in the calendar year the person
 * turns 100 (FOL 18 § second paragraph, Skatteverket's guidance), so it is the year alone that
 * decides: - is the latest year ending in `yy` not after today's year, + is 100 years before that.
 */
function inferYear(yy: number, today: CalendarDate, plus: boolean): number {
  const year = today.year - (((today.year % 100) - yy + 100) % 100);
  return plus ? year - 100 : year;
}

function formatError(): PersonnummerResult {
  return invalid(
    'format',
    'the format is wrong: a personnummer or samordningsnummer is 12 digits (YYYYMMDDNNNC), or 10 digits with - or + (YYMMDD-NNNC)',
  );
}
