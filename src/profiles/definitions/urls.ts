// The canonical URLs of the project's profiles and extensions, and the URLs the FSH sources use by alias.
// The FSH in profiles/fsh never spells out a URL that the TypeScript owns: scripts/build-profiles.ts
// prepends one `Alias:` line per entry of FSH_ALIASES.
import { canonical } from '../canonical.ts';
import { SYSTEM } from '../identifiers/systems.ts';

const sd = canonical.structureDefinition;

/** Profiles on resources (these can be registered with the Validator). */
export const PROFILE = {
  patient: sd('SamverkanPatient'),
  organization: sd('SamverkanOrganization'),
  encounter: sd('Vardtillfalle'),
  samverkansmeddelande: sd('Samverkansmeddelande'),
  inskrivningsmeddelande: sd('Inskrivningsmeddelande'),
  utskrivningsklar: sd('Utskrivningsklar'),
  utskrivningsmeddelande: sd('Utskrivningsmeddelande'),
  kallelseSip: sd('KallelseSip'),
  vardbegaran: sd('Vardbegaran'),
  samtyckesmeddelande: sd('Samtyckesmeddelande'),
  beraknadUtskrivning: sd('BeraknadUtskrivning'),
  kvittens: sd('Kvittens'),
  fastVardkontaktUtsedd: sd('FastVardkontaktUtsedd'),
  kallelseSvpl: sd('KallelseSvpl'),
  aterkalladUtskrivningsklar: sd('AterkalladUtskrivningsklar'),
  sipStatusmeddelande: sd('SipStatusmeddelande'),
  kommentar: sd('Kommentar'),
  utskrivningsinformation: sd('Utskrivningsinformation'),
  utskrivningsinformationVgr: sd('UtskrivningsinformationVgr'),
  fastVardkontakt: sd('FastVardkontakt'),
  samordnadPlan: sd('SamordnadPlan'),
  samtycke: sd('Samtycke'),
  measureReport: sd('SamverkanMeasureReport'),
} as const;

/** Extensions (published; not registrable as resource profiles, their content is enforced by the profiles' slices). */
export const EXTENSION = {
  folkbokforingskommun: sd('folkbokforingskommun'),
  folkbokforingsadress: sd('folkbokforingsadress'),
  estimatedDischarge: sd('estimated-discharge'),
  readyForDischarge: sd('ready-for-discharge'),
  dischargeTime: sd('discharge-time'),
  readinessWithdrawn: sd('readiness-withdrawn'),
  careType: sd('care-type'),
  compulsoryCare: sd('compulsory-care'),
  visamTrack: sd('visam-track'),
  liableKommun: sd('liable-kommun'),
  placingKommun: sd('placing-kommun'),
  sipMeetingTime: sd('sip-meeting-time'),
  sipMeetingPlace: sd('sip-meeting-place'),
  sipMeetingForm: sd('sip-meeting-form'),
  consentDecision: sd('consent-decision'),
  // Settlement (src/rules/fhir): on MeasureReport, its groups and its contained Lists' entries.
  settlementThreshold: sd('settlement-threshold'),
  settlementLiable: sd('settlement-liable'),
  settlementBillableDaysAverage: sd('settlement-billable-days-average-part'),
  settlementBillableDaysIndividual: sd('settlement-billable-days-individual-part'),
  settlementBillableDays: sd('settlement-billable-days'),
  settlementDailyAmount: sd('settlement-daily-amount'),
  settlementDailyAmountSource: sd('settlement-daily-amount-source'),
  settlementAmount: sd('settlement-amount'),
  settlementShareDay01: sd('settlement-share-day-0-1'),
  settlementModel: sd('settlement-model'),
  settlementExplanation: sd('settlement-explanation'),
  settlementWarning: sd('settlement-warning'),
  settlementParameter: sd('settlement-parameter'),
  settlementEpisodeEvaluation: sd('settlement-episode-evaluation'),
  settlementCorrects: sd('settlement-corrects'),
} as const;

/**
 * CodeSystems and ValueSets owned by src/profiles/terminology, referenced by name. The profiles fix the
 * code *system* (a pattern) and bind the code (required) to the ValueSet; the codes themselves are the
 * terminology module's.
 */
export const TERMINOLOGY = ['notice-kind', 'acknowledgement-kind', 'sip-status', 'discharge-information', 'care-type', 'compulsory-care', 'visam-track', 'plan-type', 'consent-status', 'party-kind', 'settlement-care-type', 'settlement-episode-status', 'settlement-billing-part', 'settlement-exclusion-reason'] as const;

/** HL7 Sweden base (hl7se.fhir.base) security labels for protected identity. */
export const SE_SECURITY_LABEL = 'http://hl7.se/fhir/ig/base/CodeSystem/SecurityLabel';
export const PROTECTED_IDENTITY_CODES = ['sekretessmarkering', 'skyddadFolkbokforing'] as const;

/** `$alias` → URL, for the FSH sources. */
export const FSH_ALIASES: Readonly<Record<string, string>> = {
  $personnummer: SYSTEM.personnummer,
  $samordningsnummer: SYSTEM.samordningsnummer,
  $reservnummer: SYSTEM.nationelltReservnummer,
  $hsaId: SYSTEM.hsaId,
  $organisationsnummer: SYSTEM.organisationsnummer,
  $kommunkod: SYSTEM.kommunkod,
  $lanskod: SYSTEM.lanskod,
  $seSecurityLabel: SE_SECURITY_LABEL,
  $v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  $v3ParticipationMode: 'http://terminology.hl7.org/ValueSet/v3-ParticipationMode',
  $consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  $ucum: 'http://unitsofmeasure.org',
  $settlementMeasure: canonical.measure(''),
  ...Object.fromEntries(Object.values(EXTENSION).map((url) => [`$sd-${url.slice(url.lastIndexOf('/') + 1)}`, url])),
  ...Object.fromEntries(TERMINOLOGY.flatMap((n) => [[`$cs-${n}`, canonical.codeSystem(n)], [`$vs-${n}`, canonical.valueSet(n)]])),
};
