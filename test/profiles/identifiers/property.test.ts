import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SYSTEM,
  checkIdentifierValue,
  checkSwedishIdentifiers,
  parseHsaId,
  parseOrganisationsnummer,
  parsePersonnummer,
  parseReservnummer,
} from '../../../src/profiles/identifiers/index.ts';
import type { IdentifierKind } from '../../../src/profiles/identifiers/index.ts';
import { luhn } from './helpers.ts';

const TODAY = '2025-06-15';
const KINDS = Object.keys(SYSTEM) as IdentifierKind[];
const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^[0-9+\- ]{0,14}$/),
  fc.stringMatching(/^[0-9KMXkmx]{12}$/),
);

// A valid number from its parts, built with the test's own Luhn and the platform's calendar.
const validNumber = fc
  .record({
    date: fc.date({ min: new Date('1880-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true }),
    serial: fc.integer({ min: 1, max: 999 }),
    samordning: fc.boolean(),
  })
  .map(({ date, serial, samordning }) => {
    const year = date.getUTCFullYear();
    const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
    const day = date.getUTCDate();
    const dd = String(samordning ? day + 60 : day).padStart(2, '0');
    const body = `${String(year).slice(2)}${mm}${dd}${String(serial).padStart(3, '0')}`;
    const twelve = `${String(year).slice(0, 2)}${body}${luhn(body)}`;
    const separator = 2025 - year >= 100 ? '+' : '-';
    return {
      twelve,
      ten: `${twelve.slice(2, 8)}${separator}${twelve.slice(8)}`,
      birthDate: `${year}-${mm}-${String(day).padStart(2, '0')}`,
      kind: samordning ? 'samordningsnummer' : 'personnummer',
      sex: serial % 2 === 1 ? 'male' : 'female',
    };
  });

describe('properties', () => {
  it('random strings never make a parser throw', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        parsePersonnummer(s);
        parsePersonnummer(s, { today: TODAY });
        parseReservnummer(s);
        parseHsaId(s);
        parseOrganisationsnummer(s);
        for (const kind of KINDS) checkIdentifierValue(kind, s, { today: TODAY });
      }),
      { numRuns: 2000 },
    );
  });

  it('random values never make the resource check throw', () => {
    const identifierish = fc.record(
      {
        system: fc.constantFrom(...Object.values(SYSTEM), 'urn:oid:1.2.752.129.2.1.3.1'),
        value: fc.anything(),
        code: fc.anything(),
      },
      { requiredKeys: ['system'] },
    );
    const resource = fc.record({
      resourceType: fc.oneof(fc.constant('Patient'), fc.anything()),
      identifier: fc.array(fc.oneof(identifierish, fc.anything())),
      contained: fc.array(fc.anything({ maxDepth: 4 })),
    });
    fc.assert(
      fc.property(fc.oneof(resource, fc.anything()), (r) => {
        const issues = checkSwedishIdentifiers(r, { today: TODAY });
        expect(Array.isArray(issues)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('valid generated numbers always pass, in 12 and 10 digits', () => {
    fc.assert(
      fc.property(validNumber, (n) => {
        const r = parsePersonnummer(n.twelve);
        expect(r).toEqual({ ok: true, value: { normalized: n.twelve, kind: n.kind, birthDate: n.birthDate, sex: n.sex } });
        expect(parsePersonnummer(n.ten, { today: TODAY })).toEqual(r);
        expect(checkIdentifierValue(n.kind as IdentifierKind, n.twelve)).toEqual({ ok: true, value: n.twelve });
      }),
      { numRuns: 3000 },
    );
  });

  it('any other check digit fails', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 1, max: 9 }), (n, delta) => {
        const wrong = n.twelve.slice(0, 11) + String((Number(n.twelve[11]) + delta) % 10);
        expect(parsePersonnummer(wrong)).toMatchObject({ ok: false, reason: 'checksum' });
      }),
    );
  });

  it('whatever 12 digits pass, satisfy Luhn and re-parse to themselves', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(18|19|20)\d{10}$/), (s) => {
        const r = parsePersonnummer(s);
        if (!r.ok) return;
        expect(luhn(s.slice(2, 11))).toBe(s[11]);
        expect(parsePersonnummer(r.value.normalized)).toEqual(r);
      }),
      { numRuns: 3000 },
    );
  });
});
