// Gap 2: the invariants of datatypes (and of nested resources) hold on every nested occurrence, not only
// at the validation root where medplum evaluates them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { Validator } from '../../src/profiles/validation/index.ts';
import { at, ctx, encounter, errors, loadR4, medplumIssues } from './support.ts';

beforeAll(loadR4);

/** Asserts medplum alone has no error here and we report exactly one invariant error `key` at `path`. */
function expectGapClosed(resource: Resource, key: string, path: string): OperationOutcomeIssue {
  expect(errors(medplumIssues(resource)), 'medplum alone should accept this').toEqual([]);
  const issues = errors(new Validator().validate(resource, ctx));
  expect(issues).toHaveLength(1);
  const issue = issues[0] as OperationOutcomeIssue;
  expect(issue).toMatchObject({ severity: 'error', code: 'invariant', expression: [path] });
  expect(issue.details?.text).toContain(key);
  return issue;
}

describe('Period (per-1)', () => {
  it('rejects Encounter.period with end before start', () => {
    expectGapClosed(encounter({ period: { start: '2024-03-05', end: '2024-03-01' } }), 'per-1', 'Encounter.period');
  });

  it('rejects a reversed period deep inside a backbone array', () => {
    const resource = encounter({
      location: [
        { location: { reference: 'Location/a' }, period: { start: '2024-03-01T08:00:00Z' } },
        { location: { reference: 'Location/b' }, period: { start: '2024-03-02T08:00:00Z', end: '2024-03-02T07:59:59Z' } },
      ],
    });
    expectGapClosed(resource, 'per-1', 'Encounter.location[1].period');
  });

  it('accepts start == end, open periods, and mixed precision where the day contains the start', () => {
    const v = new Validator();
    for (const period of [
      { start: '2024-03-01T08:00:00Z', end: '2024-03-01T08:00:00Z' },
      { start: '2024-03-01' },
      { end: '2024-03-01' },
      { start: '2024-03-01T10:00:00+01:00', end: '2024-03-01' },
      { start: '2024-03', end: '2024-03-15' },
      { start: '2024-03-01T23:30:00-05:00', end: '2024-03-02T04:30:00Z' },
    ]) {
      expect(v.validate(encounter({ period }), ctx), JSON.stringify(period)).toEqual([]);
    }
  });

  it("catches the peer benchmark's Encounter 182, which ends three hours before it starts", async () => {
    const { makeEncounter } = (await import('/work/shared/peer/fixtures.mjs' as string)) as { makeEncounter: (i: number) => Resource };
    const resource = makeEncounter(182);
    expect(errors(medplumIssues(resource))).toEqual([]);
    const issues = errors(new Validator().validate(resource, ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Encounter.period', 'Encounter.location[0].period']);
  });

  it('compares instants across time zones', () => {
    // 10:00+02:00 is 08:00Z, after 07:00Z
    expectGapClosed(encounter({ period: { start: '2024-03-01T10:00:00+02:00', end: '2024-03-01T07:00:00Z' } }), 'per-1', 'Encounter.period');
  });
});

describe('other datatype invariants', () => {
  it('Reference ref-1: a #local reference must point at a contained resource', () => {
    const resource = encounter({ serviceProvider: { reference: '#org' } });
    expectGapClosed(resource, 'ref-1', 'Encounter.serviceProvider');
    const ok = encounter({ serviceProvider: { reference: '#org' }, contained: [{ resourceType: 'Organization', id: 'org', name: 'Avdelning 12' }] });
    expect(new Validator().validate(ok, ctx)).toEqual([]);
  });

  it('Quantity qty-3: a unit code needs a system (Encounter.length is a Duration: drt-1 as well)', () => {
    const resource = encounter({ length: { value: 3, code: 'd' } });
    expect(errors(medplumIssues(resource))).toEqual([]);
    const issues = errors(new Validator().validate(resource, ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Encounter.length', 'Encounter.length']);
    expect(issues.map((i) => i.details?.text?.slice(0, 16)).sort()).toEqual(['Constraint drt-1', 'Constraint qty-3']);
  });

  it('SimpleQuantity sqty-1: no comparator where the element is profiled as SimpleQuantity', () => {
    const resource = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'Hb' },
      referenceRange: [{ low: { value: 120, comparator: '>', unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' } }],
    } as Resource;
    expectGapClosed(resource, 'sqty-1', 'Observation.referenceRange[0].low');
  });

  it('Attachment att-1: data needs a contentType', () => {
    const resource = {
      resourceType: 'DocumentReference',
      status: 'current',
      content: [{ attachment: { data: 'SGVqIGhlag==' } }],
    } as Resource;
    expectGapClosed(resource, 'att-1', 'DocumentReference.content[0].attachment');
  });

  it('ContactPoint cpt-2: a value needs a system', () => {
    const resource = { resourceType: 'Organization', name: 'Kommun', telecom: [{ value: '08-123 456' }] } as Resource;
    expectGapClosed(resource, 'cpt-2', 'Organization.telecom[0]');
  });

  it('Range rng-2: low must not exceed high', () => {
    const resource = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueRange: { low: { value: 5, unit: 'mg' }, high: { value: 2, unit: 'mg' } },
    } as Resource;
    expectGapClosed(resource, 'rng-2', 'Observation.value');
  });

  it('Ratio rat-1 inside a choice element', () => {
    const resource = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueRatio: { numerator: { value: 1 } },
    } as Resource;
    expectGapClosed(resource, 'rat-1', 'Observation.value');
  });

  it('invariants inside the extension of a primitive (_birthDate)', () => {
    const resource = {
      resourceType: 'Patient',
      birthDate: '1950-09-07',
      _birthDate: { extension: [{ url: 'http://example.org/a', valuePeriod: { start: '1950-09-07', end: '1950-09-06' } }] },
    } as Resource;
    expectGapClosed(resource, 'per-1', 'Patient.birthDate.extension[0].value');
  });

  it('invariants of datatypes inside extensions (a reversed valuePeriod)', () => {
    const resource = encounter({
      extension: [{ url: 'https://samverkan-gateway.se/fhir/StructureDefinition/x', valuePeriod: { start: '2024-02-02', end: '2024-02-01' } }],
    });
    expectGapClosed(resource, 'per-1', 'Encounter.extension[0].value');
  });
});

describe('nested resources', () => {
  it('checks the invariants of Bundle entry resources (obs-6 in an Observation)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:5c6b2c1e-4f0d-4b8e-9a3e-1f2d3c4b5a69',
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'x' },
            valueString: 'y',
            dataAbsentReason: { text: 'unknown' },
          },
        },
      ],
    } as Resource;
    expectGapClosed(bundle, 'obs-6', 'Bundle.entry[0].resource');
  });

  it('checks datatypes inside contained resources, and ref-1 against the container', () => {
    const resource = encounter({
      contained: [{ resourceType: 'Organization', id: 'o1', name: 'x', telecom: [{ value: '1' }] }],
      serviceProvider: { reference: '#o1' },
    });
    expectGapClosed(resource, 'cpt-2', 'Encounter.contained[0].telecom[0]');
  });

  it('reports each violation once even when medplum reports it too', () => {
    // ext-1 on Encounter.extension is checked by medplum at the element; we must not add a duplicate.
    const resource = encounter({ extension: [{ url: 'http://example.org/e' }] });
    const ours = at(new Validator().validate(resource, ctx), 'Encounter.extension[0]');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.details?.text).toContain('ext-1');
  });
});
