// Test databases: a fresh in-memory PGlite, or a fresh schema in the run's PostgreSQL database.
import { inject } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openPglite, openPostgres, type Db } from '../../src/store/db.ts';

export type Backend = 'pglite' | 'postgres';

let counter = 0;

/** The backends this run tests against: always PGlite, and PostgreSQL unless TEST_POSTGRES=off. */
export function backends(): Backend[] {
  return inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** A fresh, empty database of the given kind. PostgreSQL: a new schema, so files never see each other's rows. */
// initdb in WASM takes seconds; an initialised data directory, dumped once per worker, loads in a fraction.
let template: Promise<Blob> | undefined;
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pgl = await PGlite.create();
    const dump = await pgl.dumpDataDir('none');
    await pgl.close();
    return dump as Blob;
  })();
  return template;
}

export async function freshDb(backend: Backend): Promise<Db> {
  if (backend === 'pglite') return openPglite({ loadDataDir: await pgliteTemplate() });
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  return openPostgres({ url: inject('postgresUrl'), schema, max: 8 });
}
