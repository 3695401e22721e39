// ValueSet expansion (pure): what is enumerable gives member / not-member; what is not gives "unknown",
// never a false not-member.
import { describe, expect, it } from 'vitest';
import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import type { Expansion } from '../../src/profiles/validation/terminology.ts';
import { membership, TerminologyIndex } from '../../src/profiles/validation/terminology.ts';

const CS = 'http://example.org/cs/care';
const careCodes: CodeSystem = {
  resourceType: 'CodeSystem',
  url: CS,
  status: 'active',
  content: 'complete',
  concept: [
    {
      code: 'care',
      property: [{ code: 'kind', valueCode: 'root' }],
      concept: [
        { code: 'somatic', concept: [{ code: 'geriatric' }] },
        { code: 'psychiatric', property: [{ code: 'kind', valueCode: 'law' }], concept: [{ code: 'lpt' }, { code: 'lrv' }] },
      ],
    },
    { code: 'other' },
  ],
};

const vs = (url: string, compose: ValueSet['compose']): ValueSet => ({ resourceType: 'ValueSet', url, status: 'active', compose });

function expand(resources: (CodeSystem | ValueSet)[], url: string): Expansion {
  const exp = new TerminologyIndex(resources).expand(url);
  if (!exp) throw new Error(`no expansion for ${url}`);
  return exp;
}

const codesIn = (exp: Expansion): string[] => [...exp.codes].sort();

describe('enumerable value sets', () => {
  it('a whole code system, hierarchy flattened', () => {
    const exp = expand([careCodes, vs('u:all', { include: [{ system: CS }] })], 'u:all');
    expect(codesIn(exp)).toEqual(['care', 'geriatric', 'lpt', 'lrv', 'other', 'psychiatric', 'somatic']);
    expect(membership(exp, CS, 'lpt')).toBe('member');
    expect(membership(exp, CS, 'nope')).toBe('not-member');
    expect(membership(exp, 'http://example.org/other-cs', 'lpt')).toBe('not-member');
    expect(membership(exp, undefined, 'lrv')).toBe('member');
  });

  it.each([
    ['is-a', 'psychiatric', ['lpt', 'lrv', 'psychiatric']],
    ['descendent-of', 'psychiatric', ['lpt', 'lrv']],
    ['is-not-a', 'care', ['other']],
    ['generalizes', 'geriatric', ['care', 'geriatric', 'somatic']],
    ['in', 'lpt,other', ['lpt', 'other']],
    ['regex', 'l.*', ['lpt', 'lrv']],
  ])('concept filter %s %s', (op, value, expected) => {
    const exp = expand([careCodes, vs('u:f', { include: [{ system: CS, filter: [{ property: 'concept', op: op as 'is-a', value }] }] })], 'u:f');
    expect(codesIn(exp)).toEqual(expected);
  });

  it('property filters', () => {
    const exp = expand([careCodes, vs('u:p', { include: [{ system: CS, filter: [{ property: 'kind', op: '=', value: 'law' }] }] })], 'u:p');
    expect(codesIn(exp)).toEqual(['psychiatric']);
  });

  it('exclude, nested value sets and intersection', () => {
    const all = vs('u:all', { include: [{ system: CS }] });
    const law = vs('u:law', { include: [{ system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'psychiatric' }] }] });
    const composed = vs('u:c', {
      include: [{ valueSet: ['u:all', 'u:law'] }],
      exclude: [{ system: CS, concept: [{ code: 'psychiatric' }] }],
    });
    expect(codesIn(expand([careCodes, all, law, composed], 'u:c'))).toEqual(['lpt', 'lrv']);
  });

  it('an explicit concept list is enumerable even for a code system we do not have', () => {
    const exp = expand([vs('u:s', { include: [{ system: 'http://snomed.info/sct', concept: [{ code: '32485007' }] }] })], 'u:s');
    expect(membership(exp, 'http://snomed.info/sct', '32485007')).toBe('member');
    expect(membership(exp, 'http://snomed.info/sct', '183452005')).toBe('not-member');
  });

  it('a ValueSet with only an expansion', () => {
    const v: ValueSet = {
      resourceType: 'ValueSet',
      url: 'u:e',
      status: 'active',
      expansion: { timestamp: '2025-01-01', contains: [{ system: CS, code: 'a', contains: [{ system: CS, code: 'b' }] }] },
    };
    expect(codesIn(expand([v], 'u:e'))).toEqual(['a', 'b']);
  });

  it('ignores the |version of a canonical', () => {
    const index = new TerminologyIndex([careCodes, vs('u:v', { include: [{ system: CS }] })]);
    expect(index.expand('u:v|4.0.1')?.codes.size).toBe(7);
  });
});

