// §5.1 Örebro län: noon rule; per kommun, month and care type the mean of utskrivningsklara days over
// all stays; a mean above 3 makes the kommun liable, retroactively and per stay, for every stay of that
// care type with more than 3 days. Preconditions: the law's, hemgångsklar, and a fast vårdkontakt unless
// only social services are involved. Same rules for psychiatric care from 2019-01-01.
import { AGREEMENTS } from './catalog.ts';
import { billStaysBeyond, COMMON_PARAMETERS, LAW_RULE_PARAMETERS, evaluateEligibility, fixedGrace, monthYear, perStayGroup } from './common.ts';
import type { ParamSpec, ParamValues } from './parameters.ts';
import type { RulePack } from './types.ts';
import type { CareType } from '../episode.ts';
import type { Explainer, GroupDraft, PreconditionRule } from '../evaluation.ts';
import { LAW_PRECONDITIONS, count, emptyGroup, excludedExplainer, meanExceeds } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';
import { formatMean, formatThreshold } from '../quantity.ts';

const SECTION = '§5.1 Örebro';

export const OREBRO_PRECONDITIONS: readonly PreconditionRule[] = [
  ...LAW_PRECONDITIONS,
  'home-ready',
  'care-contact-unless-social-services-only',
];

const PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'individualDays',
    kind: 'enum',
    values: ['beyond-day-3', 'all-days'],
    default: 'beyond-day-3',
    origin: 'reading',
    summary: "A liable stay's billable days: those beyond day 3 (k − 3); 'all-days' bills all k days.",
    source: 'agreements.md §5.1 Reading',
  },
  {
    name: 'meanThreshold',
    kind: 'days',
    default: 300,
    origin: 'agreement',
    summary: 'The kommun is liable when the month’s mean exceeds this many calendar days.',
    source: 'seeds/orebro-lan.txt §8 ("överskrider tre kalenderdagar")',
  },
  {
    name: 'liableAboveDays',
    kind: 'integer',
    default: 3,
    origin: 'agreement',
    summary: 'When liable, stays with more than this many days are billed.',
    source: 'seeds/orebro-lan.txt §8 ("mer än tre kalenderdagar")',
  },
  {
    name: 'psychiatric2018',
    kind: 'enum',
    values: ['law-30-days', 'same-as-somatic'],
    default: 'law-30-days',
    origin: 'engine',
    summary:
      "Psychiatric stays settled in 2018 (the agreement's same rules apply only from 2019-01-01): the law's 2018 rule, per stay from day 30; or the somatic model.",
    source: 'seeds/orebro-lan.txt §2; agreements.md §5.0',
  },
  ...LAW_RULE_PARAMETERS.filter((p) => p.name === 'psychiatric2018GraceDays'),
  ...COMMON_PARAMETERS,
];

function meanGroup(careType: CareType, eps: readonly PreparedEpisode[], params: ParamValues): GroupDraft {
  const threshold = params.meanThreshold as number;
  const above = params.liableAboveDays as number;
  const allDays = params.individualDays === 'all-days';
  const g = emptyGroup(
    careType,
    `noon rule; mean over all ${careType} stays; above ${formatThreshold(threshold)} days every stay with k > ${above} is billed ${allDays ? 'k' : `k − ${above}`}`,
    { kind: 'mean-days', days: threshold },
  );
  const t = formatThreshold(threshold);
  // Written only when asked for; reads the group's figures, which are final by then.
  const explain: Explainer = (ev) => {
    const k = ev.days ?? 0;
    const mean = formatMean(g.totalDaysInMean, g.inMean);
    if (ev.billableDays > 0) {
      return {
        rule: `${SECTION}: mean ${mean} > ${t}, k = ${k} > ${above}: billed ${allDays ? 'all k days' : `k − ${above}`}`,
        steps: [
          `in the ${careType} mean; the kommun is liable (mean ${mean}); billable ${allDays ? `k = ${k}` : `${k} − ${above} = ${ev.billableDays}`} (individualDays = ${String(params.individualDays)})`,
        ],
      };
    }
    return {
      rule: g.liable
        ? `${SECTION}: mean ${mean} > ${t}, but k = ${k} ≤ ${above}: nothing billed`
        : `${SECTION}: in the mean; mean ${mean} ≤ ${t}: not liable`,
      steps: [`in the ${careType} mean with k = ${k}; nothing billed`],
    };
  };
  const excluded = excludedExplainer(SECTION);
  for (const p of eps) count(g, evaluateEligibility(p, params, 'noon-rule', careType, OREBRO_PRECONDITIONS, explain, excluded));
  g.liable = meanExceeds(g.totalDaysInMean, g.inMean, threshold);
  g.explanation.push(
    `mean = ${g.totalDaysInMean} days / ${g.inMean} stays = ${formatMean(g.totalDaysInMean, g.inMean) || '–'}; ` +
      (g.liable ? `exceeds ${t}: liable for stays with k > ${above}` : `does not exceed ${t}: not liable`),
  );
  if (g.liable) billStaysBeyond(g, above, allDays);
  return g;
}

export const orebro: RulePack = {
  meta: AGREEMENTS.orebro,
  parameters: PARAMETERS,
  groups: () => ['somatic', 'psychiatric'],
  settleKommun({ month, episodes, params }) {
    const somatic = episodes.filter((p) => p.episode.care_type === 'somatic');
    const psychiatric = episodes.filter((p) => p.episode.care_type === 'psychiatric');
    const out = [meanGroup('somatic', somatic, params)];
    if (monthYear(month) === 2018 && params.psychiatric2018 === 'law-30-days') {
      const g30 = params.psychiatric2018GraceDays as number;
      out.push(
        perStayGroup(psychiatric, params, {
          careType: 'psychiatric',
          counting: 'noon-rule',
          preconditions: OREBRO_PRECONDITIONS,
          section: `${SECTION} (psychiatric 2018)`,
          model: `psychiatric care in 2018: per stay, billable max(0, k − ${g30})`,
          mode: 'k-minus-g',
          ...fixedGrace(g30, 'psychiatric care in 2018'),
        }),
      );
    } else {
      out.push(meanGroup('psychiatric', psychiatric, params));
    }
    return out;
  },
};
