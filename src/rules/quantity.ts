// Exact quantities. Days are integers, except the average part when a threshold has decimals, so
// billable days are carried in hundredths of a day; money is carried in whole öre. No floats touch
// a figure that is compared or billed: a mean is kept as the fraction total / n.

/** Hundredths of a day (300 = 3.00 days). */
export type Hundredths = number;
/** Whole öre (100 öre = 1 krona). */
export type Ore = number;

/** Round a non-negative fraction num / den half up to an integer. */
export function roundHalfUp(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

/** total / n as a decimal string with two decimals, rounded half up (display only). */
export function formatMean(total: number, n: number): string {
  if (n === 0) return '';
  const h = roundHalfUp(total * 100, n);
  return `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`;
}

/** A threshold for display: 300 → '3.0', 250 → '2.5', 275 → '2.75'. */
export function formatThreshold(h: Hundredths): string {
  const s = formatHundredths(h);
  return s.includes('.') ? s : `${s}.0`;
}

/** The mean in hundredths, rounded half up, for FHIR's measureScore. */
export function meanHundredths(total: number, n: number): Hundredths | null {
  return n === 0 ? null : roundHalfUp(total * 100, n);
}

/** 250 → '2.5', 300 → '3', 7 → '0.07'. */
export function formatHundredths(h: Hundredths): string {
  const sign = h < 0 ? '-' : '';
  const a = Math.abs(h);
  const whole = Math.floor(a / 100);
  const frac = a % 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** öre → '7800.00' (SEK with two decimals, no grouping: for CSV and JSON). */
export function formatSek(ore: Ore): string {
  const sign = ore < 0 ? '-' : '';
  const a = Math.abs(ore);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/**
 * SEK given as text or number ('7800', '7800.5', '7 800,50', 7800) → whole öre, exactly (no float
 * multiplication). Returns null for anything else, including more than two decimals or a negative.
 */
export function parseSek(value: number | string): Ore | null {
  const text = (typeof value === 'number' ? String(value) : value).replace(/[\s\u00a0]/g, '').replace(',', '.');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const ore = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(ore) ? ore : null;
}

/** A threshold in days ('3.0', 2, 2.5) → hundredths, exactly; null when it has more than two decimals. */
export function parseDaysHundredths(value: number | string): Hundredths | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(value).trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Money for days × daily amount: hundredths × öre / 100, rounded half up to whole öre. */
export function amountFor(days: Hundredths, dailyAmount: Ore): Ore {
  return roundHalfUp(days * dailyAmount, 100);
}