describe('what cannot be enumerated is unknown, never not-member', () => {
  it('an external code system (not available)', () => {
    const exp = expand([vs('u:x', { include: [{ system: 'http://unitsofmeasure.org' }] })], 'u:x');
    expect(membership(exp, 'http://unitsofmeasure.org', 'mg')).toBe('unknown');
    expect(membership(exp, undefined, 'mg')).toBe('unknown');
    expect(membership(exp, 'http://other', 'mg')).toBe('not-member');
  });

  it('an unsupported filter operator', () => {
    const exp = expand([careCodes, vs('u:f', { include: [{ system: CS, filter: [{ property: 'concept', op: 'child-of' as 'is-a', value: 'care' }] }] })], 'u:f');
    expect(membership(exp, CS, 'somatic')).toBe('unknown');
  });

  it('a fragment code system: listed codes are members, others unknown', () => {
    const fragment: CodeSystem = { resourceType: 'CodeSystem', url: 'u:frag', status: 'active', content: 'fragment', concept: [{ code: 'a' }] };
    const exp = expand([fragment, vs('u:v', { include: [{ system: 'u:frag' }] })], 'u:v');
    expect(membership(exp, 'u:frag', 'a')).toBe('member');
    expect(membership(exp, 'u:frag', 'b')).toBe('unknown');
  });

  it('an unknown or cyclic nested value set', () => {
    const a = vs('u:a', { include: [{ valueSet: ['u:b'] }] });
    const b = vs('u:b', { include: [{ valueSet: ['u:a'] }] });
    const exp = expand([a, b], 'u:a');
    expect(membership(exp, CS, 'x')).toBe('unknown');
    expect(membership(expand([vs('u:m', { include: [{ valueSet: ['u:missing'] }] })], 'u:m'), CS, 'x')).toBe('unknown');
  });

  it('an exclusion we cannot enumerate makes that system unknown', () => {
    const v = vs('u:v', { include: [{ system: CS }], exclude: [{ system: CS, filter: [{ property: 'concept', op: 'child-of' as 'is-a', value: 'x' }] }] });
    expect(membership(expand([careCodes, v], 'u:v'), CS, 'lpt')).toBe('unknown');
  });

  it('MIME types (BCP-13) are checked by their grammar', () => {
    const exp = expand([vs('u:mime', { include: [{ system: 'urn:ietf:bcp:13' }] })], 'u:mime');
    expect(membership(exp, undefined, 'application/fhir+json')).toBe('member');
    expect(membership(exp, undefined, 'text/plain; charset=utf-8')).toBe('member');
    expect(membership(exp, undefined, 'json')).toBe('not-member');
    expect(membership(exp, undefined, 'text /plain')).toBe('not-member');
  });
});

describe('layered indexes', () => {
  it('a layer adds terminology on top of its parent, and can refer to the parent', () => {
    const parent = new TerminologyIndex([careCodes, vs('u:all', { include: [{ system: CS }] })]);
    const child = new TerminologyIndex([vs('u:mine', { include: [{ valueSet: ['u:all'] }], exclude: [{ system: CS, concept: [{ code: 'other' }] }] })], parent);
    expect(child.expand('u:mine')?.codes.has('other')).toBe(false);
    expect(child.expand('u:mine')?.codes.has('lpt')).toBe(true);
    expect(child.expand('u:all')?.codes.size).toBe(7);
    expect(parent.expand('u:mine')).toBeUndefined();
    expect(child.hasValueSet('u:all')).toBe(true);
  });

  it('an empty layer reuses the parent expansions', () => {
    const parent = new TerminologyIndex([careCodes, vs('u:all', { include: [{ system: CS }] })]);
    expect(new TerminologyIndex([], parent).expand('u:all')).toBe(parent.expand('u:all'));
  });
});
