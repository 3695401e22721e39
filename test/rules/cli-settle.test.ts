// `samverkan settle` through settleCommand, with files in memory: CSV and NDJSON in, table, csv, json
// and --explain out; bad rows name their line and field and exit 2; the CLI and the API agree.
import { describe, expect, it } from 'vitest';
import type { Bundle, MeasureReport } from '@medplum/fhirtypes';
import { settleCommand } from '../../src/gateway/cli/settle.ts';
import { REQUIRED_FIELDS } from '../../src/gateway/cli/settle-input.ts';
import type { Episode } from '../../src/rules/episode.ts';
import { settle } from '../../src/rules/settle.ts';
import { settlementCsvRows } from '../../src/rules/report/csv.ts';
import { stayDays } from './helpers.ts';

const HEADER = REQUIRED_FIELDS.join(',');

function csvOf(eps: Episode[]): string {
  return [HEADER, ...eps.map((e) => REQUIRED_FIELDS.map((f) => (e[f] === null ? '' : String(e[f]))).join(','))].join('\n') + '\n';
}
const ndjsonOf = (eps: Episode[]) => eps.map((e) => JSON.stringify(e)).join('\n') + '\n';

async function cli(args: string[], files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await settleCommand(args, {
    readFile: async (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p]!;
    },
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join(''), err: err.join('\n') };
}

// VGR 2022-03: Göteborg k = 2, 5 (mean 3.5 → 1 day) and 10 (→ 7); Borås k = 4 (mean 4 → 1); an Örebro and a Stockholm stay.
const EPS: Episode[] = [
  stayDays('g1', '1480', '2022-03-01', 2),
  stayDays('g2', '1480', '2022-03-01', 5),
  stayDays('g3', '1480', '2022-03-01', 10),
  stayDays('b1', '1490', '2022-03-01', 4, { care_type: 'psychiatric' }),
  stayDays('o1', '1880', '2022-03-01', 4),
  stayDays('s1', '0180', '2022-03-01', 6),
];

const EXPECTED_CSV = [
  'kommunkod,kommun,period,care_type,episodes,mean_days,liable,billable_days_average_part,billable_days_individual_part,billable_days,daily_amount_sek,amount_sek',
  '1480,Göteborg,2022-03,all,3,3.50,true,1,7,8,9300.00,74400.00',
  '1490,Borås,2022-03,all,1,4.00,true,1,0,1,9300.00,9300.00',
  '',
].join('\n');

