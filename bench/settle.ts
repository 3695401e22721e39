// Settlement benchmark: a synthetic national year (300 000 stays over the 290 kommuner), settled for
// every month under every agreement, timed and with peak RSS.
//
//   node bench/settle.ts [--stays 300000] [--year 2022] [--seed 1] [--reports] [--json FILE]
//
// The stays are generated deterministically (a seeded PRNG), as the CLI's input would give them: ISO
// text, half with an offset and half in Stockholm local time. Timed: building the index (parsing every
// time, readiness, counting days, deciding the governing agreement), then 6 agreements × 12 months of
// settle(). --reports also builds the MeasureReports (subject-list) for every result.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SettlementBench } from './lib/report.ts';
import { KOMMUNER } from '../src/profiles/data/kommuner.ts';
import { AGREEMENT_IDS } from '../src/rules/agreements/index.ts';
import type { Episode } from '../src/rules/episode.ts';
import { buildMeasureReports } from '../src/rules/fhir/measure-report.ts';
import { indexEpisodes, settle } from '../src/rules/settle.ts';

const { values } = parseArgs({
  options: {
    stays: { type: 'string', default: '300000' },
    year: { type: 'string', default: '2022' },
    seed: { type: 'string', default: '1' },
    reports: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const N = Number(values.stays);
const YEAR = Number(values.year);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number, year: number, seed: number): Episode[] {
  const rnd = prng(seed);
  const kommuner = KOMMUNER.map((k) => k.kod);
  const start = Date.UTC(year, 0, 1) - 2 * 86_400_000;
  const span = 365 * 86_400_000;
  const local = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(0, 16); // wall time, no offset
  const utc = (ms: number) => new Date(ms).toISOString();
  const out: Episode[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ready = start + Math.floor(rnd() * span);
    // Mostly short stays after readiness, a tail of long ones (mean about 2.5 days).
    const r = rnd();
    const hours = r < 0.55 ? rnd() * 30 : r < 0.9 ? 24 + rnd() * 96 : 96 + rnd() * 600;
    const discharged = ready + Math.floor(hours * 3_600_000);
    const ts = i % 2 === 0 ? utc : local;
    const admitted = ready - Math.floor((1 + rnd() * 10) * 86_400_000);
    const sip = rnd() < 0.2;
    out[i] = {
      episode_id: `E${String(i).padStart(7, '0')}`,
      kommunkod: kommuner[Math.floor(rnd() * kommuner.length)]!,
      care_type: rnd() < 0.85 ? 'somatic' : 'psychiatric',
      admitted_at: ts(admitted),
      admission_notice_at: rnd() < 0.98 ? ts(admitted + 3_600_000) : null,
      estimated_discharge_notice_at: rnd() < 0.97 ? ts(admitted + 7_200_000) : null,
      ready_at: rnd() < 0.99 ? ts(ready) : null,
      discharged_at: ts(discharged),
      sip_required: sip,
      sip_invitation_at: sip && rnd() < 0.9 ? ts(ready + 86_400_000) : null,
      care_contact_at: rnd() < 0.95 ? ts(admitted + 86_400_000) : null,
      home_ready: rnd() < 0.95,
      social_services_only: rnd() < 0.3,
      outpatient_unavailable: rnd() < 0.01,
      placing_kommunkod: rnd() < 0.02 ? kommuner[Math.floor(rnd() * kommuner.length)]! : null,
    };
  }
  return out;
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

const g0 = performance.now();
const episodes = generate(N, YEAR, Number(values.seed));
const genMs = performance.now() - g0;
const heapInput = heap();

const c0 = process.cpuUsage();
const t0 = performance.now();
const index = indexEpisodes(episodes);
const indexMs = performance.now() - t0;
const cpuIndex = process.cpuUsage(c0);
const heapIndex = heap();

let settled = 0;
let kommunRows = 0;
let billableHundredths = 0;
let amountOre = 0;
let reports = 0;
const t1 = performance.now();
for (const agreement of AGREEMENT_IDS) {
  for (let m = 1; m <= 12; m++) {
    const month = `${YEAR}-${String(m).padStart(2, '0')}`;
    const result = settle({ agreement, month, episodes: index, dailyAmount: '9300' });
    for (const k of result.kommuner) {
      kommunRows++;
      for (const g of k.groups) {
        settled += g.initialPopulation;
        billableHundredths += g.billableTotal;
        amountOre += g.amount ?? 0;
      }
    }
    if (values.reports) reports += buildMeasureReports(result, { reportType: 'subject-list' }).length;
  }
}
const settleMs = performance.now() - t1;
const cpu = process.cpuUsage(c0);
const maxRss = process.resourceUsage().maxRSS * 1024;

const lines = [
  `settlement bench: ${N} stays, ${KOMMUNER.length} kommuner, year ${YEAR}, seed ${values.seed}; Node ${process.version}`,
  `  generate input          ${genMs.toFixed(0)} ms (not part of the settlement)`,
  `  index (parse, count)    ${indexMs.toFixed(0)} ms`,
  `  settle 6 × 12 months    ${settleMs.toFixed(0)} ms${values.reports ? ` (with ${reports} MeasureReports)` : ''}`,
  `  settlement wall time    ${(indexMs + settleMs).toFixed(0)} ms  (goal < 2000 ms)`,
  `  settlement CPU time     ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (index ${((cpuIndex.user + cpuIndex.system) / 1000).toFixed(0)}; all threads, GC included)`,
  `  peak RSS                ${mb(maxRss)}  (goal < 500 MB; includes the generated input)`,
  ...(gc ? [`  live heap               input ${mb(heapInput)}, with the index ${mb(heapIndex)}`] : []),
  `  settled ${settled} stays in ${kommunRows} kommun-months; ${billableHundredths / 100} billable days; ${(amountOre / 100).toFixed(2)} SEK at 9 300/day`,
];
process.stdout.write(lines.join('\n') + '\n');
if (values.json) {
  // For bench/run.ts, which puts the figures in the report (and `npm run bench`).
  const result: SettlementBench = {
    stays: N,
    kommuner: KOMMUNER.length,
    year: YEAR,
    indexMs,
    settleMs,
    wallMs: indexMs + settleMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssBytes: maxRss,
    kommunMonths: kommunRows,
    settled,
    billableDays: billableHundredths / 100,
    amountSek: amountOre / 100,
  };
  writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
}
