import { describe, expect, it } from 'vitest';
import {
  SYSTEM,
  canonicalSystem,
  identifierKind,
  normalizeIdentifier,
} from '../../../src/profiles/identifiers/index.ts';
import { samordningsnummerFor } from './helpers.ts';

describe('identifier systems', () => {
  it('emits the HL7 Sweden URIs and OIDs', () => {
    expect(SYSTEM).toEqual({
      personnummer: 'http://electronichealth.se/identifier/personnummer',
      samordningsnummer: 'http://electronichealth.se/identifier/samordningsnummer',
      nationelltReservnummer: 'http://electronichealth.se/identifier/nationelltReservnummer',
      hsaId: 'urn:oid:1.2.752.29.4.19',
      organisationsnummer: 'urn:oid:2.5.4.97',
      kommunkod: 'urn:oid:1.2.752.129.2.2.1.17',
      lanskod: 'urn:oid:1.2.752.129.2.2.1.18',
    });
  });

  it.each([
    ['urn:oid:1.2.752.129.2.1.3.1', SYSTEM.personnummer],
    ['urn:oid:1.2.752.129.2.1.3.3', SYSTEM.samordningsnummer],
    ['urn:oid:1.2.752.129.2.1.4.1', SYSTEM.hsaId],
    ['1.2.752.129.2.1.3.1', SYSTEM.personnummer],
    ['1.2.752.129.2.1.4.1', SYSTEM.hsaId],
    [SYSTEM.personnummer, SYSTEM.personnummer],
    [SYSTEM.kommunkod, SYSTEM.kommunkod],
  ])('maps %s to %s', (alias, canonical) => {
    expect(canonicalSystem(alias)).toBe(canonical);
  });

  it('leaves unknown systems alone', () => {
    for (const s of ['http://example.org/mrn', '', 'constructor', '__proto__', 'toString']) {
      expect(canonicalSystem(s)).toBe(s);
      expect(identifierKind(s)).toBeUndefined();
    }
  });

  it('knows the kind behind a system or alias', () => {
    expect(identifierKind('urn:oid:1.2.752.129.2.1.3.3')).toBe('samordningsnummer');
    expect(identifierKind(SYSTEM.nationelltReservnummer)).toBe('nationelltReservnummer');
    expect(identifierKind(SYSTEM.lanskod)).toBe('lanskod');
  });
});

describe('normalizeIdentifier', () => {
  it('maps a RIVTA personnummer to the HL7 Sweden system and 12 digits, keeping other elements', () => {
    expect(
      normalizeIdentifier({ use: 'official', system: 'urn:oid:1.2.752.129.2.1.3.1', value: '19500907-2553' }),
    ).toEqual({ use: 'official', system: SYSTEM.personnummer, value: '195009072553' });
  });

  it('reads 10 digits with the given today', () => {
    expect(
      normalizeIdentifier({ system: '1.2.752.129.2.1.3.1', value: '900202+9800' }, { today: '2025-06-15' }),
    ).toEqual({ system: SYSTEM.personnummer, value: '189002029800' });
  });

  it('normalises RIVTA samordningsnummer, HSA-id and organisationsnummer', () => {
    expect(normalizeIdentifier({ system: 'urn:oid:1.2.752.129.2.1.3.3', value: '19500967-2550' })).toEqual({
      system: SYSTEM.samordningsnummer,
      value: '195009672550',
    });
    expect(normalizeIdentifier({ system: 'urn:oid:1.2.752.129.2.1.4.1', value: ' SE2321000131-P000000123457' })).toEqual({
      system: SYSTEM.hsaId,
      value: 'SE2321000131-P000000123457',
    });
    expect(normalizeIdentifier({ system: SYSTEM.organisationsnummer, value: '16232100-0131' })).toEqual({
      system: SYSTEM.organisationsnummer,
      value: '2321000131',
    });
  });

  it('leaves an invalid value as sent, for the check to report', () => {
    expect(normalizeIdentifier({ system: 'urn:oid:1.2.752.129.2.1.3.1', value: '19500907-2554' })).toEqual({
      system: SYSTEM.personnummer,
      value: '19500907-2554',
    });
    // A samordningsnummer under the personnummer system is not silently moved.
    const snr = samordningsnummerFor('195009072553');
    expect(normalizeIdentifier({ system: SYSTEM.personnummer, value: snr })).toEqual({ system: SYSTEM.personnummer, value: snr });
  });

  it('leaves identifiers of other systems untouched', () => {
    const id = { system: 'http://example.org/mrn', value: ' x ' };
    expect(normalizeIdentifier(id)).toBe(id);
    const noSystem = { value: '195009072553' };
    expect(normalizeIdentifier(noSystem)).toBe(noSystem);
  });
});
