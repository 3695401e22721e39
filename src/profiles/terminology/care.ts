// The stay and its planning: care type, compulsory care, ViSam track, consent, plan types, party kinds.
import type { CodeSystemSpec } from './build.ts';

export const CARE_TYPE: CodeSystemSpec = {
  name: 'care-type',
  title: 'Care type of an inpatient stay',
  description:
    'Somatic or psychiatric inpatient care: several agreements settle the two separately (agreements.md §5). Codes are the settlement engine\'s (src/rules/episode.ts CARE_TYPES).',
  concepts: [
    {
      code: 'somatic',
      display: 'Somatisk vård',
      en: 'Somatic care',
      definition: 'Inpatient somatic (non-psychiatric) care.',
      source: 'agreements.md §5 (Örebro §5.1, VGR §5.4)',
    },
    {
      code: 'psychiatric',
      display: 'Psykiatrisk vård',
      en: 'Psychiatric care',
      definition: 'Inpatient psychiatric care, voluntary or compulsory (LPT, LRV).',
      source: 'agreements.md §5 (Örebro §5.1, VGR §5.4; 2018 rules §5.0, §5.3, §5.5)',
    },
  ],
};

/**
 * The settlement group's care type, at the URL src/rules/fhir/codes.ts already emits (CARE_TYPE_SYSTEM):
 * the two care types plus `all` for agreements that settle them together.
 */
export const SETTLEMENT_CARE_TYPE: CodeSystemSpec = {
  name: 'settlement-care-type',
  title: 'Care type of a settlement group',
  description:
    'The care type a settlement group (Measure.group, MeasureReport.group) covers: somatic, psychiatric, or both together where the agreement does not separate them. somatic and psychiatric mean the same as in the care-type CodeSystem.',
  concepts: [
    {
      code: 'all',
      display: 'Somatisk och psykiatrisk vård',
      en: 'Somatic and psychiatric care together',
      definition: 'Both care types in one group: the agreement (e.g. VGR since 2020-04-01, Jämtland) does not separate them.',
      source: 'agreements.md §5.2, §5.4; src/rules/fhir/measure.ts',
    },
    {
      code: 'somatic',
      display: 'Somatisk vård',
      en: 'Somatic care',
      definition: 'The stays in somatic care (care-type somatic).',
      source: 'agreements.md §5.1; src/rules/fhir/measure.ts',
    },
    {
      code: 'psychiatric',
      display: 'Psykiatrisk vård',
      en: 'Psychiatric care',
      definition: 'The stays in psychiatric care (care-type psychiatric).',
      source: 'agreements.md §5.1; src/rules/fhir/measure.ts',
    },
  ],
};

