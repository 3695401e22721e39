// A settlement result as FHIR: one MeasureReport per kommun and month, one group per care type the
// agreement separates. Populations carry the counts, measureScore the mean days, and extensions on the
// group the figures finance invoices on (threshold, liable, billable days, daily amount, total as Money
// SEK). reportType 'subject-list' adds, per population, a contained List of the stays, and on each stay
// of the initial population its evaluation: days, status, billable days, the rule and why.
import type {
  Bundle,
  Extension,
  List,
  ListEntry,
  MeasureReport,
  MeasureReportGroup,
  MeasureReportGroupPopulation,
} from '@medplum/fhirtypes';
import type { EpisodeEvaluation } from '../evaluation.ts';
import { traceOf } from '../evaluation.ts';
import { formatSek } from '../quantity.ts';
import type { Hundredths, Ore } from '../quantity.ts';
import { meanHundredths } from '../quantity.ts';
import type { GroupSettlement, KommunSettlement, SettlementResult } from '../settle.ts';
import { careTypeConcept } from './measure.ts';
import {
  EPISODE_ID_SYSTEM,
  EXT,
  KOMMUNKOD_SYSTEM,
  MEASURE_IMPROVEMENT_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  POPULATION,
  UCUM,
} from './codes.ts';

export type ReportType = 'summary' | 'subject-list';

export type MeasureReportOptions = {
  reportType?: ReportType;
  /** When the report was produced (rules have no clock: the caller passes it). */
  date?: string;
};

const days = (h: Hundredths) => ({ value: h / 100, unit: 'd', system: UCUM, code: 'd' });
const money = (ore: Ore) => ({ value: Number(formatSek(ore)), currency: 'SEK' as const });

function groupExtensions(g: GroupSettlement): Extension[] {
  const ext: Extension[] = [{ url: EXT.model, valueString: g.model }];
  if (g.threshold.kind === 'mean-days') ext.push({ url: EXT.threshold, valueQuantity: days(g.threshold.days) });
  if (g.threshold.kind === 'share-day-0-1') {
    ext.push({ url: EXT.threshold, valueQuantity: { value: g.threshold.percent, unit: '%', system: UCUM, code: '%' } });
  }
  if (g.share) {
    ext.push({
      url: EXT.shareDay01,
      valueRatio: { numerator: { value: g.share.count }, denominator: { value: g.share.of } },
    });
  }
  ext.push(
    { url: EXT.liable, valueBoolean: g.liable },
    { url: EXT.billableDaysAverage, valueQuantity: days(g.billableAverage) },
    { url: EXT.billableDaysIndividual, valueQuantity: days(g.billableIndividual) },
    { url: EXT.billableDays, valueQuantity: days(g.billableTotal) },
  );
  if (g.dailyAmount) {
    ext.push(
      { url: EXT.dailyAmount, valueMoney: money(g.dailyAmount.ore) },
      { url: EXT.dailyAmountSource, valueString: `${g.dailyAmount.source}: ${g.dailyAmount.note}` },
    );
  }
  if (g.amount !== null) ext.push({ url: EXT.amount, valueMoney: money(g.amount) });
  for (const line of g.explanation) ext.push({ url: EXT.explanation, valueString: line });
  for (const w of g.warnings) ext.push({ url: EXT.warning, valueString: w });
  return ext;
}

function evaluationExtension(ev: EpisodeEvaluation): Extension {
  const sub: Extension[] = [
    { url: 'status', valueCode: ev.status },
    { url: 'careType', valueCode: ev.careType },
    { url: 'liableKommun', valueCoding: { system: KOMMUNKOD_SYSTEM, code: ev.liableKommunkod } },
    { url: 'counting', valueCode: ev.counting },
  ];
  if (ev.days !== null) sub.push({ url: 'days', valueInteger: ev.days });
  sub.push({ url: 'billableDays', valueInteger: ev.billableDays }, { url: 'part', valueCode: ev.part });
  for (const f of ev.failures) sub.push({ url: 'failure', valueCoding: { code: f.code, display: f.reason } });
  const trace = traceOf(ev);
  sub.push({ url: 'rule', valueString: trace.rule });
  for (const s of trace.steps) sub.push({ url: 'step', valueString: s });
  return { url: EXT.episodeEvaluation, extension: sub };
}

