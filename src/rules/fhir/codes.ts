// URLs and codes the settlement's FHIR resources use. Our own extensions live under the project's
// canonical base; populations and scoring use the standard R4 code systems.
import { canonical } from '../../profiles/canonical.ts';

export const KOMMUNKOD_SYSTEM = 'urn:oid:1.2.752.129.2.2.1.17';
export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';
export const MEASURE_SCORING_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-scoring';
export const MEASURE_IMPROVEMENT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation';
export const MEASURE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-type';
export const UCUM = 'http://unitsofmeasure.org';

export const CARE_TYPE_SYSTEM = canonical.codeSystem('settlement-care-type');
export const EPISODE_ID_SYSTEM = canonical.namingSystem('settlement-episode-id');

export const EXT = {
  threshold: canonical.structureDefinition('settlement-threshold'),
  liable: canonical.structureDefinition('settlement-liable'),
  billableDaysAverage: canonical.structureDefinition('settlement-billable-days-average-part'),
  billableDaysIndividual: canonical.structureDefinition('settlement-billable-days-individual-part'),
  billableDays: canonical.structureDefinition('settlement-billable-days'),
  dailyAmount: canonical.structureDefinition('settlement-daily-amount'),
  dailyAmountSource: canonical.structureDefinition('settlement-daily-amount-source'),
  amount: canonical.structureDefinition('settlement-amount'),
  shareDay01: canonical.structureDefinition('settlement-share-day-0-1'),
  model: canonical.structureDefinition('settlement-model'),
  explanation: canonical.structureDefinition('settlement-explanation'),
  warning: canonical.structureDefinition('settlement-warning'),
  parameter: canonical.structureDefinition('settlement-parameter'),
  episodeEvaluation: canonical.structureDefinition('settlement-episode-evaluation'),
} as const;

/** Population ids: the two denominator exclusions share a code and differ by id. */
export const POPULATION = {
  initial: 'initial-population',
  numerator: 'numerator',
  denominator: 'denominator',
  excludedIndividual: 'denominator-exclusion-individual',
  excludedPrecondition: 'denominator-exclusion-precondition',
} as const;
