// One SQL seam over the two engines we run on: PGlite (embedded, WASM) and a PostgreSQL server (pg).
// Everything above this file speaks plain PostgreSQL with $n parameters.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Worker } from 'node:worker_threads';
import { queryPrepared, statementName, isPreparable } from './prepared.ts';
import { lockDataDir } from './data-dir-lock.ts';

export interface QueryResult<R> {
  rows: R[];
  affectedRows?: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside one database transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Our statements are index lookups whose best plan does not depend on the values, and planning costs
 * PGlite milliseconds: always use the cached generic plan of a prepared statement.
 */
export const PGLITE_SESSION = 'set plan_cache_mode = force_generic_plan';

/** Embedded PostgreSQL in WASM. `dataDir` undefined means in memory (tests). */
export async function openPglite(options: { dataDir?: string; schema?: string; loadDataDir?: Blob } = {}): Promise<Db> {
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;
  const pgl = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  if (options.schema) {
    if (!identifier.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    await pgl.exec(`create schema if not exists ${options.schema}; set search_path to ${options.schema}`);
  }
  await pgl.exec(PGLITE_SESSION);
  const toResult = <R>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
    rows: r.rows as R[],
    affectedRows: r.affectedRows,
  });
  const prepared = new Set<string>();
  return {
    kind: 'pglite',
    async query<R>(sql: string, params?: unknown[]) {
      return toResult<R>(await queryPrepared(pgl, prepared, sql, params));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pgl.transaction(async (tx) =>
        fn({ query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await queryPrepared(tx, prepared, sql, params)) }),
      );
    },
    async exec(sql: string) {
      await pgl.exec(sql);
    },
    async close() {
      await pgl.close();
      release();
    },
  };
}

// Return timestamps and bigints as text: the store formats them itself, and JS Dates lose microseconds.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 1184 || oid === 1114 || oid === 20) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A named statement, so each connection plans it once (the server caches the plan per connection). */
function named(sql: string, params?: unknown[]): pg.QueryConfig {
  return isPreparable(sql) ? { name: statementName(sql), text: sql, values: params } : { text: sql, values: params };
}

/** A PostgreSQL server. `schema` scopes every connection to one schema (tests run each file in its own). */
export async function openPostgres(options: { url: string; schema?: string; max?: number }): Promise<Db> {
  if (options.schema && !identifier.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 16,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports the error.
  pool.on('error', () => undefined);
  if (options.schema) {
    const c = await pool.connect();
    try {
      await c.query(`create schema if not exists ${options.schema}`);
    } finally {
      c.release();
    }
  }
  const toResult = <R>(r: pg.QueryResult): QueryResult<R> => ({ rows: r.rows as R[], affectedRows: r.rowCount ?? undefined });
  return {
    kind: 'postgres',
    async query<R>(sql: string, params?: unknown[]) {
      return toResult<R>(await pool.query(named(sql, params)));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await client.query(named(sql, params))) });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * PGlite on a worker thread (see pglite-worker.ts): the same database, but its WASM work runs on a
 * second core. The server uses this; tests use the in-process openPglite.
 */
export async function openPgliteWorker(options: { dataDir?: string; schema?: string } = {}): Promise<Db> {
  if (options.schema && !identifier.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), { workerData: options });
  let seq = 0;
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { ready?: boolean }) => (m.ready ? resolve() : reject(new Error('PGlite worker did not start'))));
  }).catch(async (err: unknown) => {
    await worker.terminate();
    release();
    throw err;
  });
  worker.on('message', (m: { id: number; result?: unknown; error?: { message: string; code?: string; detail?: string } }) => {
    const call = calls.get(m.id);
    if (!call) return;
    calls.delete(m.id);
    if (m.error) call.reject(Object.assign(new Error(m.error.message), { code: m.error.code, detail: m.error.detail }));
    else call.resolve(m.result);
  });
  worker.on('error', (err) => {
    for (const c of calls.values()) c.reject(err);
    calls.clear();
  });
  const send = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, ...msg });
    });
  const queryIn = (tx?: number) => async <R>(sql: string, params?: unknown[]) => send<QueryResult<R>>({ kind: 'query', sql, params, tx });
  return {
    kind: 'pglite',
    query: queryIn(),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const tx = await send<number>({ kind: 'begin' });
      try {
        const result = await fn({ query: queryIn(tx) });
        await send({ kind: 'commit', tx });
        return result;
      } catch (err) {
        await send({ kind: 'rollback', tx }).catch(() => undefined);
        throw err;
      }
    },
    async exec(sql: string) {
      await send({ kind: 'exec', sql });
    },
    async close() {
      await send({ kind: 'close' }).catch(() => undefined);
      await worker.terminate();
      release();
    },
  };
}
