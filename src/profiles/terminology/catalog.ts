// Every CodeSystem and ValueSet the project owns, built once from the specs, and the external code systems
// it holds in full (ISO 4217) so that bindings to them can be decided. URLs are stable once published:
// profiles bind to them (see docs/terminology.md).
import type { CodeSystem, ValueSet } from '@medplum/fhirtypes';
import { canonical } from '../canonical.ts';
import type { CodeSystemSpec } from './build.ts';
import { allCodesValueSet, codeSystem, externalCodeSystem, subsetValueSet } from './build.ts';
import type { ExternalCodeSystemSpec } from './build.ts';
import { CARE_TYPE, COMPULSORY_CARE, CONSENT_STATUS, PARTY_KIND, PLAN_TYPE, SETTLEMENT_CARE_TYPE, VISAM_TRACK } from './care.ts';
import { ISO_4217 } from './currency.ts';
import { DISCHARGE_INFORMATION, itemsOf } from './discharge-information.ts';
import { ACKNOWLEDGEMENT_KIND, NOTICE_KIND, SIP_STATUS } from './notices.ts';
import {
  SETTLEMENT_BILLING_PART,
  SETTLEMENT_EPISODE_STATUS,
  SETTLEMENT_EXCLUSION_REASON,
  SETTLEMENT_LIABILITY_REASON,
} from './settlement.ts';

export const CODE_SYSTEM_SPECS: readonly CodeSystemSpec[] = [
  NOTICE_KIND,
  ACKNOWLEDGEMENT_KIND,
  SIP_STATUS,
  CARE_TYPE,
  SETTLEMENT_CARE_TYPE,
  COMPULSORY_CARE,
  VISAM_TRACK,
  CONSENT_STATUS,
  PLAN_TYPE,
  PARTY_KIND,
  DISCHARGE_INFORMATION,
  SETTLEMENT_EXCLUSION_REASON,
  SETTLEMENT_LIABILITY_REASON,
  SETTLEMENT_EPISODE_STATUS,
  SETTLEMENT_BILLING_PART,
];

/** External code systems held in full (their owner's URL, no ValueSet of ours). */
export const EXTERNAL_CODE_SYSTEM_SPECS: readonly ExternalCodeSystemSpec[] = [ISO_4217];

/** The external code systems' URLs. */
export const EXTERNAL_CS = {
  currency: ISO_4217.url,
} as const;

/** CodeSystem canonical URLs. The ValueSet of all codes of each has the same name (VS below). */
export const CS = {
  noticeKind: canonical.codeSystem('notice-kind'),
  acknowledgementKind: canonical.codeSystem('acknowledgement-kind'),
  sipStatus: canonical.codeSystem('sip-status'),
  careType: canonical.codeSystem('care-type'),
  settlementCareType: canonical.codeSystem('settlement-care-type'),
  compulsoryCare: canonical.codeSystem('compulsory-care'),
  visamTrack: canonical.codeSystem('visam-track'),
  consentStatus: canonical.codeSystem('consent-status'),
  planType: canonical.codeSystem('plan-type'),
  partyKind: canonical.codeSystem('party-kind'),
  dischargeInformation: canonical.codeSystem('discharge-information'),
  settlementExclusionReason: canonical.codeSystem('settlement-exclusion-reason'),
  settlementLiabilityReason: canonical.codeSystem('settlement-liability-reason'),
  settlementEpisodeStatus: canonical.codeSystem('settlement-episode-status'),
  settlementBillingPart: canonical.codeSystem('settlement-billing-part'),
} as const;

