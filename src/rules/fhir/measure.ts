// One Measure per agreement (canonical.measure('<agreement-id>')): the model in words, the groups it
// settles in, and the populations every MeasureReport fills. Ratio scoring: numerator = utskrivningsklara
// days of the stays in the mean, denominator = those stays, so the score is the mean days.
import type { Expression, Measure, MeasureGroup, MeasureGroupPopulation } from '@medplum/fhirtypes';
import { canonical } from '../../profiles/canonical.ts';
import { RULE_PACKS } from '../agreements/index.ts';
import type { AgreementId } from '../agreements/index.ts';
import { displayValue } from '../agreements/parameters.ts';
import type { GroupCareType } from '../episode.ts';
import {
  CARE_TYPE_SYSTEM,
  MEASURE_IMPROVEMENT_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  MEASURE_SCORING_SYSTEM,
  MEASURE_TYPE_SYSTEM,
  POPULATION,
} from './codes.ts';

const CARE_TYPE_DISPLAY: Record<GroupCareType, string> = {
  all: 'Somatic and psychiatric care together',
  somatic: 'Somatic care',
  psychiatric: 'Psychiatric care',
};

export function careTypeConcept(c: GroupCareType) {
  return { coding: [{ system: CARE_TYPE_SYSTEM, code: c, display: CARE_TYPE_DISPLAY[c] }], text: c };
}

function population(id: string, code: string, description: string): MeasureGroupPopulation {
  return {
    id,
    code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code }] },
    description,
    // Plain text: the criteria are the rule pack's code, not CQL (ExpressionLanguage is extensible in R4).
    criteria: { language: 'text/plain' as Expression['language'], expression: description },
  };
}

/** Every group a pack may settle in over its validity (2018 and pre-2020-04 variants included). */
export function packGroups(agreement: AgreementId): GroupCareType[] {
  const pack = RULE_PACKS[agreement];
  const seen = new Set<GroupCareType>();
  for (const m of ['2018-06', '2019-06', '2020-03', '2020-06']) {
    for (const g of pack.groups(m, {})) seen.add(g);
  }
  return (['all', 'somatic', 'psychiatric'] as const).filter((g) => seen.has(g));
}

export function measureGroup(careType: GroupCareType): MeasureGroup {
  return {
    id: careType,
    code: careTypeConcept(careType),
    population: [
      population(POPULATION.initial, 'initial-population', 'Stays discharged in the period, liable to the subject kommun, governed by the agreement'),
      population(POPULATION.numerator, 'numerator', 'Utskrivningsklara days (k) of the stays in the denominator'),
      population(POPULATION.denominator, 'denominator', 'Stays that count in the monthly measure (mean, share or state)'),
      population(POPULATION.excludedIndividual, 'denominator-exclusion', 'Stays taken out of the monthly measure and settled on their own'),
      population(POPULATION.excludedPrecondition, 'denominator-exclusion', 'Stays failing a precondition or excluded (law 5:3, 5:5, the agreement)'),
    ],
  };
}

export function buildMeasure(agreement: AgreementId): Measure {
  const pack = RULE_PACKS[agreement];
  const m = pack.meta;
  const params = pack.parameters
    .map((p) => `* \`${p.name}\` = ${displayValue(p, p.default)} (${p.origin}): ${p.summary} Source: ${p.source}.`)
    .join('\n');
  return {
    resourceType: 'Measure',
    id: agreement,
    url: canonical.measure(agreement),
    version: '1.0.0',
    name: agreement.replace(/(^|-)(\w)/g, (_, __: string, c: string) => c.toUpperCase()) + 'Settlement',
    title: `Settlement of utskrivningsklara days: ${m.title}`,
    status: 'active',
    experimental: false,
    subjectCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Organization' }] },
    description: `Monthly payment liability of a kommun for discharge-ready patients under ${m.title} (${m.section}; ${m.source}).`,
    guidance: `Parameters (readings and facts), with defaults:\n\n${params}`,
    scoring: { coding: [{ system: MEASURE_SCORING_SYSTEM, code: 'ratio' }] },
    type: [{ coding: [{ system: MEASURE_TYPE_SYSTEM, code: 'outcome' }] }],
    improvementNotation: { coding: [{ system: MEASURE_IMPROVEMENT_SYSTEM, code: 'decrease' }] },
    group: packGroups(agreement).map(measureGroup),
  };
}
