// The model VGR (§5.4) and Jönköping (§5.5) share: stays with k above a limit leave the mean and are
// billed on their own for the days beyond day 3; for the rest (n stays, mean m) the kommun pays
// (m − threshold) × n days when m exceeds the threshold, computed exactly as total − threshold × n.
import { evaluateEligibility } from './common.ts';
import type { ParamSpec, ParamValues } from './parameters.ts';
import type { GroupCareType } from '../episode.ts';
import type { Explainer, GroupDraft, PreconditionRule } from '../evaluation.ts';
import { count, emptyGroup, excludedExplainer, meanExceeds } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';
import type { DayCounting } from '../time/day-count.ts';
import { formatHundredths, formatMean, formatThreshold } from '../quantity.ts';

export function meanExcessParameters(threshold: number, thresholdSource: string, limitSource: string): ParamSpec[] {
  return [
    {
      name: 'meanThreshold',
      kind: 'days',
      default: threshold,
      origin: 'agreement',
      summary: 'The kommun pays (m − threshold) × n days when the mean m of the stays left in the mean exceeds this.',
      source: thresholdSource,
    },
    {
      name: 'individualAboveDays',
      kind: 'integer',
      default: 7,
      origin: 'agreement',
      summary: 'Stays with k above this are taken out of the mean and billed on their own.',
      source: limitSource,
    },
    {
      name: 'individualBeyondDay',
      kind: 'integer',
      default: 3,
      origin: 'agreement',
      summary: 'A stay billed on its own is billed for the days beyond this day (k − 3).',
      source: limitSource,
    },
  ];
}

export type MeanExcessOptions = {
  careType: GroupCareType;
  counting: DayCounting;
  preconditions: readonly PreconditionRule[];
  section: string;
};

export function meanExcessGroup(eps: readonly PreparedEpisode[], params: ParamValues, o: MeanExcessOptions): GroupDraft {
  const threshold = params.meanThreshold as number;
  const limit = params.individualAboveDays as number;
  const beyond = params.individualBeyondDay as number;
  const t = formatThreshold(threshold);
  const g = emptyGroup(
    o.careType,
    `${o.counting === 'hours' ? 'hours-based' : 'calendar'} days; k > ${limit} billed k − ${beyond} on its own; the rest pay total − ${t} × n when their mean exceeds ${t}`,
    { kind: 'mean-days', days: threshold },
  );
  const explain: Explainer = (ev) => {
    const k = ev.days ?? 0;
    if (ev.status === 'individual') {
      return {
        rule: `${o.section}: k = ${k} > ${limit}: out of the mean, billed k − ${beyond} on its own`,
        steps: [`k = ${k} > ${limit}: taken out of the mean; billable ${k} − ${beyond} = ${ev.billableDays}`],
      };
    }
    const mean = formatMean(g.totalDaysInMean, g.inMean);
    return {
      rule: g.liable
        ? `${o.section}: in the mean (k = ${k}); mean ${mean} > ${t}, billed in the average part`
        : `${o.section}: in the mean (k = ${k}); mean ${mean} ≤ ${t}, nothing billed`,
      steps: [`k = ${k} ≤ ${limit}: counts in the mean; ${g.explanation[0] ?? ''}`],
    };
  };
  const excluded = excludedExplainer(o.section);
  for (const p of eps) {
    const ev = evaluateEligibility(p, params, o.counting, o.careType, o.preconditions, explain, excluded);
    if (ev.status !== 'excluded') {
      const k = ev.days ?? 0;
      if (k > limit) {
        ev.status = 'individual';
        ev.billableDays = k - beyond;
        ev.part = 'individual';
        g.billableIndividual += ev.billableDays * 100;
      }
    }
    count(g, ev);
  }
  const n = g.inMean;
  const total = g.totalDaysInMean;
  g.liable = meanExceeds(total, n, threshold);
  const mean = formatMean(total, n) || '–';
  if (g.liable) {
    // (m − t) × n = total − t × n, in hundredths of a day: exact, whatever m's decimals.
    g.billableAverage = total * 100 - threshold * n;
    g.explanation.push(
      `mean of the ${n} stays with k ≤ ${limit} = ${total} / ${n} = ${mean} > ${t}: ` +
        `billable (m − ${t}) × n = ${total} − ${t} × ${n} = ${formatHundredths(g.billableAverage)} days`,
    );
    for (const ev of g.episodes) if (ev.status === 'in-mean') ev.part = 'average';
  } else {
    g.explanation.push(`mean of the ${n} stays with k ≤ ${limit} = ${mean}, not above ${t}: nothing from the average part`);
  }
  return g;
}
