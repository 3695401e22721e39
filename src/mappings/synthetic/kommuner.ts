// Where the synthetic patients live: the five agreement regions and all 290 kommuner, weighted by size.
// Population is not in the repository, so the weight is a documented proxy (docs/mappings/synthetic.md):
// approximate population in thousands (SCB, rounded, about 2023) for every kommun of the five regions
// and the largest kommuner elsewhere; any other kommun gets a rule by its SCB code (xx80 is the län's
// seat and large, xx81–xx84 are its other towns, the rest are small).
import { KOMMUNER, type KommunRecord } from '../../profiles/data/kommuner.ts';

/** The regions whose agreements ship as rule packs, by länskod. */
export const AGREEMENT_REGIONS = [
  { lanskod: '18', name: 'Region Örebro län' },
  { lanskod: '23', name: 'Region Jämtland Härjedalen' },
  { lanskod: '10', name: 'Region Blekinge' },
  { lanskod: '06', name: 'Region Jönköpings län' },
  { lanskod: '14', name: 'Västra Götalandsregionen' },
] as const;
export type AgreementLanskod = (typeof AGREEMENT_REGIONS)[number]['lanskod'];

export function isAgreementLanskod(kod: string): kod is AgreementLanskod {
  return AGREEMENT_REGIONS.some((r) => r.lanskod === kod);
}

/** Approximate inhabitants in thousands. */
const POPULATION: Readonly<Record<string, number>> = {
  // Jönköpings län
  '0604': 7, '0617': 9.5, '0642': 7.3, '0643': 12, '0662': 30, '0665': 14, '0680': 144, '0682': 31, '0683': 34,
  '0684': 11, '0685': 27, '0686': 17, '0687': 19,
  // Blekinge
  '1060': 13, '1080': 67, '1081': 30, '1082': 32, '1083': 17,
  // Västra Götaland
  '1401': 39, '1402': 41, '1407': 13, '1415': 27, '1419': 16, '1421': 15, '1427': 9, '1430': 10.5, '1435': 13,
  '1438': 4.8, '1439': 6.6, '1440': 32, '1441': 43, '1442': 12, '1443': 9.8, '1444': 5.7, '1445': 5.6,
  '1446': 6.9, '1447': 5.2, '1452': 11.8, '1460': 9.4, '1461': 9.2, '1462': 14, '1463': 35, '1465': 10.8,
  '1466': 9.5, '1470': 16, '1471': 13, '1472': 11, '1473': 9.4, '1480': 596, '1481': 70, '1482': 48,
  '1484': 14, '1485': 57, '1486': 13, '1487': 40, '1488': 59, '1489': 42, '1490': 114, '1491': 25,
  '1492': 12.5, '1493': 25, '1494': 40, '1495': 19, '1496': 57, '1497': 9.5, '1498': 13, '1499': 34,
  // Örebro län
  '1814': 8.5, '1860': 5.6, '1861': 16, '1862': 9.5, '1863': 6.8, '1864': 4.8, '1880': 159, '1881': 22,
  '1882': 11, '1883': 30, '1884': 10.5, '1885': 23,
  // Jämtlands län
  '2303': 5.3, '2305': 6.5, '2309': 15, '2313': 11.5, '2321': 12, '2326': 7, '2361': 10, '2380': 65,
  // The largest kommuner elsewhere (their patients appear as visitors).
  '0114': 48, '0117': 48, '0120': 47, '0123': 86, '0126': 115, '0127': 95, '0136': 96, '0138': 49, '0160': 75,
  '0163': 76, '0180': 984, '0181': 102, '0182': 108, '0183': 54, '0184': 85, '0186': 47, '0188': 65, '0191': 51,
  '0380': 245, '0381': 47, '0480': 58, '0484': 107, '0580': 167, '0581': 145, '0583': 44, '0780': 97,
  '0880': 72, '0980': 61, '1280': 362, '1281': 129, '1282': 47, '1283': 151, '1287': 47, '1290': 87,
  '1292': 43, '1293': 53, '1380': 105, '1382': 47, '1383': 67, '1384': 86, '1780': 96, '1980': 157,
  '2080': 60, '2081': 53, '2180': 103, '2181': 40, '2280': 25, '2281': 99, '2284': 56, '2480': 131,
  '2482': 75, '2580': 79, '2581': 43, '2584': 22,
};

/** The proxy weight (thousands of inhabitants) of a kommun. */
export function kommunWeight(kod: string): number {
  const known = POPULATION[kod];
  if (known !== undefined) return known;
  const tail = Number(kod.slice(2));
  return tail === 80 ? 60 : tail >= 81 && tail <= 84 ? 25 : 12;
}

/** The codes the explicit table names (a test checks each is a real kommun). */
export const WEIGHTED_KOMMUNKODER: readonly string[] = Object.keys(POPULATION);

export type WeightedKommuner = { kommuner: readonly KommunRecord[]; weights: readonly number[]; total: number };

function weigh(kommuner: readonly KommunRecord[]): WeightedKommuner {
  const weights = kommuner.map((k) => kommunWeight(k.kod));
  return { kommuner, weights, total: weights.reduce((a, b) => a + b, 0) };
}

/** All 290 kommuner with their weights. */
export const NATIONAL: WeightedKommuner = weigh(KOMMUNER);

const byLan = new Map<string, WeightedKommuner>();
/** The kommuner of one län with their weights. */
export function kommunerInLan(lanskod: string): WeightedKommuner {
  let w = byLan.get(lanskod);
  if (!w) byLan.set(lanskod, (w = weigh(KOMMUNER.filter((k) => k.lanskod === lanskod))));
  return w;
}
