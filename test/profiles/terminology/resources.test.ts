// Every CodeSystem and ValueSet is valid FHIR R4, complete, under the canonical base (but for the external
// code systems held in full, test/profiles/terminology/currency.test.ts), and aligned with the settlement
// engine's codes (src/rules).
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { CANONICAL_BASE, canonical } from '../../../src/profiles/canonical.ts';
import { CS, EXCLUSION_REASON_CODES, EXTERNAL_CS, NOTICE_KINDS, VS, allCodeSystems, allTerminology, allValueSets } from '../../../src/profiles/terminology/index.ts';
import type { ExclusionReasonCode } from '../../../src/profiles/terminology/index.ts';
import { Validator } from '../../../src/profiles/validation/index.ts';
import { TerminologyIndex } from '../../../src/profiles/validation/terminology.ts';
import { AGREEMENT_IDS } from '../../../src/rules/agreements/catalog.ts';
import { CARE_TYPES } from '../../../src/rules/episode.ts';
import type { FailureCode } from '../../../src/rules/evaluation.ts';
import { CARE_TYPE_SYSTEM } from '../../../src/rules/fhir/codes.ts';
import { careTypeConcept } from '../../../src/rules/fhir/measure.ts';
import { validateCode } from '../../../src/profiles/terminology/index.ts';

// Compile-time: the exclusion reasons are exactly the engine's FailureCode.
type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFailureCodes: Equals<FailureCode, ExclusionReasonCode> = true;

const ctx = { now: new Date('2025-03-01T12:00:00Z') };
const external = new Set<string>(Object.values(EXTERNAL_CS));
/** The project's own CodeSystems (not the external ones it holds). */
const ownCodeSystems = (): CodeSystem[] => allCodeSystems().filter((c) => !external.has(c.url as string));
const codesOf = (cs: CodeSystem): string[] => (cs.concept ?? []).map((c) => c.code);
const byUrl = (url: string): CodeSystem => {
  const cs = allCodeSystems().find((c) => c.url === url);
  if (!cs) throw new Error(url);
  return cs;
};

