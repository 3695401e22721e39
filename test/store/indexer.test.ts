import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { indexResource } from '../../src/store/indexer.ts';
import { SearchParamRegistry } from '../../src/store/search-params.ts';
import { loadDefinitions } from '../../src/gateway/validation.ts';

const PNR = 'http://electronichealth.se/identifier/personnummer';
const resources: Resource[] = [
  {
    resourceType: 'Patient',
    identifier: [{ system: PNR, value: '195009072553' }],
    active: true,
    name: [{ family: 'Öberg', given: ['Åsa', 'Maria'], prefix: ['Dr'] }],
    telecom: [{ system: 'phone', value: '070-1234567' }, { system: 'email', value: 'asa@example.se' }],
    gender: 'female',
    birthDate: '1950-09-07',
    deceasedBoolean: false,
    address: [{ line: ['Storgatan 1'], city: 'Örebro', postalCode: '70210', country: 'SE', use: 'home' }],
    communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'sv' }] } }],
    generalPractitioner: [{ reference: 'Practitioner/p1' }, { reference: 'Organization/o1' }],
    managingOrganization: { reference: 'Organization/o1' },
    meta: { profile: ['http://example.org/p'], security: [{ system: 'http://s', code: 'x' }], tag: [{ code: 't' }], source: 'src' },
  } as Resource,
  { resourceType: 'Patient', deceasedDateTime: '2020-01-01T10:00:00Z', name: [{ text: 'Just Text' }] } as Resource,
  {
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '183452005' }], text: 'Emergency' }],
    identifier: [{ system: 'http://example.org/visit', value: 'V1' }],
    subject: { reference: 'Patient/p1' },
    participant: [
      { type: [{ coding: [{ code: 'ATND' }] }], individual: { reference: 'Practitioner/pr1' } },
      { individual: { reference: 'RelatedPerson/r1' } },
    ],
    period: { start: '2024-03-01T08:00:00+01:00', end: '2024-03-05T12:00:00+01:00' },
    length: { value: 4, unit: 'd' },
    reasonCode: [{ text: 'fall' }],
    location: [{ location: { reference: 'Location/l1' }, period: { start: '2024-03-01' } }],
    serviceProvider: { reference: 'Organization/o1' },
    hospitalization: { dischargeDisposition: { coding: [{ code: 'home' }] } },
  } as Resource,
  {
    resourceType: 'Communication',
    status: 'completed',
    category: [{ coding: [{ system: 'https://samverkan-gateway.se/fhir/CodeSystem/x', code: 'inskrivningsmeddelande' }] }],
    subject: { reference: 'Patient/p1' },
    encounter: { reference: 'Encounter/e1' },
    sent: '2024-03-01T09:00:00+01:00',
    recipient: [{ reference: 'Organization/kommun' }],
    sender: { reference: 'Organization/avd' },
  } as Resource,
  {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ code: 'SIP' }] }],
    subject: { reference: 'Patient/p1' },
    period: { start: '2024-03-02' },
    activity: [{ detail: { status: 'scheduled', scheduledPeriod: { start: '2024-03-03' }, code: { text: 'x' } } }],
  } as Resource,
];

describe('search indexing', () => {
  const defs = loadDefinitions();
  const fast = new SearchParamRegistry(defs.searchParameters);
  const slow = new SearchParamRegistry(defs.searchParameters);
  for (const type of slow.resourceTypes) for (const p of slow.params(type).values()) delete p.extract;

  it('compiles most R4 expressions of the served types into direct walks', () => {
    let compiled = 0;
    let total = 0;
    for (const type of fast.resourceTypes) {
      for (const p of fast.params(type).values()) {
        total++;
        if (p.extract) compiled++;
      }
    }
    expect(compiled / total).toBeGreaterThan(0.8);
  });

  it.each(resources.map((r, i) => [`${r.resourceType} #${i}`, r] as const))('indexes %s exactly as FHIRPath does', (_name, resource) => {
    const sort = (rows: ReturnType<typeof indexResource>) =>
      Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, (v as unknown[]).map((x) => JSON.stringify(x)).sort()]));
    const a = sort(indexResource(resource, fast));
    const b = sort(indexResource(resource, slow));
    expect(a).toEqual(b);
    expect(Object.values(a).flat().length).toBeGreaterThan(3);
  });
});
