// Issue #3: our profile validation finds every error @medplum/core's validateResource finds with the same
// profile on the examples, and the ones it misses. medplum is given the project's StructureDefinitions (the
// profiles and their extensions) and asked for each example's profile; an error of medplum's counts as found
// when ours reports an error at the same FHIRPath expression.
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { createValidator } from '../../../src/gateway/validation.ts';
import { structureDefinitions } from '../../../src/profiles/definitions/index.ts';
import { EXAMPLES } from './examples.ts';

const ctx = { now: new Date('2025-03-10T12:00:00Z') };
const errorsOf = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

function medplum(resource: Resource, profile: StructureDefinition): OperationOutcomeIssue[] {
  try {
    return validateResource(resource, { profile });
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? [];
    throw err;
  }
}

describe('profile validation versus @medplum/core validateResource with the same profile, on the examples', () => {
  const byUrl = new Map<string, StructureDefinition>();
  const validator = createValidator();
  beforeAll(() => {
    indexR4Definitions();
    for (const sd of structureDefinitions()) {
      loadDataType(sd);
      byUrl.set(sd.url!, sd);
    }
  });

  const cases = EXAMPLES.flatMap((g) => [...g.valid, ...g.invalid].map((e) => ({ profile: g.profile, name: e.name, resource: e.resource })));

  it.each(cases.map((c) => [`${c.profile.split('/').pop()}: ${c.name}`, c] as const))('finds every error medplum finds: %s', (_label, c) => {
    const theirs = errorsOf(medplum(c.resource, byUrl.get(c.profile)!));
    const ours = new Set(errorsOf(validator.validate(c.resource, ctx, { profiles: [c.profile] })).flatMap((i) => i.expression ?? []));
    const missed = theirs.filter((i) => !(i.expression ?? []).some((x) => ours.has(x)));
    expect(missed.map((i) => `${i.expression?.join(',')}: ${i.details?.text}`)).toEqual([]);
  });

  it('also refuses invalid examples medplum accepts (what it misses)', () => {
    const onlyOurs = EXAMPLES.flatMap((g) =>
      g.invalid
        .filter((e) => errorsOf(medplum(e.resource, byUrl.get(g.profile)!)).length === 0)
        .map((e) => ({ label: `${g.profile.split('/').pop()}: ${e.name}`, ours: errorsOf(validator.validate(e.resource, ctx, { profiles: [g.profile] })).length })),
    );
    // Every invalid example medplum passes is refused by ours (examples.test.ts checks with exactly which issue).
    expect(onlyOurs.filter((x) => x.ours === 0)).toEqual([]);
    expect(onlyOurs.length).toBeGreaterThan(0);
  });
});
