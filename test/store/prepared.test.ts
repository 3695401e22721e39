// PGlite statement preparation (src/store/prepared.ts) under concurrency: the first uses of one statement
// arriving together must share one PREPARE, inside and outside transactions.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../support/db.ts';

describe('prepared statements on PGlite', () => {
  it('concurrent first uses of one statement all succeed', async () => {
    const db = await freshDb('pglite');
    try {
      const sql = 'select $1::int + 1 as n';
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => db.query<{ n: number }>(sql, [i])));
      expect(answers.map((a) => Number(a.rows[0]!.n))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // A transaction using the statement, while plain queries of it are queued behind the transaction.
      const other = 'select $1::text as t';
      const [inTx, ...outside] = await Promise.all([
        db.transaction(async (tx) => (await tx.query<{ t: string }>(other, ['tx'])).rows[0]!.t),
        ...Array.from({ length: 5 }, (_, i) => db.query<{ t: string }>(other, [`q${i}`]).then((r) => r.rows[0]!.t)),
      ]);
      expect(inTx).toBe('tx');
      expect(outside).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    } finally {
      await db.close();
    }
  });
});
