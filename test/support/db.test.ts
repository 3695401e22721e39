import { afterAll, describe, expect, it } from 'vitest';
import { backends, freshDb } from './db.ts';
import type { Db } from '../../src/store/db.ts';

describe.each(backends())('database seam on %s', (backend) => {
  let db: Db;
  afterAll(async () => db?.close());

  it('runs parameterised queries and rolls back a failed transaction', async () => {
    db = await freshDb(backend);
    await db.exec('create table t (id text primary key, n int)');
    await db.query('insert into t values ($1, $2)', ['a', 1]);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values ($1, $2)', ['b', 2]);
        await tx.query('insert into t values ($1, $2)', ['a', 3]); // duplicate key: the whole transaction goes
      }),
    ).rejects.toThrow();
    const { rows } = await db.query<{ id: string; n: number }>('select id, n from t order by id');
    expect(rows).toEqual([{ id: 'a', n: 1 }]);
  });
});

describe('PGlite on a worker thread', () => {
  it('runs queries, rolls back a failed transaction and keeps transactions apart from other queries', async () => {
    const { openPgliteWorker } = await import('../../src/store/db.ts');
    const db = await openPgliteWorker();
    try {
      await db.exec('create table t (id text primary key, n int)');
      await db.query('insert into t values ($1, $2)', ['a', 1]);
      await expect(
        db.transaction(async (tx) => {
          await tx.query('insert into t values ($1, $2)', ['b', 2]);
          await tx.query('insert into t values ($1, $2)', ['a', 3]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // A query sent while a transaction is open waits for it, so it never sees uncommitted rows.
      let seenInside = -1;
      const inTx = db.transaction(async (tx) => {
        await tx.query('insert into t values ($1, $2)', ['c', 3]);
        await new Promise((r) => setTimeout(r, 50));
        await tx.query('insert into t values ($1, $2)', ['d', 4]);
      });
      const outside = db.query<{ n: number }>('select count(*)::int as n from t').then((r) => (seenInside = r.rows[0]!.n));
      await Promise.all([inTx, outside]);
      expect([1, 3]).toContain(seenInside);
      const { rows } = await db.query<{ id: string }>('select id from t order by id');
      expect(rows.map((r) => r.id)).toEqual(['a', 'c', 'd']);
    } finally {
      await db.close();
    }
  });
});
