// Recomputes the search-index rows of stored resources from their current content with a given registry:
// for a search parameter added (or whose expression changed) after resources were stored. Resources are
// walked per type in id order, in batches; each batch is one transaction that locks its rows (FOR UPDATE,
// so a concurrent write of one of them waits and then indexes its own new version), replaces their index
// rows in one statement, and commits. Interrupted, it can simply be run again: every batch is complete or
// absent. Deleted resources have no index rows and are skipped. Same SQL on PGlite and PostgreSQL.
import type { Resource } from '@medplum/fhirtypes';
import type { Db, Queryable } from './db.ts';
import { indexResource, withoutNul, type IndexRows } from './indexer.ts';
import type { SearchParamRegistry } from './search-params.ts';

export interface ReindexOptions {
  /** Resource types to reindex (default: every type the registry serves). */
  types?: readonly string[];
  /** Resources per transaction (default 500). */
  batchSize?: number;
  /** Absolute base URLs of this server, as the repository is given them (references stored as `Type/id`). */
  localBaseUrls?: string[];
  /** Called after each committed batch. */
  onBatch?: (progress: ReindexProgress) => void;
}

export interface ReindexProgress {
  type: string;
  /** Resources reindexed so far, over all types. */
  resources: number;
  batches: number;
}

export interface ReindexResult {
  resources: number;
  batches: number;
  perType: Record<string, number>;
}

const TABLES = {
  token: { table: 'sp_token', columns: 'code text, system text, value text, display text' },
  string: { table: 'sp_string', columns: 'code text, value text, norm text' },
  date: { table: 'sp_date', columns: 'code text, lo timestamptz, hi timestamptz' },
  reference: { table: 'sp_reference', columns: 'code text, target text, target_type text, target_id text' },
} as const;
type Kind = keyof typeof TABLES;
const KINDS = Object.keys(TABLES) as Kind[];

const names = (columns: string) => columns.split(', ').map((c) => c.split(' ')[0]).join(', ');

/** $1 type, $2 the batch's ids, $3..$6 the new token, string, date and reference rows (jsonb, with id). */
const replaceSql = `with ${KINDS.map((k, i) => {
  const { table, columns } = TABLES[k];
  const cols = names(columns);
  return `del_${k} as (delete from ${table} where resource_type = $1 and id = any($2::text[])),
     ins_${k} as (insert into ${table} (resource_type, id, ${cols})
       select $1, id, ${cols} from jsonb_to_recordset($${i + 3}::jsonb) as x(id text, ${columns}))`;
}).join(',\n     ')}
     select 1`;

const batchSql = `select id, content from resource
  where resource_type = $1 and id > $2 and not deleted and content is not null
  order by id limit $3 for update`;

/** Reindexes one batch after `after` (ids of `type`); returns the last id, or undefined when there was none. */
async function reindexBatch(
  tx: Queryable,
  registry: SearchParamRegistry,
  type: string,
  after: string,
  size: number,
  localBaseUrls: string[],
): Promise<{ last: string; count: number } | undefined> {
  const { rows } = await tx.query<{ id: string; content: string }>(batchSql, [type, after, size]);
  if (!rows.length) return undefined;
  const out: Record<Kind, unknown[]> = { token: [], string: [], date: [], reference: [] };
  for (const row of rows) {
    let index: IndexRows = indexResource(JSON.parse(row.content) as Resource, registry, { localBaseUrls });
    if (row.content.includes('\\u0000')) index = withoutNul(index);
    for (const k of KINDS) for (const r of index[k]) out[k].push({ id: row.id, ...r });
  }
  await tx.query(replaceSql, [type, rows.map((r) => r.id), ...KINDS.map((k) => JSON.stringify(out[k]))]);
  return { last: rows[rows.length - 1]!.id, count: rows.length };
}

export async function reindex(db: Db, registry: SearchParamRegistry, options: ReindexOptions = {}): Promise<ReindexResult> {
  const types = options.types ?? registry.resourceTypes;
  for (const t of types) if (!registry.isServed(t)) throw new Error(`${t} is not a resource type this store indexes`);
  const size = options.batchSize ?? 500;
  if (!Number.isInteger(size) || size < 1) throw new Error(`The batch size must be a positive whole number, not ${size}`);
  const result: ReindexResult = { resources: 0, batches: 0, perType: {} };
  for (const type of types) {
    result.perType[type] = 0;
    for (let after = ''; ; ) {
      const batch = await db.transaction((tx) => reindexBatch(tx, registry, type, after, size, options.localBaseUrls ?? []));
      if (!batch) break;
      after = batch.last;
      result.resources += batch.count;
      result.perType[type] += batch.count;
      result.batches++;
      options.onBatch?.({ type, resources: result.resources, batches: result.batches });
    }
  }
  return result;
}
