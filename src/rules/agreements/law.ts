// §5.0 The law's default (Lag 2017:612 5 kap.), where no agreement governs: each stay on its own,
// liability from day 3 after notice 8, day 4 when it was sent after 12:00; calendar days. During 2018
// psychiatric stays had 30 days.
import { AGREEMENTS } from './catalog.ts';
import { COMMON_PARAMETERS, LAW_RULE_PARAMETERS, lawGrace, lawGraceWhy, monthYear, perStayGroup } from './common.ts';
import type { RulePack } from './types.ts';
import { LAW_PRECONDITIONS } from '../evaluation.ts';

export const law: RulePack = {
  meta: AGREEMENTS.law,
  parameters: [...LAW_RULE_PARAMETERS, ...COMMON_PARAMETERS],
  groups: () => ['all'],
  settleKommun({ month, episodes, params }) {
    const year2018 = monthYear(month) === 2018;
    const psych2018 = params.psychiatric2018GraceDays as number;
    const g = perStayGroup(episodes, params, {
      careType: 'all',
      counting: 'calendar',
      preconditions: LAW_PRECONDITIONS,
      section: '§5.0 law 5:4',
      model: "the law's default: per stay, calendar days, billable max(0, k − g), g = 3 (4 after 12:00)",
      mode: params.lawBillableDays as string,
      grace: (p) => (year2018 && p.episode.care_type === 'psychiatric' ? psych2018 : lawGrace(p, params)),
      graceWhy: (p) =>
        year2018 && p.episode.care_type === 'psychiatric' ? `psychiatric care in 2018, g = ${psych2018}` : lawGraceWhy(p, params),
    });
    if (month < '2018-01') g.warnings.push(`${month} is before Lag (2017:612) took effect (2018-01-01)`);
    return [g];
  },
};
