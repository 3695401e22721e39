// The JS shortcuts in front of FHIRPath must never change a verdict for the worse: a guard that says
// "satisfied" must agree with FHIRPath, and the native per-1 must agree with FHIRPath wherever R4's
// FHIRPath is well defined (same precision) and never be stricter where it is not.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { TypedValue } from '@medplum/core';
import type { CompiledConstraint } from '../../src/profiles/validation/invariants.ts';
import { dateTimeBoundary, evalConstraint } from '../../src/profiles/validation/invariants.ts';
import { getR4Index } from '../../src/profiles/validation/r4-index.ts';
import { loadR4 } from './support.ts';

beforeAll(loadR4);

function constraint(type: string, key: string): CompiledConstraint {
  const c = getR4Index()?.types.get(type)?.constraints.find((x) => x.key === key);
  if (!c) throw new Error(`no ${key} on ${type}`);
  return c;
}

/** FHIRPath's verdict, ignoring guard and native. */
function fhirpath(c: CompiledConstraint, type: string, value: unknown, root?: unknown): boolean {
  const issues: OperationOutcomeIssue[] = [];
  const rootTv: TypedValue | undefined = root ? { type: 'Encounter', value: root } : undefined;
  const ok = evalConstraint(c, { type, value }, type, { resource: rootTv, rootResource: rootTv }, issues);
  expect(issues).toEqual([]);
  return ok;
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const str = fc.constantFrom('a', 'x y', '1', 'http://example.org/a');
const ext = fc.record({ url: str, valueString: str });

const cases: [string, string, fc.Arbitrary<Record<string, unknown>>][] = [
  ['Reference', 'ref-1', fc.record({ reference: opt(fc.constantFrom('#c1', '#c2', '#', 'Patient/1', 'urn:uuid:1')), display: opt(str) }).map(clean)],
  [
    'Extension',
    'ext-1',
    fc
      .record({
        url: str,
        extension: opt(fc.array(ext, { maxLength: 2 })),
        valueString: opt(str),
        valueBoolean: opt(fc.boolean()),
        _valueString: opt(fc.constant({ extension: [{ url: 'u', valueString: 'v' }] })),
      })
      .map(clean),
  ],
  ['Quantity', 'qty-3', fc.record({ value: opt(fc.integer()), code: opt(str), system: opt(str), unit: opt(str), _code: opt(fc.constant({ id: 'x' })) }).map(clean)],
  ['Attachment', 'att-1', fc.record({ data: opt(fc.constant('SGVq')), contentType: opt(fc.constant('text/plain')), url: opt(str) }).map(clean)],
  ['ContactPoint', 'cpt-2', fc.record({ value: opt(str), system: opt(fc.constantFrom('phone', 'email')), _value: opt(fc.constant({ id: 'x' })) }).map(clean)],
  ['SimpleQuantity', 'sqty-1', fc.record({ value: opt(fc.integer()), comparator: opt(fc.constantFrom('<', '>=')) }).map(clean)],
  ['Expression', 'exp-1', fc.record({ language: fc.constant('text/fhirpath'), expression: opt(str), reference: opt(str) }).map(clean)],
];

describe('guards agree with FHIRPath whenever they skip it', () => {
  it.each(cases)('%s %s', (type, key, arb) => {
    const c = constraint(type, key);
    expect(c.guard).toBeTypeOf('function');
    const root = { resourceType: 'Encounter', contained: [{ resourceType: 'Patient', id: 'c1' }] };
    let skipped = 0;
    fc.assert(
      fc.property(arb, (value) => {
        // R4's ref-1 is empty, so "not met", without a reference at all; we follow R5 (see invariants.ts).
        if (key === 'ref-1' && value.reference === undefined) return;
        if (c.guard?.(value)) {
          skipped++;
          expect(fhirpath(c, type, value, root), JSON.stringify(value)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(skipped).toBeGreaterThan(0); // the guard is actually exercised
  });

  it('ref-1 accepts a Reference with only an identifier or display (R4 FHIRPath would not)', () => {
    const c = constraint('Reference', 'ref-1');
    const value = { identifier: { system: 'urn:oid:1.2.752.29.4.19', value: 'SE2321000016-0001' }, display: 'Avd 12' };
    expect(c.guard?.(value)).toBe(true);
    expect(fhirpath(c, 'Reference', value, { resourceType: 'Encounter' })).toBe(false);
  });

  it.each(['dom-2', 'dom-4', 'dom-5'])('%s on a resource without contained', (key) => {
    const c = constraint('Patient', key);
    const patient = { resourceType: 'Patient', id: 'p' };
    expect(c.guard?.(patient)).toBe(true);
    expect(fhirpath(c, 'Patient', patient)).toBe(true);
  });
});

describe('per-1 decided natively', () => {
  const per1 = () => constraint('Period', 'per-1');
  const instant = fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 19) + 'Z');
  const day = instant.map((s) => s.slice(0, 10));

  it('agrees with FHIRPath on instants of the same precision', () => {
    const c = per1();
    fc.assert(
      fc.property(instant, instant, (start, end) => {
        expect(c.native?.({ start, end })).toBe(fhirpath(c, 'Period', { start, end }));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with FHIRPath on dates of the same precision', () => {
    const c = per1();
    fc.assert(
      fc.property(day, day, (start, end) => {
        expect(c.native?.({ start, end })).toBe(fhirpath(c, 'Period', { start, end }));
      }),
      { numRuns: 300 },
    );
  });

  it('is never stricter than FHIRPath when precisions differ', () => {
    const c = per1();
    fc.assert(
      fc.property(instant, day, fc.boolean(), (a, b, flip) => {
        const period = flip ? { start: b, end: a } : { start: a, end: b };
        if (fhirpath(c, 'Period', period)) expect(c.native?.(period)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('knows the boundaries of partial dates', () => {
    expect(dateTimeBoundary('2024', 'low')).toBe(Date.UTC(2024, 0, 1));
    expect(dateTimeBoundary('2024-02', 'high')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(dateTimeBoundary('2024-03-01T10:00:00+01:00', 'low')).toBe(Date.UTC(2024, 2, 1, 9));
    expect(dateTimeBoundary('not a date', 'low')).toBeUndefined();
  });
});
