// Plan caching. Planning costs PGlite several milliseconds per query (more than executing most of ours),
// and PGlite's query() always uses the unnamed statement, so nothing is ever reused. We PREPARE each
// distinct statement text once and EXECUTE it with the parameters written as SQL literals (exec uses the
// simple protocol, which is also cheaper per call). Only plannable statements are prepared.
import { createHash } from 'node:crypto';

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
/** Statements kept prepared per PGlite connection; past this, all are deallocated and prepared again on use. */
export const MAX_PREPARED = 500;
const names = new Map<string, string>();

export function isPreparable(sql: string): boolean {
  return PREPARABLE.test(sql);
}

/** A stable statement name for a SQL text (the same text always gets the same name). */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = 's' + createHash('sha1').update(sql).digest('hex').slice(0, 20);
    if (names.size > 5000) names.clear();
    names.set(sql, name);
  }
  return name;
}

/** A parameter as a SQL literal. Strings are quoted with '' doubling (standard_conforming_strings is on). */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot bind ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) return quote(arrayLiteral(value));
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(String(value));
}

function quote(s: string): string {
  if (s.includes('\0')) throw new Error('text values cannot contain NUL characters');
  return `'${s.replace(/'/g, "''")}'`;
}

function arrayLiteral(values: unknown[]): string {
  return `{${values
    .map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
    .join(',')}}`;
}

/** The EXECUTE statement for a prepared name and its parameters. */
export function executeSql(name: string, params: unknown[] | undefined): string {
  return params?.length ? `execute ${name}(${params.map(literal).join(',')})` : `execute ${name}`;
}

interface PgliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
}

/** Preparations under way, per connection handle (the instance, or one transaction's handle). */
const preparing = new WeakMap<PgliteLike, Map<string, Promise<void>>>();

/**
 * Runs a query on a PGlite connection, preparing it on first use; `prepared` is that connection's set.
 * Concurrent first uses of one statement share one PREPARE (two would fail: the name exists). They share
 * it per handle only: a transaction's handle must never wait for a PREPARE queued behind that transaction.
 */
export async function queryPrepared(db: PgliteLike, prepared: Set<string>, sql: string, params?: unknown[]) {
  if (!isPreparable(sql)) return db.query(sql, params);
  const name = statementName(sql);
  if (!prepared.has(name)) {
    let pending = preparing.get(db);
    if (!pending) preparing.set(db, (pending = new Map()));
    let p = pending.get(name);
    if (!p) {
      const map = pending;
      p = prepare(db, prepared, name, sql).finally(() => map.delete(name));
      pending.set(name, p);
    }
    await p;
  }
  const results = await db.exec(executeSql(name, params));
  const last = results[results.length - 1];
  return { rows: last?.rows ?? [], affectedRows: last?.affectedRows };
}

async function prepare(db: PgliteLike, prepared: Set<string>, name: string, sql: string): Promise<void> {
  // Searches vary; keep the prepared set bounded so PGlite's memory is too.
  if (prepared.size >= MAX_PREPARED) {
    await db.exec('deallocate all');
    prepared.clear();
  }
  if (prepared.has(name)) return;
  try {
    await db.exec(`prepare ${name} as ${sql}`);
  } catch (err) {
    // A transaction's handle prepared it while this PREPARE waited for the transaction to end: the
    // statement exists, which is all that is wanted. (Only a handle outside a transaction waits so.)
    if (!/already exists/.test((err as Error).message)) throw err;
  }
  prepared.add(name);
}
