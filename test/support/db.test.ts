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
