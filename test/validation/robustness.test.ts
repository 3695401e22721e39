// validate() never throws, whatever it is given, and every issue it returns is well formed.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { ValidationLayer } from '../../src/profiles/validation/index.ts';
import { Validator } from '../../src/profiles/validation/index.ts';
import { ctx, encounter, errors, loadR4 } from './support.ts';

beforeAll(loadR4);

function expectWellFormed(issues: OperationOutcomeIssue[]): void {
  expect(Array.isArray(issues)).toBe(true);
  for (const i of issues) {
    expect(['error', 'warning', 'information', 'fatal']).toContain(i.severity);
    expect(typeof i.code).toBe('string');
    expect(i.details?.text?.length).toBeGreaterThan(0);
    expect(i.expression?.length).toBeGreaterThan(0);
    for (const e of i.expression ?? []) expect(e).not.toContain('[x]');
  }
}

function nested(depth: number, key: string, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { [key]: v };
  return v;
}

describe('garbage in, error issues out', () => {
  const v = new Validator();

  it.each([null, undefined, 0, 42, 'Encounter', true, [], [encounter()], () => 1])('%s is not a resource', (input) => {
    const issues = v.validate(input, ctx);
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', expression: ['$this'] })]);
  });

  it.each<[unknown, string]>([
    [{}, 'missing'],
    [{ resourceType: 'Encounterr' }, 'misspelt'],
    [{ resourceType: 7 }, 'not a string'],
    [{ resourceType: 'Resource' }, 'abstract'],
    [{ resourceType: 'Period' }, 'a datatype'],
    [{ resourceType: 'Bot' }, 'a Medplum type, not R4'],
    [{ resourceType: '__proto__' }, 'a prototype key'],
  ])('an unknown resourceType (%s: %s) is one error at resourceType', (input) => {
    const issues = v.validate(input, ctx);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', expression: ['resourceType'] });
  });

  it('rejects absurd nesting in known elements without recursing into it', () => {
    const deep = { resourceType: 'Patient', extension: [nested(5000, 'extension', { url: 'x', valueString: 'y' })] };
    const issues = v.validate(deep, ctx);
    expectWellFormed(issues);
    expect(errors(issues).length).toBeGreaterThan(0);
  });

  it('survives absurd nesting inside an unknown property', () => {
    const issues = v.validate({ resourceType: 'Patient', junk: nested(20000, 'a', 1) }, ctx);
    expectWellFormed(issues);
    expect(errors(issues).length).toBeGreaterThan(0);
  });

  it.each<[string, unknown]>([
    ['_status', 'text'],
    ['_status', { 0: 'x' }],
    ['_status', { valueOf: 1 }],
    ['_status', [{}]],
    ['_class', { extension: [] }],
  ])('reports a malformed primitive extension %s = %j as an error at the element', (key, value) => {
    const name = key.slice(1);
    const issues = v.validate(encounter({ [key]: value }), ctx);
    expect(errors(issues)).toMatchObject([{ code: 'structure', expression: [`Encounter.${name}`] }]);
  });

  it('reports an unknown nested resource type at its place', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Nope' } }] };
    expect(errors(v.validate(bundle, ctx))).toMatchObject([{ expression: ['Bundle.entry[0].resource.resourceType'] }]);
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(v.validate(value, ctx));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid Encounter with any one element replaced by arbitrary JSON', () => {
    const keys = ['status', 'class', 'period', 'identifier', 'subject', 'location', 'extension', 'meta', 'contained', 'text', 'length', '_status'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 4 }), (key, value) => {
        expectWellFormed(v.validate(encounter({ [key]: value }), ctx));
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on random resources of any R4 type with plausible-looking fields', () => {
    const types = ['Patient', 'Encounter', 'Bundle', 'Observation', 'Consent', 'CarePlan', 'Communication', 'Questionnaire', 'Parameters'];
    const field = fc.constantFrom('id', 'meta', 'text', 'contained', 'extension', 'status', 'subject', 'entry', 'item', 'parameter', 'valueString', 'period', 'identifier', 'code');
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.dictionary(field, fc.jsonValue({ maxDepth: 3 })), (resourceType, fields) => {
        expectWellFormed(v.validate({ ...fields, resourceType }, ctx));
      }),
      { numRuns: 400 },
    );
  });
});

describe('extra layers', () => {
  const seen: Date[] = [];
  const agreement: ValidationLayer = (resource, c) => {
    seen.push(c.now);
    return resource.resourceType === 'Encounter' && !(resource as { period?: unknown }).period
      ? [{ severity: 'warning', code: 'business-rule', details: { text: 'No admission time' }, expression: ['Encounter.period'] }]
      : [];
  };
  const broken: ValidationLayer = () => {
    throw new TypeError('boom');
  };

  it('run after the structure layer, with the time passed in, and add their issues', () => {
    const v = new Validator([agreement]);
    const issues = v.validate(encounter({ period: undefined }), ctx);
    expect(issues).toMatchObject([{ severity: 'warning', code: 'business-rule', expression: ['Encounter.period'] }]);
    expect(seen.at(-1)).toBe(ctx.now);
  });

  it('a layer that throws on a valid resource is an error issue, not an exception', () => {
    const issues = new Validator([broken]).validate(encounter(), ctx);
    expect(issues).toMatchObject([{ severity: 'error', code: 'exception' }]);
    expect(issues[0]?.details?.text).toContain('boom');
  });

  it('a layer that throws on an already invalid resource only adds a warning', () => {
    const issues = new Validator([broken]).validate(encounter({ status: 'bogus' }), ctx);
    expect(issues.map((i) => i.severity).sort()).toEqual(['error', 'warning']);
  });

  it('do not run on input that is not a resource', () => {
    const before = seen.length;
    new Validator([agreement]).validate({ resourceType: 'Nope' } as unknown as Resource, ctx);
    expect(seen.length).toBe(before);
  });
});