describe('samverkan settle', () => {
  it('csv from a CSV input: exactly the invoice columns', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--format', 'csv'], { 'in.csv': csvOf(EPS) });
    expect(r.code).toBe(0);
    expect(r.out).toBe(EXPECTED_CSV);
    expect(r.err).toMatch(/governed by other agreements .*orebro: 1/);
  });

  it('the same from NDJSON', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.ndjson', '--format', 'csv'], { 'in.ndjson': ndjsonOf(EPS) });
    expect(r.code).toBe(0);
    expect(r.out).toBe(EXPECTED_CSV);
  });

  it('CSV with semicolons, quotes and CRLF line ends', async () => {
    const text = csvOf(EPS.slice(0, 1)).replace(/,/g, ';').replace('g1;', '"g;1";').replace(/\n/g, '\r\n');
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'x.csv', '--format', 'csv'], { 'x.csv': text });
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]).toBe('1480,Göteborg,2022-03,all,1,2.00,false,0,0,0,9300.00,0.00');
  });

  it('table (default): every kommun row, the total and the warnings', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv'], { 'in.csv': csvOf(EPS) });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1480 Göteborg\s+all\s+3\s+0\s+1\s+3\.50\s+3\.0 yes\s+1\s+7\s+8\s+74 400\.00/);
    expect(r.out).toMatch(/Total\s+9\s+83 700\.00/);
    expect(r.out).toMatch(/WARNINGS:[\s\S]*orebro: 1/);
  });

  it('json: a Bundle (collection) of subject-list MeasureReports, one per kommun', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--format', 'json'], { 'in.csv': csvOf(EPS) });
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Bundle<MeasureReport>;
    expect(b.resourceType).toBe('Bundle');
    expect(b.type).toBe('collection');
    expect(b.entry?.map((e) => e.resource?.subject?.identifier?.value)).toEqual(['1480', '1490']);
    expect(b.entry?.[0]?.resource?.type).toBe('subject-list');
  });

  it('--kommun and --daily-amount', async () => {
    const r = await cli(
      ['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--format', 'csv', '--kommun', '1490', '--daily-amount', '10000'],
      { 'in.csv': csvOf(EPS) },
    );
    expect(r.out).toBe(`${EXPECTED_CSV.split('\n')[0]}\n1490,Borås,2022-03,all,1,4.00,true,1,0,1,10000.00,10000.00\n`);
  });

  it('--explain prints the stay’s rule trace', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--explain', 'g3'], { 'in.csv': csvOf(EPS) });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Stay g3: vastra-gotaland/);
    expect(r.out).toMatch(/days k: 10 \(calendar\)/);
    expect(r.out).toMatch(/rule: §5.4 Västra Götaland: k = 10 > 7: out of the mean, billed k − 3/);
    expect(r.out).toMatch(/billable days for this stay: 7 \(individual part\)/);
  });

  it('--explain of a stay another agreement governs says so and shows it there', async () => {
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--explain', 'o1'], { 'in.csv': csvOf(EPS) });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/governed by orebro/);
    expect(r.out).toMatch(/Stay o1: orebro/);
    const missing = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'in.csv', '--explain', 'nope'], { 'in.csv': csvOf(EPS) });
    expect(missing.code).toBe(2);
  });

  it('bad rows: exit 2, each error with its line and field, nothing settled', async () => {
    const lines = csvOf(EPS.slice(0, 3)).split('\n');
    lines[1] = lines[1]!.replace('2022-03-01T10:00', '2022-03-32T10:00');
    lines[2] = lines[2]!.replace(',somatic,', ',surgical,').replace(',true,', ',yes,');
    lines[3] = lines[3]!.replace(',1480,', ',148,');
    const r = await cli(['--agreement', 'vastra-gotaland', '--month', '2022-03', '--input', 'bad.csv'], { 'bad.csv': lines.join('\n') });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/line 2, field ready_at: '2022-03-32T10:00' is not a date-time/);
    expect(r.err).toMatch(/line 3, field care_type: expected somatic or psychiatric/);
    expect(r.err).toMatch(/line 3, field home_ready: expected true or false/);
    expect(r.err).toMatch(/line 4, field kommunkod: expected a 4-digit kommunkod/);
  });

  it('bad NDJSON and bad headers: exit 2 with line and field', async () => {
    const { admitted_at: _a, ...noAdmitted } = EPS[0]!;
    const nd = [JSON.stringify(EPS[0]), '{not json', JSON.stringify(noAdmitted), JSON.stringify({ ...EPS[1], extra: 1 }), JSON.stringify(EPS[0])].join('\n');
    const r = await cli(['--agreement', 'law', '--month', '2022-03', '--input', 'x.ndjson'], { 'x.ndjson': nd });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 2: not JSON/);
    expect(r.err).toMatch(/line 3, field admitted_at: missing/);
    expect(r.err).toMatch(/line 4, field extra: unknown field/);
    expect(r.err).toMatch(/line 5, field episode_id: 'g1' already appears on line 1/);
    const h = await cli(['--agreement', 'law', '--month', '2022-03', '--input', 'h.csv'], { 'h.csv': 'episode_id,kommunkod\n1,0180\n' });
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/line 1: missing column\(s\): care_type/);
  });

  it('bad arguments: exit 2 with usage', async () => {
    for (const args of [
      ['--month', '2022-03', '--input', 'in.csv'],
      ['--agreement', 'skane', '--month', '2022-03', '--input', 'in.csv'],
      ['--agreement', 'law', '--month', '2022-13', '--input', 'in.csv'],
      ['--agreement', 'law', '--month', '2022-03', '--input', 'in.csv', '--format', 'xml'],
      ['--agreement', 'law', '--month', '2022-03', '--input', 'in.csv', '--daily-amount', 'lots'],
      ['--agreement', 'law', '--month', '2022-03', '--input', 'missing.csv'],
      ['--agreement', 'law', '--month', '2022-03', '--input', 'in.csv', '--bogus'],
    ]) {
      const r = await cli(args, { 'in.csv': csvOf(EPS) });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.length).toBeGreaterThan(0);
    }
  });

  it('the CLI and the API give identical numbers for the same facts', async () => {
    for (const agreement of ['vastra-gotaland', 'orebro', 'law'] as const) {
      const api = settle({ agreement, month: '2022-03', episodes: EPS });
      const r = await cli(['--agreement', agreement, '--month', '2022-03', '--input', 'in.ndjson', '--format', 'csv'], { 'in.ndjson': ndjsonOf(EPS) });
      const rows = r.out.trim().split('\n').slice(1).map((l) => l.split(','));
      expect(rows).toEqual(settlementCsvRows(api));
      expect(rows.length).toBeGreaterThan(0);
    }
  });
});

describe('CSV reading', () => {
  it('quoted fields may hold separators, quotes and line breaks; line numbers stay right', async () => {
    const { parseEpisodeInput } = await import('../../src/gateway/cli/settle-input.ts');
    const rows = csvOf(EPS.slice(0, 2)).split('\n');
    rows[1] = rows[1]!.replace(/^g1,/, '"g ""1"",\nnext",');
    rows.splice(2, 0, '');
    rows[3] = rows[3]!.replace(',somatic,', ',bogus,');
    const parsed = parseEpisodeInput(rows.join('\n'), 'x.csv');
    expect(parsed.episodes).toHaveLength(1);
    expect(parsed.episodes[0]!.episode_id).toBe('g "1",\nnext');
    expect(parsed.errors).toEqual([{ line: 5, field: 'care_type', message: 'expected somatic or psychiatric, got "bogus"' }]);
  });
});
