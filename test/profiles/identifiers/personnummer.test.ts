import { describe, expect, it } from 'vitest';
import { parsePersonnummer } from '../../../src/profiles/identifiers/index.ts';
import { TEST_PERSONS, samordningsnummerFor, tenDigit, withCheckDigit, withWrongCheckDigit } from './helpers.ts';

const TODAY = '2025-06-15';

function reasonOf(input: unknown, today?: string): string {
  const r = parsePersonnummer(input, today === undefined ? {} : { today });
  return r.ok ? 'ok' : r.reason;
}

describe('test persons (identifiers.md)', () => {
  it.each(TEST_PERSONS)('%s passes as 12 digits, with -, and as 10 digits', (pnr) => {
    const expected = parsePersonnummer(pnr);
    expect(expected.ok).toBe(true);
    if (!expected.ok) return;
    expect(expected.value.normalized).toBe(pnr);
    expect(expected.value.kind).toBe('personnummer');
    expect(expected.value.birthDate).toBe(`${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${pnr.slice(6, 8)}`);
    expect(expected.value.sex).toBe(Number(pnr[10]) % 2 === 1 ? 'male' : 'female');

    const dashed12 = `${pnr.slice(0, 8)}-${pnr.slice(8)}`;
    expect(parsePersonnummer(dashed12, { today: TODAY })).toEqual(expected);
    // 10 digits: '-' for those who turn at most 99 this year, '+' for the two born in the 1890s.
    const sep = pnr.startsWith('18') ? '+' : '-';
    expect(parsePersonnummer(tenDigit(pnr, sep), { today: TODAY })).toEqual(expected);
    expect(parsePersonnummer(` ${pnr} `)).toEqual(expected);
  });

  it('reads 189002029800 and 189602029812 with + as over 100, and with - as born in the 1990s', () => {
    expect(parsePersonnummer('900202+9800', { today: TODAY })).toMatchObject({
      ok: true,
      value: { normalized: '189002029800', birthDate: '1890-02-02', sex: 'female' },
    });
    expect(parsePersonnummer('960202+9812', { today: TODAY })).toMatchObject({
      ok: true,
      value: { normalized: '189602029812', sex: 'male' },
    });
    expect(parsePersonnummer('900202-9800', { today: TODAY })).toMatchObject({ ok: true, value: { normalized: '199002029800' } });
    expect(parsePersonnummer('9002029800', { today: TODAY })).toMatchObject({ ok: true, value: { normalized: '199002029800' } });
  });

  it('knows the sex from the ninth digit (könssiffra)', () => {
    expect(parsePersonnummer('195009072553')).toMatchObject({ ok: true, value: { sex: 'male' } });
    expect(parsePersonnummer('196101182803')).toMatchObject({ ok: true, value: { sex: 'female' } });
  });
});

describe('check digit (kontrollsiffra)', () => {
  it.each(TEST_PERSONS)('%s with a wrong check digit fails, in 12 and 10 digits', (pnr) => {
    const bad = withWrongCheckDigit(pnr);
    const r = parsePersonnummer(bad);
    expect(r).toEqual({ ok: false, reason: 'checksum', message: 'the check digit is wrong (kontrollsiffra)' });
    expect(reasonOf(tenDigit(bad, pnr.startsWith('18') ? '+' : '-'), TODAY)).toBe('checksum');
  });

  it('fails on every wrong check digit, not just one', () => {
    const pnr = '199002222397';
    for (let c = 0; c <= 9; c++) {
      const candidate = pnr.slice(0, 11) + String(c);
      expect(reasonOf(candidate)).toBe(candidate === pnr ? 'ok' : 'checksum');
    }
  });

  it('fails on swapped digits', () => {
    expect(reasonOf('195009072535')).toBe('checksum');
  });
});

