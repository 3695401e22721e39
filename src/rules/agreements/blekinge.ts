// §5.3 Blekinge: calendar days (the day after notice 8 is day 1); stays without "säker utskrivning" are
// outside the settlement. A monthly mean per kommun against a yearly threshold, with a state carried
// from month to month: a mean over the threshold three consecutive months makes the kommun pay at
// individual level from the fourth month on, for the stays with more than 3 days; the claim ends once
// the mean has been at or under for three consecutive months. 2018 only: psychiatric stays were liable
// individually from 20 days after notice 8.
import { AGREEMENTS } from './catalog.ts';
import { billStaysBeyond, COMMON_PARAMETERS, evaluateEligibility, fixedGrace, monthYear, perStayGroup } from './common.ts';
import type { ParamSpec, ParamValues } from './parameters.ts';
import type { KommunInput, RulePack } from './types.ts';
import type { CareType, GroupCareType } from '../episode.ts';
import type { Explainer, PreconditionRule } from '../evaluation.ts';
import { LAW_PRECONDITIONS, checkPreconditions, count, emptyGroup, excludedExplainer, meanExceeds } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';
import { formatMean, formatThreshold } from '../quantity.ts';
import { nextMonth } from '../month.ts';

const SECTION = '§5.3 Blekinge';

const PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'individualDays',
    kind: 'enum',
    values: ['beyond-day-3', 'all-days'],
    default: 'beyond-day-3',
    origin: 'reading',
    summary: "A liable stay's billable days: those beyond day 3 (k − 3); 'all-days' bills all k days.",
    source: 'agreements.md §5.3 Reading',
  },
  {
    name: 'defaultThreshold',
    kind: 'days',
    default: 300,
    origin: 'reading',
    summary: 'The yearly threshold for the monthly mean, for every year thresholdByYear does not set (3.0 for 2018; later decisions are not public).',
    source: 'agreements.md §5.3 Reading; seeds/blekinge.txt 7 kap.',
  },
  {
    name: 'thresholdByYear',
    kind: 'days-by-year',
    default: {},
    origin: 'agreement',
    summary: "LSVO's yearly threshold (set each November for the next year), e.g. { 2025: 2.8 }.",
    source: 'seeds/blekinge.txt 7 kap.',
  },
  {
    name: 'liableAboveDays',
    kind: 'integer',
    default: 3,
    origin: 'agreement',
    summary: 'While liable, the basis is the stays with more than this many days.',
    source: 'seeds/blekinge.txt 7 kap. ("mer än tre (3) dagar")',
  },
  {
    name: 'monthsToStart',
    kind: 'integer',
    default: 3,
    origin: 'agreement',
    summary: 'Consecutive months over the threshold after which the kommun pays, from the next month on.',
    source: 'seeds/blekinge.txt 7 kap. ("kvarstår månad tre ... från och med månad fyra")',
  },
  {
    name: 'monthsToEnd',
    kind: 'integer',
    default: 3,
    origin: 'agreement',
    summary: 'Consecutive months at or under the threshold that end the claim.',
    source: 'seeds/blekinge.txt 7 kap. ("tre eller färre under tre sammanhängande månader")',
  },
  {
    name: 'claimEnds',
    kind: 'enum',
    values: ['after-third-month', 'with-third-month'],
    default: 'after-third-month',
    origin: 'engine',
    summary:
      "When the claim ends: the three months at or under are still paid and liability stops from the month after (mirrors the start); 'with-third-month' frees the third month itself.",
    source: 'seeds/blekinge.txt 7 kap. (silent on the ending month)',
  },
  {
    name: 'emptyMonth',
    kind: 'enum',
    values: ['at-or-under', 'no-change'],
    default: 'at-or-under',
    origin: 'engine',
    summary:
      "A month with no eligible stays for the kommun counts as at or under the threshold; 'no-change' leaves the consecutive counts as they were.",
    source: 'the text is silent',
  },
  {
    name: 'careContact',
    kind: 'enum',
    values: ['always', 'unless-social-services-only'],
    default: 'always',
    origin: 'engine',
    summary: "Säker utskrivning needs an appointed fast vårdkontakt; the text makes no exception for social-services-only stays.",
    source: 'seeds/blekinge.txt 3.6',
  },
  {
    name: 'psychiatric2018GraceDays',
    kind: 'integer',
    default: 20,
    origin: 'agreement',
    summary: 'Psychiatric stays settled in 2018: per stay, billable max(0, k − 20), in their own group outside the mean.',
    source: 'seeds/blekinge.txt 7 kap. ("Individuellt betalningsansvar inträder 20 dagar efter")',
  },
  ...COMMON_PARAMETERS,
];

