// One SQL seam over the two engines we run on: PGlite (embedded, WASM) and a PostgreSQL server (pg).
// Everything above this file speaks plain PostgreSQL with $n parameters.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

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

/** Embedded PostgreSQL in WASM. `dataDir` undefined means in memory (tests). */
export async function openPglite(options: { dataDir?: string; schema?: string; loadDataDir?: Blob } = {}): Promise<Db> {
  const pgl = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  if (options.schema) {
    if (!identifier.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    await pgl.exec(`create schema if not exists ${options.schema}; set search_path to ${options.schema}`);
  }
  const toResult = <R>(r: { rows: unknown[]; affectedRows?: number }): QueryResult<R> => ({
    rows: r.rows as R[],
    affectedRows: r.affectedRows,
  });
  return {
    kind: 'pglite',
    async query<R>(sql: string, params?: unknown[]) {
      return toResult<R>(await pgl.query(sql, params));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pgl.transaction(async (tx) =>
        fn({ query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await tx.query(sql, params)) }),
      );
    },
    async exec(sql: string) {
      await pgl.exec(sql);
    },
    async close() {
      await pgl.close();
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
      return toResult<R>(await pool.query(sql, params as unknown[]));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await client.query(sql, params as unknown[])) });
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