describe('calendar dates (födelsedatum)', () => {
  it('refuses 30 February', () => {
    expect(reasonOf(withCheckDigit('19900230239'))).toBe('date');
  });
  it('refuses 29 February in a non-leap year, including 1900, and accepts it in leap years', () => {
    expect(reasonOf(withCheckDigit('19890229239'))).toBe('date');
    expect(reasonOf(withCheckDigit('19000229239'))).toBe('date');
    expect(reasonOf(withCheckDigit('20000229239'))).toBe('ok');
    expect(reasonOf(withCheckDigit('19880229239'))).toBe('ok');
  });
  it('refuses month 13, month 00, day 00, day 32 and 31 April', () => {
    for (const d of ['19901301', '19900001', '19900100', '19900132', '19900431']) {
      expect(reasonOf(withCheckDigit(`${d}239`)), d).toBe('date');
    }
  });
  it('refuses days 32–60, which are neither personnummer nor samordningsnummer days', () => {
    expect(reasonOf(withCheckDigit('19900145239'))).toBe('date');
    expect(reasonOf(withCheckDigit('19900160239'))).toBe('date');
  });
  it('gives a plain English message naming the Swedish term', () => {
    const r = parsePersonnummer(withCheckDigit('19900230239'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('1990-02-30 is not a real calendar date (födelsedatum)');
  });
  it('refuses a birth date after today, when today is given', () => {
    expect(reasonOf('201701012393', '2016-12-31')).toBe('future');
    expect(reasonOf('201701012393', '2017-01-01')).toBe('ok');
  });
});

describe('samordningsnummer (day + 60)', () => {
  it.each(TEST_PERSONS)('built from %s: day + 60 with a correct check digit passes', (pnr) => {
    const snr = samordningsnummerFor(pnr);
    const r = parsePersonnummer(snr);
    expect(r).toEqual({
      ok: true,
      value: {
        normalized: snr,
        kind: 'samordningsnummer',
        birthDate: `${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${pnr.slice(6, 8)}`,
        sex: Number(pnr[10]) % 2 === 1 ? 'male' : 'female',
      },
    });
    const sep = pnr.startsWith('18') ? '+' : '-';
    expect(parsePersonnummer(tenDigit(snr, sep), { today: TODAY })).toEqual(r);
    expect(reasonOf(withWrongCheckDigit(snr))).toBe('checksum');
  });

  it('uses the real date for leap years and month lengths', () => {
    expect(reasonOf(withCheckDigit('20000289239'))).toBe('ok'); // 29 Feb 2000 + 60
    expect(reasonOf(withCheckDigit('19890289239'))).toBe('date'); // 29 Feb 1989 + 60
    expect(reasonOf(withCheckDigit('19900290239'))).toBe('date'); // 30 Feb + 60
    expect(reasonOf(withCheckDigit('19900491239'))).toBe('date'); // 31 Apr + 60
    expect(reasonOf(withCheckDigit('19900192239'))).toBe('date'); // day 92
  });

  it('says why in the message', () => {
    const r = parsePersonnummer(withCheckDigit('19900290239'));
    expect(!r.ok && r.message).toContain('samordningsnummer');
  });
});

describe('century (sekel) and the + separator', () => {
  it('needs a reference date for 10 digits', () => {
    const r = parsePersonnummer('500907-2553');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('century');
      expect(r.message).toContain('sekel');
    }
  });

  it('treats no separator as -', () => {
    expect(parsePersonnummer('5009072553', { today: TODAY })).toMatchObject({ ok: true, value: { normalized: '195009072553' } });
  });

  it('switches - to + in the calendar year the person turns 100 (FOL 18 §)', () => {
    // A number born 1925-12-31, read at the end of 2024 and in 2025 (the year of the 100th birthday).
    const born1925 = withCheckDigit('19251231239');
    const ten = born1925.slice(2);
    const minus = `${ten.slice(0, 6)}-${ten.slice(6)}`;
    const plus = `${ten.slice(0, 6)}+${ten.slice(6)}`;
    expect(parsePersonnummer(minus, { today: '2024-12-31' })).toMatchObject({ ok: true, value: { normalized: born1925 } });
    expect(parsePersonnummer(plus, { today: '2024-12-31' })).toMatchObject({ ok: true, value: { birthDate: '1825-12-31' } });
    expect(parsePersonnummer(plus, { today: '2025-01-01' })).toMatchObject({ ok: true, value: { normalized: born1925 } });
    // In 2025 '-' means 2025-12-31, which is still in the future on 1 January.
    expect(reasonOf(minus, '2025-01-01')).toBe('future');
    expect(parsePersonnummer(minus, { today: '2025-12-31' })).toMatchObject({ ok: true, value: { birthDate: '2025-12-31' } });
  });

  it('reads a born-this-year child with -', () => {
    expect(parsePersonnummer(tenDigit('201701012393'), { today: '2017-03-01' })).toMatchObject({
      ok: true,
      value: { normalized: '201701012393' },
    });
  });

  it('infers 29 February across centuries', () => {
    const leap2000 = withCheckDigit('20000229239');
    expect(parsePersonnummer(tenDigit(leap2000), { today: TODAY })).toMatchObject({
      ok: true,
      value: { birthDate: '2000-02-29' },
    });
    expect(reasonOf(tenDigit(leap2000, '+'), TODAY)).toBe('date'); // 1900 was not a leap year
  });

  it('accepts + in 12 digits only when it is true', () => {
    expect(reasonOf('18900202+9800', TODAY)).toBe('ok');
    expect(reasonOf('19500907+2553', TODAY)).toBe('century');
  });

  it('refuses centuries other than 18, 19 and 20', () => {
    expect(reasonOf('175009072553')).toBe('century');
    expect(reasonOf('215009072553')).toBe('century');
  });
});

describe('format', () => {
  it.each([
    '',
    '19500907255',
    '1950090725533',
    '19500907 2553',
    '1950-09-07-2553',
    '500907--2553',
    'abcdefghijkl',
    '19500907255a',
    '５００９０７２５５３', // full-width digits
    '5009072553\n1',
  ])('refuses %j', (input) => {
    expect(reasonOf(input, TODAY)).toBe('format');
  });

  it.each([null, undefined, 195009072553, {}, []])('refuses non-strings (%j)', (input) => {
    expect(reasonOf(input)).toBe('format');
  });

  it('refuses birth number 000', () => {
    expect(reasonOf(withCheckDigit('19900101000'))).toBe('format');
  });
});
