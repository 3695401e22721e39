// Organisationsnummer (Skatteverket SKV 709): 10 digits, group digit first, Luhn check digit last.
// The third digit is 2 or more so it never reads as a personnummer; a sole trader's personnummer
// therefore does not pass here. Accepted: NNNNNNNNNN, NNNNNN-NNNN, and the same with the "16"
// prefix that some registers use to make it 12 digits. Normalised to the 10 plain digits.
import { luhnCheckDigit, digitsOf } from './luhn.ts';
import { invalid } from './result.ts';
import type { Result } from './result.ts';

export type OrganisationsnummerReason = 'format' | 'checksum';

const SHAPE = /^(?:16)?(\d{6})-?(\d{4})$/;

export function parseOrganisationsnummer(input: unknown): Result<string, OrganisationsnummerReason> {
  if (typeof input !== 'string') return formatError();
  const m = SHAPE.exec(input.trim());
  if (!m) return formatError();
  const ten = (m[1] ?? '') + (m[2] ?? '');
  const digits = digitsOf(ten);
  if ((digits[2] ?? 0) < 2) {
    return invalid(
      'format',
      'the third digit must be 2 or more (organisationsnummer); a number whose third digit is 0 or 1 is a personnummer',
    );
  }
  if (luhnCheckDigit(digits.slice(0, 9)) !== digits[9]) {
    return invalid('checksum', 'the check digit is wrong (kontrollsiffra)');
  }
  return { ok: true, value: ten };
}

function formatError(): Result<string, OrganisationsnummerReason> {
  return invalid(
    'format',
    'the format is wrong: an organisationsnummer is 10 digits (NNNNNN-NNNN, the - optional), optionally prefixed with 16',
  );
}
