// `samverkan ingest-log purge`: the retention routine of the ingest log (docs/operations.md). Erases the raw
// bodies (and the issue texts that may quote them) of rows older than a limit with the statuses asked for, in
// batches, one statement (so one transaction) each; an accepted row's händelser are never erased. Meant for a
// daily cron job; safe to interrupt and run again, and beside the servers on PostgreSQL.
// Exit codes: 0 done, 2 bad arguments.
import { parseArgs } from 'node:util';
import type { Queryable } from '../../store/db.ts';
import { INGEST_STATUSES, purgeIngestLog, type IngestStatus } from '../../store/ingest-log.ts';
import type { CliIo } from './io.ts';
import { cliActor } from './ingest.ts';

/** What the purge erases unless --status says otherwise: refused messages that are settled. */
export const DEFAULT_PURGE_STATUSES: readonly IngestStatus[] = ['resolved', 'superseded', 'discarded'];

export const INGEST_LOG_USAGE = `usage: samverkan ingest-log purge --older-than DAYSd [--status S,...] [--batch N] [--dry-run]

Erases the raw bodies of ingest-log rows received more than DAYS days ago with the given statuses; the rows
stay (id, source, sender, message id, times, SHA-256, status). Prints one JSON line of counts by status.
  --older-than  e.g. 90d (required)
  --status      comma-separated, of ${INGEST_STATUSES.join(', ')} (default ${DEFAULT_PURGE_STATUSES.join(',')}).
                resolved, superseded, discarded: the body, the keys and the issue texts are erased.
                dead: the same, and the dead letter becomes discarded (it cannot be replayed without its body).
                accepted: only the raw body; the händelser stays are projected from are never erased.
  --batch       rows per transaction (default 500)
  --dry-run     count what would be erased, erase nothing
With the embedded store (no DATABASE_URL) stop the server first. Exit codes: 0 done, 2 bad arguments.`;

export async function ingestLogCommand(argv: string[], io: CliIo, open: () => Promise<{ queryable: Queryable; close(): Promise<void> }>): Promise<number> {
  const fail = (message: string) => {
    io.err.write(`samverkan ingest-log: ${message}\n${INGEST_LOG_USAGE}\n`);
    return 2;
  };
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h' || action === 'help') {
    io.out(INGEST_LOG_USAGE);
    return 0;
  }
  if (action !== 'purge') return fail(action ? `unknown action '${action}'` : 'an action is required');
  let values: { 'older-than'?: string; status?: string; batch?: string; 'dry-run'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: {
        'older-than': { type: 'string' },
        status: { type: 'string' },
        batch: { type: 'string', default: '500' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (values.help) {
    io.out(INGEST_LOG_USAGE);
    return 0;
  }
  const age = /^(\d{1,5})d$/.exec(values['older-than'] ?? '');
  if (!age) return fail(`--older-than must be a number of days such as 90d, not '${values['older-than'] ?? ''}'`);
  const asked = values.status === undefined ? DEFAULT_PURGE_STATUSES : values.status.split(',').map((s) => s.trim());
  const unknown = asked.filter((s) => !INGEST_STATUSES.includes(s as IngestStatus));
  if (unknown.length) return fail(`--status: '${unknown.join(',')}' is not one of ${INGEST_STATUSES.join(', ')}`);
  const statuses = asked as readonly IngestStatus[];
  const batchSize = Number(values.batch);
  if (!/^\d+$/.test(values.batch ?? '') || batchSize < 1 || batchSize > 100_000) return fail(`--batch must be a whole number from 1 to 100000, not '${values.batch}'`);

  const now = new Date();
  const before = new Date(now.getTime() - Number(age[1]) * 86_400_000);
  const target = await open();
  try {
    const result = await purgeIngestLog(target.queryable, {
      before,
      statuses,
      batchSize,
      dryRun: values['dry-run'] ?? false,
      by: cliActor(),
      now,
      onBatch: () => io.err.write('.'),
    });
    if (result.batches) io.err.write('\n');
    const counts = Object.fromEntries(Object.entries(result.counts).filter(([s]) => statuses.includes(s as IngestStatus)));
    io.out(JSON.stringify({ dryRun: values['dry-run'] ?? false, receivedBefore: before.toISOString(), statuses, rows: counts, total: result.total, batches: result.batches }));
    return 0;
  } finally {
    await target.close();
  }
}
