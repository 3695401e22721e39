import { describe, expect, it } from 'vitest';
import { parseHsaId, parseOrganisationsnummer, parseReservnummer } from '../../../src/profiles/identifiers/index.ts';
import { luhn } from './helpers.ts';

// Reservnummer check digit: Luhn over YYMMDDGgg with K = 5, M = 7, X = 8 (computed here independently).
function reserv(yyyymmdd: string, letter: 'K' | 'M' | 'X', serial: string): string {
  const letterValue = { K: '5', M: '7', X: '8' }[letter];
  return `${yyyymmdd}${letter}${serial}${luhn(yyyymmdd.slice(2) + letterValue + serial)}`;
}

describe('nationellt reservnummer', () => {
  it('accepts the example in identifiers.md and the format examples', () => {
    expect(parseReservnummer('20210325K069')).toEqual({
      ok: true,
      value: { normalized: '20210325K069', birthDate: '2021-03-25', sex: 'female' },
    });
    for (const r of ['19810829M071', '19450829K088', '19930829X802']) expect(parseReservnummer(r).ok, r).toBe(true);
    expect(parseReservnummer('19930829X802')).toMatchObject({ value: { sex: 'unknown' } });
    expect(parseReservnummer(reserv('18991231', 'M', '79')).ok).toBe(true);
  });

  it('upper-cases the letter', () => {
    expect(parseReservnummer('20210325k069')).toMatchObject({ ok: true, value: { normalized: '20210325K069' } });
  });

  it('refuses a wrong check digit', () => {
    expect(parseReservnummer('20210325K068')).toMatchObject({ ok: false, reason: 'checksum' });
    expect(parseReservnummer('20210325M069')).toMatchObject({ ok: false }); // letter counts in the check digit
  });

  it('refuses a serial that does not fit the sex letter', () => {
    expect(parseReservnummer(reserv('20210325', 'K', '07'))).toMatchObject({ ok: false, reason: 'format' });
    expect(parseReservnummer(reserv('20210325', 'M', '06'))).toMatchObject({ ok: false, reason: 'format' });
    expect(parseReservnummer(reserv('20210325', 'K', '04'))).toMatchObject({ ok: false, reason: 'format' });
    expect(parseReservnummer(reserv('20210325', 'X', '79'))).toMatchObject({ ok: false, reason: 'format' });
    expect(parseReservnummer(reserv('20210325', 'X', '85')).ok).toBe(true);
  });

  it('refuses impossible dates and, with today, future ones', () => {
    expect(parseReservnummer(reserv('20210230', 'K', '06'))).toMatchObject({ ok: false, reason: 'date' });
    expect(parseReservnummer(reserv('20211301', 'K', '06'))).toMatchObject({ ok: false, reason: 'date' });
    expect(parseReservnummer('20210325K069', { today: '2021-03-24' })).toMatchObject({ ok: false, reason: 'future' });
  });

  it.each(['', '20210325K06', '20210325-K069', '2021-03-25K069', '23210325AB29', '20210325Q069', '21210325K069'])(
    'refuses %j as format',
    (input) => {
      expect(parseReservnummer(input)).toMatchObject({ ok: false, reason: 'format' });
    },
  );
});

describe('HSA-id', () => {
  it('accepts SE + 10 digits + - + letters/digits', () => {
    expect(parseHsaId('SE2321000131-P000000123457')).toEqual({ ok: true, value: 'SE2321000131-P000000123457' });
    expect(parseHsaId('SE2321000016-1')).toMatchObject({ ok: true });
    expect(parseHsaId(' SE2321000016-abcXYZ09 ')).toEqual({ ok: true, value: 'SE2321000016-abcXYZ09' });
  });

  it('refuses more than 31 characters', () => {
    const id = `SE2321000131-${'A'.repeat(18)}`;
    expect(id.length).toBe(31);
    expect(parseHsaId(id).ok).toBe(true);
    expect(parseHsaId(`${id}B`)).toMatchObject({ ok: false, reason: 'length' });
  });

  it.each([
    'SE2321000131-',
    'SE2321000131',
    'se2321000131-P1',
    'NO2321000131-P1',
    'SE232100013-P1',
    'SE23210001311-P1',
    'SE232100-0131-P1',
    'SE2321000131-P-1',
    'SE2321000131-Pö1',
    'SE2321000131-P@1',
    'SE2321000131_P1',
  ])('refuses %j', (input) => {
    const r = parseHsaId(input);
    expect(r).toMatchObject({ ok: false, reason: 'format' });
    expect(!r.ok && r.message).toContain('HSA-id');
  });
});

describe('organisationsnummer', () => {
  it.each(['2321000131', '232100-0131', '162321000131', '16232100-0131'])('accepts %s as 2321000131', (input) => {
    expect(parseOrganisationsnummer(input)).toEqual({ ok: true, value: '2321000131' });
  });

  it('accepts other well-formed numbers', () => {
    expect(parseOrganisationsnummer('556559-4230')).toEqual({ ok: true, value: '5565594230' });
  });

  it('refuses a wrong check digit', () => {
    expect(parseOrganisationsnummer('2321000132')).toMatchObject({ ok: false, reason: 'checksum' });
  });

  it('refuses a third digit below 2 (a personnummer)', () => {
    const r = parseOrganisationsnummer('5009072553');
    expect(r).toMatchObject({ ok: false, reason: 'format' });
    expect(!r.ok && r.message).toContain('organisationsnummer');
  });

  it.each(['', '232100013', '23210001311', '2321-000131', '172321000131', 'SE2321000131', '232100 0131'])(
    'refuses %j as format',
    (input) => {
      expect(parseOrganisationsnummer(input)).toMatchObject({ ok: false, reason: 'format' });
    },
  );
});