function entry(ev: EpisodeEvaluation, detailed: boolean): ListEntry {
  const e: ListEntry = {
    item: { identifier: { system: EPISODE_ID_SYSTEM, value: ev.episodeId }, display: `stay ${ev.episodeId}` },
  };
  if (detailed) e.extension = [evaluationExtension(ev)];
  return e;
}

function population(
  id: string,
  code: string,
  count: number,
  listId: string | null,
): MeasureReportGroupPopulation {
  const p: MeasureReportGroupPopulation = {
    id,
    code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code }] },
    count,
  };
  if (listId) p.subjectResults = { reference: `#${listId}` };
  return p;
}

function list(id: string, title: string, evs: EpisodeEvaluation[], detailed: boolean): List {
  return { resourceType: 'List', id, status: 'current', mode: 'snapshot', title, entry: evs.map((ev) => entry(ev, detailed)) };
}

function group(g: GroupSettlement, contained: List[] | null): MeasureReportGroup {
  const lists = contained !== null;
  const id = (p: string) => `${p}-${g.careType}`;
  if (contained) {
    contained.push(
      list(id('initial'), `Stays, ${g.careType}`, g.episodes, true),
      list(id('denominator'), `Stays in the monthly measure, ${g.careType}`, g.episodes.filter((e) => e.status === 'in-mean'), false),
      list(id('individual'), `Stays settled on their own, ${g.careType}`, g.episodes.filter((e) => e.status === 'individual'), false),
      list(id('precondition'), `Stays excluded, ${g.careType}`, g.episodes.filter((e) => e.status === 'excluded'), false),
    );
  }
  const out: MeasureReportGroup = {
    id: g.careType,
    extension: groupExtensions(g),
    code: careTypeConcept(g.careType),
    population: [
      population(POPULATION.initial, 'initial-population', g.initialPopulation, lists ? id('initial') : null),
      population(POPULATION.numerator, 'numerator', g.totalDaysInMean, null),
      population(POPULATION.denominator, 'denominator', g.inMean, lists ? id('denominator') : null),
      population(POPULATION.excludedIndividual, 'denominator-exclusion', g.excludedIndividual, lists ? id('individual') : null),
      population(POPULATION.excludedPrecondition, 'denominator-exclusion', g.excludedPrecondition, lists ? id('precondition') : null),
    ],
  };
  const mean = meanHundredths(g.totalDaysInMean, g.inMean);
  if (mean !== null) out.measureScore = days(mean);
  return out;
}

export function buildMeasureReport(
  result: SettlementResult,
  k: KommunSettlement,
  options: MeasureReportOptions = {},
): MeasureReport {
  const reportType = options.reportType ?? 'summary';
  const contained: List[] | null = reportType === 'subject-list' ? [] : null;
  const groups = k.groups.map((g) => group(g, contained));
  const extension: Extension[] = result.parameters.map((p) => ({
    url: EXT.parameter,
    extension: [
      { url: 'name', valueString: p.name },
      { url: 'value', valueString: p.value },
      { url: 'origin', valueCode: p.origin },
      { url: 'default', valueBoolean: p.isDefault },
    ],
  }));
  const report: MeasureReport = {
    resourceType: 'MeasureReport',
    id: `${result.agreement}-${k.kommunkod}-${result.month}`,
    extension,
    status: 'complete',
    type: reportType,
    measure: result.measureUrl,
    subject: {
      type: 'Organization',
      identifier: { system: KOMMUNKOD_SYSTEM, value: k.kommunkod },
      display: k.kommun || `kommun ${k.kommunkod}`,
    },
    period: result.period,
    improvementNotation: { coding: [{ system: MEASURE_IMPROVEMENT_SYSTEM, code: 'decrease' }] },
    group: groups,
  };
  if (options.date) report.date = options.date;
  if (contained && contained.length > 0) report.contained = contained;
  return report;
}

export function buildMeasureReports(result: SettlementResult, options: MeasureReportOptions = {}): MeasureReport[] {
  return result.kommuner.map((k) => buildMeasureReport(result, k, options));
}

/** A Bundle of type collection holding the reports (the CLI's json output). */
export function measureReportBundle(reports: MeasureReport[], timestamp?: string): Bundle<MeasureReport> {
  const b: Bundle<MeasureReport> = { resourceType: 'Bundle', type: 'collection', entry: reports.map((r) => ({ resource: r })) };
  if (timestamp) b.timestamp = timestamp;
  return b;
}
