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
  EXCLUSION_REASON_SYSTEM,
  EXT,
  KOMMUNKOD_SYSTEM,
  MEASURE_IMPROVEMENT_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  MEASURE_REPORT_PROFILE,
  POPULATION,
  REPORT_ID_SYSTEM,
  UCUM,
} from './codes.ts';

/**
 * summary: the kommun's figures. subject-list: the same, and the stays of each population as contained
 * Lists. individual ($evaluate-measure's reportType `subject`): the report on the one subject kommun, its
 * figures and the stays evaluated for it (evaluatedResource, by episode id).
 */
export type ReportType = 'summary' | 'subject-list' | 'individual';

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
  for (const f of ev.failures) sub.push({ url: 'failure', valueCoding: { system: EXCLUSION_REASON_SYSTEM, code: f.code, display: f.reason } });
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
  const id = `${result.agreement}-${k.kommunkod}-${result.month}`;
  const report: MeasureReport = {
    resourceType: 'MeasureReport',
    id,
    meta: { profile: [MEASURE_REPORT_PROFILE] },
    extension,
    identifier: [{ system: REPORT_ID_SYSTEM, value: id }],
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
  if (reportType === 'individual') {
    report.evaluatedResource = k.groups.flatMap((g) =>
      g.episodes.map((ev) => ({ type: 'Encounter', identifier: { system: EPISODE_ID_SYSTEM, value: ev.episodeId }, display: `stay ${ev.episodeId}` })),
    );
  }
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

// ---- difference reports --------------------------------------------------------------------------

/** Days (hundredths) and money (öre) as integers, so differences are exact. */
const hundredthsOf = (q: { value?: number } | undefined) => Math.round((q?.value ?? 0) * 100);
const oreOf = (m: { value?: number } | undefined): Ore | null => (m?.value === undefined ? null : Math.round(m.value * 100));
const first = (g: MeasureReportGroup | undefined, url: string) => g?.extension?.find((e) => e.url === url);

/** The figures a difference is taken of, per group. */
type Figures = { average: Hundredths; individual: Hundredths; total: Hundredths; amount: Ore | null };
function figuresOf(g: MeasureReportGroup | undefined): Figures {
  if (!g) return { average: 0, individual: 0, total: 0, amount: 0 };
  return {
    average: hundredthsOf(first(g, EXT.billableDaysAverage)?.valueQuantity),
    individual: hundredthsOf(first(g, EXT.billableDaysIndividual)?.valueQuantity),
    total: hundredthsOf(first(g, EXT.billableDays)?.valueQuantity),
    amount: oreOf(first(g, EXT.amount)?.valueMoney),
  };
}

const sek = (ore: Ore) => `${formatSek(ore)} SEK`;
const FIGURE_URLS: ReadonlySet<string> = new Set([EXT.billableDaysAverage, EXT.billableDaysIndividual, EXT.billableDays, EXT.amount]);

function differenceGroup(now: MeasureReportGroup | undefined, before: MeasureReportGroup | undefined, storedRef: string): MeasureReportGroup {
  const shape = (now ?? before)!;
  const a = figuresOf(now);
  const b = figuresOf(before);
  const d = { average: a.average - b.average, individual: a.individual - b.individual, total: a.total - b.total };
  // What explains the month is the recomputed group's; a group gone from it keeps only its shape.
  const kept = (now?.extension ?? before?.extension ?? []).filter((e) => !FIGURE_URLS.has(e.url) && (now || e.url !== EXT.explanation));
  const ext: Extension[] = [
    ...kept.filter((e) => e.url !== EXT.warning),
    { url: EXT.billableDaysAverage, valueQuantity: days(d.average) },
    { url: EXT.billableDaysIndividual, valueQuantity: days(d.individual) },
    { url: EXT.billableDays, valueQuantity: days(d.total) },
  ];
  const lines = [`Difference against ${storedRef}: billable days ${b.total / 100} → ${a.total / 100} (${d.total >= 0 ? '+' : ''}${d.total / 100}).`];
  const warnings = kept.filter((e) => e.url === EXT.warning);
  if (a.amount !== null && b.amount !== null) {
    const amount = a.amount - b.amount;
    // The amount needs a daily amount (sg-mr-5): the recomputed group's, else the stored one's.
    if (!ext.some((e) => e.url === EXT.dailyAmount)) {
      const daily = first(before, EXT.dailyAmount);
      if (daily) ext.push(daily);
    }
    ext.push({ url: EXT.amount, valueMoney: money(amount) });
    lines.push(
      amount > 0 ? `Debit ${sek(amount)} (${sek(b.amount)} → ${sek(a.amount)}).`
      : amount < 0 ? `Credit ${sek(-amount)} (${sek(b.amount)} → ${sek(a.amount)}).`
      : `No change in the amount (${sek(a.amount)}).`,
    );
  } else {
    warnings.push({ url: EXT.warning, valueString: 'No amount difference: the stored or the recomputed month has no daily amount; the days stand.' });
  }
  if (!now) lines.push('The recomputed month has no stays in this group: everything stored is credited.');
  ext.push(...lines.map((l) => ({ url: EXT.explanation, valueString: l })), ...warnings);
  const out: MeasureReportGroup = {
    id: shape.id,
    extension: ext,
    code: shape.code,
    // The populations and mean are the recomputed month's (a count has no debit or credit).
    population: (now?.population ?? before!.population ?? []).map((p) => ({ id: p.id, code: p.code, count: now ? p.count : 0 })),
  };
  if (now?.measureScore) out.measureScore = now.measureScore;
  return out;
}

/**
 * A difference report: `recomputed` (the month settled again, e.g. after corrections) against `stored` (the
 * report invoiced, referenced as `storedRef`, a version). Per group the billable days and the amount are
 * recomputed minus stored: positive is a debit, negative a credit; populations, mean, threshold and
 * liability are the recomputed month's. It has no settlement-report identifier (it is not a month's basis)
 * and names what it corrects in the settlement-corrects extension.
 */
export function buildDifferenceReport(stored: MeasureReport, recomputed: MeasureReport, storedRef: string, date?: string): MeasureReport {
  const ids = [...new Set([...(recomputed.group ?? []), ...(stored.group ?? [])].map((g) => g.id))];
  const groupOf = (r: MeasureReport, id: string | undefined) => r.group?.find((g) => g.id === id);
  const report: MeasureReport = {
    resourceType: 'MeasureReport',
    meta: { profile: [MEASURE_REPORT_PROFILE] },
    extension: [{ url: EXT.corrects, valueReference: { reference: storedRef } }, ...(recomputed.extension ?? [])],
    status: 'complete',
    type: 'summary',
    measure: recomputed.measure,
    subject: recomputed.subject,
    period: recomputed.period,
    improvementNotation: recomputed.improvementNotation,
    group: ids.map((id) => differenceGroup(groupOf(recomputed, id), groupOf(stored, id), storedRef)),
  };
  if (date) report.date = date;
  return report;
}