/** ValueSet canonical URLs: one per CodeSystem (all codes) and the subsets profiles bind to. */
export const VS = {
  noticeKind: canonical.valueSet('notice-kind'),
  acknowledgementKind: canonical.valueSet('acknowledgement-kind'),
  sipStatus: canonical.valueSet('sip-status'),
  careType: canonical.valueSet('care-type'),
  settlementCareType: canonical.valueSet('settlement-care-type'),
  compulsoryCare: canonical.valueSet('compulsory-care'),
  visamTrack: canonical.valueSet('visam-track'),
  consentStatus: canonical.valueSet('consent-status'),
  planType: canonical.valueSet('plan-type'),
  partyKind: canonical.valueSet('party-kind'),
  dischargeInformation: canonical.valueSet('discharge-information'),
  settlementExclusionReason: canonical.valueSet('settlement-exclusion-reason'),
  settlementLiabilityReason: canonical.valueSet('settlement-liability-reason'),
  settlementEpisodeStatus: canonical.valueSet('settlement-episode-status'),
  settlementBillingPart: canonical.valueSet('settlement-billing-part'),
  // Subsets
  noticeKindFromInpatientUnit: canonical.valueSet('notice-kind-from-inpatient-unit'),
  noticeKindSettlement: canonical.valueSet('notice-kind-settlement'),
  openCompulsoryCare: canonical.valueSet('open-compulsory-care'),
  visamTrackTreatmentPlan: canonical.valueSet('visam-track-treatment-plan'),
  coordinatedPlanType: canonical.valueSet('coordinated-plan-type'),
  regionPartyKind: canonical.valueSet('region-party-kind'),
  kommunPartyKind: canonical.valueSet('kommun-party-kind'),
  dischargeInformationVgr: canonical.valueSet('discharge-information-vastra-gotaland'),
  hemgangsklarOrebro: canonical.valueSet('hemgangsklar-orebro'),
  sakerUtskrivningBlekinge: canonical.valueSet('saker-utskrivning-blekinge'),
  dischargeMedicationJonkoping: canonical.valueSet('discharge-medication-jonkoping'),
  liableKommunBasis: canonical.valueSet('liable-kommun-basis'),
  liabilityRule: canonical.valueSet('liability-rule'),
} as const;

