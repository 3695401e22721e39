import { OperationOutcomeError } from '@medplum/core';
import type { Encounter, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { Repository } from '../../src/store/repository.ts';
import { parseSearch } from '../../src/store/search-parse.ts';
import { backends, freshDb } from '../support/db.ts';
import { r4Registry } from '../support/r4.ts';

const scope = { clientId: 'test', role: 'region-admin' };
const PNR = 'http://electronichealth.se/identifier/personnummer';

describe.each(backends())('repository on %s', (backend) => {
  let db: Db;
  let repo: Repository;
  const search = async (type: string, q: string) => {
    const req = parseSearch(type, new URLSearchParams(q), repo.registry);
    const res = await repo.search(req, scope);
    return { ...res, resources: res.matches.map((m) => JSON.parse(m.content)), includedResources: res.included.map((m) => JSON.parse(m.content)) };
  };

  beforeAll(async () => {
    db = await freshDb(backend);
    await migrate(db);
    repo = new Repository(db, r4Registry());
  });
  afterAll(async () => db?.close());

  it('applies migrations once', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('creates, reads, updates with If-Match, deletes and keeps history', async () => {
    const { resource, created } = await repo.create<Patient>({ resourceType: 'Patient', name: [{ family: 'Testsson' }] });
    expect(created).toBe(true);
    expect(resource.meta?.versionId).toBe('1');
    const id = resource.id as string;
    expect(JSON.parse(await repo.read('Patient', id, scope)).name[0].family).toBe('Testsson');

    const v2 = await repo.update({ ...(resource as Patient), name: [{ family: 'Andersson' }] }, '1');
    expect(v2.resource.meta?.versionId).toBe('2');
    await expect(repo.update({ ...(resource as Patient) }, '1')).rejects.toThrow(OperationOutcomeError);

    expect(await repo.delete('Patient', id)).toBe(true);
    await expect(repo.read('Patient', id, scope)).rejects.toMatchObject({ outcome: { id: 'gone' } });
    expect(JSON.parse(await repo.vread('Patient', id, '1', scope)).name[0].family).toBe('Testsson');
    const h = await repo.history(scope, { resourceType: 'Patient', id }, { count: 10, offset: 0 });
    expect(h.versions.map((v) => [v.versionId, v.deleted])).toEqual([
      ['3', true],
      ['2', false],
      ['1', false],
    ]);
    const found = await search('Patient', 'family=andersson');
    expect(found.resources).toHaveLength(0);
  });

  it('group-commits concurrent creates and indexes them all', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        repo.create<Encounter>({
          resourceType: 'Encounter',
          status: i % 2 ? 'in-progress' : 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/p${i % 5}` },
          period: {
            start: `2024-03-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+01:00`,
            end: `2024-03-${String((i % 28) + 1).padStart(2, '0')}T12:00:00+01:00`,
          },
        }),
      ),
    );
    expect(new Set(results.map((r) => r.resource.id)).size).toBe(50);
    expect((await search('Encounter', 'subject=Patient/p1&_count=100')).resources).toHaveLength(10);
    expect((await search('Encounter', 'status=in-progress&_total=accurate&_count=5')).total).toBe(25);
    expect((await search('Encounter', 'status:not=in-progress&_count=100')).resources).toHaveLength(25);
    const march = await search('Encounter', 'date=ge2024-03-10&date=lt2024-03-12&_count=100');
    expect(march.resources.every((e) => e.period.start >= '2024-03-10' && e.period.start < '2024-03-12')).toBe(true);
    expect(march.resources.length).toBeGreaterThan(0);
    const sorted = await search('Encounter', '_sort=-date&_count=3');
    expect(sorted.resources.map((e) => e.period.start)).toEqual(
      [...sorted.resources.map((e) => e.period.start)].sort().reverse(),
    );
  });

  it('searches tokens with system, strings by prefix and exact, chains and includes', async () => {
    const { resource: org } = await repo.create({ resourceType: 'Organization', name: 'Region Örebro län' });
    const { resource: pat } = await repo.create<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: PNR, value: '195009072553' }],
      name: [{ family: 'Öberg', given: ['Åsa'] }],
      managingOrganization: { reference: `Organization/${org.id}` },
    });
    await repo.create<Encounter>({
      resourceType: 'Encounter',
      status: 'planned',
      class: { code: 'IMP' },
      subject: { reference: `Patient/${pat.id}` },
    });
    expect((await search('Patient', `identifier=${PNR}|195009072553`)).resources).toHaveLength(1);
    expect((await search('Patient', `identifier=other|195009072553`)).resources).toHaveLength(0);
    expect((await search('Patient', 'family=ober')).resources).toHaveLength(1);
    expect((await search('Patient', 'family:exact=ober')).resources).toHaveLength(0);
    expect((await search('Patient', 'family:exact=Öberg')).resources).toHaveLength(1);
    expect((await search('Encounter', `subject:Patient.identifier=${PNR}|195009072553`)).resources).toHaveLength(1);
    expect((await search('Encounter', `subject.name=öberg`)).resources).toHaveLength(1);
    const withInc = await search('Encounter', `subject=Patient/${pat.id}&_include=Encounter:subject&_include:iterate=Patient:organization`);
    expect(withInc.includedResources.map((r) => r.resourceType).sort()).toEqual(['Organization', 'Patient']);
    const rev = await search('Patient', `_id=${pat.id}&_revinclude=Encounter:subject`);
    expect(rev.includedResources.map((r) => r.resourceType)).toEqual(['Encounter']);
  });

  it('refuses unknown parameters and bad values with a 400 naming the parameter', () => {
    expect(() => parseSearch('Patient', new URLSearchParams('bogus=1'), repo.registry)).toThrow(/bogus/);
    expect(() => parseSearch('Patient', new URLSearchParams('birthdate=2020-13-45'), repo.registry)).toThrow(/birthdate/);
    expect(() => parseSearch('Patient', new URLSearchParams('_count=-1'), repo.registry)).toThrow(/_count/);
    expect(parseSearch('Patient', new URLSearchParams('bogus=1'), repo.registry, { lenient: true }).ignored).toEqual(['bogus']);
  });
});
