// The daily amount (law 5:6): Socialstyrelsen's amount for the year unless the agreement or the
// configuration says otherwise. Only amounts confirmed in a source are built in; a year without an
// amount yields days and a warning, never a guessed figure.
import type { Ore } from './quantity.ts';

/** Confirmed amounts, SEK per day, in öre: 2019 HSLF-FS 2018:67; 2022 (agreements.md §5). */
export const CONFIRMED_DAILY_AMOUNTS: Readonly<Record<number, Ore>> = {
  2019: 780_000,
  2022: 930_000,
};

export type DailyAmountSource = 'command line' | 'configuration' | 'agreement' | 'confirmed table';

export type DailyAmount = { ore: Ore; source: DailyAmountSource; note: string };

export type DailyAmountSources = {
  /** One amount for this run (the CLI's --daily-amount), in öre. */
  override?: Ore | null;
  /** Configured amounts per year, in öre. */
  configured?: Readonly<Record<number, Ore>>;
  /** The agreement's own amounts per year, in öre. */
  agreement?: Readonly<Record<number, Ore>>;
};

/** The first of: run override, configuration, agreement, confirmed table; null when none has the year. */
export function resolveDailyAmount(year: number, s: DailyAmountSources): DailyAmount | null {
  if (s.override != null) return { ore: s.override, source: 'command line', note: 'given for this run' };
  const c = s.configured?.[year];
  if (c != null) return { ore: c, source: 'configuration', note: `configured amount for ${year}` };
  const a = s.agreement?.[year];
  if (a != null) return { ore: a, source: 'agreement', note: `the agreement's own amount for ${year}` };
  const t = CONFIRMED_DAILY_AMOUNTS[year];
  if (t != null) {
    const ref = year === 2019 ? 'HSLF-FS 2018:67' : 'confirmed in agreements.md §5';
    return { ore: t, source: 'confirmed table', note: `Socialstyrelsen's amount for ${year} (${ref})` };
  }
  return null;
}

export function missingAmountWarning(year: number): string {
  return (
    `No confirmed daily amount for ${year}: billable days are given without money. ` +
    `Set the amount for ${year} in configuration or with --daily-amount (only 2019 and 2022 are built in).`
  );
}
