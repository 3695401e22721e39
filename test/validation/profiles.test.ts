// Profiles: pre-parsed and cached, identical in result to medplum's re-parsing validation, plus gap 3
// (what a slice says about its own children) and the handling of claimed and unknown profiles.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { parseStructureDefinition } from '@medplum/core';
import { Validator } from '../../src/profiles/validation/index.ts';
import { medplumPass } from '../../src/profiles/validation/structure.ts';
import {
  baseDefinition,
  CLOSED_PROFILE,
  closedProfile,
  ENCOUNTER_PROFILE,
  encounterProfile,
  KOMMUN_EXTENSION,
  KOMMUN_SYSTEM,
  kommunTerminology,
  VISIT_SYSTEM,
} from './profile-fixtures.ts';
import { at, ctx, encounter, errors, loadR4 } from './support.ts';
import { OperationOutcomeError, validateResource } from '@medplum/core';

beforeAll(loadR4);

const opts = { profiles: [ENCOUNTER_PROFILE] };

function validator(): Validator {
  const v = new Validator();
  v.registerTerminology(kommunTerminology);
  v.registerProfile(encounterProfile());
  v.registerProfile(closedProfile());
  return v;
}

/** medplum's own profile validation (re-parses the profile on every call). */
function medplumWithProfile(resource: Resource, profile: StructureDefinition) {
  try {
    return validateResource(resource, { profile });
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? [];
    throw err;
  }
}

const kommun = (code: string) => ({ url: KOMMUN_EXTENSION, valueCoding: { system: KOMMUN_SYSTEM, code } });

describe('validating against a cached, pre-parsed profile', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['valid', {}],
    ['missing subject', { subject: undefined }],
    ['no visit number slice', { identifier: [{ system: 'http://example.org/other', value: 'x' }] }],
    ['root invariant', { period: undefined }],
    ['invalid extra property', { colour: 'red' }],
  ];
  it.each(cases)('gives exactly medplum validateResource(r, {profile}) issues: %s', (_name, overrides) => {
    const profile = encounterProfile();
    const resource = encounter(overrides);
    const ours = medplumPass(resource, parseStructureDefinition(profile), {});
    expect(ours).toEqual(medplumWithProfile(resource, profile));
    if (_name !== 'valid') expect(ours.length).toBeGreaterThan(0);
  });

  it('leaves no trace of the profile in medplum type table after validating', () => {
    const v = validator();
    v.validate(encounter(), ctx, opts);
    // A resource claiming the private key as its type is still unknown.
    expect(v.validate({ resourceType: `\u0000profile:${ENCOUNTER_PROFILE}` }, ctx)).toMatchObject([{ expression: ['resourceType'] }]);
  });

  it('accepts a valid resource, and reports base-structure errors once even with two profiles', () => {
    const v = validator();
    expect(v.validate(encounter(), ctx, opts)).toEqual([]);
    const issues = v.validate(encounter({ status: 'bogus' }), ctx, { profiles: [ENCOUNTER_PROFILE, CLOSED_PROFILE] });
    expect(at(issues, 'Encounter.status')).toHaveLength(1);
  });
});

describe('constraints inside slices (gap 3)', () => {
  it('enforces a slice child cardinality that medplum alone does not (visitNumber.value 1..1)', () => {
    const resource = encounter({ identifier: [{ use: 'official', system: VISIT_SYSTEM }] });
    expect(errors(medplumWithProfile(resource, encounterProfile()))).toEqual([]);
    const issues = errors(validator().validate(resource, ctx, opts));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'structure', expression: ['Encounter.identifier[0].value'] });
    expect(issues[0]?.details?.text).toContain("Slice 'visitNumber'");
  });

  it('enforces a fixed value on a slice child (visitNumber.use = official)', () => {
    const resource = encounter({ identifier: [{ use: 'secondary', system: VISIT_SYSTEM, value: 'V1' }] });
    expect(errors(medplumWithProfile(resource, encounterProfile()))).toEqual([]);
    const issues = errors(validator().validate(resource, ctx, opts));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Encounter.identifier[0].use']);
  });

  it('enforces an invariant on a slice child, and only on values in that slice', () => {
    const resource = encounter({
      identifier: [
        { system: 'http://example.org/other', value: 'X1' },
        { system: VISIT_SYSTEM, value: 'X2' },
      ],
    });
    const issues = errors(validator().validate(resource, ctx, opts));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'invariant', expression: ['Encounter.identifier[1].value'] });
    expect(issues[0]?.details?.text).toContain('test-2');
  });

  it('counts extension slices identified only by type.profile, and checks their value and binding', () => {
    const v = validator();
    expect(v.validate(encounter({ extension: [kommun('0180')] }), ctx, opts)).toEqual([]);
    // a code outside our ValueSet
    const wrong = errors(v.validate(encounter({ extension: [kommun('9999')] }), ctx, opts));
    expect(wrong).toMatchObject([{ code: 'code-invalid', expression: ['Encounter.extension[0].value'] }]);
    // the slice's value[x] is 1..1
    const missing = errors(v.validate(encounter({ extension: [{ url: KOMMUN_EXTENSION, extension: [{ url: 'x', valueString: 'y' }] }] }), ctx, opts));
    expect(missing.map((i) => i.expression?.[0])).toContain('Encounter.extension[0].value');
    // the slice is 0..1: two are too many (medplum counts it once it can tell the slice by url)
    const two = errors(v.validate(encounter({ extension: [kommun('0180'), kommun('1480')] }), ctx, opts));
    expect(two.some((i) => i.details?.text?.includes("slice 'liableKommun'"))).toBe(true);
  });

  it('rejects values that match no slice of a closed slicing', () => {
    const v = validator();
    const options = { profiles: [CLOSED_PROFILE] };
    expect(v.validate(encounter(), ctx, options)).toEqual([]);
    const issues = errors(v.validate(encounter({ identifier: [{ system: VISIT_SYSTEM, value: 'V1' }, { system: 'http://example.org/x', value: 'y' }] }), ctx, options));
    expect(issues).toMatchObject([{ code: 'structure', expression: ['Encounter.identifier[1]'] }]);
  });
});

