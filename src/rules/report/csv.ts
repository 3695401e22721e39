// The invoice basis: one row per kommun, period and care type, in exactly the columns finance expects.
// Days print exactly (whole, or with the decimals a fractional threshold leaves); SEK with two decimals;
// an empty amount means no daily amount is known for the year (see the warnings).
import { formatHundredths, formatSek } from '../quantity.ts';
import type { SettlementResult } from '../settle.ts';

export const CSV_COLUMNS = [
  'kommunkod',
  'kommun',
  'period',
  'care_type',
  'episodes',
  'mean_days',
  'liable',
  'billable_days_average_part',
  'billable_days_individual_part',
  'billable_days',
  'daily_amount_sek',
  'amount_sek',
] as const;

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function settlementCsvRows(result: SettlementResult): string[][] {
  const rows: string[][] = [];
  for (const k of result.kommuner) {
    for (const g of k.groups) {
      rows.push([
        k.kommunkod,
        k.kommun,
        k.period,
        g.careType,
        String(g.eligible),
        g.meanDays,
        String(g.liable),
        formatHundredths(g.billableAverage),
        formatHundredths(g.billableIndividual),
        formatHundredths(g.billableTotal),
        g.dailyAmount ? formatSek(g.dailyAmount.ore) : '',
        g.amount === null ? '' : formatSek(g.amount),
      ]);
    }
  }
  return rows;
}

export function settlementCsv(result: SettlementResult): string {
  return [CSV_COLUMNS.join(','), ...settlementCsvRows(result).map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}