export const COMPULSORY_CARE: CodeSystemSpec = {
  name: 'compulsory-care',
  title: 'Psychiatric compulsory care',
  description:
    'The form of psychiatric compulsory care of a stay or of the care after it. A patient leaving for open compulsory care (LPT 7 a §) or open forensic care (LRV 12 a §) needs a coordinated care plan before the ready-for-discharge notice; that plan replaces the SIP (agreements.md §2). Voluntary care has no code: the element is absent.',
  properties: [
    { code: 'law', type: 'code', description: 'LPT (Lag 1991:1128) or LRV (Lag 1991:1129).' },
    { code: 'open', type: 'boolean', description: 'Open (outpatient) compulsory care.' },
  ],
  concepts: [
    {
      code: 'lpt',
      display: 'Sluten psykiatrisk tvångsvård (LPT)',
      en: 'Inpatient compulsory psychiatric care (LPT)',
      definition: 'Compulsory psychiatric care as an inpatient under Lag (1991:1128) om psykiatrisk tvångsvård.',
      source: 'agreements.md §2 (psychiatric compulsory care); LPT',
      properties: { law: 'LPT', open: false },
    },
    {
      code: 'lrv',
      display: 'Sluten rättspsykiatrisk vård (LRV)',
      en: 'Inpatient forensic psychiatric care (LRV)',
      definition: 'Forensic psychiatric care as an inpatient under Lag (1991:1129) om rättspsykiatrisk vård.',
      source: 'agreements.md §2 (psychiatric compulsory care); LRV',
      properties: { law: 'LRV', open: false },
    },
    {
      code: 'oppen-lpt',
      display: 'Öppen psykiatrisk tvångsvård (LPT 7 a §)',
      en: 'Open compulsory psychiatric care (LPT section 7 a)',
      definition:
        'Compulsory psychiatric care outside hospital under LPT 7 a §; leaving for it requires a coordinated care plan (samordnad vårdplan, plan type SPLPTLRV) before the ready-for-discharge notice.',
      source: 'agreements.md §2 (psychiatric compulsory care); LPT 7 a §',
      properties: { law: 'LPT', open: true },
    },
    {
      code: 'oppen-lrv',
      display: 'Öppen rättspsykiatrisk vård (LRV 12 a §)',
      en: 'Open forensic psychiatric care (LRV section 12 a)',
      definition:
        'Forensic psychiatric care outside hospital under LRV 12 a §; leaving for it requires a coordinated care plan (samordnad vårdplan, plan type SPLPTLRV) before the ready-for-discharge notice.',
      source: 'agreements.md §2 (psychiatric compulsory care); LRV 12 a §',
      properties: { law: 'LRV', open: true },
    },
  ],
};

export const VISAM_TRACK: CodeSystemSpec = {
  name: 'visam-track',
  title: 'ViSam track',
  description:
    'The ViSam track of a stay (Örebro): how much coordinated planning the patient needs. Patients on the yellow or red track need a medical treatment plan covering the next seven days by the discharge day (agreements.md §3).',
  concepts: [
    {
      code: 'green',
      display: 'Grönt spår',
      en: 'Green track',
      definition: 'The green ViSam track, the lowest level of the coordination need the ViSam process assesses; no medical treatment plan is required at discharge.',
      source: 'agreements.md §3 (Örebro), §5.1',
    },
    {
      code: 'yellow',
      display: 'Gult spår',
      en: 'Yellow track',
      definition: 'The yellow ViSam track; a medical treatment plan covering the next seven days must be available by the discharge day.',
      source: 'agreements.md §3 (Örebro), §5.1',
    },
    {
      code: 'red',
      display: 'Rött spår',
      en: 'Red track',
      definition: 'The red ViSam track, the highest coordination need; a medical treatment plan covering the next seven days must be available by the discharge day.',
      source: 'agreements.md §3 (Örebro), §5.1',
    },
  ],
};

export const CONSENT_STATUS: CodeSystemSpec = {
  name: 'consent-status',
  title: 'Consent to information sharing (notice 3)',
  description: "The patient's answer to information sharing and joint planning, as notice 3 reports it (agreements.md §2).",
  concepts: [
    {
      code: 'given',
      display: 'Samtycke lämnat',
      en: 'Consent given',
      definition: 'The patient consents to information sharing and joint planning between the parties.',
      source: 'agreements.md §2 #3',
    },
    {
      code: 'refused',
      display: 'Samtycke nekat',
      en: 'Consent refused',
      definition: 'The patient refuses; the recipients are told and planning stays inside each party.',
      source: 'agreements.md §2 #3',
    },
    {
      code: 'cannot-be-obtained',
      display: 'Samtycke kan inte inhämtas (menprövning)',
      en: 'Consent cannot be obtained (harm assessment)',
      definition:
        'The patient cannot give consent (e.g. unconscious or lacking capacity); information is shared after a harm assessment (menprövning) under OSL 25 kap. 13 §.',
      source: 'agreements.md §2 #3; OSL (2009:400) 25 kap. 13 §',
    },
  ],
};