function preconditions(params: ParamValues): readonly PreconditionRule[] {
  return [
    ...LAW_PRECONDITIONS,
    'home-ready',
    params.careContact === 'always' ? 'care-contact' : 'care-contact-unless-social-services-only',
  ];
}

function thresholdFor(year: number, params: ParamValues): number {
  const byYear = params.thresholdByYear as Readonly<Record<number, number>>;
  return byYear[year] ?? (params.defaultThreshold as number);
}

/** The care types that form the monthly mean: in 2018 somatic only, from 2019 all. */
function modelCareTypes(month: string): readonly CareType[] {
  return monthYear(month) === 2018 ? ['somatic'] : ['somatic', 'psychiatric'];
}

export type BlekingeState = { liable: boolean; over: number; under: number };

/** One month's mean over the eligible stays of the model care types. */
function monthMean(eps: readonly PreparedEpisode[], month: string, params: ParamValues): { total: number; n: number } {
  const types = modelCareTypes(month);
  const rules = preconditions(params);
  let total = 0;
  let n = 0;
  for (const p of eps) {
    if (!types.includes(p.episode.care_type)) continue;
    if (checkPreconditions(p, rules, params.noticesBeforeDischarge as boolean).length > 0) continue;
    total += p.calendarK ?? 0;
    n++;
  }
  return { total, n };
}

/** Advances the state by one month's mean; returns a line for the explanation. */
function step(s: BlekingeState, month: string, total: number, n: number, params: ParamValues): string {
  const t = thresholdFor(monthYear(month), params);
  const toStart = params.monthsToStart as number;
  const toEnd = params.monthsToEnd as number;
  let over: boolean | null;
  if (n === 0) over = params.emptyMonth === 'at-or-under' ? false : null;
  else over = meanExceeds(total, n, t);
  const what =
    n === 0
      ? `no eligible stays (${over === null ? 'no change' : 'counts as at or under'})`
      : `mean ${formatMean(total, n)} ${over ? '>' : '≤'} ${formatThreshold(t)}`;
  if (over === null) return `${month}: ${what}; ${s.liable ? 'liable' : 'not liable'}`;
  if (!s.liable) {
    s.over = over ? s.over + 1 : 0;
    if (s.over >= toStart) {
      s.liable = true;
      s.over = 0;
      s.under = 0;
      return `${month}: ${what}, ${toStart} consecutive months over: liable from ${nextMonth(month)}`;
    }
    return `${month}: ${what}; not liable (${s.over} consecutive month${s.over === 1 ? '' : 's'} over)`;
  }
  s.under = over ? 0 : s.under + 1;
  if (s.under >= toEnd) {
    s.liable = false;
    s.over = 0;
    s.under = 0;
    return `${month}: ${what}, ${toEnd} consecutive months at or under: the claim ends from ${nextMonth(month)}`;
  }
  return `${month}: ${what}; liable (${s.under} consecutive month${s.under === 1 ? '' : 's'} at or under)`;
}

