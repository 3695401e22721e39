// The parties of the synthetic episodes: each agreement region's hospitals and wards, the kommun units
// and the vårdcentraler. Names of hospitals are the real public ones, so a reader recognises the region;
// every HSA-id is fictitious: the organisation part is 99900000LL for region LL (a vårdgivare) and
// 999100KKKK for kommun KKKK, numbers no real organisation has, so nothing points at a real unit.
import type { Part } from '../common/handelse.ts';
import { kommunByKod } from '../../profiles/identifiers/kommun.ts';
import type { AgreementLanskod } from './kommuner.ts';

export type Ward = Part & { kind: 'slutenvard'; hsaId: string; hospital: string; care: 'somatic' | 'psychiatric' | 'forensic' };
export type Hospital = { name: string; weight: number; wards: Ward[] };
export type RegionParties = { lanskod: AgreementLanskod; issuer: string; hospitals: Hospital[] };

/** The vårdgivare HSA-id of the region with länskod `lanskod` (any of the 21). */
export function regionIssuer(lanskod: string): string {
  return `SE99900000${lanskod}-VG`;
}

/** The länskod a synthetic issuer was made for (undefined for any other HSA-id). */
export function lanskodOfIssuer(issuer: string): string | undefined {
  return /^SE99900000(\d{2})-VG$/.exec(issuer)?.[1];
}

const SOMATIC_WARDS = ['Medicinavdelning', 'Geriatrisk avdelning', 'Ortopedavdelning', 'Kirurgavdelning', 'Strokeenhet'];

type HospitalSpec = { name: string; weight: number; psychiatric?: boolean; forensic?: boolean };

const HOSPITALS: Record<AgreementLanskod, HospitalSpec[]> = {
  '18': [
    { name: 'Universitetssjukhuset Örebro', weight: 6, psychiatric: true, forensic: true },
    { name: 'Karlskoga lasarett', weight: 2 },
    { name: 'Lindesbergs lasarett', weight: 2 },
  ],
  '23': [{ name: 'Östersunds sjukhus', weight: 1, psychiatric: true, forensic: true }],
  '10': [
    { name: 'Blekingesjukhuset Karlskrona', weight: 3, psychiatric: true, forensic: true },
    { name: 'Blekingesjukhuset Karlshamn', weight: 2, psychiatric: true },
  ],
  '06': [
    { name: 'Länssjukhuset Ryhov', weight: 5, psychiatric: true, forensic: true },
    { name: 'Höglandssjukhuset Eksjö', weight: 2, psychiatric: true },
    { name: 'Värnamo sjukhus', weight: 2, psychiatric: true },
  ],
  '14': [
    { name: 'Sahlgrenska Universitetssjukhuset', weight: 10, psychiatric: true, forensic: true },
    { name: 'Södra Älvsborgs sjukhus', weight: 4, psychiatric: true },
    { name: 'Skaraborgs sjukhus', weight: 4, psychiatric: true },
    { name: 'NU-sjukvården', weight: 4, psychiatric: true },
    { name: 'Alingsås lasarett', weight: 1 },
    { name: 'Kungälvs sjukhus', weight: 1, psychiatric: true },
  ],
};

function regionParties(lanskod: AgreementLanskod): RegionParties {
  const issuer = regionIssuer(lanskod);
  const org = issuer.slice(0, 12);
  const hospitals = HOSPITALS[lanskod].map((h, i): Hospital => {
    const ward = (care: Ward['care'], name: string, n: number): Ward => ({
      kind: 'slutenvard',
      hsaId: `${org}-S${i + 1}${care[0]!.toUpperCase()}${n}`,
      name: `${h.name}, ${name}`,
      hospital: h.name,
      care,
    });
    const wards = SOMATIC_WARDS.map((w, n) => ward('somatic', w, n + 1));
    if (h.psychiatric) wards.push(ward('psychiatric', 'Allmänpsykiatrisk avdelning', 1), ward('psychiatric', 'Psykiatrisk akutavdelning', 2));
    if (h.forensic) wards.push(ward('forensic', 'Rättspsykiatrisk avdelning', 1));
    return { name: h.name, weight: h.weight, wards };
  });
  return { lanskod, issuer, hospitals };
}

export const REGION_PARTIES: Readonly<Record<AgreementLanskod, RegionParties>> = {
  '18': regionParties('18'),
  '23': regionParties('23'),
  '10': regionParties('10'),
  '06': regionParties('06'),
  '14': regionParties('14'),
};

/** The parties one patient's kommun and region bring to the process. */
export type HomeParties = {
  kommun: Part;
  socialtjanst: Part;
  kommunalHsl: Part;
  vardcentral: Part;
  psykiatriMottagning: Part;
};

function kommunName(kod: string): string {
  const k = kommunByKod(kod);
  if (!k) throw new Error(`not a kommun: ${kod}`);
  return k.name;
}

/** The kommun's units and the region's outpatient units that serve a patient living in `kommunkod`. */
export function homeParties(kommunkod: string): HomeParties {
  const rec = kommunByKod(kommunkod);
  if (!rec) throw new Error(`not a kommun: ${kommunkod}`);
  const name = kommunName(kommunkod);
  const kommunOrg = `SE999100${kommunkod}`;
  const regionOrg = regionIssuer(rec.lanskod).slice(0, 12);
  return {
    kommun: { kind: 'kommun', kommunkod, name: `${name} kommun` },
    socialtjanst: { kind: 'socialtjanst', hsaId: `${kommunOrg}-SOC`, name: `${name} kommun, biståndsenheten` },
    kommunalHsl: { kind: 'kommunal-hsl', hsaId: `${kommunOrg}-HSL`, name: `${name} kommun, hemsjukvården` },
    vardcentral: { kind: 'oppenvard', hsaId: `${regionOrg}-VC${kommunkod}`, name: `Vårdcentralen ${name}` },
    psykiatriMottagning: { kind: 'oppenvard', hsaId: `${regionOrg}-PM${kommunkod}`, name: `Psykiatrimottagningen ${name}` },
  };
}
