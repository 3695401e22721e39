// URLs and codes the settlement's FHIR resources use. Our own extensions live under the project's
// canonical base; populations and scoring use the standard R4 code systems.
import { canonical } from '../../profiles/canonical.ts';
import { EXTENSION, PROFILE } from '../../profiles/definitions/urls.ts';

export const KOMMUNKOD_SYSTEM = 'urn:oid:1.2.752.129.2.2.1.17';
export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';
export const MEASURE_SCORING_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-scoring';
export const MEASURE_IMPROVEMENT_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation';
export const MEASURE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-type';
export const UCUM = 'http://unitsofmeasure.org';

export const CARE_TYPE_SYSTEM = canonical.codeSystem('settlement-care-type');
export const EPISODE_ID_SYSTEM = canonical.namingSystem('settlement-episode-id');

/** Our extensions (defined in profiles/fsh/measure-report.fsh; URLs owned by src/profiles/definitions/urls.ts). */
export const EXT = {
  threshold: EXTENSION.settlementThreshold,
  liable: EXTENSION.settlementLiable,
  billableDaysAverage: EXTENSION.settlementBillableDaysAverage,
  billableDaysIndividual: EXTENSION.settlementBillableDaysIndividual,
  billableDays: EXTENSION.settlementBillableDays,
  dailyAmount: EXTENSION.settlementDailyAmount,
  dailyAmountSource: EXTENSION.settlementDailyAmountSource,
  amount: EXTENSION.settlementAmount,
  shareDay01: EXTENSION.settlementShareDay01,
  model: EXTENSION.settlementModel,
  explanation: EXTENSION.settlementExplanation,
  warning: EXTENSION.settlementWarning,
  parameter: EXTENSION.settlementParameter,
  episodeEvaluation: EXTENSION.settlementEpisodeEvaluation,
  corrects: EXTENSION.settlementCorrects,
} as const;

/** The profile every settlement MeasureReport claims. */
export const MEASURE_REPORT_PROFILE = PROFILE.measureReport;
export const EXCLUSION_REASON_SYSTEM = canonical.codeSystem('settlement-exclusion-reason');
/** The business identifier of a stored settlement report: `<agreement>-<kommunkod>-<YYYY-MM>`. */
export const REPORT_ID_SYSTEM = canonical.namingSystem('settlement-report');

/** Population ids: the two denominator exclusions share a code and differ by id. */
export const POPULATION = {
  initial: 'initial-population',
  numerator: 'numerator',
  denominator: 'denominator',
  excludedIndividual: 'denominator-exclusion-individual',
  excludedPrecondition: 'denominator-exclusion-precondition',
} as const;
