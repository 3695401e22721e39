// §5.2 Jämtland Härjedalen: calendar days, day 0 = the day of notice 8; measured monthly per kommun.
// Condition 1: when 75 % or more of the discharged stays left on day 0 or 1, the kommun is free of
// liability that month. Condition 2: every stay still in hospital on day 8 or later (k ≥ 8) is liable,
// every month. The two are computed independently; a stay is billed at most once. Liable stays are
// computed by the law's default (Reading).
import { AGREEMENTS } from './catalog.ts';
import { COMMON_PARAMETERS, LAW_RULE_PARAMETERS, evaluateEligibility, lawBillable, lawGrace } from './common.ts';
import type { ParamSpec } from './parameters.ts';
import type { RulePack } from './types.ts';
import { LAW_PRECONDITIONS, count, emptyGroup } from '../evaluation.ts';
import type { EpisodeEvaluation } from '../evaluation.ts';
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

function bill(ev: EpisodeEvaluation, p: PreparedEpisode, params: ParamValues): number {
  const k = ev.days ?? 0;
  if (params.liableStayDays === 'all-days') {
    ev.steps.push(`billable all k = ${k} days (liableStayDays = all-days)`);
    return k;
  }
  const { g, why } = lawGrace(p, params);
  const b = lawBillable(k, g, params.lawBillableDays as string);
  ev.steps.push(`computed by the law's default (liableStayDays = law-default): ${why}; max(0, ${k} − ${g}) = ${b}`);
  return b;
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
    const byEv = new Map<EpisodeEvaluation, PreparedEpisode>();
    let early = 0;
    for (const p of episodes) {
      const ev = evaluateEligibility(p, params, 'calendar', 'all', LAW_PRECONDITIONS, SECTION);
      if (ev.status !== 'excluded') {
        const k = ev.days ?? 0;
        if (k <= 1) early++;
        if (k >= fromDay) ev.status = 'individual';
        byEv.set(ev, p);
      }
      count(g, ev);
    }
    // Share over every eligible stay, those with k ≥ 8 included: the conditions are independent.
    const n = g.eligible;
    const free = n === 0 || early * 100 >= percent * n;
    g.share = { count: early, of: n };
    g.liable = !free;
    const shareText = n === 0 ? 'no eligible stays' : `${early} of ${n} stays left on day 0 or 1 (${((early * 100) / n).toFixed(1)} %)`;
    g.explanation.push(
      `condition 1: ${shareText}; ` + (free ? `≥ ${percent} %: free of liability this month` : `< ${percent} %: liable this month`),
      `condition 2: stays with k ≥ ${fromDay} are billed regardless (${g.excludedIndividual} this month)`,
    );
    for (const [ev, p] of byEv) {
      const k = ev.days ?? 0;
      if (ev.status === 'individual') {
        ev.billableDays = bill(ev, p, params);
        ev.part = ev.billableDays > 0 ? 'individual' : 'none';
        ev.rule = `${SECTION} condition 2: k = ${k} ≥ ${fromDay}, liable whatever the share`;
        g.billableIndividual += ev.billableDays * 100;
      } else if (!free) {
        ev.billableDays = bill(ev, p, params);
        ev.part = ev.billableDays > 0 ? 'average' : 'none';
        ev.rule = `${SECTION} condition 1: share on day 0–1 below ${percent} %, every stay liable`;
        g.billableAverage += ev.billableDays * 100;
      } else {
        ev.rule = `${SECTION} condition 1: share on day 0–1 at least ${percent} %, k = ${k} < ${fromDay}: not liable`;
        ev.steps.push('nothing billed');
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
