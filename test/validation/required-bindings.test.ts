// Gap 1: values under required bindings are checked against the R4 ValueSets (medplum only collects them).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { Validator } from '../../src/profiles/validation/index.ts';
import { baseDefinition } from './profile-fixtures.ts';
import { at, ctx, encounter, errors, loadR4, medplumIssues } from './support.ts';

beforeAll(loadR4);

describe('required bindings on code elements', () => {
  it('rejects Encounter.status "bogus", which medplum alone accepts', () => {
    const resource = encounter({ status: 'bogus' });
    expect(errors(medplumIssues(resource))).toEqual([]);
    const issues = at(new Validator().validate(resource, ctx), 'Encounter.status');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'code-invalid' });
    expect(issues[0]?.details?.text).toContain('http://hl7.org/fhir/ValueSet/encounter-status');
  });

  it('accepts every code of the encounter-status value set', () => {
    const v = new Validator();
    for (const status of ['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']) {
      expect(v.validate(encounter({ status }), ctx)).toEqual([]);
    }
  });

  it('checks codes inside nested datatypes, with the array index in the path', () => {
    const resource = encounter({
      identifier: [
        { use: 'official', value: 'a' },
        { use: 'sometimes', value: 'b' },
      ],
    });
    expect(errors(medplumIssues(resource))).toEqual([]);
    const issues = errors(new Validator().validate(resource, ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Encounter.identifier[1].use']);
  });

  it('checks codes in backbone elements (Encounter.location.status)', () => {
    const resource = encounter({ location: [{ location: { reference: 'Location/1' }, status: 'gone' }] });
    const issues = errors(new Validator().validate(resource, ctx));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.expression).toEqual(['Encounter.location[0].status']);
  });

  it('checks codes in the resources of a Bundle', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: encounter() }, { resource: encounter({ status: 'done' }) }] } as Resource;
    expect(errors(medplumIssues(bundle))).toEqual([]);
    const issues = errors(new Validator().validate(bundle, ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Bundle.entry[1].resource.status']);
  });

  it('checks the code of a primitive that also carries an extension', () => {
    const resource = encounter({
      status: 'bogus',
      _status: { extension: [{ url: 'http://example.org/x', valueString: 'y' }] },
    });
    expect(at(errors(new Validator().validate(resource, ctx)), 'Encounter.status')).toHaveLength(1);
  });
});

describe('required bindings on CodeableConcept and Coding', () => {
  const condition = (clinicalStatus: unknown): Resource =>
    ({ resourceType: 'Condition', subject: { reference: 'Patient/1' }, clinicalStatus }) as Resource;
  const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

  it('accepts a coding from the value set', () => {
    expect(new Validator().validate(condition({ coding: [{ system: CLINICAL, code: 'active' }] }), ctx)).toEqual([]);
  });

  it('rejects the right code in the wrong system (medplum alone accepts it)', () => {
    const resource = condition({ coding: [{ system: 'http://example.org/status', code: 'active' }] });
    expect(errors(medplumIssues(resource))).toEqual([]);
    const issues = errors(new Validator().validate(resource, ctx));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'code-invalid', expression: ['Condition.clinicalStatus'] });
    expect(issues[0]?.details?.text).toContain('http://example.org/status#active');
  });

  it('accepts a concept where at least one of several codings is in the value set', () => {
    const resource = condition({ coding: [{ system: 'http://example.org/local', code: 'A' }, { system: CLINICAL, code: 'resolved' }] });
    expect(new Validator().validate(resource, ctx)).toEqual([]);
  });

  it('rejects a text-only concept: a required binding needs a code', () => {
    const issues = errors(new Validator().validate(condition({ text: 'active' }), ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Condition.clinicalStatus']);
  });

  it('checks a Coding-typed element bound by a profile, and applies is-a filters (v3 ActEncounterCode)', () => {
    const v = new Validator();
    v.registerProfile(classBoundProfile());
    const options = { profiles: [CLASS_PROFILE] };
    expect(v.validate(encounter(), ctx, options)).toEqual([]);
    // EMER is in v3-ActCode under _ActEncounterCode; _ActEncounterCode itself is excluded by the value set.
    const emer = encounter({ class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' } });
    expect(v.validate(emer, ctx, options)).toEqual([]);
    for (const cls of [
      { system: 'http://example.org/wrong-system', code: 'IMP' },
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '_ActEncounterCode' },
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ACCTRECEIVABLE' }, // in ActCode, not an encounter code
    ]) {
      const issues = errors(v.validate(encounter({ class: cls }), ctx, options));
      expect(issues, JSON.stringify(cls)).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'code-invalid', expression: ['Encounter.class'] });
    }
  });
});

describe('value sets that cannot be enumerated', () => {
  it('checks MIME types (BCP-13) by syntax: a malformed one is an error, a well-formed one passes', () => {
    const doc = (contentType: string): Resource =>
      ({
        resourceType: 'DocumentReference',
        status: 'current',
        content: [{ attachment: { contentType, url: 'http://example.org/doc' } }],
      }) as Resource;
    const v = new Validator();
    expect(v.validate(doc('application/pdf'), ctx)).toEqual([]);
    expect(v.validate(doc('text/plain; charset=UTF-8'), ctx)).toEqual([]);
    const issues = errors(v.validate(doc('pdf'), ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['DocumentReference.content[0].attachment.contentType']);
  });

  it('reports a code from an external code system (UCUM) as unverifiable: a warning, never an error', () => {
    const resource = {
      resourceType: 'RiskEvidenceSynthesis',
      status: 'active',
      population: { reference: 'Group/1' },
      outcome: { reference: 'EvidenceVariable/1' },
      riskEstimate: { unitOfMeasure: { coding: [{ system: 'http://unitsofmeasure.org', code: 'mg' }] } },
    } as Resource;
    const issues = new Validator().validate(resource, ctx);
    expect(errors(issues)).toEqual([]);
    expect(at(issues, 'RiskEvidenceSynthesis.riskEstimate.unitOfMeasure')).toMatchObject([{ severity: 'warning' }]);
  });
});

const CLASS_PROFILE = 'https://samverkan-gateway.se/fhir/StructureDefinition/test-encounter-class';

/** The base Encounter with Encounter.class (a Coding) bound *required* to v3-ActEncounterCode. */
function classBoundProfile(): StructureDefinition {
  const sd = baseDefinition('Encounter');
  Object.assign(sd, { url: CLASS_PROFILE, name: 'TestEncounterClass', derivation: 'constraint', baseDefinition: sd.url });
  const cls = sd.snapshot?.element.find((e) => e.id === 'Encounter.class');
  if (!cls) throw new Error('no Encounter.class');
  cls.binding = { strength: 'required', valueSet: 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode' };
  return sd;
}
