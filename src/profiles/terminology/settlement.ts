// Settlement codes, aligned with the engine in src/rules: exclusion reasons are exactly the engine's
// FailureCode (src/rules/evaluation.ts); episode status and billing part are its EpisodeStatus and
// BillingPart; liability reasons name the rule of agreements.md §5 that made a stay billable.
import type { CodeSystemSpec } from './build.ts';

/** The engine's FailureCode values, in its order. A test checks the two lists stay equal. */
export const EXCLUSION_REASON_CODES = [
  'no-admission-notice',
  'no-estimated-discharge-notice',
  'no-ready-notice',
  'no-sip-invitation',
  'no-care-contact',
  'not-home-ready',
  'outpatient-unavailable',
  'discharge-before-ready',
] as const;
export type ExclusionReasonCode = (typeof EXCLUSION_REASON_CODES)[number];

export const SETTLEMENT_EXCLUSION_REASON: CodeSystemSpec = {
  name: 'settlement-exclusion-reason',
  title: 'Why a stay is excluded from the settlement',
  description:
    'A stay failing a precondition (law 5:3 and the agreement\'s own) or falling under the law 5:5 exclusion is in no count and is listed with its reason (agreements.md §5). The codes are the settlement engine\'s FailureCode (src/rules/evaluation.ts).',
  properties: [{ code: 'agreement', type: 'code', description: 'The agreements (rule-pack ids) that apply the precondition; repeats.' }],
  concepts: [
    {
      code: 'no-admission-notice',
      display: 'Inskrivningsmeddelande saknas',
      en: 'No admission notice',
      definition: 'Notice 2 (inskrivningsmeddelande) was never sent, or (by default) was sent after discharge.',
      source: 'agreements.md §5 (law 5:3)',
      properties: { agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'no-estimated-discharge-notice',
      display: 'Beräknad utskrivning saknas',
      en: 'No estimated-discharge notice',
      definition: 'Notice 4 (beräknad utskrivning / vårdtidsbedömning) was never sent, or was sent after discharge.',
      source: 'agreements.md §5.5',
      properties: { agreement: 'jonkoping' },
    },
    {
      code: 'no-ready-notice',
      display: 'Utskrivningsklar saknas',
      en: 'No ready-for-discharge notice',
      definition: 'Notice 8 (utskrivningsklar) was never sent, or was withdrawn (notice 9) and not sent again.',
      source: 'agreements.md §5 (law 5:3), §4',
      properties: { agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'no-sip-invitation',
      display: 'Kallelse till SIP saknas',
      en: 'No SIP invitation',
      definition: 'A coordinated individual plan is needed but notice 10 (kallelse till SIP) was never sent, or was sent after discharge.',
      source: 'agreements.md §5 (law 5:3), §5.4, §5.5',
      properties: { agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'no-care-contact',
      display: 'Fast vårdkontakt ej utsedd',
      en: 'No named care contact',
      definition: 'Notice 6 (fast vårdkontakt utsedd) was never sent, or was sent after discharge (Örebro: not required when only social services are involved).',
      source: 'agreements.md §5.1',
      properties: { agreement: 'orebro' },
    },
    {
      code: 'not-home-ready',
      display: 'Ej hemgångsklar / ej säker utskrivning',
      en: 'Not ready to go home',
      definition: 'Örebro "hemgångsklar" or Blekinge "säker utskrivning" (agreements.md §3) was not ensured.',
      source: 'agreements.md §5.1, §5.3',
      properties: { agreement: ['orebro', 'blekinge'] },
    },
    {
      code: 'outpatient-unavailable',
      display: 'Regionens öppenvård ej tillgänglig',
      en: 'Outpatient care unavailable',
      definition: 'The patient cannot leave because region-funded outpatient services are unavailable, or it is unclear whether they are: no liability (law 5:5).',
      source: 'agreements.md §5 (law 5:5; VGR)',
      properties: { agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'discharge-before-ready',
      display: 'Utskriven före utskrivningsklar',
      en: 'Discharged before ready for discharge',
      definition: 'Notice 8 (utskrivningsklar) came after the patient left, so no day can be counted from it.',
      source: 'agreements.md §4',
      properties: { agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
  ],
};

export const SETTLEMENT_LIABILITY_REASON: CodeSystemSpec = {
  name: 'settlement-liability-reason',
  title: 'Why a kommun is liable for a stay',
  description:
    'The rule of agreements.md §5 that made a stay billable to the kommun. The first two codes say which kommun pays (law 5:2); the others which rule made the days billable.',
  properties: [
    { code: 'agreement', type: 'code', description: 'The agreements (rule-pack ids) that have the rule; repeats.' },
    { code: 'axis', type: 'code', description: 'kommun (which kommun pays) or rule (why days are billable).' },
  ],
  concepts: [
    {
      code: 'kommun-of-registration',
      display: 'Folkbokföringskommun',
      en: 'Kommun of registration',
      definition: 'The kommun where the patient is registered (folkbokföringskommun) pays (law 5:2).',
      source: 'agreements.md §1; Lag (2017:612) 5 kap. 2 §',
      properties: { axis: 'kommun', agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'placing-kommun',
      display: 'Placerande kommun',
      en: 'Placing kommun',
      definition: 'The kommun that placed the patient in housing in another kommun pays instead of the kommun of registration (law 5:2; Jönköping).',
      source: 'agreements.md §1, §5.5; Lag (2017:612) 5 kap. 2 §',
      properties: { axis: 'kommun', agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'law-grace-exceeded',
      display: 'Fler dagar än lagens karenstid',
      en: "Beyond the law's grace days",
      definition: 'The stay lasted beyond g days after notice 8 (g = 3, or 4 when notice 8 was sent after 12:00); the days from day g on are billed (law 5:4). Also how Jämtland bills its liable stays.',
      source: 'agreements.md §5.0, §5.2; Lag (2017:612) 5 kap. 4 §',
      properties: { axis: 'rule', agreement: ['law', 'jamtland-harjedalen'] },
    },
    {
      code: 'mean-above-threshold',
      display: 'Medelvärdet över gränsen',
      en: 'Monthly mean above the threshold',
      definition: "The kommun's monthly mean of utskrivningsklara days exceeded the agreement's threshold (Örebro 3, VGR 3.0, Jönköping 2.0), making the kommun liable for that month's stays (average part).",
      source: 'agreements.md §5.1, §5.4, §5.5',
      properties: { axis: 'rule', agreement: ['orebro', 'vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'long-stay',
      display: 'Lång vistelse efter utskrivningsklar',
      en: 'Long stay billed individually',
      definition: 'k > 7: the stay is taken out of the monthly mean and billed on its own for the days beyond day 3 (individual part).',
      source: 'agreements.md §5.4, §5.5',
      properties: { axis: 'rule', agreement: ['vastra-gotaland', 'jonkoping'] },
    },
    {
      code: 'share-below-threshold',
      display: 'Andelen dag 0–1 under gränsen',
      en: 'Share discharged on day 0 or 1 below the threshold',
      definition: 'Jämtland condition 1: less than 75 % of the month\'s discharged patients left on day 0 or 1, so the kommun is liable that month.',
      source: 'agreements.md §5.2',
      properties: { axis: 'rule', agreement: 'jamtland-harjedalen' },
    },
    {
      code: 'day-8-or-later',
      display: 'Kvar dag 8 eller senare',
      en: 'Still in hospital on day 8 or later',
      definition: 'Jämtland condition 2: the patient was still in hospital on day 8 or later (k ≥ 8); liable in every month.',
      source: 'agreements.md §5.2',
      properties: { axis: 'rule', agreement: 'jamtland-harjedalen' },
    },
    {
      code: 'consecutive-months-above',
      display: 'Tre månader i följd över gränsen',
      en: 'Third consecutive month above the threshold',
      definition: "Blekinge: the monthly mean exceeded the year's threshold for three consecutive months; the kommun pays at individual level from the fourth month until the mean has been 3 days or less for three consecutive months.",
      source: 'agreements.md §5.3',
      properties: { axis: 'rule', agreement: 'blekinge' },
    },
    {
      code: 'psychiatric-2018',
      display: 'Psykiatrisk vård 2018',
      en: 'Psychiatric care in 2018',
      definition: 'A psychiatric stay settled in a 2018 month under the 2018 rule: liability from 30 days after notice 8 (the law; Jönköping) or, in Blekinge, individually from 20 days (every rule pack has the parameter psychiatric2018GraceDays).',
      source: 'agreements.md §5.0, §5.3, §5.5',
      properties: { axis: 'rule', agreement: ['law', 'orebro', 'jamtland-harjedalen', 'blekinge', 'vastra-gotaland', 'jonkoping'] },
    },
  ],
};

export const SETTLEMENT_EPISODE_STATUS: CodeSystemSpec = {
  name: 'settlement-episode-status',
  title: 'Status of a stay in the settlement',
  description: "Where a stay ends up in its kommun's monthly settlement: the engine's EpisodeStatus (src/rules/evaluation.ts).",
  concepts: [
    {
      code: 'excluded',
      display: 'Exkluderad',
      en: 'Excluded',
      definition: 'A precondition failed or an exclusion applies; the stay is in no count (see settlement-exclusion-reason).',
      source: 'agreements.md §5; src/rules/evaluation.ts',
    },
    {
      code: 'in-mean',
      display: 'I månadsmåttet',
      en: 'In the monthly measure',
      definition: 'The stay counts in the monthly measure (mean, share or state).',
      source: 'agreements.md §5; src/rules/evaluation.ts',
    },
    {
      code: 'individual',
      display: 'Individuellt',
      en: 'Individual',
      definition: 'The stay is taken out of the monthly measure and settled on its own.',
      source: 'agreements.md §5; src/rules/evaluation.ts',
    },
  ],
};

export const SETTLEMENT_BILLING_PART: CodeSystemSpec = {
  name: 'settlement-billing-part',
  title: 'Part of the settlement a stay is billed in',
  description: "The engine's BillingPart (src/rules/evaluation.ts): the average part, the individual part, or not billed.",
  concepts: [
    {
      code: 'average',
      display: 'Genomsnittsdel',
      en: 'Average part',
      definition: 'Days billed because the monthly measure made the kommun liable.',
      source: 'docs/settlement.md; src/rules/evaluation.ts',
    },
    {
      code: 'individual',
      display: 'Individuell del',
      en: 'Individual part',
      definition: 'Days billed per stay whatever the monthly measure.',
      source: 'docs/settlement.md; src/rules/evaluation.ts',
    },
    {
      code: 'none',
      display: 'Ej debiterad',
      en: 'Not billed',
      definition: 'No days of the stay are billed.',
      source: 'docs/settlement.md; src/rules/evaluation.ts',
    },
  ],
};