function build(): { codeSystems: CodeSystem[]; valueSets: ValueSet[] } {
  const own = CODE_SYSTEM_SPECS.map(codeSystem);
  const codeSystems = [...own, ...EXTERNAL_CODE_SYSTEM_SPECS.map(externalCodeSystem)];
  const cs = (url: string): CodeSystem => {
    const found = codeSystems.find((c) => c.url === url);
    if (!found) throw new Error(`no CodeSystem ${url}`);
    return found;
  };
  const subset = (url: string, title: string, description: string, system: string, codes: readonly string[]): ValueSet =>
    subsetValueSet(url.slice(url.lastIndexOf('/') + 1), title, description, cs(system), codes);
  const valueSets: ValueSet[] = [
    // An external system's ValueSet of all codes is its owner's (R4's currencies for ISO 4217).
    ...own.map(allCodesValueSet),
    subset(
      VS.noticeKindFromInpatientUnit,
      'Notices sent by the inpatient unit',
      'The notices of agreements.md §2 whose sender is the inpatient unit (slutenvården): 2, 3, 4, 7, 8, 9 and 11.',
      CS.noticeKind,
      ['inskrivningsmeddelande', 'samtycke', 'beraknad-utskrivning', 'kallelse-svpl', 'utskrivningsklar', 'aterkallad-utskrivningsklar', 'utskrivningsmeddelande'],
    ),
    subset(
      VS.noticeKindSettlement,
      'Notices the settlement reads',
      'The notices whose times the settlement engine reads (agreements.md §4, §5): 2, 4, 6, 8, 9, 10 and 11.',
      CS.noticeKind,
      ['inskrivningsmeddelande', 'beraknad-utskrivning', 'fast-vardkontakt', 'utskrivningsklar', 'aterkallad-utskrivningsklar', 'kallelse-sip', 'utskrivningsmeddelande'],
    ),
    subset(
      VS.openCompulsoryCare,
      'Open psychiatric compulsory care',
      'Open compulsory care (LPT 7 a §) and open forensic care (LRV 12 a §): leaving for either needs a coordinated care plan (SPLPTLRV) before notice 8 (agreements.md §2).',
      CS.compulsoryCare,
      ['oppen-lpt', 'oppen-lrv'],
    ),
    subset(
      VS.visamTrackTreatmentPlan,
      'ViSam tracks that need a medical treatment plan',
      'Yellow and red: a medical treatment plan for the next seven days is required by the discharge day (agreements.md §3, Örebro).',
      CS.visamTrack,
      ['yellow', 'red'],
    ),
    subset(
      VS.coordinatedPlanType,
      'Coordinated plans of discharge coordination',
      'The plan types a CarePlan of the discharge process is: SIP, SPU and the LPT/LRV plan (issue 3, CarePlan profiles).',
      CS.planType,
      ['SIP', 'SPU', 'SPLPTLRV'],
    ),
    subset(
      VS.regionPartyKind,
      'Parties of the region',
      'Party kinds whose principal is the region.',
      CS.partyKind,
      ['slutenvard', 'oppenvard', 'region'],
    ),
    subset(
      VS.kommunPartyKind,
      'Parties of the kommun',
      'Party kinds whose principal is the kommun.',
      CS.partyKind,
      ['socialtjanst', 'kommunal-hsl', 'kommun'],
    ),
    subset(
      VS.dischargeInformationVgr,
      'VGR information bundle',
      'The documents VGR requires to be transferred before notice 8 (agreements.md §3).',
      CS.dischargeInformation,
      itemsOf('vastra-gotaland'),
    ),
    subset(
      VS.hemgangsklarOrebro,
      'Örebro hemgångsklar',
      'What Örebro requires for "hemgångsklar" (agreements.md §3); medicinsk-behandlingsplan only on the yellow or red ViSam track.',
      CS.dischargeInformation,
      itemsOf('orebro'),
    ),
    subset(
      VS.sakerUtskrivningBlekinge,
      'Blekinge säker utskrivning',
      'What Blekinge requires for "säker utskrivning" (agreements.md §3); stays reported ready without it are outside the settlement.',
      CS.dischargeInformation,
      itemsOf('blekinge'),
    ),
    subset(
      VS.dischargeMedicationJonkoping,
      'Jönköping medication at discharge',
      "Jönköping's medication items at discharge (agreements.md §3).",
      CS.dischargeInformation,
      itemsOf('jonkoping'),
    ),
    subset(
      VS.liableKommunBasis,
      'Which kommun is liable',
      'The kommun of registration, or the placing kommun (law 5:2).',
      CS.settlementLiabilityReason,
      ['kommun-of-registration', 'placing-kommun'],
    ),
    subset(
      VS.liabilityRule,
      'The rule that made a stay billable',
      'The rules of agreements.md §5 under which days of a stay are billed.',
      CS.settlementLiabilityReason,
      SETTLEMENT_LIABILITY_REASON.concepts.filter((c) => c.properties?.axis === 'rule').map((c) => c.code),
    ),
  ];
  return { codeSystems, valueSets };
}

const BUILT = build();

/** Every CodeSystem of the project, then the external ones it holds (fresh copies: callers may mutate them). */
export function allCodeSystems(): CodeSystem[] {
  return structuredClone(BUILT.codeSystems);
}

/** Every ValueSet of the project (fresh copies). */
export function allValueSets(): ValueSet[] {
  return structuredClone(BUILT.valueSets);
}

/** All CodeSystems then all ValueSets: register with `Validator.registerTerminology` and serve them. */
export function allTerminology(): (CodeSystem | ValueSet)[] {
  return [...allCodeSystems(), ...allValueSets()];
}

/** The shared, frozen-by-convention instances (no copy), for the operations. */
export function builtTerminology(): { readonly codeSystems: readonly CodeSystem[]; readonly valueSets: readonly ValueSet[] } {
  return BUILT;
}
