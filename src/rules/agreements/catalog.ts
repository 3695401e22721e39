// Which agreements exist, whom they bind, and from when their settlement model applies.
// Kept apart from the rule packs so that deciding which agreement governs needs no rule code.

export const AGREEMENT_IDS = [
  'law',
  'orebro',
  'jamtland-harjedalen',
  'blekinge',
  'vastra-gotaland',
  'jonkoping',
] as const;
export type AgreementId = (typeof AGREEMENT_IDS)[number];

export function isAgreementId(s: string): s is AgreementId {
  return (AGREEMENT_IDS as readonly string[]).includes(s);
}

export type AgreementMeta = {
  id: AgreementId;
  title: string;
  /** The region party, or null for the law's default. */
  region: string | null;
  /** Länskod of the region and its kommuner (kommuner.csv), or null for the law. */
  lanskod: string | null;
  /** First settlement month ('YYYY-MM') the agreement's economic model applies; before it the law governs. */
  settlesFrom: string;
  /** Last month the source text confirms validity for, when it names one; later months carry a warning. */
  confirmedThrough: string | null;
  section: string;
  source: string;
};

export const AGREEMENTS: Readonly<Record<AgreementId, AgreementMeta>> = {
  law: {
    id: 'law',
    title: 'Lag (2017:612), the default without an agreement',
    region: null,
    lanskod: null,
    settlesFrom: '2018-01',
    confirmedThrough: null,
    section: 'agreements.md §5.0',
    source: 'Lag (2017:612) 5 kap.',
  },
  orebro: {
    id: 'orebro',
    title: 'Överenskommelse, Region Örebro län och 12 kommuner',
    region: 'Region Örebro län',
    lanskod: '18',
    settlesFrom: '2018-01',
    confirmedThrough: null,
    section: 'agreements.md §5.1',
    source: 'seeds/orebro-lan.txt §8 Ekonomisk reglering (gäller från 2018-01-01 tills vidare)',
  },
  'jamtland-harjedalen': {
    id: 'jamtland-harjedalen',
    title: 'Avtal, Region Jämtland Härjedalen och 8 kommuner',
    region: 'Region Jämtland Härjedalen',
    lanskod: '23',
    settlesFrom: '2019-01',
    confirmedThrough: '2024-12',
    section: 'agreements.md §5.2',
    source: 'seeds/jamtland-harjedalen.txt (retroaktivt från 2019-01-01, förlängt, för närvarande till 2024-12-31)',
  },
  blekinge: {
    id: 'blekinge',
    title: 'Överenskommelse, Region Blekinge och 5 kommuner',
    region: 'Region Blekinge',
    lanskod: '10',
    settlesFrom: '2018-02',
    confirmedThrough: null,
    section: 'agreements.md §5.3',
    source: 'seeds/blekinge.txt 7 kap. (gäller från 2018-02-01 tills vidare; till 2018-01-31 lag 1990:1404)',
  },
  'vastra-gotaland': {
    id: 'vastra-gotaland',
    title: 'Överenskommelse, Västra Götalandsregionen och 49 kommuner',
    region: 'Västra Götalandsregionen',
    lanskod: '14',
    settlesFrom: '2018-01',
    confirmedThrough: null,
    section: 'agreements.md §5.4',
    source:
      'seeds/vastra-gotaland.txt §4, §7–8 (förlängd t.o.m. 2024-12-31, därefter två år i taget om ingen part säger upp)',
  },
  jonkoping: {
    id: 'jonkoping',
    title: 'Överenskommelse, Region Jönköpings län och 13 kommuner',
    region: 'Region Jönköpings län',
    lanskod: '06',
    settlesFrom: '2018-03',
    confirmedThrough: null,
    section: 'agreements.md §5.5',
    source: 'seeds/jonkopings-lan.txt (ersättningsmodellen från 2018-03-01; till 2018-02-28 lag 1990:1404)',
  },
};

const byLan: ReadonlyMap<string, AgreementMeta> = new Map(
  AGREEMENT_IDS.flatMap((id) => {
    const lan = AGREEMENTS[id].lanskod;
    return lan === null ? [] : [[lan, AGREEMENTS[id]] as const];
  }),
);

export function agreementForLan(lanskod: string): AgreementMeta | undefined {
  return byLan.get(lanskod);
}
