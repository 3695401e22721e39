// The settlement engine: one agreement, one month, every kommun it governs (or one), each stay traced.
// Pure: the episodes, amounts and parameters come in; a result comes out. Grouping is one pass into
// maps (agreement → kommun → month), so a national year settles month by month without rescanning.
import { AGREEMENTS, AGREEMENT_IDS, RULE_PACKS, isAgreementId } from './agreements/index.ts';
import type { AgreementId } from './agreements/index.ts';
import { SettlementConfigError, appliedParameters, resolveParameters } from './agreements/parameters.ts';
import type { AppliedParameter } from './agreements/parameters.ts';
import { canonical } from '../profiles/canonical.ts';
import type { Episode } from './episode.ts';
import type { GroupDraft } from './evaluation.ts';
import { governingAgreement, governingAgreementId } from './governance.ts';
import { kommunInfo } from './kommuner.ts';
import { isMonth, monthBounds } from './month.ts';
import { EpisodeInputError, prepareEpisode } from './prepare.ts';
import type { PreparedEpisode } from './prepare.ts';
import { amountFor, formatMean, parseSek } from './quantity.ts';
import type { Hundredths, Ore } from './quantity.ts';
import { missingAmountWarning, resolveDailyAmount } from './daily-amount.ts';
import type { DailyAmount } from './daily-amount.ts';

export { SettlementConfigError, EpisodeInputError };

export type SettlementIndex = {
  readonly kind: 'settlement-index';
  /** agreement → liable kommun → discharge month → stays, each list sorted by episode_id. */
  readonly byAgreement: ReadonlyMap<AgreementId, ReadonlyMap<string, ReadonlyMap<string, readonly PreparedEpisode[]>>>;
  /** Earliest discharge month per agreement. */
  readonly earliestMonth: ReadonlyMap<AgreementId, string>;
  /** Discharge month → agreement → number of stays. */
  readonly monthCounts: ReadonlyMap<string, ReadonlyMap<AgreementId, number>>;
  /** Stays without a discharge (not yet settleable). */
  readonly stillAdmitted: readonly PreparedEpisode[];
};

/** Parses and groups the stays once; pass the index to settle() for many months or agreements. */
export function indexEpisodes(episodes: readonly Episode[]): SettlementIndex {
  const byAgreement = new Map<AgreementId, Map<string, Map<string, PreparedEpisode[]>>>();
  const earliestMonth = new Map<AgreementId, string>();
  const monthCounts = new Map<string, Map<AgreementId, number>>();
  const ids = new Set<string>();
  const stillAdmitted: PreparedEpisode[] = [];
  for (const e of episodes) {
    // A stay counted twice would be billed twice.
    if (ids.has(e.episode_id)) throw new EpisodeInputError(e.episode_id, 'episode_id', 'appears more than once');
    ids.add(e.episode_id);
    const p = prepareEpisode(e);
    if (p.month === null) {
      stillAdmitted.push(p);
      continue;
    }
    const agreement = governingAgreementId(p.liableKommunkod, e.hospital_lanskod, p.month);
    let kommuner = byAgreement.get(agreement);
    if (!kommuner) byAgreement.set(agreement, (kommuner = new Map()));
    let months = kommuner.get(p.liableKommunkod);
    if (!months) kommuner.set(p.liableKommunkod, (months = new Map()));
    const list = months.get(p.month);
    if (list) list.push(p);
    else months.set(p.month, [p]);
  }
  // Counts and earliest months from the groups, not per stay.
  for (const [agreement, kommuner] of byAgreement) {
    for (const months of kommuner.values()) {
      for (const [month, list] of months) {
        sortById(list);
        const earliest = earliestMonth.get(agreement);
        if (earliest === undefined || month < earliest) earliestMonth.set(agreement, month);
        let counts = monthCounts.get(month);
        if (!counts) monthCounts.set(month, (counts = new Map()));
        counts.set(agreement, (counts.get(agreement) ?? 0) + list.length);
      }
    }
  }
  return { kind: 'settlement-index', byAgreement, earliestMonth, monthCounts, stillAdmitted };
}

