// §5.5 Jönköpings län: hours-based days from the notice in Cosmic Link to discharge; stays with k > 7
// (8 days or more) are billed on their own for k − 3 and leave the mean; the others pay (m − 2.0) × n
// when m > 2.0. Preconditions: notices 2 and 4 (vårdtidsbedömning), notice 8, and the SIP invitation
// when a SIP is held. In 2018 psychiatric stays had 30 days.
import { AGREEMENTS } from './catalog.ts';
import { COMMON_PARAMETERS, LAW_RULE_PARAMETERS, fixedGrace, monthYear, perStayGroup } from './common.ts';
import { meanExcessGroup, meanExcessParameters } from './mean-excess.ts';
import type { ParamSpec } from './parameters.ts';
import type { RulePack } from './types.ts';
import type { PreconditionRule } from '../evaluation.ts';

const SECTION = '§5.5 Jönköping';

export const JONKOPING_PRECONDITIONS: readonly PreconditionRule[] = [
  'admission-notice',
  'estimated-discharge-notice',
  'ready-notice',
  'sip-invitation-when-required',
];

const PARAMETERS: readonly ParamSpec[] = [
  ...meanExcessParameters(
    200,
    'seeds/jonkopings-lan.txt bilaga 2 ("överstiger ett snitt på 2,0 dagar")',
    'seeds/jonkopings-lan.txt bilaga 2 ("mer än sju (7) kalenderdagar ... överskrider tre (3)")',
  ),
  {
    ...LAW_RULE_PARAMETERS.find((p) => p.name === 'psychiatric2018GraceDays')!,
    summary: 'Psychiatric stays settled in 2018: per stay, billable max(0, k − 30) (hours-based k), in their own group.',
    source: 'seeds/jonkopings-lan.txt ("30 dagars betalningsansvar till och med 31 december 2018")',
  },
  ...COMMON_PARAMETERS,
];

export const jonkoping: RulePack = {
  meta: AGREEMENTS.jonkoping,
  parameters: PARAMETERS,
  groups: (month) => (monthYear(month) === 2018 ? ['somatic', 'psychiatric'] : ['all']),
  settleKommun({ month, episodes, params }) {
    const common = { counting: 'hours' as const, preconditions: JONKOPING_PRECONDITIONS, section: SECTION };
    if (monthYear(month) !== 2018) return [meanExcessGroup(episodes, params, { ...common, careType: 'all' })];
    const g30 = params.psychiatric2018GraceDays as number;
    return [
      meanExcessGroup(
        episodes.filter((p) => p.episode.care_type === 'somatic'),
        params,
        { ...common, careType: 'somatic' },
      ),
      perStayGroup(
        episodes.filter((p) => p.episode.care_type === 'psychiatric'),
        params,
        {
          ...common,
          careType: 'psychiatric',
          section: `${SECTION} (psychiatric 2018)`,
          model: `psychiatric care in 2018: per stay, billable max(0, k − ${g30}), hours-based k`,
          mode: 'k-minus-g',
          ...fixedGrace(g30, 'psychiatric care in 2018'),
        },
      ),
    ];
  },
};
