// Realistic, valid resources of every kind the gateway handles pass layer 1 with no issues at all.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { Validator } from '../../src/profiles/validation/index.ts';
import { ctx, encounter, loadR4 } from './support.ts';

beforeAll(loadR4);

const PNR = 'http://electronichealth.se/identifier/personnummer';
const HSA = 'urn:oid:1.2.752.29.4.19';
const KOMMUNKOD = 'urn:oid:1.2.752.129.2.2.1.17';
const SNOMED = 'http://snomed.info/sct';

const patient: Resource = {
  resourceType: 'Patient',
  id: 'pat-1',
  meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] },
  identifier: [{ use: 'official', system: PNR, value: '195009072553' }],
  active: true,
  name: [{ use: 'official', family: 'Andersson', given: ['Karl', 'Erik'] }],
  telecom: [{ system: 'phone', value: '070-123 45 67', use: 'mobile' }],
  gender: 'male',
  birthDate: '1950-09-07',
  address: [{ use: 'home', type: 'physical', line: ['Storgatan 1'], postalCode: '11122', city: 'Stockholm', country: 'SE' }],
  managingOrganization: { identifier: { system: HSA, value: 'SE2321000016-0001' }, display: 'Vårdcentralen City' },
} as Resource;

const organization: Resource = {
  resourceType: 'Organization',
  id: 'kommun-0180',
  identifier: [{ system: KOMMUNKOD, value: '0180' }],
  active: true,
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'govt' }] }],
  name: 'Stockholms kommun',
  telecom: [{ system: 'email', value: 'utskrivning@stockholm.se' }],
} as Resource;

const communication: Resource = {
  resourceType: 'Communication',
  status: 'completed',
  category: [{ coding: [{ system: 'https://samverkan-gateway.se/fhir/CodeSystem/notice-kind', code: 'inskrivningsmeddelande' }] }],
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  sent: '2025-02-28T09:15:00+01:00',
  sender: { identifier: { system: HSA, value: 'SE2321000016-1234' } },
  recipient: [{ reference: 'Organization/kommun-0180' }],
  payload: [{ contentString: 'Patienten är inskriven på avdelning 12.' }],
} as Resource;

const careTeam: Resource = {
  resourceType: 'CareTeam',
  status: 'active',
  name: 'Samordnad individuell plan',
  subject: { reference: 'Patient/pat-1' },
  period: { start: '2025-02-28' },
  participant: [
    { role: [{ text: 'Fast vårdkontakt' }], member: { reference: 'Practitioner/p1' }, period: { start: '2025-02-28' } },
    { role: [{ text: 'Biståndshandläggare' }], member: { reference: 'Organization/kommun-0180' } },
  ],
} as Resource;

const carePlan: Resource = {
  resourceType: 'CarePlan',
  status: 'active',
  intent: 'plan',
  category: [{ coding: [{ system: SNOMED, code: '736353004', display: 'Inpatient care plan' }] }],
  title: 'Plan vid utskrivning',
  subject: { reference: 'Patient/pat-1' },
  encounter: { reference: 'Encounter/enc-1' },
  period: { start: '2025-03-01', end: '2025-03-31' },
  activity: [{ detail: { status: 'scheduled', description: 'Hemtjänst två gånger dagligen' } }],
} as Resource;

const consent: Resource = {
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: 'Patient/pat-1' },
  dateTime: '2025-02-28T10:00:00+01:00',
  policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
  provision: { type: 'permit', period: { start: '2025-02-28', end: '2025-06-30' } },
} as Resource;

const bundle: Resource = {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      fullUrl: 'urn:uuid:7f3a1c9e-2b4d-4e8f-9a6b-0c1d2e3f4a5b',
      resource: { ...patient, id: undefined, meta: undefined },
      request: { method: 'POST', url: 'Patient' },
    },
    {
      fullUrl: 'urn:uuid:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      resource: { ...(encounter() as object), subject: { reference: 'urn:uuid:7f3a1c9e-2b4d-4e8f-9a6b-0c1d2e3f4a5b' } },
      request: { method: 'POST', url: 'Encounter' },
    },
    { resource: communication, request: { method: 'POST', url: 'Communication' } },
  ],
} as Resource;

describe('valid resources pass with no issues', () => {
  const v = new Validator();
  const cases: [string, Resource][] = [
    ['Encounter', encounter()],
    ['Encounter with location history', encounter({ location: [{ location: { reference: 'Location/avd-12' }, status: 'completed', period: { start: '2024-03-01T08:00:00Z', end: '2024-03-05T10:00:00Z' } }] })],
    ['Patient', patient],
    ['Organization', organization],
    ['Communication', communication],
    ['CareTeam', careTeam],
    ['CarePlan', carePlan],
    ['Consent', consent],
    ['transaction Bundle', bundle],
  ];
  it.each(cases)('%s', (_name, resource) => {
    expect(v.validate(resource, ctx)).toEqual([]);
  });

  it('the peer benchmark Encounters (all statuses and shapes) pass', async () => {
    const { makeEncounter } = (await import('/work/shared/peer/fixtures.mjs' as string)) as { makeEncounter: (i: number) => Resource };
    for (let i = 0; i < 60; i++) expect(v.validate(makeEncounter(i), ctx), `encounter ${i}`).toEqual([]);
  });

  it('does not modify the resource it validates', () => {
    const copy = structuredClone(bundle);
    v.validate(bundle, ctx);
    expect(bundle).toEqual(copy);
  });
});

describe("medplum's own structure checks still come through", () => {
  const v = new Validator();

  it('a reference to the wrong resource type is a warning; urn:uuid references are not', () => {
    const issues = v.validate(encounter({ subject: { reference: 'Practitioner/p1' } }), ctx);
    expect(issues).toMatchObject([{ severity: 'warning', expression: ['Encounter.subject'] }]);
    expect(v.validate(encounter({ subject: { reference: 'urn:uuid:7f3a1c9e-2b4d-4e8f-9a6b-0c1d2e3f4a5b' } }), ctx)).toEqual([]);
  });

  it('an impossible date, an unknown property and a missing required element are errors', () => {
    const issues = v.validate(encounter({ period: { start: '2023-02-29' }, colour: 'red', status: undefined }), ctx);
    expect(issues.filter((i) => i.severity === 'error').map((i) => i.expression?.[0]).sort()).toEqual([
      'Encounter.colour',
      'Encounter.period.start',
      'Encounter.status',
    ]);
  });

  it('names choice elements in FHIRPath form (value, not value[x])', () => {
    const issues = v.validate({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 'five' } }, ctx);
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Observation.value.value']);
  });
});