/** By episode_id, so that results do not depend on input order; exports usually arrive sorted already. */
function sortById(list: PreparedEpisode[]): void {
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1]!.episode.episode_id <= list[i]!.episode.episode_id;
  if (!sorted) {
    list.sort((a, b) => (a.episode.episode_id < b.episode.episode_id ? -1 : a.episode.episode_id > b.episode.episode_id ? 1 : 0));
  }
}

/** A stay in the index and the agreement governing it (null while still admitted); a scan, for --explain. */
export function findStay(index: SettlementIndex, episodeId: string): { prepared: PreparedEpisode; agreement: AgreementId | null } | undefined {
  for (const [agreement, kommuner] of index.byAgreement) {
    for (const months of kommuner.values()) {
      for (const list of months.values()) {
        const prepared = list.find((p) => p.episode.episode_id === episodeId);
        if (prepared) return { prepared, agreement };
      }
    }
  }
  const prepared = index.stillAdmitted.find((p) => p.episode.episode_id === episodeId);
  return prepared ? { prepared, agreement: null } : undefined;
}

export type SettleOptions = {
  agreement: AgreementId;
  /** 'YYYY-MM': the stays discharged this month (Europe/Stockholm) are settled. */
  month: string;
  /** The stays (earlier months give Blekinge its history), or an index built by indexEpisodes(). */
  episodes: readonly Episode[] | SettlementIndex;
  /** Only this kommun (kommunkod). */
  kommun?: string | null;
  /** One daily amount in SEK for this run (the CLI's --daily-amount); overrides everything else. */
  dailyAmount?: number | string | null;
  /** Configured daily amounts in SEK per year; override the agreement's and the confirmed table. */
  amounts?: Readonly<Record<string | number, number | string>>;
  /** Rule-pack parameters by name (see the pack's `parameters`). */
  parameters?: Readonly<Record<string, unknown>>;
};

export type GroupSettlement = GroupDraft & {
  /** Mean days of the stays in the mean, two decimals, '' when none. */
  meanDays: string;
  billableTotal: Hundredths;
  dailyAmount: DailyAmount | null;
  /** Billable days × daily amount in öre, null without an amount. */
  amount: Ore | null;
};

export type KommunSettlement = {
  kommunkod: string;
  kommun: string;
  lanskod: string;
  period: string;
  groups: GroupSettlement[];
};

export type SettlementResult = {
  agreement: AgreementId;
  title: string;
  section: string;
  measureUrl: string;
  month: string;
  period: { start: string; end: string };
  parameters: AppliedParameter[];
  dailyAmount: DailyAmount | null;
  kommuner: KommunSettlement[];
  warnings: string[];
  /** Stays discharged this month that another agreement governs, by agreement. */
  governedElsewhere: Partial<Record<AgreementId, number>>;
};

function parseAmounts(amounts: SettleOptions['amounts']): Record<number, Ore> {
  const out: Record<number, Ore> = {};
  for (const [y, v] of Object.entries(amounts ?? {})) {
    const ore = parseSek(v);
    if (!/^\d{4}$/.test(y) || ore === null) throw new SettlementConfigError(`amounts: '${y}': ${String(v)} is not a year with an amount in SEK`);
    out[Number(y)] = ore;
  }
  return out;
}

const EMPTY: readonly PreparedEpisode[] = [];