function modelGroup(input: KommunInput, careType: GroupCareType, eps: readonly PreparedEpisode[]) {
  const { month, params } = input;
  const t = thresholdFor(monthYear(month), params);
  const above = params.liableAboveDays as number;
  const allDays = params.individualDays === 'all-days';
  const g = emptyGroup(
    careType,
    `calendar days; state from month to month against the yearly threshold ${formatThreshold(t)}; while liable, stays with k > ${above} are billed ${allDays ? 'k' : `k − ${above}`}`,
    { kind: 'mean-days', days: t },
  );
  const rules = preconditions(params);
  const explain: Explainer = (ev) => {
    const k = ev.days ?? 0;
    const mean = formatMean(g.totalDaysInMean, g.inMean) || '–';
    if (ev.billableDays > 0) {
      return {
        rule: `${SECTION}: the kommun is liable this month (state), k = ${k} > ${above}: billed ${allDays ? 'k' : `k − ${above}`}`,
        steps: [`in the mean (this month ${mean}); the kommun is liable; billable ${allDays ? `k = ${k}` : `${k} − ${above} = ${ev.billableDays}`}`],
      };
    }
    return {
      rule: g.liable
        ? `${SECTION}: the kommun is liable this month, but k = ${k} ≤ ${above}: nothing billed`
        : `${SECTION}: in the mean (k = ${k}); the kommun is not liable this month`,
      steps: [`in the mean with k = ${k}; nothing billed`, ...g.explanation],
    };
  };
  const excluded = excludedExplainer(SECTION);
  for (const p of eps) count(g, evaluateEligibility(p, params, 'calendar', careType, rules, explain, excluded));

  // The state at the start of `month`, from the input's earlier months.
  const state: BlekingeState = { liable: false, over: 0, under: 0 };
  const from = input.historyStart && input.historyStart > AGREEMENTS.blekinge.settlesFrom ? input.historyStart : AGREEMENTS.blekinge.settlesFrom;
  const history: string[] = [];
  let months = 0;
  for (let m = from; m < month; m = nextMonth(m)) {
    const { total, n } = monthMean(input.history(m), m, params);
    history.push(step(state, m, total, n, params));
    months++;
  }
  g.explanation.push(
    months === 0
      ? `no earlier month in the input: the state at the start of ${month} is taken as not liable`
      : `state carried from ${from} (earliest month in the input; before it: not liable)`,
    ...history,
  );
  if (months < (params.monthsToStart as number) && month >= nextMonth(nextMonth(nextMonth(AGREEMENTS.blekinge.settlesFrom)))) {
    g.warnings.push(
      `Blekinge's state needs the earlier months: the input has ${months} month${months === 1 ? '' : 's'} before ${month}; liability that began earlier cannot be seen`,
    );
  }
  let liable = state.liable;
  const closing = step(state, month, g.totalDaysInMean, g.inMean, params);
  if (liable && !state.liable && params.claimEnds === 'with-third-month') liable = false;
  g.liable = liable;
  g.explanation.push(`this month: ${closing}`, liable ? `${month}: liable at individual level` : `${month}: not liable`);

  if (liable) billStaysBeyond(g, above, allDays);
  return g;
}

export const blekinge: RulePack = {
  meta: AGREEMENTS.blekinge,
  parameters: PARAMETERS,
  groups: (month) => (monthYear(month) === 2018 ? ['somatic', 'psychiatric'] : ['all']),
  settleKommun(input) {
    const { month, episodes, params } = input;
    if (monthYear(month) !== 2018) return [modelGroup(input, 'all', episodes)];
    const g20 = params.psychiatric2018GraceDays as number;
    return [
      modelGroup(
        input,
        'somatic',
        episodes.filter((p) => p.episode.care_type === 'somatic'),
      ),
      perStayGroup(
        episodes.filter((p) => p.episode.care_type === 'psychiatric'),
        params,
        {
          careType: 'psychiatric',
          counting: 'calendar',
          preconditions: preconditions(params),
          section: `${SECTION} (psychiatric 2018)`,
          model: `psychiatric care in 2018: per stay, billable max(0, k − ${g20})`,
          mode: 'k-minus-g',
          ...fixedGrace(g20, 'psychiatric care in 2018'),
        },
      ),
    ];
  },
};