describe('which profiles a resource is validated against', () => {
  it('validates against a known profile claimed in meta.profile', () => {
    const resource = encounter({ meta: { profile: [ENCOUNTER_PROFILE] }, subject: undefined });
    const issues = errors(validator().validate(resource, ctx));
    expect(issues.map((i) => i.expression?.[0])).toEqual(['Encounter.subject']);
  });

  it('reports an unknown claimed profile as an error at meta.profile', () => {
    const resource = encounter({ meta: { profile: ['https://example.org/StructureDefinition/nobody-knows'] } });
    const issues = validator().validate(resource, ctx);
    expect(issues).toMatchObject([{ severity: 'error', code: 'not-found', expression: ['Encounter.meta.profile[0]'] }]);
  });

  it('reports an unknown requested profile as an error', () => {
    const issues = validator().validate(encounter(), ctx, { profiles: ['https://example.org/StructureDefinition/x'] });
    expect(errors(issues)).toHaveLength(1);
  });

  it('treats the R4 base definition URL of the type as the base type, and another type\'s as an error', () => {
    const v = validator();
    expect(v.validate(encounter({ meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Encounter'] } }), ctx)).toEqual([]);
    const issues = v.validate(encounter({ meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] } }), ctx);
    expect(issues).toMatchObject([{ severity: 'error', expression: ['Encounter.meta.profile[0]'] }]);
  });

  it('rejects a profile of another resource type', () => {
    const issues = validator().validate({ resourceType: 'Patient', meta: { profile: [ENCOUNTER_PROFILE] } }, ctx);
    expect(issues).toMatchObject([{ severity: 'error', expression: ['Patient.meta.profile[0]'] }]);
  });

  it('finds registered profiles with or without a version suffix', () => {
    const v = validator();
    expect(v.hasProfile(ENCOUNTER_PROFILE)).toBe(true);
    expect(v.hasProfile(`${ENCOUNTER_PROFILE}|1.0.0`)).toBe(true);
    expect(v.hasProfile('https://example.org/StructureDefinition/x')).toBe(false);
    expect(v.validate(encounter({ meta: { profile: [`${ENCOUNTER_PROFILE}|1.0.0`] } }), ctx)).toEqual([]);
  });
});

describe('registering profiles', () => {
  it('refuses a profile without a snapshot, with a message that says so', () => {
    const sd = { ...encounterProfile(), snapshot: undefined };
    expect(() => new Validator().registerProfile(sd)).toThrow(/no snapshot/);
  });

  it('refuses a profile of something that is not a resource type', () => {
    const sd = { ...baseDefinition('Encounter'), url: 'https://example.org/p', type: 'Period' };
    expect(() => new Validator().registerProfile(sd)).toThrow(/not an R4 resource type/);
  });

  it('refuses slicing discriminators the engine cannot evaluate, naming the profile', () => {
    const sd = encounterProfile();
    const ident = sd.snapshot?.element.find((e) => e.id === 'Encounter.identifier');
    if (ident?.slicing) ident.slicing.discriminator = [{ type: 'exists', path: 'period' }];
    expect(() => new Validator().registerProfile(sd)).toThrow(/test-encounter.*exists/);
  });
});