describe('CodeSystems and ValueSets as FHIR R4', () => {
  let v: Validator;
  beforeAll(() => {
    indexR4Definitions();
    v = new Validator();
    v.registerTerminology(allTerminology());
  });

  it.each(allTerminology().map((r) => [`${r.resourceType}/${r.id}`, r] as const))('%s validates with no issue', (_name, r) => {
    expect(v.validate(r, ctx)).toEqual([]);
  });

  it('the check is real: a broken copy fails', () => {
    const cs = { ...allCodeSystems()[0], status: 'finished', concept: [{ display: 'no code' }] };
    expect(v.validate(cs, ctx).filter((i) => i.severity === 'error').length).toBeGreaterThanOrEqual(2);
  });

  it('ids are unique per type and URLs are canonical.codeSystem/valueSet(id)', () => {
    const all = allTerminology();
    expect(all.length).toBe(allCodeSystems().length + allValueSets().length);
    for (const type of ['CodeSystem', 'ValueSet'] as const) {
      const ids = all.filter((r) => r.resourceType === type).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    for (const cs of ownCodeSystems()) {
      expect(cs.url).toBe(canonical.codeSystem(cs.id as string));
      expect(cs.valueSet).toBe(canonical.valueSet(cs.id as string));
    }
    for (const vs of allValueSets()) expect(vs.url).toBe(canonical.valueSet(vs.id as string));
    for (const r of all) expect(r.url?.startsWith(`${CANONICAL_BASE}/`) || external.has(r.url as string)).toBe(true);
    expect(Object.values(CS).sort()).toEqual(ownCodeSystems().map((c) => c.url).sort());
    expect(Object.values(VS).sort()).toEqual(allValueSets().map((c) => c.url).sort());
  });

  it('every CodeSystem is active and complete, and every concept has a display, a definition, an English designation and a source', () => {
    for (const cs of ownCodeSystems()) {
      expect(cs).toMatchObject({ status: 'active', content: 'complete', caseSensitive: true, count: cs.concept?.length });
      for (const c of cs.concept as CodeSystemConcept[]) {
        expect(c.code).toMatch(/^[A-Za-z0-9]+(-[a-z0-9]+)*$/);
        expect(c.display?.length).toBeGreaterThan(0);
        expect(c.definition?.length).toBeGreaterThan(10);
        expect(c.designation?.find((d) => d.language === 'en')?.value?.length).toBeGreaterThan(0);
        expect(c.property?.find((p) => p.code === 'source')?.valueString?.length).toBeGreaterThan(0);
        const declared = new Set((cs.property ?? []).map((p) => p.code));
        for (const p of c.property ?? []) expect(declared.has(p.code)).toBe(true);
      }
    }
  });

  it('every CodeSystem has its all-codes ValueSet, and every ValueSet expands fully to known codes', () => {
    const index = new TerminologyIndex(allTerminology());
    for (const cs of ownCodeSystems()) {
      const exp = index.expand(cs.valueSet as string);
      expect(exp && [...exp.codes].sort()).toEqual(codesOf(cs).sort());
    }
    for (const vs of allValueSets()) {
      const exp = index.expand(vs.url as string);
      expect(exp?.openAll).toBe(false);
      expect(exp?.openSystems.size).toBe(0);
      expect(exp?.pairs.size).toBeGreaterThan(0);
    }
  });

  it('subset ValueSets list codes with the CodeSystem display', () => {
    for (const vs of allValueSets()) {
      for (const inc of vs.compose?.include ?? []) {
        const cs = byUrl(inc.system as string);
        for (const c of inc.concept ?? []) expect(c.display).toBe(cs.concept?.find((k) => k.code === c.code)?.display);
      }
    }
  });
});

describe('content', () => {
  it('the 13 notice kinds of agreements.md §2, numbered 1-13', () => {
    expect(NOTICE_KINDS.map((n) => n.code)).toEqual([
      'vardbegaran',
      'inskrivningsmeddelande',
      'samtycke',
      'beraknad-utskrivning',
      'kvittens',
      'fast-vardkontakt',
      'kallelse-svpl',
      'utskrivningsklar',
      'aterkallad-utskrivningsklar',
      'kallelse-sip',
      'utskrivningsmeddelande',
      'sip-status',
      'kommentar',
    ]);
    expect(NOTICE_KINDS.map((n) => n.properties?.['notice-number'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('plan types are the RIVTA list, consent, ViSam and compulsory care have their codes', () => {
    expect(codesOf(byUrl(CS.planType))).toEqual(['SIP', 'SPLPTLRV', 'SPU', 'VP', 'HP', 'RP', 'GP', 'SVP']);
    expect(codesOf(byUrl(CS.consentStatus))).toEqual(['given', 'refused', 'cannot-be-obtained']);
    expect(codesOf(byUrl(CS.visamTrack))).toEqual(['green', 'yellow', 'red']);
    expect(codesOf(byUrl(CS.compulsoryCare))).toEqual(['lpt', 'lrv', 'oppen-lpt', 'oppen-lrv']);
    expect(codesOf(byUrl(CS.partyKind))).toEqual(['slutenvard', 'oppenvard', 'socialtjanst', 'kommunal-hsl', 'kommun', 'region']);
  });

  it('the discharge-information agreements are rule-pack ids, and each agreement has its subset', () => {
    const ids = new Set<string>(AGREEMENT_IDS);
    for (const c of byUrl(CS.dischargeInformation).concept ?? []) {
      const agreements = (c.property ?? []).filter((p) => p.code === 'agreement');
      expect(agreements.length).toBeGreaterThan(0);
      for (const p of agreements) expect(ids.has(p.valueCode as string)).toBe(true);
    }
    const subset = (url: string): string[] => {
      const vs = allValueSets().find((v) => v.url === url) as ValueSet;
      return (vs.compose?.include?.[0]?.concept ?? []).map((c) => c.code);
    };
    expect(subset(VS.dischargeInformationVgr)).toHaveLength(11);
    expect(subset(VS.hemgangsklarOrebro)).toEqual([
      'utskrivningsklar',
      'skriftlig-sammanfattning',
      'information-tillganglig',
      'hjalpmedel-i-hemmet',
      'aktuell-medicinering',
      'medicinsk-behandlingsplan',
    ]);
    expect(subset(VS.sakerUtskrivningBlekinge)).toEqual([
      'utskrivningsklar',
      'skriftlig-information',
      'fast-vardkontakt-utsedd',
      'information-overford',
      'hjalpmedel-tillgangliga',
      'kommunens-insatser-aktiverade',
    ]);
    expect(subset(VS.dischargeMedicationJonkoping)).toHaveLength(5);
  });
});

describe('aligned with src/rules', () => {
  it('exclusion reasons are the engine FailureCodes', () => {
    expect(sameFailureCodes).toBe(true);
    expect(codesOf(byUrl(CS.settlementExclusionReason))).toEqual([...EXCLUSION_REASON_CODES]);
    const agreements = new Set<string>(AGREEMENT_IDS);
    for (const c of byUrl(CS.settlementLiabilityReason).concept ?? []) {
      for (const p of c.property ?? []) if (p.code === 'agreement') expect(agreements.has(p.valueCode as string)).toBe(true);
    }
  });

  it('care types are the engine CARE_TYPES, and the settlement care type is the URL the engine emits', () => {
    expect(codesOf(byUrl(CS.careType))).toEqual([...CARE_TYPES]);
    expect(CS.settlementCareType).toBe(CARE_TYPE_SYSTEM);
    for (const g of ['all', 'somatic', 'psychiatric'] as const) {
      const coding = careTypeConcept(g).coding[0];
      // The engine's English display is an accepted designation.
      const r = validateCode(VS.settlementCareType, coding?.code as string, coding?.display);
      expect(r.parameter?.[0]).toEqual({ name: 'result', valueBoolean: true });
    }
  });
});
