// `samverkan settle`: settle one month from a raw episode export, for finance staff.
// Exit codes: 0 done (warnings go to stderr, or into the table), 2 bad arguments or bad input.
import { parseArgs } from 'node:util';
import { AGREEMENT_IDS, isAgreementId } from '../../rules/agreements/index.ts';
import { buildMeasureReports, measureReportBundle } from '../../rules/fhir/measure-report.ts';
import { isMonth } from '../../rules/month.ts';
import { parseSek } from '../../rules/quantity.ts';
import { explainEvaluation } from '../../rules/report/explain.ts';
import { settlementCsv } from '../../rules/report/csv.ts';
import { settlementTable } from '../../rules/report/table.ts';
import { EpisodeInputError, SettlementConfigError, findEvaluation, findStay, indexEpisodes, settle } from '../../rules/settle.ts';
import type { SettlementIndex } from '../../rules/settle.ts';
import { governingAgreement } from '../../rules/governance.ts';
import { formatInputError, parseEpisodeInput } from './settle-input.ts';

export type SettleIo = {
  readFile(path: string): Promise<string>;
  out(s: string): void;
  err(s: string): void;
};

export const SETTLE_USAGE = `usage: samverkan settle --agreement <${AGREEMENT_IDS.join('|')}> --month YYYY-MM
         [--kommun NNNN] [--daily-amount SEK] --input FILE [--format table|json|csv] [--explain EPISODE_ID]

Settles the stays discharged in --month (Europe/Stockholm) under the agreement.
FILE: CSV with a header, or NDJSON, one stay per row with the fields
  episode_id,kommunkod,care_type,admitted_at,admission_notice_at,estimated_discharge_notice_at,ready_at,
  discharged_at,sip_required,sip_invitation_at,care_contact_at,home_ready,social_services_only,outpatient_unavailable
  (optional: placing_kommunkod, hospital_lanskod). Times ISO 8601; without an offset Europe/Stockholm;
  empty = notice never sent. Booleans true/false. Earlier months in the file give Blekinge its history.
--daily-amount  SEK per day for this run (overrides the year's amount; only 2019 and 2022 are built in)
--format        table (default), json (a FHIR Bundle of MeasureReports, subject-list), csv (invoice basis)
--explain       print the rule trace of one stay instead
Exit codes: 0 settled, 2 bad arguments or input.`;

const FORMATS = ['table', 'json', 'csv'] as const;
const MAX_ERRORS = 20;

export async function settleCommand(argv: string[], io: SettleIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        agreement: { type: 'string' },
        month: { type: 'string' },
        kommun: { type: 'string' },
        'daily-amount': { type: 'string' },
        input: { type: 'string' },
        format: { type: 'string', default: 'table' },
        explain: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.err(`samverkan settle: ${(err as Error).message}\n${SETTLE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(SETTLE_USAGE);
    return 0;
  }
  const usage = (msg: string) => {
    io.err(`samverkan settle: ${msg}\n${SETTLE_USAGE}`);
    return 2;
  };
  const agreement = values.agreement as string | undefined;
  const month = values.month as string | undefined;
  const input = values.input as string | undefined;
  const format = values.format as string;
  const kommun = values.kommun as string | undefined;
  const dailyAmount = values['daily-amount'] as string | undefined;
  const explain = values.explain as string | undefined;
  if (!agreement) return usage('--agreement is required');
  if (!isAgreementId(agreement)) return usage(`unknown agreement '${agreement}'`);
  if (!month) return usage('--month is required');
  if (!isMonth(month)) return usage(`--month '${month}' is not YYYY-MM`);
  if (!input) return usage('--input is required');
  if (!(FORMATS as readonly string[]).includes(format)) return usage(`--format '${format}' is not one of ${FORMATS.join(', ')}`);
  if (kommun !== undefined && !/^\d{4}$/.test(kommun)) return usage(`--kommun '${kommun}' is not a 4-digit kommunkod`);
  if (dailyAmount !== undefined && parseSek(dailyAmount) === null) {
    return usage(`--daily-amount '${dailyAmount}' is not an amount in SEK (e.g. 9300 or 9300.50)`);
  }

  let text: string;
  try {
    text = await io.readFile(input);
  } catch (err) {
    io.err(`samverkan settle: cannot read ${input}: ${(err as Error).message}`);
    return 2;
  }
  const parsed = parseEpisodeInput(text, input);
  if (parsed.errors.length > 0) {
    const shown = parsed.errors.slice(0, MAX_ERRORS).map((e) => `  ${input}: ${formatInputError(e)}`);
    const more = parsed.errors.length > MAX_ERRORS ? [`  … and ${parsed.errors.length - MAX_ERRORS} more`] : [];
    io.err([`samverkan settle: ${parsed.errors.length} error(s) in the input, nothing settled:`, ...shown, ...more].join('\n'));
    return 2;
  }

  try {
    const index = indexEpisodes(parsed.episodes);
    const options = { agreement, month, episodes: index, kommun: kommun ?? null, dailyAmount: dailyAmount ?? null };
    if (explain !== undefined) return explainStay(index, options, explain, io);
    const result = settle(options);
    if (format === 'table') {
      io.out(settlementTable(result));
      return 0;
    }
    for (const w of result.warnings) io.err(`WARNING: ${w}`);
    if (format === 'csv') io.out(settlementCsv(result));
    else io.out(JSON.stringify(measureReportBundle(buildMeasureReports(result, { reportType: 'subject-list' })), null, 2));
    return 0;
  } catch (err) {
    if (err instanceof SettlementConfigError || err instanceof EpisodeInputError) {
      io.err(`samverkan settle: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

function explainStay(
  index: SettlementIndex,
  options: Parameters<typeof settle>[0],
  id: string,
  io: SettleIo,
): number {
  const entry = findStay(index, id);
  if (!entry) {
    io.err(`samverkan settle: no stay '${id}' in the input`);
    return 2;
  }
  const { prepared, agreement } = entry;
  if (agreement === null || prepared.month === null) {
    io.out(`Stay ${id}: not discharged, so in no settlement month.\n`);
    return 0;
  }
  const { reason } = governingAgreement(prepared.liableKommunkod, prepared.episode.hospital_lanskod, prepared.month);
  const notes: string[] = [];
  let opts = options;
  if (agreement !== options.agreement || prepared.month !== options.month) {
    notes.push(
      `Note: stay ${id} was discharged in ${prepared.month} and is governed by ${agreement} (${reason}); ` +
        `it is not part of ${options.agreement} ${options.month}. Its trace where it is settled:`,
    );
    opts = { ...options, agreement, month: prepared.month, kommun: prepared.liableKommunkod };
  }
  const result = settle(opts);
  const found = findEvaluation(result, id);
  if (!found) {
    io.out(`${notes.join('\n')}\nStay ${id}: not settled under ${opts.agreement} ${opts.month} (filtered out by --kommun).\n`);
    return 0;
  }
  io.out((notes.length ? notes.join('\n') + '\n' : '') + explainEvaluation(result, found.kommun, found.group, found.evaluation, reason));
  for (const w of found.group.warnings) io.err(`WARNING: ${w}`);
  if (!result.dailyAmount) io.err(`WARNING: ${result.warnings.find((w) => w.startsWith('No confirmed daily amount')) ?? ''}`);
  return 0;
}
