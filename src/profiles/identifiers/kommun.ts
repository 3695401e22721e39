// Kommunkod (SCB, 4 digits) and länskod (SCB, 2 digits) look-ups over the generated SCB list,
// with the region responsible for each län.
//
// 9901 is not a kommun: SCB-coded registers use it for asylum seekers (no folkbokföringskommun).
// isKommunkod('9901') is false and kommunByKod('9901') is undefined, since no kommun stands behind
// it (it cannot be liable, receive a notice or settle). It is still a known code of the kommunkod
// system, so a Coding or Identifier valued 9901 passes the identifier check (isKommunkodCode).
import { KOMMUNER, LAN } from '../data/kommuner.ts';
import type { KommunRecord, LanRecord } from '../data/kommuner.ts';

export type { KommunRecord, LanRecord };

export type Region = {
  name: string;
  lanskod: string;
  /** Set when the region is itself a kommun with regional responsibility (Region Gotland = 0980). */
  kommunkod?: string;
};

export const ASYLUM_SEEKERS_KOMMUNKOD = '9901';

const kommunIndex: ReadonlyMap<string, KommunRecord> = new Map(KOMMUNER.map((k) => [k.kod, k]));
const lanIndex: ReadonlyMap<string, LanRecord> = new Map(LAN.map((l) => [l.kod, l]));

export function kommunByKod(kod: string): KommunRecord | undefined {
  return kommunIndex.get(kod);
}

export function lanByKod(kod: string): LanRecord | undefined {
  return lanIndex.get(kod);
}

export function regionForLan(lanskod: string): Region | undefined {
  const lan = lanIndex.get(lanskod);
  if (!lan) return undefined;
  return lan.regionKommunkod === undefined
    ? { name: lan.region, lanskod: lan.kod }
    : { name: lan.region, lanskod: lan.kod, kommunkod: lan.regionKommunkod };
}

/** The region responsible for health care where this kommun lies. */
export function regionForKommun(kommunkod: string): Region | undefined {
  const kommun = kommunIndex.get(kommunkod);
  return kommun ? regionForLan(kommun.lanskod) : undefined;
}

/** True for the 290 kommuner only (not 9901). */
export function isKommunkod(kod: string): boolean {
  return kommunIndex.has(kod);
}

/** True for a code that may stand in the kommunkod system: the 290 kommuner and 9901 (asylum seekers). */
export function isKommunkodCode(kod: string): boolean {
  return kommunIndex.has(kod) || kod === ASYLUM_SEEKERS_KOMMUNKOD;
}

export function isLanskod(kod: string): boolean {
  return lanIndex.has(kod);
}

export function allKommuner(): readonly KommunRecord[] {
  return KOMMUNER;
}

export function allLan(): readonly LanRecord[] {
  return LAN;
}