export function settle(options: SettleOptions): SettlementResult {
  const { agreement, month } = options;
  if (!isAgreementId(agreement)) throw new SettlementConfigError(`unknown agreement '${String(agreement)}'`);
  if (!isMonth(month)) throw new SettlementConfigError(`month '${month}' is not YYYY-MM`);
  if (options.kommun != null && !/^\d{4}$/.test(options.kommun)) {
    throw new SettlementConfigError(`kommun '${options.kommun}' is not a 4-digit kommunkod`);
  }
  const pack = RULE_PACKS[agreement];
  const params = resolveParameters(pack.parameters, options.parameters);
  let override: Ore | null = null;
  if (options.dailyAmount != null && options.dailyAmount !== '') {
    override = parseSek(options.dailyAmount);
    if (override === null) throw new SettlementConfigError(`daily amount '${String(options.dailyAmount)}' is not an amount in SEK`);
  }
  const year = Number(month.slice(0, 4));
  const dailyAmount = resolveDailyAmount(year, {
    override,
    configured: parseAmounts(options.amounts),
    agreement: params.dailyAmounts as Readonly<Record<number, Ore>>,
  });

  const index = 'kind' in options.episodes ? options.episodes : indexEpisodes(options.episodes);
  const kommuner = index.byAgreement.get(agreement) ?? new Map<string, ReadonlyMap<string, readonly PreparedEpisode[]>>();
  const warnings: string[] = [];
  const meta = AGREEMENTS[agreement];

  let codes: string[];
  if (options.kommun != null) {
    const gov = governingAgreement(options.kommun, null, month);
    codes = kommuner.has(options.kommun) || gov.agreement === agreement ? [options.kommun] : [];
    if (gov.agreement !== agreement) warnings.push(`kommun ${options.kommun}: ${gov.reason}`);
  } else {
    codes = [...kommuner.keys()].filter((k) => kommuner.get(k)?.has(month)).sort();
  }

  const results: KommunSettlement[] = [];
  for (const code of codes) {
    const months = kommuner.get(code);
    const drafts = pack.settleKommun({
      month,
      kommunkod: code,
      episodes: months?.get(month) ?? EMPTY,
      history: (m) => months?.get(m) ?? EMPTY,
      historyStart: index.earliestMonth.get(agreement) ?? null,
      params,
    });
    const used = drafts.filter((g) => g.initialPopulation > 0);
    const info = kommunInfo(code);
    results.push({
      kommunkod: code,
      kommun: info?.name ?? '',
      lanskod: info?.lanskod ?? '',
      period: month,
      groups: (used.length > 0 ? used : drafts).map((g) => {
        const billableTotal = g.billableAverage + g.billableIndividual;
        return {
          ...g,
          meanDays: formatMean(g.totalDaysInMean, g.inMean),
          billableTotal,
          dailyAmount,
          amount: dailyAmount ? amountFor(billableTotal, dailyAmount.ore) : null,
        };
      }),
    });
  }

  if (!dailyAmount) warnings.push(missingAmountWarning(year));
  if (month < meta.settlesFrom) {
    warnings.push(`${meta.id}'s economic model applies from ${meta.settlesFrom}: in ${month} its kommuner are settled under the law's default (--agreement law)`);
  }
  // In the catalog's order, not the input's: the result must not depend on the order of the stays.
  const governedElsewhere: Partial<Record<AgreementId, number>> = {};
  const counts = index.monthCounts.get(month);
  for (const other of AGREEMENT_IDS) {
    const n = counts?.get(other);
    if (other !== agreement && n) governedElsewhere[other] = n;
  }
  const elsewhere = Object.entries(governedElsewhere);
  if (elsewhere.length > 0 && options.kommun == null) {
    warnings.push(
      `${elsewhere.reduce((s, [, n]) => s + (n ?? 0), 0)} stays discharged in ${month} are governed by other agreements and not settled here (${elsewhere.map(([a, n]) => `${a}: ${n}`).join(', ')})`,
    );
  }
  for (const k of results) for (const g of k.groups) for (const w of g.warnings) warnings.push(`${k.kommunkod} ${g.careType}: ${w}`);

  return {
    agreement,
    title: meta.title,
    section: meta.section,
    measureUrl: canonical.measure(agreement),
    month,
    period: monthBounds(month),
    parameters: appliedParameters(pack.parameters, params),
    dailyAmount,
    kommuner: results,
    warnings: [...new Set(warnings)],
    governedElsewhere,
  };
}

/** The evaluation of one stay in a result, with its kommun and group. */
export function findEvaluation(result: SettlementResult, episodeId: string) {
  for (const k of result.kommuner) {
    for (const g of k.groups) {
      const ev = g.episodes.find((e) => e.episodeId === episodeId);
      if (ev) return { kommun: k, group: g, evaluation: ev };
    }
  }
  return undefined;
}
