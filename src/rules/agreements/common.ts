// Parameters every pack has, and the law's per-stay rule (§5.0) that several packs fall back on:
// the law itself, Jämtland's liable stays, and the 2018 psychiatric variants.
import type { ParamSpec, ParamValues } from './parameters.ts';
import type { GroupCareType } from '../episode.ts';
import type { EpisodeEvaluation, Explainer, GroupDraft, PreconditionRule } from '../evaluation.ts';
import { checkPreconditions, count, emptyGroup, evaluate, excludedExplainer } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';
import type { DayCounting } from '../time/day-count.ts';

export const COMMON_PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'noticesBeforeDischarge',
    kind: 'boolean',
    default: true,
    origin: 'engine',
    summary:
      'A notice counts for a precondition only when sent no later than discharge (a notice sent after the patient left cannot start liability). false = any notice in the record counts.',
    source: 'law 5:3; the texts do not say when the notice must have been sent',
  },
  {
    name: 'dailyAmounts',
    kind: 'sek-by-year',
    default: {},
    origin: 'agreement',
    summary:
      "The agreement's own daily amount per year (SEK), overriding Socialstyrelsen's; configuration and --daily-amount override it in turn.",
    source: 'law 5:6 ("unless the agreement sets another")',
  },
];

export const LAW_RULE_PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'lawBillableDays',
    kind: 'enum',
    values: ['k-minus-g', 'including-discharge-day'],
    default: 'k-minus-g',
    origin: 'reading',
    summary:
      "Billable days under the law's rule: max(0, k − g), the calendar days from day g on without counting the discharge day twice; the alternative adds the discharge day (k − g + 1 when k ≥ g).",
    source: 'agreements.md §5.0 Reading',
  },
  {
    name: 'graceDays',
    kind: 'integer',
    default: 3,
    origin: 'agreement',
    summary: 'g: liability starts this many days after notice 8.',
    source: 'law 5:4',
  },
  {
    name: 'graceDaysAfterNoon',
    kind: 'integer',
    default: 4,
    origin: 'agreement',
    summary: 'g when notice 8 was sent after 12:00 (strictly later than 12:00:00 Stockholm time).',
    source: 'law 5:4',
  },
  {
    name: 'psychiatric2018GraceDays',
    kind: 'integer',
    default: 30,
    origin: 'agreement',
    summary:
      'g for psychiatric stays settled in a 2018 month (noon or not): liability from 30 days after notice 8.',
    source: 'agreements.md §5.0 ("During 2018 psychiatric care used 30 days")',
  },
];

export function monthYear(month: string): number {
  return Number(month.slice(0, 4));
}

/** max(0, k − g), or with the discharge day (k − g + 1 from k = g). */
export function lawBillable(k: number, g: number, mode: string): number {
  if (mode === 'including-discharge-day') return k >= g ? k - g + 1 : 0;
  return Math.max(0, k - g);
}

/** The law's g for a stay: 3, or 4 when notice 8 came after 12:00. */
export function lawGrace(p: PreparedEpisode, params: ParamValues): number {
  return (p.readyAfterNoon ? params.graceDaysAfterNoon : params.graceDays) as number;
}

export function lawGraceWhy(p: PreparedEpisode, params: ParamValues): string {
  return p.readyAfterNoon
    ? `notice 8 after 12:00, g = ${String(params.graceDaysAfterNoon)}`
    : `notice 8 not after 12:00, g = ${String(params.graceDays)}`;
}

/** The law's rule as PerStayOptions.grace / graceWhy. */
export function lawGraceRule(params: ParamValues): Pick<PerStayOptions, 'grace' | 'graceWhy'> {
  return { grace: (p) => lawGrace(p, params), graceWhy: (p) => lawGraceWhy(p, params) };
}

/** A fixed g (the 2018 psychiatric variants). */
export function fixedGrace(g: number, why: string): Pick<PerStayOptions, 'grace' | 'graceWhy'> {
  return { grace: () => g, graceWhy: () => `${why}, g = ${g}` };
}

export type PerStayOptions = {
  careType: GroupCareType;
  counting: DayCounting;
  preconditions: readonly PreconditionRule[];
  section: string;
  model: string;
  grace: (p: PreparedEpisode) => number;
  graceWhy: (p: PreparedEpisode) => string;
  mode: string;
};

/** A group where every eligible stay is billed on its own: max(0, k − g). No mean, no threshold. */
export function perStayGroup(eps: readonly PreparedEpisode[], params: ParamValues, o: PerStayOptions): GroupDraft {
  const g = emptyGroup(o.careType, o.model, { kind: 'none' });
  const explain: Explainer = (ev) => {
    const k = ev.days ?? 0;
    const why = o.graceWhy(ev.prepared);
    const formula = o.mode === 'k-minus-g' ? `max(0, ${k} − ${ev.grace ?? 0})` : `k − g + 1 from day g`;
    return { rule: `${o.section}: per stay, max(0, k − g) with ${why}`, steps: [`${why}; billable = ${formula} = ${ev.billableDays}`] };
  };
  const excluded = excludedExplainer(o.section);
  for (const p of eps) {
    const ev = evaluateEligibility(p, params, o.counting, o.careType, o.preconditions, explain, excluded);
    if (ev.status !== 'excluded') {
      const grace = o.grace(p);
      ev.status = 'individual';
      ev.grace = grace;
      ev.billableDays = lawBillable(ev.days ?? 0, grace, o.mode);
      ev.part = ev.billableDays > 0 ? 'individual' : 'none';
      g.billableIndividual += ev.billableDays * 100;
    }
    count(g, ev);
  }
  g.liable = g.billableIndividual > 0;
  g.explanation.push(`${o.model}: ${g.eligible} eligible stays, ${g.billableIndividual / 100} billable days`);
  return g;
}

/** Evaluates a stay against the preconditions: 'excluded', or 'in-mean' for the pack to decide. */
export function evaluateEligibility(
  p: PreparedEpisode,
  params: ParamValues,
  counting: DayCounting,
  group: GroupCareType,
  preconditions: readonly PreconditionRule[],
  explainer: Explainer,
  excluded: Explainer,
): EpisodeEvaluation {
  const failures = checkPreconditions(p, preconditions, params.noticesBeforeDischarge as boolean);
  return evaluate(p, counting, group, failures, explainer, excluded);
}

/**
 * Once a kommun is liable at individual level (Örebro, Blekinge): every stay in the mean with more
 * than `above` days is billed, for the days beyond `above` or, with `allDays`, for all of them.
 */
export function billStaysBeyond(g: GroupDraft, above: number, allDays: boolean): void {
  for (const ev of g.episodes) {
    const k = ev.days ?? 0;
    if (ev.status !== 'in-mean' || k <= above) continue;
    ev.billableDays = allDays ? k : k - above;
    ev.part = 'average';
    g.billableAverage += ev.billableDays * 100;
  }
}