export const PLAN_TYPE: CodeSystemSpec = {
  name: 'plan-type',
  title: 'Plan types (Inera RIVTA GetCarePlans)',
  description:
    'The plan types of Inera RIVTA clinicalprocess:logistics:logistics GetCarePlans, with the RIVTA codes unchanged (agreements.md §7, identifiers.md).',
  concepts: [
    {
      code: 'SIP',
      display: 'Samordnad individuell plan',
      en: 'Coordinated individual plan',
      definition: 'The plan region and kommun draw up together with the patient (HSL 16 kap. 4 §, SoL 2 kap. 7 §; Lag 2017:612 4 kap.).',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'SPLPTLRV',
      display: 'Samordnad plan enligt LPT/LRV',
      en: 'Coordinated care plan under LPT/LRV',
      definition: 'The coordinated care plan required before a patient leaves for open compulsory care (LPT 7 a §) or open forensic care (LRV 12 a §); replaces the SIP.',
      source: 'agreements.md §2, §7; RIVTA GetCarePlans',
    },
    {
      code: 'SPU',
      display: 'Samordnad plan vid utskrivning',
      en: 'Coordinated plan at discharge',
      definition: 'The coordinated plan for the care and services after discharge from inpatient care.',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'VP',
      display: 'Vårdplan',
      en: 'Care plan',
      definition: 'A care plan of one care provider.',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'HP',
      display: 'Habiliteringsplan',
      en: 'Habilitation plan',
      definition: 'A habilitation plan.',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'RP',
      display: 'Rehabiliteringsplan',
      en: 'Rehabilitation plan',
      definition: 'A rehabilitation plan.',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'GP',
      display: 'Genomförandeplan',
      en: 'Implementation plan',
      definition: 'The implementation plan of social services (how a granted service is carried out).',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
    {
      code: 'SVP',
      display: 'Standardiserad vårdplan',
      en: 'Standardised care plan',
      definition: 'A standardised care plan.',
      source: 'agreements.md §7; RIVTA GetCarePlans',
    },
  ],
};

export const PARTY_KIND: CodeSystemSpec = {
  name: 'party-kind',
  title: 'Kinds of party in discharge coordination',
  description: 'Who takes part in discharge coordination (agreements.md §1); used on Organization to say what kind of party it is.',
  properties: [{ code: 'principal', type: 'code', description: 'Whose responsibility the party is: region or kommun.' }],
  concepts: [
    {
      code: 'slutenvard',
      display: 'Slutenvården',
      en: 'Inpatient unit',
      definition: 'A ward with stays over one day; sends the notices about the stay.',
      source: 'agreements.md §1',
      properties: { principal: 'region' },
    },
    {
      code: 'oppenvard',
      display: 'Regionens öppenvård',
      en: 'Region-funded outpatient care',
      definition: 'Primary care centre (vårdcentral), psychiatric or specialist clinic; appoints the named care contact and calls the SIP meeting.',
      source: 'agreements.md §1',
      properties: { principal: 'region' },
    },
    {
      code: 'socialtjanst',
      display: 'Socialtjänsten',
      en: 'Municipal social services',
      definition: 'Municipal social services (SoL, LSS, LVU, LVM); plan home care, housing and other services.',
      source: 'agreements.md §1',
      properties: { principal: 'kommun' },
    },
    {
      code: 'kommunal-hsl',
      display: 'Kommunal hälso- och sjukvård',
      en: 'Municipal health care',
      definition: 'Home nursing, occupational therapy and physiotherapy by the kommun; plans continued health care at home.',
      source: 'agreements.md §1',
      properties: { principal: 'kommun' },
    },
    {
      code: 'kommun',
      display: 'Kommunen som betalare',
      en: 'Municipality as payer',
      definition: 'The kommun as the party that pays the region for days a discharge-ready patient stays (law 5 kap.).',
      source: 'agreements.md §1, §5',
      properties: { principal: 'kommun' },
    },
    {
      code: 'region',
      display: 'Regionen',
      en: 'Region',
      definition: 'The region as principal of inpatient and outpatient care and as the party that invoices the kommun.',
      source: 'agreements.md §1, §5',
      properties: { principal: 'region' },
    },
  ],
};
