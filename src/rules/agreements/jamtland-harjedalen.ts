// §5.2 Jämtland Härjedalen: calendar days, day 0 = the day of notice 8; measured monthly per kommun.
// Condition 1: when 75 % or more of the discharged stays left on day 0 or 1, the kommun is free of
// liability that month. Condition 2: every stay still in hospital on day 8 or later (k ≥ 8) is liable,
// every month. The two are computed independently; a stay is billed at most once. Liable stays are
// computed by the law's default (Reading).
import { AGREEMENTS } from './catalog.ts';
import { COMMON_PARAMETERS, LAW_RULE_PARAMETERS, evaluateEligibility, lawBillable, lawGrace, lawGraceWhy } from './common.ts';
import type { ParamSpec } from './parameters.ts';
import type { RulePack } from './types.ts';
import { LAW_PRECONDITIONS, count, emptyGroup, excludedExplainer } from '../evaluation.ts';
import type { EpisodeEvaluation, Explainer } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';
import type { ParamValues } from './parameters.ts';

const SECTION = '§5.2 Jämtland Härjedalen';

const PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'liableStayDays',
    kind: 'enum',
    values: ['law-default', 'all-days'],
    default: 'law-default',
    origin: 'reading',
    summary:
      "Billable days of a liable stay: the law's default per stay (max(0, k − g), g = 3 or 4 after 12:00; see lawBillableDays); 'all-days' bills all k days. The agreement's own manual is not public.",
    source: 'agreements.md §5.2 Reading',
  },
  {
    name: 'sharePercent',
    kind: 'integer',
    default: 75,
    origin: 'agreement',
    summary: 'Condition 1: free of liability when at least this share (%) of stays left on day 0 or 1 (75 % exactly is free).',
    source: 'seeds/jamtland-harjedalen.txt ("uppgår till 75% eller mer")',
  },
  {
    name: 'individualFromDay',
    kind: 'integer',
    default: 8,
    origin: 'agreement',
    summary: 'Condition 2: stays with k at or above this day are liable every month, outside condition 1.',
    source: 'seeds/jamtland-harjedalen.txt ("längre än 7 dygn (dvs från och med dag 8)")',
  },
  ...LAW_RULE_PARAMETERS.filter((p) => p.name !== 'psychiatric2018GraceDays'),
  ...COMMON_PARAMETERS,
];

function bill(k: number, p: PreparedEpisode, params: ParamValues): number {
  if (params.liableStayDays === 'all-days') return k;
  return lawBillable(k, lawGrace(p, params), params.lawBillableDays as string);
}

function billWhy(ev: EpisodeEvaluation, params: ParamValues): string {
  const k = ev.days ?? 0;
  if (params.liableStayDays === 'all-days') return `billable all k = ${k} days (liableStayDays = all-days)`;
  const g = lawGrace(ev.prepared, params);
  return `computed by the law's default (liableStayDays = law-default): ${lawGraceWhy(ev.prepared, params)}; max(0, ${k} − ${g}) = ${ev.billableDays}`;
}

export const jamtlandHarjedalen: RulePack = {
  meta: AGREEMENTS['jamtland-harjedalen'],
  parameters: PARAMETERS,
  groups: () => ['all'],
  settleKommun({ month, episodes, params }) {
    const percent = params.sharePercent as number;
    const fromDay = params.individualFromDay as number;
    const g = emptyGroup(
      'all',
      `calendar days; free when ≥ ${percent} % left on day 0–1; stays with k ≥ ${fromDay} liable every month; liable stays by the law's default`,
      { kind: 'share-day-0-1', percent },
    );
    let free = true;
    const explain: Explainer = (ev) => {
      const k = ev.days ?? 0;
      if (ev.status === 'individual') {
        return { rule: `${SECTION} condition 2: k = ${k} ≥ ${fromDay}, liable whatever the share`, steps: [billWhy(ev, params)] };
      }
      if (!free) {
        return { rule: `${SECTION} condition 1: share on day 0–1 below ${percent} %, every stay liable`, steps: [billWhy(ev, params)] };
      }
      return {
        rule: `${SECTION} condition 1: share on day 0–1 at least ${percent} %, k = ${k} < ${fromDay}: not liable`,
        steps: ['nothing billed'],
      };
    };
    const excluded = excludedExplainer(SECTION);
    let early = 0;
    for (const p of episodes) {
      const ev = evaluateEligibility(p, params, 'calendar', 'all', LAW_PRECONDITIONS, explain, excluded);
      if (ev.status !== 'excluded') {
        const k = ev.days ?? 0;
        if (k <= 1) early++;
        if (k >= fromDay) ev.status = 'individual';
      }
      count(g, ev);
    }
    // Share over every eligible stay, those with k ≥ 8 included: the conditions are independent.
    const n = g.eligible;
    free = n === 0 || early * 100 >= percent * n;
    g.share = { count: early, of: n };
    g.liable = !free;
    const shareText = n === 0 ? 'no eligible stays' : `${early} of ${n} stays left on day 0 or 1 (${((early * 100) / n).toFixed(1)} %)`;
    g.explanation.push(
      `condition 1: ${shareText}; ` + (free ? `≥ ${percent} %: free of liability this month` : `< ${percent} %: liable this month`),
      `condition 2: stays with k ≥ ${fromDay} are billed regardless (${g.excludedIndividual} this month)`,
    );
    for (const ev of g.episodes) {
      if (ev.status === 'excluded' || (ev.status === 'in-mean' && free)) continue;
      ev.billableDays = bill(ev.days ?? 0, ev.prepared, params);
      ev.grace = params.liableStayDays === 'all-days' ? null : lawGrace(ev.prepared, params);
      if (ev.billableDays === 0) continue;
      if (ev.status === 'individual') {
        ev.part = 'individual';
        g.billableIndividual += ev.billableDays * 100;
      } else {
        ev.part = 'average';
        g.billableAverage += ev.billableDays * 100;
      }
    }
    if (AGREEMENTS['jamtland-harjedalen'].confirmedThrough && month > AGREEMENTS['jamtland-harjedalen'].confirmedThrough) {
      g.warnings.push(
        `the agreement text confirms validity through ${AGREEMENTS['jamtland-harjedalen'].confirmedThrough}; ${month} is settled on the assumption that it was extended again`,
      );
    }
    return [g];
  },
};
