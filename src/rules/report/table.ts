// The human table: what finance staff read first. Every figure here is also in the CSV and JSON.
import { formatHundredths, formatSek, formatThreshold } from '../quantity.ts';
import type { GroupSettlement, SettlementResult } from '../settle.ts';

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** 1234567.5 öre-free text with thin grouping for reading: '12 345.00'. */
export function readableSek(ore: number): string {
  const [whole, frac] = formatSek(ore).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')}.${frac!}`;
}

function thresholdText(g: GroupSettlement): string {
  if (g.threshold.kind === 'mean-days') return formatThreshold(g.threshold.days);
  if (g.threshold.kind === 'share-day-0-1') return `≥${g.threshold.percent}%`;
  return '–';
}

export function settlementTable(result: SettlementResult): string {
  const lines: string[] = [];
  lines.push(`Settlement ${result.month} (${result.period.start} – ${result.period.end}): ${result.title} [${result.agreement}, ${result.section}]`);
  lines.push(
    result.dailyAmount
      ? `Daily amount: ${readableSek(result.dailyAmount.ore)} SEK (${result.dailyAmount.source}: ${result.dailyAmount.note})`
      : 'Daily amount: none for this year: days without money (see warnings)',
  );
  lines.push('');
  const head = ['kommun', 'care', 'stays', 'excl', 'indiv', 'mean', 'thresh', 'liable', 'avg d', 'ind d', 'days', 'amount SEK'];
  const widths = [26, 11, 6, 5, 6, 6, 7, 7, 7, 7, 7, 15];
  const right = [false, false, true, true, true, true, true, false, true, true, true, true];
  const row = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, right[i])).join(' ').trimEnd();
  lines.push(row(head));
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 1, 0)));
  let totalDays = 0;
  let totalOre = 0;
  let anyMoney = false;
  for (const k of result.kommuner) {
    for (const g of k.groups) {
      totalDays += g.billableTotal;
      if (g.amount !== null) {
        totalOre += g.amount;
        anyMoney = true;
      }
      const share = g.share && g.share.of > 0 ? ` ${Math.round((g.share.count * 1000) / g.share.of) / 10}%` : '';
      lines.push(
        row([
          `${k.kommunkod} ${k.kommun}`.slice(0, 26),
          g.careType,
          String(g.eligible),
          String(g.excludedPrecondition),
          String(g.excludedIndividual),
          g.meanDays || '–',
          thresholdText(g),
          (g.liable ? 'yes' : 'no') + share,
          formatHundredths(g.billableAverage),
          formatHundredths(g.billableIndividual),
          formatHundredths(g.billableTotal),
          g.amount === null ? '–' : readableSek(g.amount),
        ]),
      );
    }
  }
  if (result.kommuner.length === 0) lines.push('(no stays governed by this agreement were discharged this month)');
  lines.push('-'.repeat(widths.reduce((a, b) => a + b + 1, 0)));
  lines.push(
    row(['Total', '', '', '', '', '', '', '', '', '', formatHundredths(totalDays), anyMoney ? readableSek(totalOre) : '–']),
  );
  lines.push('');
  lines.push('stays = eligible stays; excl = failed a precondition or excluded; indiv = settled on their own, outside the mean.');
  const changed = result.parameters.filter((p) => !p.isDefault);
  if (changed.length > 0) lines.push(`Parameters changed from their defaults: ${changed.map((p) => `${p.name} = ${p.value}`).join('; ')}`);
  const readings = result.parameters.filter((p) => p.origin === 'reading');
  if (readings.length > 0) lines.push(`Readings applied: ${readings.map((p) => `${p.name} = ${p.value}`).join('; ')}`);
  if (result.warnings.length > 0) {
    lines.push('', 'WARNINGS:');
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n') + '\n';
}
