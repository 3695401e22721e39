// Kommun names and län for settlement output and for deciding which agreement governs, from the
// profiles' SCB list (src/profiles/data/kommuner.ts, generated from kommuner.csv).
import { KOMMUNER, LAN } from '../profiles/data/kommuner.ts';

type KommunInfo = { kommunkod: string; name: string; lanskod: string };

const byKod: ReadonlyMap<string, KommunInfo> = new Map(
  KOMMUNER.map((k) => [k.kod, { kommunkod: k.kod, name: k.name, lanskod: k.lanskod }]),
);

export function kommunInfo(kommunkod: string): KommunInfo | undefined {
  return byKod.get(kommunkod);
}

export function kommunName(kommunkod: string): string {
  return byKod.get(kommunkod)?.name ?? '';
}

export function lanName(lanskod: string): string {
  return LAN.find((l) => l.kod === lanskod)?.name ?? '';
}

export function regionName(lanskod: string): string {
  return LAN.find((l) => l.kod === lanskod)?.region ?? '';
}

export function kommunerInLan(lanskod: string): string[] {
  return KOMMUNER.filter((k) => k.lanskod === lanskod).map((k) => k.kod);
}
