// `--explain EPISODE_ID`: one stay's rule trace, in the order the engine decided it.
import type { EpisodeEvaluation } from '../evaluation.ts';
import { traceOf } from '../evaluation.ts';
import { formatHundredths, formatSek } from '../quantity.ts';
import type { GroupSettlement, KommunSettlement, SettlementResult } from '../settle.ts';

const STATUS: Record<EpisodeEvaluation['status'], string> = {
  excluded: 'excluded from every count',
  'in-mean': 'counted in the monthly measure',
  individual: 'settled on its own, outside the monthly measure',
};

export function explainEvaluation(
  result: SettlementResult,
  k: KommunSettlement,
  g: GroupSettlement,
  ev: EpisodeEvaluation,
  governance: string,
): string {
  const t = traceOf(ev);
  const lines = [
    `Stay ${ev.episodeId}: ${result.agreement} (${result.section}), settlement month ${result.month}`,
    `  governed by ${result.agreement}: ${governance}`,
    `  liable kommun: ${k.kommunkod} ${k.kommun}${t.placingKommunkod ? ` (placing kommun; registered in ${t.kommunkod})` : ''}`,
    `  care type: ${ev.careType}; settlement group: ${g.careType}`,
    `  notice 8 (T): ${t.readyAt ?? 'none'}; discharge (D): ${t.dischargedAt ?? 'none'}`,
    `  days k: ${ev.days ?? '–'} (${ev.counting})`,
    `  status: ${STATUS[ev.status]}`,
    `  rule: ${t.rule}`,
    '  why:',
    ...t.steps.map((s, i) => `    ${i + 1}. ${s}`),
    `  billable days for this stay: ${ev.billableDays} (${ev.part === 'none' ? 'none' : `${ev.part} part`})`,
    `  the group (${g.careType}): ${g.model}`,
    ...g.explanation.map((s) => `    ${s}`),
    `    billable days: average part ${formatHundredths(g.billableAverage)}, individual part ${formatHundredths(g.billableIndividual)}, total ${formatHundredths(g.billableTotal)}` +
      (g.amount === null ? '; no daily amount for the year' : `; × ${formatSek(g.dailyAmount!.ore)} SEK = ${formatSek(g.amount)} SEK`),
  ];
  const readings = result.parameters.filter((p) => p.origin !== 'agreement' || !p.isDefault);
  if (readings.length > 0) {
    lines.push('  readings and choices applied:');
    for (const p of readings) lines.push(`    ${p.name} = ${p.value}${p.isDefault ? '' : ' (changed)'}: ${p.summary}`);
  }
  return lines.join('\n') + '\n';
}
