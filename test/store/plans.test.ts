// The write and identifier statements must stay index-driven however the tables grow: PGlite keeps the
// generic plan it made on first use (on empty tables) for the life of the process, and a plan that scans a
// whole search-index table turns every update into work proportional to everything stored.
import type { Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, PGLITE_SESSION, type Db, type Queryable } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { Repository } from '../../src/store/repository.ts';
import { backends, freshDb } from '../support/db.ts';
import { r4Registry } from '../support/r4.ts';

const scope = { clientId: 'test', role: 'region-admin' };
const SYS = 'urn:oid:1.2.752.29.4.19';

/** A SQL literal for a captured parameter (text, or a text array). */
const literal = (v: unknown): string =>
  v === null || v === undefined
    ? 'null'
    : Array.isArray(v)
      ? `'{${v.map((x) => `"${String(x).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}'`
      : `'${String(v).replace(/'/g, "''")}'`;

describe('statement plans on PGlite (generic plans, cached when the tables were empty)', () => {
  let db: Db;
  const seen: { sql: string; params: unknown[] }[] = [];
  const capture = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      seen.push({ sql, params: params ?? [] });
      return q.query(sql, params);
    },
  });
  let repo: Repository;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const tx = db.transaction.bind(db);
    repo = new Repository({ ...db, query: capture(db).query, transaction: (fn) => tx((q) => fn(capture(q))) }, r4Registry());
  });
  afterAll(async () => db?.close());

  /** The plan the session would run for a statement the repository issued, with the values it issued it with. */
  async function planOf(match: RegExp): Promise<string> {
    const s = seen.findLast((x) => match.test(x.sql));
    expect(s, `a statement matching ${match}`).toBeDefined();
    return db.transaction(async (q) => {
      await q.query(PGLITE_SESSION);
      await q.query(`prepare p as ${s!.sql}`);
      const { rows } = await q.query<{ 'QUERY PLAN': string }>(`explain (costs off) execute p(${s!.params.map(literal).join(',')})`);
      await q.query('deallocate p');
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it('replaces index rows and resolves identifiers through the indexes, never a scan of an index table', async () => {
    const org = await repo.create<Organization>({ resourceType: 'Organization', identifier: [{ system: SYS, value: 'SE2321000016-1' }], name: 'Avd 1' });
    await repo.update({ ...(org.resource as Organization), name: 'Avd 2' });
    await repo.transaction(async (tx) => tx.findByIdentifiers([{ resourceType: 'Organization', system: SYS, value: 'SE2321000016-1' }], scope));
    for (const statement of [/^with input as/, /from sp_token t\s+join resource r/]) {
      const plan = await planOf(statement);
      expect(plan).not.toMatch(/Seq Scan on sp_/);
      expect(plan).toMatch(/Index Scan|Bitmap Index Scan/);
    }
  });
});

describe.each(backends())('replacing index rows on %s', (backend) => {
  let db: Db;
  let repo: Repository;
  beforeAll(async () => {
    db = await freshDb(backend);
    await migrate(db);
    repo = new Repository(db, r4Registry());
  });
  afterAll(async () => db?.close());

  it('updates Patient/a and Organization/b together without touching Patient/b or Organization/a', async () => {
    const pnr = (v: string) => [{ system: 'http://electronichealth.se/identifier/personnummer', value: v }];
    await repo.update<Patient>({ resourceType: 'Patient', id: 'a', identifier: pnr('191212121212') });
    await repo.update<Patient>({ resourceType: 'Patient', id: 'b', identifier: pnr('195009072553') });
    await repo.update<Organization>({ resourceType: 'Organization', id: 'a', identifier: [{ system: SYS, value: 'SE-A' }] });
    await repo.update<Organization>({ resourceType: 'Organization', id: 'b', identifier: [{ system: SYS, value: 'SE-B' }] });
    // Both replaced in one write (one statement), as a transaction Bundle does.
    await repo.transaction(async (tx) => {
      await tx.update<Patient>({ resourceType: 'Patient', id: 'a', identifier: pnr('191212121212'), active: true });
      await tx.update<Organization>({ resourceType: 'Organization', id: 'b', identifier: [{ system: SYS, value: 'SE-B' }], active: true });
    });
    const found = await repo.transaction((tx) =>
      tx.findByIdentifiers(
        [
          { resourceType: 'Patient', system: 'http://electronichealth.se/identifier/personnummer', value: '191212121212' },
          { resourceType: 'Patient', system: 'http://electronichealth.se/identifier/personnummer', value: '195009072553' },
          { resourceType: 'Organization', system: SYS, value: 'SE-A' },
          { resourceType: 'Organization', system: SYS, value: 'SE-B' },
          { resourceType: 'Organization', system: SYS, value: '191212121212' },
        ],
        scope,
      ),
    );
    expect(found?.map((f) => f.map((v) => `${v.resourceType}/${v.id}`))).toEqual([['Patient/a'], ['Patient/b'], ['Organization/a'], ['Organization/b'], []]);
  });
});
