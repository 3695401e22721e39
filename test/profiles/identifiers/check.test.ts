import { describe, expect, it } from 'vitest';
import { SYSTEM, checkSwedishIdentifiers } from '../../../src/profiles/identifiers/index.ts';
import { TEST_PERSONS, samordningsnummerFor, withCheckDigit, withWrongCheckDigit } from './helpers.ts';

const BAD_PNR = withWrongCheckDigit('195009072553');
const pnr = (value: unknown, system: string = SYSTEM.personnummer) => ({ system, value });

function expressions(resource: unknown, today?: string): string[] {
  return checkSwedishIdentifiers(resource, today === undefined ? {} : { today }).flatMap((i) => i.expression ?? []);
}

describe('checkSwedishIdentifiers', () => {
  it('passes a patient with valid Swedish identifiers of every kind', () => {
    const patient = {
      resourceType: 'Patient',
      identifier: [
        ...TEST_PERSONS.map((p) => pnr(p)),
        pnr(samordningsnummerFor('196101182803'), SYSTEM.samordningsnummer),
        pnr('20210325K069', SYSTEM.nationelltReservnummer),
        pnr('195009072553', 'urn:oid:1.2.752.129.2.1.3.1'),
        { system: 'http://example.org/mrn', value: 'not-checked' },
      ],
      managingOrganization: { identifier: pnr('SE2321000131-P000000123457', SYSTEM.hsaId) },
      extension: [
        {
          url: 'https://samverkan-gateway.se/fhir/StructureDefinition/folkbokforingskommun',
          valueCoding: { system: SYSTEM.kommunkod, code: '1880' },
        },
      ],
    };
    expect(checkSwedishIdentifiers(patient)).toEqual([]);
  });

  it('reports a bad personnummer with its FHIRPath and a plain message', () => {
    const issues = checkSwedishIdentifiers({ resourceType: 'Patient', identifier: [pnr(BAD_PNR)] });
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'value',
        details: {
          text: 'Patient.identifier[0].value is not a valid personnummer: the check digit is wrong (kontrollsiffra)',
        },
        expression: ['Patient.identifier[0].value'],
      },
    ]);
  });

  it('finds a bad personnummer in a contained resource', () => {
    const encounter = {
      resourceType: 'Encounter',
      contained: [
        { resourceType: 'Organization', identifier: [pnr('2321000131', SYSTEM.organisationsnummer)] },
        { resourceType: 'Patient', identifier: [pnr('195009072553'), pnr(BAD_PNR)] },
      ],
    };
    expect(expressions(encounter)).toEqual(['Encounter.contained[1].identifier[1].value']);
  });

  it('finds a bad personnummer in a Bundle entry, and in a Reference.identifier', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', identifier: [pnr('196101182803')] } },
        { resource: { resourceType: 'Encounter', subject: { identifier: pnr('19900230', SYSTEM.personnummer) } } },
        { resource: { resourceType: 'Patient', identifier: [pnr(BAD_PNR, 'urn:oid:1.2.752.129.2.1.3.1')] } },
      ],
    };
    const issues = checkSwedishIdentifiers(bundle);
    expect(issues.map((i) => i.expression?.[0])).toEqual([
      'Bundle.entry[1].resource.subject.identifier.value',
      'Bundle.entry[2].resource.identifier[0].value',
    ]);
    expect(issues[1]?.details?.text).toContain('kontrollsiffra');
  });

  it('reports the date (födelsedatum) and kind mix-ups', () => {
    const issues = checkSwedishIdentifiers({
      resourceType: 'Patient',
      identifier: [
        pnr(withCheckDigit('19900230239')),
        pnr(samordningsnummerFor('195009072553')),
        pnr('195009072553', SYSTEM.samordningsnummer),
      ],
    });
    expect(issues).toHaveLength(3);
    expect(issues[0]?.details?.text).toMatch(/^Patient\.identifier\[0\]\.value is not a valid personnummer: .*födelsedatum/);
    expect(issues[1]?.details?.text).toContain('it is a samordningsnummer');
    expect(issues[2]?.details?.text).toMatch(
      /^Patient\.identifier\[2\]\.value is not a valid samordningsnummer: it is a personnummer/,
    );
  });

  it('checks kommunkod and länskod Codings and Identifiers', () => {
    const organization = {
      resourceType: 'Organization',
      identifier: [pnr('0000', SYSTEM.kommunkod), pnr('1480', SYSTEM.kommunkod)],
      type: [{ coding: [{ system: SYSTEM.kommunkod, code: '9999' }, { system: SYSTEM.kommunkod, code: '9901' }] }],
      address: [{ extension: [{ url: 'x', valueCoding: { system: SYSTEM.lanskod, code: '02' } }] }],
      extension: [{ url: 'y', valueCoding: { system: SYSTEM.kommunkod, code: 180 } }],
    };
    const issues = checkSwedishIdentifiers(organization);
    expect(issues.map((i) => i.expression?.[0])).toEqual([
      'Organization.identifier[0].value',
      'Organization.type[0].coding[0].code',
      'Organization.address[0].extension[0].valueCoding.code',
      'Organization.extension[0].valueCoding.code',
    ]);
    expect(issues[0]?.details?.text).toBe(
      "Organization.identifier[0].value is not a valid kommunkod: 0000 is not a kommunkod in SCB's list of kommuner",
    );
    expect(issues[2]?.details?.text).toContain('länskod');
  });

  it('checks HSA-id, organisationsnummer and reservnummer values', () => {
    const issues = checkSwedishIdentifiers({
      resourceType: 'Practitioner',
      identifier: [
        pnr('SE2321000131', SYSTEM.hsaId),
        pnr('232100-0132', 'urn:oid:2.5.4.97'),
        pnr('20210325K068', SYSTEM.nationelltReservnummer),
      ],
    });
    expect(issues.map((i) => i.details?.text?.split(':')[0])).toEqual([
      'Practitioner.identifier[0].value is not a valid HSA-id',
      'Practitioner.identifier[1].value is not a valid organisationsnummer',
      'Practitioner.identifier[2].value is not a valid nationellt reservnummer',
    ]);
  });

  it('reports non-string and empty values, ignores identifiers with no value', () => {
    const patient = { resourceType: 'Patient', identifier: [pnr(195009072553), pnr(''), { system: SYSTEM.personnummer }] };
    expect(expressions(patient)).toEqual(['Patient.identifier[0].value', 'Patient.identifier[1].value']);
  });

  it('reads 10-digit values only when given today', () => {
    const patient = { resourceType: 'Patient', identifier: [pnr('500907-2553')] };
    expect(checkSwedishIdentifiers(patient)[0]?.details?.text).toContain('sekel');
    expect(checkSwedishIdentifiers(patient, { today: '2025-06-15' })).toEqual([]);
    expect(expressions({ resourceType: 'Patient', identifier: [pnr('201701012393')] }, '2016-01-01')).toEqual([
      'Patient.identifier[0].value',
    ]);
  });

  it('returns nothing for non-resources', () => {
    for (const input of [null, undefined, 0, 'Patient', true, [], [{ system: SYSTEM.personnummer, value: BAD_PNR }]]) {
      expect(checkSwedishIdentifiers(input)).toEqual([]);
    }
  });

  it('uses Resource as the root name when resourceType is missing', () => {
    expect(expressions({ identifier: [pnr(BAD_PNR)] })).toEqual(['Resource.identifier[0].value']);
  });

  it('stops at cycles and deep nesting with an issue instead of throwing', () => {
    const cyclic: Record<string, unknown> = { resourceType: 'Patient' };
    cyclic.self = cyclic;
    const issues = checkSwedishIdentifiers(cyclic);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('too-costly');

    let deep: Record<string, unknown> = { system: SYSTEM.personnummer, value: BAD_PNR };
    for (let i = 0; i < 100_000; i++) deep = { item: [deep] };
    expect(checkSwedishIdentifiers({ resourceType: 'QuestionnaireResponse', item: [deep] })[0]?.code).toBe('too-costly');
  });

  it('does not throw on hostile objects', () => {
    const hostile = { resourceType: 'Patient', get identifier(): never { throw new Error('boom'); } };
    expect(checkSwedishIdentifiers(hostile)).toEqual([expect.objectContaining({ code: 'exception' })]);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(() => checkSwedishIdentifiers({ resourceType: 'Patient', contained: [revoked.proxy] })).not.toThrow();
  });

  it('is fast: a 1 000-entry Bundle in well under a write budget', () => {
    const entry = Array.from({ length: 1000 }, (_, i) => ({
      resource: {
        resourceType: 'Patient',
        identifier: [pnr(TEST_PERSONS[i % TEST_PERSONS.length]), { system: 'http://example.org/mrn', value: String(i) }],
        name: [{ family: 'Testsson', given: ['Test'] }],
        address: [
          {
            line: ['Gatan 1'],
            city: 'Örebro',
            extension: [{ url: 'k', valueCoding: { system: SYSTEM.kommunkod, code: '1880' } }],
          },
        ],
        managingOrganization: { identifier: pnr('SE2321000131-P000000123457', SYSTEM.hsaId) },
      },
    }));
    const bundle = { resourceType: 'Bundle', type: 'batch', entry };
    checkSwedishIdentifiers(bundle); // warm up
    const start = performance.now();
    for (let i = 0; i < 10; i++) expect(checkSwedishIdentifiers(bundle)).toEqual([]);
    const perBundle = (performance.now() - start) / 10;
    expect(perBundle).toBeLessThan(50);
  });
});
