// The settlement as FHIR: a Measure per agreement and MeasureReports that validate with the gateway's
// own validator (R4 structure, bindings, invariants, Swedish identifiers) and carry every figure.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Extension, List, MeasureReport } from '@medplum/fhirtypes';
import { createValidator } from '../../src/gateway/validation.ts';
import type { Validator } from '../../src/profiles/validation/index.ts';
import { AGREEMENT_IDS } from '../../src/rules/agreements/index.ts';
import { buildMeasure } from '../../src/rules/fhir/measure.ts';
import { buildMeasureReports, measureReportBundle } from '../../src/rules/fhir/measure-report.ts';
import { EXT } from '../../src/rules/fhir/codes.ts';
import { canonical } from '../../src/profiles/canonical.ts';
import { run, stayDays } from './helpers.ts';

let validator: Validator;
const ctx = { now: new Date('2025-01-01T00:00:00Z') };
const errorsOf = (r: unknown) => validator.validate(r, ctx).filter((i) => i.severity === 'error');

beforeAll(() => {
  validator = createValidator();
});

const ext = (exts: Extension[] | undefined, url: string) => exts?.find((e) => e.url === url);

describe('Measure per agreement', () => {
  it.each(AGREEMENT_IDS)('%s: canonical URL, ratio scoring, its groups; valid R4', (id) => {
    const m = buildMeasure(id);
    expect(m.url).toBe(canonical.measure(id));
    expect(m.scoring?.coding?.[0]?.code).toBe('ratio');
    expect(m.guidance).toMatch(/noticesBeforeDischarge/);
    expect(errorsOf(m)).toEqual([]);
  });

  it('separates care types where the agreement does', () => {
    expect(buildMeasure('orebro').group?.map((g) => g.id)).toEqual(['somatic', 'psychiatric']);
    expect(buildMeasure('jamtland-harjedalen').group?.map((g) => g.id)).toEqual(['all']);
    expect(buildMeasure('vastra-gotaland').group?.map((g) => g.id)).toEqual(['all', 'somatic', 'psychiatric']);
  });
});

describe('MeasureReport from a settlement', () => {
  // VGR, Göteborg 2022-03: k = 2, 5 in the mean (mean 3.5 → 1 day), k = 10 individual (7 days), one excluded.
  const result = run('vastra-gotaland', '2022-03', [
    stayDays('a', '1480', '2022-03-01', 2),
    stayDays('b', '1480', '2022-03-01', 5),
    stayDays('c', '1480', '2022-03-01', 10),
    stayDays('x', '1480', '2022-03-01', 9, { admission_notice_at: null }),
  ]);

  it('summary: populations, mean as score, the money as extensions; valid R4', () => {
    const [r] = buildMeasureReports(result, { date: '2022-04-05T10:00:00+02:00' });
    const report = r!;
    expect(report.measure).toBe(canonical.measure('vastra-gotaland'));
    expect(report.type).toBe('summary');
    expect(report.subject?.identifier).toEqual({ system: 'urn:oid:1.2.752.129.2.2.1.17', value: '1480' });
    expect(report.period).toEqual({ start: '2022-03-01', end: '2022-03-31' });
    const g = report.group![0]!;
    expect(g.population?.map((p) => [p.id, p.code?.coding?.[0]?.code, p.count])).toEqual([
      ['initial-population', 'initial-population', 4],
      ['numerator', 'numerator', 7],
      ['denominator', 'denominator', 2],
      ['denominator-exclusion-individual', 'denominator-exclusion', 1],
      ['denominator-exclusion-precondition', 'denominator-exclusion', 1],
    ]);
    expect(g.measureScore?.value).toBe(3.5);
    expect(ext(g.extension, EXT.threshold)?.valueQuantity?.value).toBe(3);
    expect(ext(g.extension, EXT.liable)?.valueBoolean).toBe(true);
    expect(ext(g.extension, EXT.billableDaysAverage)?.valueQuantity?.value).toBe(1);
    expect(ext(g.extension, EXT.billableDaysIndividual)?.valueQuantity?.value).toBe(7);
    expect(ext(g.extension, EXT.billableDays)?.valueQuantity?.value).toBe(8);
    expect(ext(g.extension, EXT.dailyAmount)?.valueMoney).toEqual({ value: 9300, currency: 'SEK' });
    expect(ext(g.extension, EXT.amount)?.valueMoney).toEqual({ value: 74_400, currency: 'SEK' });
    expect(report.contained).toBeUndefined();
    expect(errorsOf(report)).toEqual([]);
    // The validator is not vacuous: a broken copy fails.
    expect(errorsOf({ ...report, status: 'settled', group: [{ ...g, measureScore: { value: 'x' } }] }).length).toBeGreaterThan(0);
  });

  it('subject-list: contained Lists per population, each stay with its evaluation; valid R4', () => {
    const [report] = buildMeasureReports(result, { reportType: 'subject-list' }) as [MeasureReport];
    const g = report.group![0]!;
    const listOf = (popId: string) => {
      const ref = g.population!.find((p) => p.id === popId)!.subjectResults!.reference!.slice(1);
      return report.contained!.find((c) => c.id === ref) as List;
    };
    expect(listOf('initial-population').entry).toHaveLength(4);
    expect(listOf('denominator').entry?.map((e) => e.item.identifier?.value)).toEqual(['a', 'b']);
    expect(listOf('denominator-exclusion-individual').entry?.map((e) => e.item.identifier?.value)).toEqual(['c']);
    expect(listOf('denominator-exclusion-precondition').entry?.map((e) => e.item.identifier?.value)).toEqual(['x']);
    const c = listOf('initial-population').entry!.find((e) => e.item.identifier?.value === 'c')!;
    const evalExt = ext(c.extension, EXT.episodeEvaluation)!.extension!;
    expect(ext(evalExt, 'days')?.valueInteger).toBe(10);
    expect(ext(evalExt, 'billableDays')?.valueInteger).toBe(7);
    expect(ext(evalExt, 'rule')?.valueString).toMatch(/k = 10 > 7/);
    const x = listOf('initial-population').entry!.find((e) => e.item.identifier?.value === 'x')!;
    expect(ext(ext(x.extension, EXT.episodeEvaluation)!.extension, 'failure')?.valueCoding?.code).toBe('no-admission-notice');
    expect(errorsOf(report)).toEqual([]);
    expect(errorsOf(measureReportBundle([report]))).toEqual([]);
  });

  it('a year without an amount: days, no Money, the warning in the group', () => {
    const r = run('law', '2024-03', [stayDays('a', '0180', '2024-03-01', 6)]);
    const [report] = buildMeasureReports(r);
    const g = report!.group![0]!;
    expect(ext(g.extension, EXT.billableDays)?.valueQuantity?.value).toBe(3);
    expect(ext(g.extension, EXT.amount)).toBeUndefined();
    expect(g.measureScore).toBeUndefined(); // the law has no mean: every stay is settled on its own
    expect(errorsOf(report)).toEqual([]);
  });

  it('Jämtland carries its share as a Ratio and its 75 % threshold', () => {
    const r = run('jamtland-harjedalen', '2022-03', [0, 1, 5].map((k, i) => stayDays(`s${i}`, '2380', '2022-03-01', k)));
    const g = buildMeasureReports(r)[0]!.group![0]!;
    expect(ext(g.extension, EXT.shareDay01)?.valueRatio).toEqual({ numerator: { value: 2 }, denominator: { value: 3 } });
    expect(ext(g.extension, EXT.threshold)?.valueQuantity).toMatchObject({ value: 75, code: '%' });
  });
});
