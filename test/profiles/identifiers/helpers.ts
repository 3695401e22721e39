// Test-side helpers, written independently of src so a shared bug cannot hide: a Luhn done by
// concatenating the products' digits, and builders for numbers with a correct check digit.

/** Test persons from shared/domain/identifiers.md (Inera test environment and Skatteverket's test set). */
export const TEST_PERSONS = [
  '195009072553',
  '196101182803',
  '189002029800',
  '200302022389',
  '199002222397',
  '200001252386',
  '189602029812',
  '201701012393',
] as const;

/** Luhn check digit over a string of digits: weights 2,1,2,… from the left, digit sum of all products. */
export function luhn(digits: string): string {
  const products = [...digits].map((d, i) => String(Number(d) * (i % 2 === 0 ? 2 : 1))).join('');
  const sum = [...products].reduce((acc, d) => acc + Number(d), 0);
  return String((10 - (sum % 10)) % 10);
}

/** A 12-digit number YYYYMMDD + NNN + check digit; the check digit is over the last 9 before it. */
export function withCheckDigit(yyyymmddnnn: string): string {
  return yyyymmddnnn + luhn(yyyymmddnnn.slice(2));
}

/** The same number with its check digit made wrong. */
export function withWrongCheckDigit(valid12: string): string {
  const c = Number(valid12.slice(-1));
  return valid12.slice(0, -1) + String((c + 1) % 10);
}

/** A samordningsnummer for a test person: same date and birth number, day + 60, fresh check digit. */
export function samordningsnummerFor(pnr12: string): string {
  const day = Number(pnr12.slice(6, 8)) + 60;
  return withCheckDigit(pnr12.slice(0, 6) + String(day) + pnr12.slice(8, 11));
}

/** YYMMDD-NNNC (or +) from 12 digits. */
export function tenDigit(pnr12: string, separator: '-' | '+' | '' = '-'): string {
  return `${pnr12.slice(2, 8)}${separator}${pnr12.slice(8)}`;
}
