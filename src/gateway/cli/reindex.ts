// `samverkan reindex`: recomputes the search-index rows of the stored resources with the gateway's current
// search parameters (src/store/reindex.ts), for a parameter added after resources were stored. In batches,
// one transaction each; safe to interrupt and run again. On PGlite stop the server first (one process owns the
// data folder); on PostgreSQL it can run beside the servers (a batch's rows are locked while it is rewritten).
// Exit codes: 0 done, 2 bad arguments.
import { parseArgs } from 'node:util';
import type { CliIo } from './io.ts';
import type { Db } from '../../store/db.ts';
import { reindex } from '../../store/reindex.ts';
import type { SearchParamRegistry } from '../../store/search-params.ts';

export const REINDEX_USAGE = `usage: samverkan reindex [--type TYPE]... [--batch N]

Recomputes the search index of every stored resource (or only of --type) from its current content, with the
search parameters this version of the gateway declares. Run it after an upgrade that adds search parameters
(docs/operations.md). With the embedded store (no DATABASE_URL) stop the server first.
  --type    a resource type to reindex (repeatable; default all)
  --batch   resources per transaction (default 500)
Exit codes: 0 done, 2 bad arguments.`;

export interface ReindexTarget {
  db: Db;
  registry: SearchParamRegistry;
  localBaseUrls: string[];
  close(): Promise<void>;
}

export async function reindexCommand(argv: string[], io: CliIo, open: () => Promise<ReindexTarget>): Promise<number> {
  const fail = (message: string) => {
    io.err.write(`samverkan reindex: ${message}\n${REINDEX_USAGE}\n`);
    return 2;
  };
  let values: { type?: string[]; batch?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { type: { type: 'string', multiple: true }, batch: { type: 'string', default: '500' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (values.help) {
    io.out(REINDEX_USAGE);
    return 0;
  }
  const batchSize = Number(values.batch);
  if (!/^\d+$/.test(values.batch ?? '') || batchSize < 1 || batchSize > 100_000) return fail(`--batch must be a whole number from 1 to 100000, not '${values.batch}'`);
  const target = await open();
  try {
    const unknown = (values.type ?? []).filter((t) => !target.registry.isServed(t));
    if (unknown.length) return fail(`--type ${unknown.join(', ')}: not a resource type this gateway stores (${target.registry.resourceTypes.join(', ')})`);
    const started = Date.now();
    const result = await reindex(target.db, target.registry, {
      batchSize,
      localBaseUrls: target.localBaseUrls,
      ...(values.type?.length ? { types: values.type } : {}),
      onBatch: (p) => io.err.write(`\r${p.type}: ${p.resources} resources reindexed`),
    });
    if (result.batches) io.err.write('\n');
    const types = Object.entries(result.perType).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`);
    io.out(`reindexed ${result.resources} resources in ${result.batches} batches (${((Date.now() - started) / 1000).toFixed(1)} s)${types.length ? `: ${types.join(', ')}` : ''}`);
    return 0;
  } finally {
    await target.close();
  }
}
