// Luhn (mod 10) as Skatteverket uses it: weights 2,1,2,… from the left over the digits before the
// check digit; a product of two digits counts as the sum of its digits.

/** The check digit for `digits` (an array of 0–9 values, check digit not included). */
export function luhnCheckDigit(digits: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits[i] ?? 0;
    const p = i % 2 === 0 ? d * 2 : d;
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
}

/** The 0–9 values of a string of ASCII digits (caller has checked it is all digits). */
export function digitsOf(s: string): number[] {
  const out = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) - 48;
  return out;
}
