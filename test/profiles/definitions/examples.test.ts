// Every profile's examples through a fresh Validator with all the project's profiles and terminology
// registered: the valid ones have no issue at all, each invalid one has exactly its one stated error.
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { PROFILE, resourceProfiles, structureDefinitions } from '../../../src/profiles/definitions/index.ts';
import { allTerminology, CS, NOTICE_KINDS } from '../../../src/profiles/terminology/index.ts';
import { DISCHARGE_INFORMATION_ITEMS, itemsOf } from '../../../src/profiles/terminology/discharge-information.ts';
import { Validator } from '../../../src/profiles/validation/index.ts';
import { EXAMPLES } from './examples.ts';

const ctx = { now: new Date('2025-03-01T12:00:00Z') };
let validator: Validator;

beforeAll(() => {
  indexR4Definitions();
  validator = new Validator();
  validator.registerTerminology(allTerminology());
  for (const sd of resourceProfiles()) validator.registerProfile(sd);
});

const errors = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
const describeIssue = (i: OperationOutcomeIssue) => `${i.expression?.join(',')}: ${i.details?.text}`;
describe('examples', () => {
  it('covers every profile with at least one valid and three invalid examples', () => {
    const covered = new Set(EXAMPLES.map((e) => e.profile));
    expect([...covered].sort()).toEqual(Object.values(PROFILE).sort());
    for (const e of EXAMPLES) {
      expect(e.valid.length, e.profile).toBeGreaterThanOrEqual(1);
      expect(e.invalid.length, e.profile).toBeGreaterThanOrEqual(3);
    }
  });

  for (const group of EXAMPLES) {
    const name = group.profile.slice(group.profile.lastIndexOf('/') + 1);
    describe(name, () => {
      it.each(group.valid.map((e) => [e.name, e] as const))('valid: %s', (_n, e) => {
        // No errors, and no warnings either (e.g. a code the validator could not check).
        expect(validator.validate(e.resource, ctx).map(describeIssue)).toEqual([]);
      });
      it.each(group.invalid.map((e) => [e.name, e] as const))('invalid: %s', (_n, e) => {
        const found = errors(validator.validate(e.resource, ctx));
        expect(found.map(describeIssue)).toHaveLength(1);
        const [issue] = found;
        expect(issue?.expression).toEqual([e.expression]);
        expect(issue?.details?.text).toContain(e.message);
      });
      it('the valid examples are also valid when the profile is asked for instead of claimed', () => {
        for (const e of group.valid) {
          const { meta: _meta, ...rest } = e.resource as unknown as Record<string, unknown>;
          expect(errors(validator.validate(rest as never, ctx, { profiles: [group.profile] })).map(describeIssue)).toEqual([]);
        }
      });
    });
  }
});

describe('the profiles follow the terminology', () => {
  const sds = structureDefinitions();
  const constraint = (id: string, key: string): string => {
    const root = sds.find((sd) => sd.id === id)?.snapshot?.element?.[0];
    const expression = root?.constraint?.find((c) => c.key === key)?.expression;
    if (!expression) throw new Error(`${id} has no ${key}`);
    return expression;
  };
  const quoted = (s: string) => [...s.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();

  it('every notice kind has a profile of its own that fixes it', () => {
    const fixed = sds.flatMap((sd) =>
      (sd.snapshot?.element ?? [])
        .filter((e) => e.id === 'Communication.category:noticeKind')
        .flatMap((e) => e.patternCodeableConcept?.coding ?? [])
        .filter((c) => c.system === CS.noticeKind)
        .map((c) => c.code),
    );
    expect(fixed.sort()).toEqual(NOTICE_KINDS.map((k) => k.code).sort());
  });

  it("sg-ufi-2 lists exactly the discharge-information code system's documents", () => {
    const documents = DISCHARGE_INFORMATION_ITEMS.filter((c) => c.properties?.['item-kind'] === 'document').map((c) => c.code);
    const expression = constraint('Utskrivningsinformation', 'sg-ufi-2');
    expect(expression).toContain(CS.dischargeInformation);
    expect(quoted(expression.slice(expression.indexOf(' in ('))).sort()).toEqual(documents.sort());
  });

  it("sg-ufi-6 requires exactly VGR's documents but the insurance-medicine assessment (only when relevant)", () => {
    const required = itemsOf('vastra-gotaland').filter((c) => c !== 'forsakringsmedicinsk-bedomning');
    const expression = constraint('UtskrivningsinformationVgr', 'sg-ufi-6');
    expect(quoted(expression.slice(expression.indexOf('supersetOf(')))).toEqual(required.sort());
  });
});
