// Loading the R4 definitions: needed before anything validates, read once, indexed once.
import { describe, expect, it } from 'vitest';
import { isResourceType } from '@medplum/core';
import { indexR4Definitions, loadR4Definitions } from '../../src/gateway/r4-definitions.ts';
import { indexR4Definitions as indexPure, Validator } from '../../src/profiles/validation/index.ts';
import { getR4Index } from '../../src/profiles/validation/r4-index.ts';
import { encounterProfile } from './profile-fixtures.ts';
import { ctx, encounter } from './support.ts';

// The order matters: the first tests run before this file has indexed anything.
describe('before the definitions are indexed', () => {
  it('validate returns one error issue instead of throwing', () => {
    expect(getR4Index()).toBeUndefined();
    expect(new Validator().validate(encounter(), ctx)).toMatchObject([{ severity: 'error', code: 'exception' }]);
  });

  it('registering a profile throws a message that says what to do', () => {
    expect(() => new Validator().registerProfile(encounterProfile())).toThrow(/indexR4Definitions/);
  });
});

describe('indexing', () => {
  it('loads and indexes the R4 definitions: medplum knows the types, we know the terminology', () => {
    const defs = indexR4Definitions();
    expect(defs.structureDefinitions.length).toBe(2);
    expect(defs.terminology.length).toBeGreaterThanOrEqual(3);
    expect(isResourceType('Encounter')).toBe(true);
    const index = getR4Index();
    expect(index?.resourceTypes.has('CarePlan')).toBe(true);
    expect(index?.resourceTypes.has('DomainResource')).toBe(false);
    expect(index?.terminology.expand('http://hl7.org/fhir/ValueSet/encounter-status|4.0.1')?.codes.has('finished')).toBe(true);
    expect(index?.unparsedConstraints).toEqual([]);
    expect(new Validator().validate(encounter(), ctx)).toEqual([]);
  });

  it('is idempotent: the same bundles are read and indexed only once', () => {
    const before = getR4Index();
    const t0 = performance.now();
    const defs = indexR4Definitions();
    indexPure(defs);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(loadR4Definitions()).toBe(defs);
    expect(getR4Index()).toBe(before);
  });

  it('pre-expands every value set under a required binding', () => {
    const index = getR4Index();
    expect(index?.requiredValueSets.size).toBeGreaterThan(200);
    for (const url of index?.requiredValueSets ?? []) {
      const a = index?.terminology.expand(url);
      // memoised: the write path gets the same Sets back, not a new expansion
      if (a) expect(index?.terminology.expand(url)).toBe(a);
    }
  });
});
