// Difference reports (buildDifferenceReport): a month settled again after corrections against the report
// stored for it. Örebro 1880, March 2022, noon rule, 9 300 kr a day, liable when the mean is over 3.0.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Extension, MeasureReport } from '@medplum/fhirtypes';
import { createValidator } from '../../src/gateway/validation.ts';
import { PROFILE } from '../../src/profiles/definitions/index.ts';
import type { Validator } from '../../src/profiles/validation/index.ts';
import { EXT, REPORT_ID_SYSTEM } from '../../src/rules/fhir/codes.ts';
import { careTypeConcept } from '../../src/rules/fhir/measure.ts';
import { buildDifferenceReport, buildMeasureReports } from '../../src/rules/fhir/measure-report.ts';
import { run, stayDays } from './helpers.ts';

let validator: Validator;
beforeAll(() => {
  validator = createValidator();
});

const REF = 'MeasureReport/orebro-1880-2022-03/_history/1';
const report = (...ks: number[]): MeasureReport =>
  buildMeasureReports(run('orebro', '2022-03', ks.map((k, i) => stayDays(`s${i}`, '1880', '2022-03-01', k))))[0]!;
const ext = (exts: Extension[] | undefined, url: string) => exts?.filter((e) => e.url === url) ?? [];
const figures = (r: MeasureReport) => {
  const g = r.group!.find((x) => x.id === 'somatic')!;
  return {
    liable: ext(g.extension, EXT.liable)[0]?.valueBoolean,
    average: ext(g.extension, EXT.billableDaysAverage)[0]?.valueQuantity?.value,
    individual: ext(g.extension, EXT.billableDaysIndividual)[0]?.valueQuantity?.value,
    billable: ext(g.extension, EXT.billableDays)[0]?.valueQuantity?.value,
    amount: ext(g.extension, EXT.amount)[0]?.valueMoney,
  };
};
const errors = (r: MeasureReport) => validator.validate(r, { now: new Date('2025-01-01T00:00:00Z') }).filter((i) => i.severity === 'error');

describe('difference reports', () => {
  // Stored: k = 7 and 1, mean 4.0 > 3: 7 − 3 = 4 days, 37 200 kr.
  const stored = report(7, 1);

  it('the stored report is the basis: an identifier per agreement, kommun and month, and the profile', () => {
    expect(figures(stored)).toMatchObject({ liable: true, billable: 4, amount: { value: 37200, currency: 'SEK' } });
    expect(stored.identifier).toEqual([{ system: REPORT_ID_SYSTEM, value: 'orebro-1880-2022-03' }]);
    expect(stored.meta?.profile).toEqual([PROFILE.measureReport]);
    expect(errors(stored)).toEqual([]);
  });

  it('a correction that ends liability: credit of everything, 4 days and 37 200 kr', () => {
    // Corrected: k = 5 and 1, mean 3.0, not over 3: nothing billed.
    const d = buildDifferenceReport(stored, report(5, 1), REF, '2022-04-10T09:00:00+02:00');
    expect(figures(d)).toEqual({ liable: false, average: -4, individual: 0, billable: -4, amount: { value: -37200, currency: 'SEK' } });
    expect(ext(d.extension, EXT.corrects)[0]?.valueReference).toEqual({ reference: REF });
    expect(d.identifier).toBeUndefined();
    expect(d.id).toBeUndefined();
    expect(ext(d.group!.find((g) => g.id === 'somatic')!.extension, EXT.explanation).map((e) => e.valueString)).toContain('Credit 37200.00 SEK (37200.00 SEK → 0.00 SEK).');
    // The populations are the corrected month's: numerator 6 days over 2 stays.
    expect(d.group!.find((g) => g.id === 'somatic')!.population?.map((p) => [p.id, p.count])).toContainEqual(['numerator', 6]);
    expect(errors(d)).toEqual([]);
  });

  it('a later discharge: debit of one day, 9 300 kr', () => {
    // k = 8 and 1, mean 4.5: 5 days.
    const d = buildDifferenceReport(stored, report(8, 1), REF);
    expect(figures(d)).toEqual({ liable: true, average: 1, individual: 0, billable: 1, amount: { value: 9300, currency: 'SEK' } });
    expect(ext(d.group!.find((g) => g.id === 'somatic')!.extension, EXT.explanation).map((e) => e.valueString)).toContain('Debit 9300.00 SEK (37200.00 SEK → 46500.00 SEK).');
    expect(errors(d)).toEqual([]);
  });

  it('no change: zero, not a missing figure', () => {
    const d = buildDifferenceReport(stored, report(7, 1), REF);
    expect(figures(d)).toEqual({ liable: true, average: 0, individual: 0, billable: 0, amount: { value: 0, currency: 'SEK' } });
  });

  it('a group gone from the recomputed month is credited whole', () => {
    const r = report(7, 1);
    const somatic = r.group!.find((g) => g.id === 'somatic')!;
    const somaticOnly: MeasureReport = { ...r, group: [somatic] };
    // The stored report had a psychiatric group with the same figures.
    const psychiatric = { ...somatic, id: 'psychiatric', code: careTypeConcept('psychiatric') };
    const withPsych: MeasureReport = { ...r, group: [somatic, psychiatric] };
    const d = buildDifferenceReport(withPsych, somaticOnly, REF);
    expect(d.group?.map((g) => g.id)).toEqual(['somatic', 'psychiatric']);
    const psych = d.group![1]!;
    expect(ext(psych.extension, EXT.amount)[0]?.valueMoney).toEqual({ value: -37200, currency: 'SEK' });
    expect(psych.population?.every((p) => p.count === 0)).toBe(true);
    expect(errors(d)).toEqual([]);
  });
});
