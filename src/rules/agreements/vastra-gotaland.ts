// §5.4 Västra Götaland: calendar days; per kommun and month; stays with k > 7 are billed on their own
// for k − 3 and leave the mean; the others pay (m − 3.0) × n when m > 3.0. Preconditions: the law's.
// The same rules for somatic and psychiatric care since 2020-04-01; the earlier stepwise psychiatric
// rule is not in the published text, so psychiatric stays before then are settled separately.
import { AGREEMENTS } from './catalog.ts';
import { COMMON_PARAMETERS, LAW_RULE_PARAMETERS, fixedGrace, lawGraceRule, monthYear, perStayGroup } from './common.ts';
import { meanExcessGroup, meanExcessParameters } from './mean-excess.ts';
import type { ParamSpec } from './parameters.ts';
import type { RulePack } from './types.ts';
import { LAW_PRECONDITIONS } from '../evaluation.ts';

const SECTION = '§5.4 Västra Götaland';
export const VGR_SAME_RULES_FROM = '2020-04';

const PARAMETERS: readonly ParamSpec[] = [
  ...meanExcessParameters(
    300,
    'seeds/vastra-gotaland.txt §7 ("överskrider 3,0 kalenderdagar")',
    'seeds/vastra-gotaland.txt §7 ("längre än 7 kalenderdagar ... från dag 4")',
  ),
  {
    name: 'psychiatricBeforeApril2020',
    kind: 'enum',
    values: ['law-default', 'same-as-somatic'],
    default: 'law-default',
    origin: 'engine',
    summary:
      "Psychiatric stays settled before 2020-04 (the earlier stepwise rule was removed from the text and is not public): the law's default per stay (30 days in 2018), in their own group; or the somatic model.",
    source: 'seeds/vastra-gotaland.txt ("Från och med 2020-04-01 regleras betalningsansvaret på samma sätt")',
  },
  ...LAW_RULE_PARAMETERS,
  ...COMMON_PARAMETERS,
];

export const vastraGotaland: RulePack = {
  meta: AGREEMENTS['vastra-gotaland'],
  parameters: PARAMETERS,
  groups: (month) => (month < VGR_SAME_RULES_FROM ? ['somatic', 'psychiatric'] : ['all']),
  settleKommun({ month, episodes, params }) {
    const common = { counting: 'calendar' as const, preconditions: LAW_PRECONDITIONS, section: SECTION };
    if (month >= VGR_SAME_RULES_FROM) return [meanExcessGroup(episodes, params, { ...common, careType: 'all' })];
    const somatic = episodes.filter((p) => p.episode.care_type === 'somatic');
    const psychiatric = episodes.filter((p) => p.episode.care_type === 'psychiatric');
    const s = meanExcessGroup(somatic, params, { ...common, careType: 'somatic' });
    if (params.psychiatricBeforeApril2020 === 'same-as-somatic') {
      return [s, meanExcessGroup(psychiatric, params, { ...common, careType: 'psychiatric' })];
    }
    const year2018 = monthYear(month) === 2018;
    const g30 = params.psychiatric2018GraceDays as number;
    const p = perStayGroup(psychiatric, params, {
      ...common,
      careType: 'psychiatric',
      section: `${SECTION} (psychiatric before 2020-04, law's default)`,
      model: "psychiatric care before 2020-04: the law's default per stay",
      mode: params.lawBillableDays as string,
      ...(year2018 ? fixedGrace(g30, 'psychiatric care in 2018') : lawGraceRule(params)),
    });
    if (psychiatric.length > 0) {
      p.warnings.push(
        "psychiatric stays before 2020-04-01 settled by the law's default: VGR's earlier stepwise psychiatric rule is not public (parameter psychiatricBeforeApril2020)",
      );
    }
    return [s, p];
  },
};
