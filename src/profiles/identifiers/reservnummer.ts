// Nationellt reservnummer: the format in shared/domain/identifiers.md (e.g. 20210325K069), which is
// the reservnummer format documented by Inera for Västra Götalandsregionen:
//
//   YYYYMMDD G gg C   (12 characters, no separator)
//   YYYYMMDD  a real calendar date (the birth date, when known), year 1800–2099
//   G         sex letter: K (kvinna, woman), M (man), X (okänt, unknown)
//   gg        serial: 06–79, even for K and odd for M; 80–89 for X
//   C         Luhn check digit over YYMMDDGgg, with the letter counted as K = 5, M = 7, X = 8
//
// Inera's other "Nationellt ReservID" layout (XXYYMMDDNNGC, two serial letters) is NOT accepted: its
// check-digit rule for letters is not in our sources, and guessing it would accept or refuse at random.
import { luhnCheckDigit } from './luhn.ts';
import { compareDates, isCalendarDate, parseIsoDate } from './dates.ts';
import { invalid } from './result.ts';
import type { Result } from './result.ts';

export type ReservnummerSex = 'male' | 'female' | 'unknown';
export type ParsedReservnummer = { normalized: string; birthDate: string; sex: ReservnummerSex };
export type ReservnummerReason = 'format' | 'checksum' | 'date' | 'future';

const SHAPE = /^((?:18|19|20)\d{2})(\d{2})(\d{2})([KMX])(\d{2})(\d)$/;
const LETTER_VALUE: Readonly<Record<string, number>> = { K: 5, M: 7, X: 8 };

/** Parses a reservnummer; lower-case letters are accepted and upper-cased. `today` (YYYY-MM-DD) refuses future dates. */
export function parseReservnummer(
  input: unknown,
  options: { today?: string } = {},
): Result<ParsedReservnummer, ReservnummerReason> {
  if (typeof input !== 'string') return formatError();
  const normalized = input.trim().toUpperCase();
  const m = SHAPE.exec(normalized);
  if (!m) return formatError();
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const letter = m[4] ?? 'X';
  const serial = Number(m[5]);

  const sexOk =
    letter === 'X'
      ? serial >= 80 && serial <= 89
      : serial >= 6 && serial <= 79 && serial % 2 === (letter === 'M' ? 1 : 0);
  if (!sexOk) {
    return invalid(
      'format',
      'the serial does not fit the sex letter (reservnummer): K takes an even 06–78, M an odd 07–79, X 80–89',
    );
  }

  const digits: number[] = [];
  for (const ch of normalized.slice(2, 11)) digits.push(LETTER_VALUE[ch] ?? ch.charCodeAt(0) - 48);
  if (luhnCheckDigit(digits) !== Number(m[6])) {
    return invalid('checksum', 'the check digit is wrong (kontrollsiffra)');
  }

  const birthDate = `${m[1]}-${m[2]}-${m[3]}`;
  if (!isCalendarDate(year, month, day)) {
    return invalid('date', `${birthDate} is not a real calendar date (födelsedatum)`);
  }
  const today = parseIsoDate(options.today);
  if (today && compareDates({ year, month, day }, today) > 0) {
    return invalid('future', `the birth date (födelsedatum) ${birthDate} is after today`);
  }
  const sex: ReservnummerSex = letter === 'K' ? 'female' : letter === 'M' ? 'male' : 'unknown';
  return { ok: true, value: { normalized, birthDate, sex } };
}

function formatError(): Result<ParsedReservnummer, ReservnummerReason> {
  return invalid(
    'format',
    'the format is wrong: a nationellt reservnummer is 12 characters YYYYMMDD, K/M/X, two digits and a check digit (e.g. 20210325K069)',
  );
}
