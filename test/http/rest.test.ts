// FHIR R4 REST semantics over HTTP against the real gateway, on both backends: versioning and
// conditional requests, deletes and history, conditional create/update, JSON Patch, transactions and
// batches, Prefer, search result parameters (paging, sort, include, total, summary, chaining, dates)
// and the errors every FHIR client relies on.
import type { Bundle, BundleEntry, Encounter, OperationOutcome, Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectOutcome, Fhir, idOf, includedRefs, link, matchIds, uniqueTag } from './http.ts';

const PNR = 'http://electronichealth.se/identifier/personnummer';
const TEST_ID = 'urn:test:identifier';
const TAGS = 'urn:test:tag';

function patient(family: string, extra: Partial<Patient> = {}): Patient {
  return { resourceType: 'Patient', name: [{ family }], ...extra };
}

function encounter(subject: string, extra: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: subject },
    ...extra,
  };
}

const tagged = (tag: string) => ({ meta: { tag: [{ system: TAGS, code: tag }] } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends())('FHIR REST semantics on %s', (backend) => {
  let gw: TestGateway;
  let fhir: Fhir;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
    fhir = new Fhir(gw.base);
  });
  afterAll(async () => gw?.stop());

  describe('versions, conditional reads and writes', () => {
    it('If-Match: the current version updates, a stale one is refused with 412 and changes nothing', async () => {
      const p = await fhir.create(patient('Matchsson'));
      const v2 = await fhir.put<Patient>(`Patient/${p.id}`, { ...p, name: [{ family: 'Matchsson-2' }] }, { 'if-match': 'W/"1"' });
      expect(v2.status).toBe(200);
      expect(v2.headers.get('etag')).toBe('W/"2"');
      expect(v2.body.meta?.versionId).toBe('2');

      const stale = await fhir.put(`Patient/${p.id}`, { ...p, name: [{ family: 'Stale' }] }, { 'if-match': 'W/"1"' });
      expectOutcome(stale, 412);
      const stalePatch = await fhir.call('PATCH', `Patient/${p.id}`, {
        raw: JSON.stringify([{ op: 'replace', path: '/name/0/family', value: 'Stale' }]),
        headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"' },
      });
      expectOutcome(stalePatch, 412);
      expectOutcome(await fhir.delete(`Patient/${p.id}`, { 'if-match': 'W/"1"' }), 412);

      const read = await fhir.get<Patient>(`Patient/${p.id}`);
      expect(read.body.meta?.versionId).toBe('2');
      expect(read.body.name?.[0]?.family).toBe('Matchsson-2');
      // A strong ETag form is accepted too.
      expect((await fhir.put(`Patient/${p.id}`, { ...p, name: [{ family: 'Matchsson-3' }] }, { 'if-match': '"2"' })).status).toBe(200);
    });

    it('concurrent writes: of racing If-Match updates exactly one wins, racing conditional creates make one resource', async () => {
      const p = await fhir.create(patient('Kapplöpning'));
      const racers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => fhir.put(`Patient/${p.id}`, { ...p, name: [{ family: `Racer${i}` }] }, { 'if-match': 'W/"1"' })),
      );
      expect(racers.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
      const after = await fhir.get<Patient>(`Patient/${p.id}`);
      expect(after.body.meta?.versionId).toBe('2');
      expect((await fhir.get<Bundle>(`Patient/${p.id}/_history`)).body.total).toBe(2);

      const value = uniqueTag('race');
      const body = patient('Samtidig', { identifier: [{ system: TEST_ID, value }] });
      const creates = await Promise.all(
        Array.from({ length: 6 }, () => fhir.post<Patient>('Patient', body, { 'if-none-exist': `identifier=${TEST_ID}|${value}` })),
      );
      expect(creates.map((c) => c.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(creates.map((c) => c.body.id)).size).toBe(1);
      expect(matchIds(await fhir.search(`Patient?identifier=${TEST_ID}|${value}`))).toHaveLength(1);
    });

    it('If-None-Match on read: 304 without a body when the version is current, 200 otherwise', async () => {
      const p = await fhir.create(patient('Cachesson'));
      const notModified = await fhir.get(`Patient/${p.id}`, { 'if-none-match': 'W/"1"' });
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.get('etag')).toBe('W/"1"');
      // Any tag in a list, and the strong form, match by weak comparison (RFC 9110 §13.1.2).
      expect((await fhir.get(`Patient/${p.id}`, { 'if-none-match': 'W/"7", W/"1"' })).status).toBe(304);
      expect((await fhir.get(`Patient/${p.id}`, { 'if-none-match': '"1"' })).status).toBe(304);
      expect((await fhir.get(`Patient/${p.id}`, { 'if-none-match': '*' })).status).toBe(304);

      await fhir.put(`Patient/${p.id}`, { ...p, name: [{ family: 'Cachesson-2' }] });
      const modified = await fhir.get<Patient>(`Patient/${p.id}`, { 'if-none-match': 'W/"1"' });
      expect(modified.status).toBe(200);
      expect(modified.body.name?.[0]?.family).toBe('Cachesson-2');
    });

    it('vread returns each old version as it was, with its ETag; an unknown version is 404', async () => {
      const p = await fhir.create(patient('Versionsson', { gender: 'female' }));
      await fhir.put(`Patient/${p.id}`, { ...p, gender: 'male' });
      await fhir.put(`Patient/${p.id}`, { ...p, gender: 'other' });
      for (const [v, gender] of [['1', 'female'], ['2', 'male'], ['3', 'other']] as const) {
        const a = await fhir.get<Patient>(`Patient/${p.id}/_history/${v}`);
        expect(a.status).toBe(200);
        expect(a.headers.get('etag')).toBe(`W/"${v}"`);
        expect(a.body.meta?.versionId).toBe(v);
        expect(a.body.gender).toBe(gender);
      }
      expectOutcome(await fhir.get(`Patient/${p.id}/_history/4`), 404);
      expectOutcome(await fhir.get(`Patient/${p.id}/_history/abc`), 404);
      expectOutcome(await fhir.get(`Patient/no-such-patient/_history/1`), 404);
    });

    it('delete: read answers 410, searches stop finding it, history keeps every version and old versions stay readable', async () => {
      const tag = uniqueTag('del');
      const p = await fhir.create(patient('Raderasson', tagged(tag)));
      await fhir.put(`Patient/${p.id}`, { ...p, gender: 'female' });
      const del = await fhir.delete(`Patient/${p.id}`);
      expect(del.status).toBeLessThan(300);

      expectOutcome(await fhir.get(`Patient/${p.id}`), 410);
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}`))).toEqual([]);
      expect(matchIds(await fhir.search(`Patient?_id=${p.id}`))).toEqual([]);

      const history = await fhir.get<Bundle>(`Patient/${p.id}/_history`);
      expect(history.status).toBe(200);
      expect(history.body.type).toBe('history');
      expect(history.body.total).toBe(3);
      const entries = history.body.entry ?? [];
      expect(entries.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
      expect(entries[0]?.resource).toBeUndefined();
      expect(entries.map((e) => e.response?.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);
      expect(entries[1]?.resource?.meta?.versionId).toBe('2');

      expect((await fhir.get(`Patient/${p.id}/_history/1`)).status).toBe(200);
      expect((await fhir.get(`Patient/${p.id}/_history/2`)).status).toBe(200);
      expectOutcome(await fhir.get(`Patient/${p.id}/_history/3`), 410);

      // Deleting again is harmless and writes no new version.
      expect((await fhir.delete(`Patient/${p.id}`)).status).toBeLessThan(300);
      expect((await fhir.get<Bundle>(`Patient/${p.id}/_history`)).body.total).toBe(3);
      // The type's history shows the deletion too.
      const typeHistory = await fhir.get<Bundle>(`Patient/_history?_count=1000`);
      expect(typeHistory.body.entry?.filter((e) => e.fullUrl?.endsWith(`/Patient/${p.id}`)).map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
      // Updating a deleted resource brings it back as a new version.
      const revived = await fhir.put<Patient>(`Patient/${p.id}`, { ...p, gender: 'male' });
      expect(revived.status).toBe(201);
      expect(revived.body.meta?.versionId).toBe('4');
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}`))).toEqual([p.id]);
    });

    it('conditional create: no match creates (201), one match returns it (200), two matches are a 412', async () => {
      const value = uniqueTag('cc');
      const body = patient('Villkorsson', { identifier: [{ system: TEST_ID, value }] });
      const criteria = { 'if-none-exist': `identifier=${TEST_ID}|${value}` };
      const first = await fhir.post<Patient>('Patient', body, criteria);
      expect(first.status).toBe(201);
      const second = await fhir.post<Patient>('Patient', body, criteria);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.meta?.versionId).toBe('1');
      expect(matchIds(await fhir.search(`Patient?identifier=${TEST_ID}|${value}`))).toEqual([first.body.id]);

      // The criteria may also be given as a full query string.
      const third = await fhir.post<Patient>('Patient', body, { 'if-none-exist': `Patient?identifier=${TEST_ID}|${value}` });
      expect(third.status).toBe(200);
      expect(third.body.id).toBe(first.body.id);

      await fhir.create(body); // a second resource with the same identifier, unconditionally
      expectOutcome(await fhir.post('Patient', body, criteria), 412);
      expect(matchIds(await fhir.search(`Patient?identifier=${TEST_ID}|${value}`))).toHaveLength(2);
      // Criteria with an unknown parameter are refused, not treated as "no match".
      expectOutcome(await fhir.post('Patient', body, { 'if-none-exist': 'no-such-param=1' }), 400);
    });

    it('conditional update: PUT Type?identifier creates when nothing matches, updates the one match, refuses two', async () => {
      const value = uniqueTag('cu');
      const url = `Patient?identifier=${encodeURIComponent(`${TEST_ID}|${value}`)}`;
      const created = await fhir.put<Patient>(url, patient('Uppdatera', { identifier: [{ system: TEST_ID, value }] }));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const updated = await fhir.put<Patient>(url, patient('Uppdaterad', { identifier: [{ system: TEST_ID, value }] }));
      expect(updated.status).toBe(200);
      expect(updated.body.id).toBe(id);
      expect(updated.body.meta?.versionId).toBe('2');
      expect((await fhir.get<Patient>(`Patient/${id}`)).body.name?.[0]?.family).toBe('Uppdaterad');
      // An id in the body that is not the match's id is refused.
      expectOutcome(await fhir.put(url, { ...patient('X', { identifier: [{ system: TEST_ID, value }] }), id: 'some-other-id' }), 400);

      await fhir.create(patient('Dubblett', { identifier: [{ system: TEST_ID, value }] }));
      expectOutcome(await fhir.put(url, patient('Tvetydig', { identifier: [{ system: TEST_ID, value }] })), 412);
      expect((await fhir.get<Patient>(`Patient/${id}`)).body.meta?.versionId).toBe('2');
    });
  });

  describe('JSON Patch', () => {
    const patchCall = (id: string, ops: unknown, contentType = 'application/json-patch+json', extra: Record<string, string> = {}) =>
      fhir.call<Patient>('PATCH', `Patient/${id}`, { raw: JSON.stringify(ops), headers: { 'content-type': contentType, ...extra } });

    it('applies application/json-patch+json as a new version', async () => {
      const p = await fhir.create(patient('Lappsson', { gender: 'female' }));
      const a = await patchCall(p.id, [
        { op: 'test', path: '/gender', value: 'female' },
        { op: 'replace', path: '/name/0/family', value: 'Lappad' },
        { op: 'add', path: '/birthDate', value: '1950-09-07' },
      ]);
      expect(a.status).toBe(200);
      expect(a.headers.get('etag')).toBe('W/"2"');
      expect(a.body.name?.[0]?.family).toBe('Lappad');
      const read = await fhir.get<Patient>(`Patient/${p.id}`);
      expect(read.body.birthDate).toBe('1950-09-07');
      expect(read.body.meta?.versionId).toBe('2');
      // The patched values are indexed.
      expect(matchIds(await fhir.search(`Patient?family=Lappad&birthdate=1950-09-07`))).toEqual([p.id]);
    });

    it('refuses other media types (415), failing test operations, invalid results and id changes, changing nothing', async () => {
      const p = await fhir.create(patient('Oplappad', { gender: 'female' }));
      const ops = [{ op: 'replace', path: '/gender', value: 'male' }];
      expectOutcome(await patchCall(p.id, ops, 'application/json'), 415);
      expectOutcome(await patchCall(p.id, ops, 'application/fhir+json'), 415);
      expectOutcome(await patchCall(p.id, ops, 'text/plain'), 415);

      const failedTest = await patchCall(p.id, [{ op: 'test', path: '/gender', value: 'male' }, ...ops]);
      expect([409, 422]).toContain(failedTest.status);
      expectOutcome(failedTest, failedTest.status);

      expectOutcome(await patchCall(p.id, [{ op: 'replace', path: '/gender', value: 'banana' }]), 422);
      expectOutcome(await patchCall(p.id, [{ op: 'replace', path: '/id', value: 'other' }]), 400);
      expectOutcome(await patchCall(p.id, [{ op: 'remove', path: '/nonexistent' }]), 400);
      expectOutcome(await patchCall(p.id, { op: 'replace' }), 400);
      expectOutcome(await patchCall('no-such-patient', ops), 404);

      const read = await fhir.get<Patient>(`Patient/${p.id}`);
      expect(read.body.meta?.versionId).toBe('1');
      expect(read.body.gender).toBe('female');
    });
  });

  describe('transactions and batches', () => {
    it('a transaction is all or nothing: a failing entry rolls back the entries before it', async () => {
      const tag = uniqueTag('txfail');
      const entries: BundleEntry[] = [
        { fullUrl: 'urn:uuid:0b8f5a8e-0000-4000-8000-000000000001', resource: patient('Rullas', tagged(tag)), request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Organization', name: `Org ${tag}`, ...tagged(tag) } as Organization, request: { method: 'POST', url: 'Organization' } },
        { resource: { ...patient('Put', tagged(tag)), id: `put-${tag}` }, request: { method: 'PUT', url: `Patient/put-${tag}` } },
        // Invalid: Encounter.status is required.
        { resource: { resourceType: 'Encounter', class: { code: 'IMP' }, subject: { reference: 'urn:uuid:0b8f5a8e-0000-4000-8000-000000000001' }, ...tagged(tag) } as Encounter, request: { method: 'POST', url: 'Encounter' } },
      ];
      const a = await fhir.post('', { resourceType: 'Bundle', type: 'transaction', entry: entries });
      const o = expectOutcome(a, 422);
      expect(JSON.stringify(o)).toContain('Bundle.entry[3]');

      for (const type of ['Patient', 'Organization', 'Encounter']) {
        const found = await fhir.search(`${type}?_tag=${TAGS}|${tag}&_total=accurate`);
        expect(found.total, `${type} rolled back`).toBe(0);
      }
      expectOutcome(await fhir.get(`Patient/put-${tag}`), 404);

      // A stale If-Match in a later entry rolls back too.
      const p = await fhir.create(patient('Befintlig'));
      await fhir.put(`Patient/${p.id}`, { ...p, gender: 'male' });
      const stale = await fhir.post('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: patient('Rullas2', tagged(tag)), request: { method: 'POST', url: 'Patient' } },
          { resource: { ...p, gender: 'female' }, request: { method: 'PUT', url: `Patient/${p.id}`, ifMatch: 'W/"1"' } },
        ],
      });
      expectOutcome(stale, 412);
      expect((await fhir.search(`Patient?_tag=${TAGS}|${tag}&_total=accurate`)).total).toBe(0);
      expect((await fhir.get<Patient>(`Patient/${p.id}`)).body.gender).toBe('male');
    });

    it('a transaction resolves urn:uuid references, conditional creates and conditional references', async () => {
      const tag = uniqueTag('txok');
      const orgUrn = 'urn:uuid:2b8f5a8e-0000-4000-8000-000000000002';
      const patUrn = 'urn:uuid:2b8f5a8e-0000-4000-8000-000000000003';
      const existing = await fhir.create(patient('Redan', { identifier: [{ system: TEST_ID, value: `${tag}-existing` }] }));
      const entries = await fhir.transaction([
        { fullUrl: patUrn, resource: patient('Ny', { identifier: [{ system: PNR, value: '199002222397' }], managingOrganization: { reference: orgUrn } }), request: { method: 'POST', url: 'Patient' } },
        { fullUrl: orgUrn, resource: { resourceType: 'Organization', name: `Org ${tag}` }, request: { method: 'POST', url: 'Organization' } },
        {
          fullUrl: 'urn:uuid:2b8f5a8e-0000-4000-8000-000000000004',
          resource: patient('Redan'),
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${TEST_ID}|${tag}-existing` },
        },
        {
          resource: encounter(`Patient?identifier=${TEST_ID}|${tag}-existing`, { serviceProvider: { reference: orgUrn }, identifier: [{ system: TEST_ID, value: tag }] }),
          request: { method: 'POST', url: 'Encounter' },
        },
      ]);
      expect(entries.map((e) => e.response?.status?.slice(0, 3))).toEqual(['201', '201', '200', '201']);
      const patId = idOf(entries[0]?.response?.location);
      const orgId = idOf(entries[1]?.response?.location);
      expect(idOf(entries[2]?.response?.location)).toBe(existing.id);
      const newPatient = await fhir.get<Patient>(`Patient/${patId}`);
      expect(newPatient.body.managingOrganization?.reference).toBe(`Organization/${orgId}`);
      const enc = await fhir.get<Encounter>(`Encounter/${idOf(entries[3]?.response?.location)}`);
      expect(enc.body.subject?.reference).toBe(`Patient/${existing.id}`);
      expect(enc.body.serviceProvider?.reference).toBe(`Organization/${orgId}`);
    });

    it('a transaction naming one new resource twice by the same criteria is refused (400), creating nothing', async () => {
      const tag = uniqueTag('txdup');
      const criteria = `identifier=${TEST_ID}|${tag}`;
      const res = await fhir.post<OperationOutcome>('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:2b8f5a8e-0000-4000-8000-000000000011', resource: patient('Dubbel', { identifier: [{ system: TEST_ID, value: tag }] }), request: { method: 'POST', url: 'Patient', ifNoneExist: criteria } },
          { fullUrl: 'urn:uuid:2b8f5a8e-0000-4000-8000-000000000012', resource: patient('Dubbel', { identifier: [{ system: TEST_ID, value: tag }] }), request: { method: 'PUT', url: `Patient?${criteria}` } },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.issue?.[0]?.details?.text).toMatch(/entry\[0\] and Bundle.entry\[1\] both name Patient\?identifier=/);
      expect(res.body.issue?.[0]?.expression).toEqual(['Bundle.entry[1].request']);
      expect((await fhir.search(`Patient?${criteria}`)).entry ?? []).toHaveLength(0);
    });

    it('a batch runs every entry on its own: mixed successes and failures, each with its status', async () => {
      const tag = uniqueTag('batch');
      const p = await fhir.create(patient('Batchsson'));
      const a = await fhir.post<Bundle>('', {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient('BatchOk', tagged(tag)), request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'GET', url: 'Patient/no-such-patient' } },
          { resource: { resourceType: 'Patient', gender: 'banana', ...tagged(tag) }, request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'GET', url: `Patient/${p.id}` } },
          { request: { method: 'GET', url: `Patient?_id=${p.id}` } },
          { resource: { ...p, gender: 'other' }, request: { method: 'PUT', url: `Patient/${p.id}` } },
          { request: { method: 'GET', url: 'Patient?no-such-param=1' } },
          { request: { method: 'DELETE', url: `Patient/${p.id}` } },
          { request: { method: 'GET', url: `Patient/${p.id}/_history` } },
          { request: { method: 'GET', url: `Patient?_id=${p.id},no-such&_summary=count` } },
          { request: { method: 'GET', url: '_history?_count=1' } },
        ],
      });
      expect(a.status).toBe(200);
      expect(a.body.type).toBe('batch-response');
      const statuses = (a.body.entry ?? []).map((e) => e.response?.status?.slice(0, 3));
      expect(statuses).toEqual(['201', '404', '422', '200', '200', '200', '400', '204', '200', '200', '200']);
      const responses = a.body.entry ?? [];
      // History in a batch is the history (not the current version), searches are full searchsets.
      const hist = responses[8]?.resource as Bundle;
      expect(hist.type).toBe('history');
      expect(hist.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
      const counted = responses[9]?.resource as Bundle;
      expect(counted.total).toBe(0);
      expect(counted.entry ?? []).toEqual([]);
      expect((responses[10]?.resource as Bundle).entry).toHaveLength(1);
      expect((responses[1]?.response?.outcome as OperationOutcome | undefined)?.resourceType).toBe('OperationOutcome');
      expect((responses[2]?.response?.outcome as OperationOutcome | undefined)?.resourceType).toBe('OperationOutcome');
      expect(matchIds(responses[4]?.resource as Bundle)).toEqual([p.id]);
      // The successful POST stayed, the invalid one was not stored, the delete happened after the PUT.
      expect((await fhir.search(`Patient?_tag=${TAGS}|${tag}&_total=accurate`)).total).toBe(1);
      expectOutcome(await fhir.get(`Patient/${p.id}`), 410);
      expect((await fhir.get<Patient>(`Patient/${p.id}/_history/2`)).body.gender).toBe('other');
    });
  });

  describe('Prefer: return', () => {
    it('minimal, representation and OperationOutcome on create, update and patch', async () => {
      const minimal = await fhir.post('Patient', patient('Minimal'), { prefer: 'return=minimal' });
      expect(minimal.status).toBe(201);
      expect(minimal.text).toBe('');
      const id = idOf(minimal.headers.get('location'));
      expect(minimal.headers.get('etag')).toBe('W/"1"');
      expect(minimal.headers.get('last-modified')).toBeTruthy();

      const representation = await fhir.put<Patient>(`Patient/${id}`, { ...patient('Representation'), id }, { prefer: 'return=representation' });
      expect(representation.status).toBe(200);
      expect(representation.body.resourceType).toBe('Patient');
      expect(representation.body.name?.[0]?.family).toBe('Representation');

      const oo = await fhir.put<OperationOutcome>(`Patient/${id}`, { ...patient('Outcome'), id }, { prefer: 'return=OperationOutcome' });
      expect(oo.status).toBe(200);
      expect(oo.body.resourceType).toBe('OperationOutcome');
      expect(oo.headers.get('etag')).toBe('W/"3"');

      const patched = await fhir.call('PATCH', `Patient/${id}`, {
        raw: JSON.stringify([{ op: 'add', path: '/gender', value: 'female' }]),
        headers: { 'content-type': 'application/json-patch+json', prefer: 'return=minimal' },
      });
      expect(patched.status).toBe(200);
      expect(patched.text).toBe('');
      expect(patched.headers.get('etag')).toBe('W/"4"');
      expect((await fhir.get<Patient>(`Patient/${id}`)).body.gender).toBe('female');

      // Without a Prefer header the representation comes back.
      const plain = await fhir.post<Patient>('Patient', patient('Plain'));
      expect(plain.body.name?.[0]?.family).toBe('Plain');
    });

    it('return=minimal in a transaction leaves out the resources but keeps locations', async () => {
      const a = await fhir.post<Bundle>('', { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: patient('TxMin'), request: { method: 'POST', url: 'Patient' } }] }, { prefer: 'return=minimal' });
      expect(a.status).toBe(200);
      expect(a.body.entry?.[0]?.resource).toBeUndefined();
      const id = idOf(a.body.entry?.[0]?.response?.location);
      expect((await fhir.get<Patient>(`Patient/${id}`)).body.name?.[0]?.family).toBe('TxMin');
    });
  });

  describe('search result parameters', () => {
    const tag = 'rest-search-set';
    const families = ['Ek', 'Al', 'Björk', 'Rönn', 'Asp', 'Lind', 'Gran', 'Tall', 'Hassel', 'Lönn', 'Alm', 'Sälg', 'Oxel', 'Idegran', 'Hägg', 'Ask', 'Pil', 'Vide', 'Bok', 'En', 'Apel', 'Päron', 'Körsbär'];
    const ids: string[] = [];
    let org: string;
    beforeAll(async () => {
      const entries = await fhir.transaction([
        { fullUrl: 'urn:uuid:3b8f5a8e-0000-4000-8000-000000000000', resource: { resourceType: 'Organization', name: 'Sökorganisation', ...tagged(tag) } as Organization, request: { method: 'POST', url: 'Organization' } },
        ...families.map((family, i) => ({
          resource: patient(family, {
            ...tagged(tag),
            birthDate: `19${String(10 + i).padStart(2, '0')}-0${1 + (i % 9)}-15`,
            gender: i % 2 ? ('male' as const) : ('female' as const),
            managingOrganization: { reference: 'urn:uuid:3b8f5a8e-0000-4000-8000-000000000000' },
          }),
          request: { method: 'POST' as const, url: 'Patient' },
        })),
      ]);
      org = idOf(entries[0]?.response?.location);
      for (const e of entries.slice(1)) ids.push(idOf(e.response?.location));
    });

    it('_count pages: following next links visits every match exactly once', async () => {
      const seen: string[] = [];
      let url: string | undefined = `Patient?_tag=${TAGS}|${tag}&_count=5`;
      let pages = 0;
      while (url) {
        const page = await fhir.search(url);
        const got = matchIds(page);
        expect(got.length).toBeLessThanOrEqual(5);
        seen.push(...got);
        pages++;
        expect(link(page, 'self')).toBeTruthy();
        url = link(page, 'next');
        if (url) expect(url.startsWith(gw.base)).toBe(true);
        expect(pages).toBeLessThan(20);
      }
      expect(pages).toBe(5);
      expect(seen).toHaveLength(families.length);
      expect(new Set(seen)).toEqual(new Set(ids));
    });

    it('paging keeps sort, filters, modifiers and chains in the next links', async () => {
      const expected = [...ids].map((id, i) => ({ id, birthDate: `19${String(10 + i).padStart(2, '0')}` })).filter((x) => x.birthDate >= '1915');
      const seen: string[] = [];
      let url: string | undefined = `Patient?_tag=${TAGS}|${tag}&birthdate=ge1915&_sort=-birthdate&_count=4`;
      while (url) {
        const page = await fhir.search(url);
        seen.push(...matchIds(page));
        url = link(page, 'next');
      }
      expect(seen).toEqual([...expected].reverse().map((x) => x.id));

      // A chained search through several pages.
      const chained: string[] = [];
      url = `Patient?organization:Organization.name=${encodeURIComponent('Sökorganisation')}&_count=7&_sort=_id`;
      while (url) {
        const page = await fhir.search(url);
        chained.push(...matchIds(page));
        url = link(page, 'next');
      }
      expect(chained).toEqual([...ids].sort());

      // The type modifier of a chain must survive paging: participant:Patient.name is not participant.name.
      const shared = uniqueTag('Delad');
      const [pa, pb, pr] = await Promise.all([
        fhir.create(patient(shared)),
        fhir.create(patient(shared)),
        fhir.create({ resourceType: 'Practitioner', name: [{ family: shared }] }),
      ]);
      const teams = [];
      for (const member of [`Patient/${pa!.id}`, `Practitioner/${pr!.id}`, `Patient/${pb!.id}`]) {
        teams.push(await fhir.create({ resourceType: 'CareTeam', participant: [{ member: { reference: member } }] }));
      }
      const typed: string[] = [];
      url = `CareTeam?participant:Patient.name=${shared}&_count=1`;
      while (url) {
        const page = await fhir.search(url);
        typed.push(...matchIds(page));
        url = link(page, 'next');
        expect(typed.length).toBeLessThan(5);
      }
      expect(typed.sort()).toEqual([teams[0]!.id, teams[2]!.id].sort());
      const untyped = matchIds(await fhir.search(`CareTeam?participant.name=${shared}`));
      expect(untyped.sort()).toEqual(teams.map((t) => t.id).sort());
    });

    it('_sort by string, date, _id and _lastUpdated, ascending and descending', async () => {
      const byFamily = matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}&_sort=family&_count=100`));
      const familyOf = new Map(ids.map((id, i) => [id, families[i]!]));
      const norm = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
      const sortedFamilies = byFamily.map((id) => norm(familyOf.get(id)!));
      expect(sortedFamilies).toEqual([...sortedFamilies].sort());
      expect(byFamily).toHaveLength(families.length);

      const byBirthDesc = matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}&_sort=-birthdate&_count=100`));
      expect(byBirthDesc).toEqual([...ids].reverse());
      const byBirthAsc = matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}&_sort=birthdate&_count=100`));
      expect(byBirthAsc).toEqual(ids);
      const byId = matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}&_sort=_id&_count=100`));
      expect(byId).toEqual([...ids].sort());
      const byGenderThenBirth = matchIds(await fhir.search(`Patient?_tag=${TAGS}|${tag}&_sort=gender,-birthdate&_count=100`));
      const female = ids.filter((_, i) => i % 2 === 0).reverse();
      const male = ids.filter((_, i) => i % 2 === 1).reverse();
      expect(byGenderThenBirth).toEqual([...female, ...male]);
      expectOutcome(await fhir.get(`Patient?_sort=no-such-param`), 400);
    });

    it('_sort=_lastUpdated orders by write time', async () => {
      const t = uniqueTag('lu');
      const a = await fhir.create(patient('Först', tagged(t)));
      await sleep(5);
      const b = await fhir.create(patient('Sedan', tagged(t)));
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|${t}&_sort=_lastUpdated`))).toEqual([a.id, b.id]);
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|${t}&_sort=-_lastUpdated`))).toEqual([b.id, a.id]);
    });

    it('_total=accurate and _summary=count', async () => {
      const page = await fhir.search(`Patient?_tag=${TAGS}|${tag}&_count=2&_total=accurate`);
      expect(page.total).toBe(families.length);
      expect(matchIds(page)).toHaveLength(2);
      const female = await fhir.search(`Patient?_tag=${TAGS}|${tag}&gender=female&_total=accurate`);
      expect(female.total).toBe(Math.ceil(families.length / 2));

      const count = await fhir.search(`Patient?_tag=${TAGS}|${tag}&_summary=count`);
      expect(count.total).toBe(families.length);
      expect(count.entry ?? []).toHaveLength(0);
      const none = await fhir.search(`Patient?_tag=${TAGS}|${tag}&family=nobody-by-this-name&_summary=count`);
      expect(none.total).toBe(0);
      expectOutcome(await fhir.get(`Patient?_total=sometimes`), 400);
    });

    it('_include and _revinclude (and :iterate)', async () => {
      const org = (await fhir.create({ resourceType: 'Organization', name: 'Inkluderad' } as Organization)).id;
      const p = await fhir.create(patient('Inkludera', { managingOrganization: { reference: `Organization/${org}` } }));
      const e1 = await fhir.create(encounter(`Patient/${p.id}`, { serviceProvider: { reference: `Organization/${org}` } }));
      const e2 = await fhir.create(encounter(`Patient/${p.id}`));

      const inc = await fhir.search(`Encounter?_id=${e1.id}&_include=Encounter:subject`);
      expect(matchIds(inc)).toEqual([e1.id]);
      expect(includedRefs(inc)).toEqual([`Patient/${p.id}`]);

      const all = await fhir.search(`Encounter?_id=${e1.id}&_include=Encounter:*`);
      expect(new Set(includedRefs(all))).toEqual(new Set([`Patient/${p.id}`, `Organization/${org}`]));

      const typed = await fhir.search(`Encounter?_id=${e1.id}&_include=Encounter:subject:Patient`);
      expect(includedRefs(typed)).toEqual([`Patient/${p.id}`]);

      const rev = await fhir.search(`Patient?_id=${p.id}&_revinclude=Encounter:subject`);
      expect(matchIds(rev)).toEqual([p.id]);
      expect(new Set(includedRefs(rev))).toEqual(new Set([`Encounter/${e1.id}`, `Encounter/${e2.id}`]));

      const iter = await fhir.search(`Encounter?_id=${e2.id}&_include=Encounter:subject&_include:iterate=Patient:organization`);
      expect(new Set(includedRefs(iter))).toEqual(new Set([`Patient/${p.id}`, `Organization/${org}`]));

      // Without the include nothing extra comes back.
      expect(includedRefs(await fhir.search(`Encounter?_id=${e1.id}`))).toEqual([]);
      expectOutcome(await fhir.get(`Encounter?_include=Encounter:status`), 400);
    });

    it('chained search on a reference, with and without a type modifier', async () => {
      const value = uniqueTag('chain');
      const p = await fhir.create(patient('Kedjesson', { identifier: [{ system: TEST_ID, value }] }));
      const other = await fhir.create(patient('Annansson'));
      const e = await fhir.create(encounter(`Patient/${p.id}`));
      await fhir.create(encounter(`Patient/${other.id}`));
      expect(matchIds(await fhir.search(`Encounter?subject:Patient.identifier=${TEST_ID}|${value}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?subject.identifier=${TEST_ID}|${value}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?patient.family=Kedjesson`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?patient.family=Kedjessonsson`))).toEqual([]);
      expect(matchIds(await fhir.search(`Patient?organization.name=${encodeURIComponent('Sökorganisation')}&_count=100`))).toHaveLength(families.length);
      expect(new Set(matchIds(await fhir.search(`Patient?organization=Organization/${org}&_count=100`)))).toEqual(new Set(ids));
      expect(new Set(matchIds(await fhir.search(`Patient?organization=${org}&_count=100`)))).toEqual(new Set(ids));
      expect(matchIds(await fhir.search(`Encounter?patient.birthdate=lt1800`))).toEqual([]);
      expectOutcome(await fhir.get(`Encounter?subject.no-such-param=x`), 400);
      expectOutcome(await fhir.get(`Encounter?subject:Organization.name=x`), 400);
      expectOutcome(await fhir.get(`Encounter?patient.birthdate=not-a-date`), 400);
      expectOutcome(await fhir.get(`Encounter?patient.family:fuzzy=x`), 400);
    });

    it('date prefixes on a date parameter', async () => {
      const base = `Patient?_tag=${TAGS}|${tag}&_count=100`;
      // Birth dates are 1910-01-15 ... 1932-05-15, one per year.
      const years = (q: string) => fhir.search(`${base}&${q}`).then((b) => matchIds(b).map((id) => 1910 + ids.indexOf(id)).sort());
      expect(await years('birthdate=1912')).toEqual([1912]);
      expect(await years('birthdate=eq1912-03-15')).toEqual([1912]);
      expect(await years('birthdate=eq1912-03-16')).toEqual([]);
      expect(await years('birthdate=lt1913')).toEqual([1910, 1911, 1912]);
      expect(await years('birthdate=le1912-03-15')).toEqual([1910, 1911, 1912]);
      expect(await years('birthdate=gt1930')).toEqual([1931, 1932]);
      expect(await years('birthdate=ge1930-12-31')).toEqual([1931, 1932]);
      expect(await years('birthdate=sa1930')).toEqual([1931, 1932]);
      expect(await years('birthdate=eb1911')).toEqual([1910]);
      expect(await years('birthdate=ge1920&birthdate=lt1922')).toEqual([1920, 1921]);
      expect(await years('birthdate=1911,1931')).toEqual([1911, 1931]);
      expect((await years('birthdate=ne1912')).length).toBe(families.length - 1);
      // The ends of the calendar are dates like any other (not a 500, not 1950 for 0050).
      expect(await years('birthdate=9999')).toEqual([]);
      expect(await years('birthdate=ge9999-12-31T23:59:59Z')).toEqual([]);
      expect((await years('birthdate=lt9999')).length).toBe(families.length);
      expect(await years('birthdate=0050')).toEqual([]);
      expect(await years('birthdate=le0050-12-31')).toEqual([]);
      expect((await years('birthdate=gt0001')).length).toBe(families.length);
      expect((await fhir.search(`Patient?_lastUpdated=lt9999-12-31T23:59:59.999Z&_count=1`)).entry).toHaveLength(1);
      expect(await years('birthdate=ap9990')).toEqual([]);
      expect(await years('birthdate=ap0050')).toEqual([]);
      expect(await years('birthdate=ap1920')).toContain(1920);
      // ... and a resource dated there is stored and found.
      const far = await fhir.create(patient('Framtid', { birthDate: '9999-12-31', ...tagged('far-future') }));
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|far-future&birthdate=9999-12`))).toEqual([far.id]);
      const early = await fhir.create(patient('Forntid', { birthDate: '0050-06-01', ...tagged('far-past') }));
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|far-past&birthdate=0050`))).toEqual([early.id]);
      expect(matchIds(await fhir.search(`Patient?_tag=${TAGS}|far-past&birthdate=1950`))).toEqual([]);
      expectOutcome(await fhir.get(`Patient?birthdate=xx1912`), 400);
      expectOutcome(await fhir.get(`Patient?birthdate=1912-13-01`), 400);
    });

    it('token, string and reference value forms', async () => {
      const value = uniqueTag('forms');
      const p = await fhir.create(patient('Form_100%', { identifier: [{ system: TEST_ID, value }, { value: `${value}-nosystem` }] }));
      const q = async (query: string) => matchIds(await fhir.search(`Patient?${query}&_count=1000`));
      expect(await q(`identifier=${value}`)).toEqual([p.id]);
      expect(await q(`identifier=${TEST_ID}|${value}`)).toEqual([p.id]);
      expect(await q(`identifier=urn:other|${value}`)).toEqual([]);
      expect(await q(`identifier=|${value}-nosystem`)).toEqual([p.id]);
      expect(await q(`identifier=|${value}`)).toEqual([]);
      expect(await q(`identifier=${encodeURIComponent(TEST_ID + '|')}&_id=${p.id}`)).toEqual([p.id]);
      expect(await q(`identifier=${value},no-such-value`)).toEqual([p.id]);
      // LIKE wildcards in a string value are literal.
      expect(await q(`family=${encodeURIComponent('Form_100%')}`)).toEqual([p.id]);
      expect(await q(`family=${encodeURIComponent('Form%')}`)).toEqual([]);
      expect(await q(`family=${encodeURIComponent('Form_1')}`)).toEqual([p.id]);
      expect(await q(`family=${encodeURIComponent('Formx')}`)).toEqual([]);
      // References: relative, absolute to this server, and bare ids all mean the same target.
      const e = await fhir.create(encounter(`${gw.base}/Patient/${p.id}`));
      expect(await q(`_id=${p.id}&_revinclude=Encounter:subject`)).toEqual([p.id]);
      expect(matchIds(await fhir.search(`Encounter?subject=Patient/${p.id}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?subject=${encodeURIComponent(`${gw.base}/Patient/${p.id}`)}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?patient=${p.id}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?subject:Patient=${p.id}`))).toEqual([e.id]);
      expect(matchIds(await fhir.search(`Encounter?subject=Patient/${p.id}x`))).toEqual([]);
    });

    it('history pages: following next links visits every version exactly once', async () => {
      const p = await fhir.create(patient('Historik'));
      for (let v = 2; v <= 7; v++) await fhir.put(`Patient/${p.id}`, { ...p, gender: v % 2 ? 'male' : 'female' });
      await fhir.delete(`Patient/${p.id}`);
      const versions: string[] = [];
      let url: string | undefined = `Patient/${p.id}/_history?_count=3`;
      while (url) {
        const page: { body: Bundle } = await fhir.get<Bundle>(url);
        expect(page.body.total).toBe(8);
        versions.push(...(page.body.entry ?? []).map((e) => e.response?.etag ?? ''));
        url = link(page.body, 'next');
      }
      expect(versions).toEqual(['8', '7', '6', '5', '4', '3', '2', '1'].map((v) => `W/"${v}"`));
      const since = await fhir.get<Bundle>(`Patient/${p.id}/_history?_since=${encodeURIComponent(p.meta!.lastUpdated!)}`);
      expect(since.body.total).toBe(8);
      expectOutcome(await fhir.get(`Patient/${p.id}/_history?_since=yesterday`), 400);
      // Date.parse takes '1' for 2001; PostgreSQL does not: this must be a 400, not a 500.
      expectOutcome(await fhir.get(`Patient/${p.id}/_history?_since=1`), 400);
      expectOutcome(await fhir.get(`_history?_since=${encodeURIComponent('Mon, 01 Jan 2024')}`), 400);
      // Unknown parameters are refused here as in a search, and ignored under Prefer: handling=lenient.
      const o = expectOutcome(await fhir.get(`Patient/${p.id}/_history?_at=2024`), 400);
      expect(JSON.stringify(o.issue)).toContain('_at');
      expect((await fhir.get(`Patient/${p.id}/_history?_at=2024`, { prefer: 'handling=lenient' })).status).toBe(200);
      expect((await fhir.get(`Patient/${p.id}/_history?_count=2&_format=json`)).status).toBe(200);
    });

    it('_lastUpdated with prefixes', async () => {
      const t = uniqueTag('lup');
      const a = await fhir.create(patient('Tidig', tagged(t)));
      await sleep(20);
      const b = await fhir.create(patient('Sen', tagged(t)));
      const at = a.meta!.lastUpdated!;
      const bt = b.meta!.lastUpdated!;
      expect(at < bt).toBe(true);
      const q = async (v: string) => matchIds(await fhir.search(`Patient?_tag=${TAGS}|${t}&_lastUpdated=${encodeURIComponent(v)}&_sort=_lastUpdated`));
      expect(await q(`ge${at}`)).toEqual([a.id, b.id]);
      expect(await q(`gt${at}`)).toEqual([b.id]);
      expect(await q(`le${at}`)).toEqual([a.id]);
      expect(await q(`lt${bt}`)).toEqual([a.id]);
      expect(await q(`eq${at}`)).toEqual([a.id]);
      expect(await q(at)).toEqual([a.id]);
      expect(await q(`ne${at}`)).toEqual([b.id]);
      expect(await q(`le${bt}`)).toEqual([a.id, b.id]);
      expect(await q(`gt${bt}`)).toEqual([]);
      expect(await q(`ge${at.slice(0, 10)}`)).toEqual([a.id, b.id]);
      expect(await q(`lt2000-01-01`)).toEqual([]);
      expect(await q(`gt2000-01-01T00:00:00Z`)).toEqual([a.id, b.id]);
    });
  });

  describe('errors', () => {
    it('404 for an unknown or unserved type and for an unknown id', async () => {
      expectOutcome(await fhir.get('NoSuchType'), 404);
      expectOutcome(await fhir.get('NoSuchType/1'), 404);
      expectOutcome(await fhir.get('Observation'), 404);
      expectOutcome(await fhir.post('Observation', { resourceType: 'Observation', status: 'final', code: { text: 'x' } }), 404);
      expectOutcome(await fhir.get('Patient/no-such-id'), 404);
      expectOutcome(await fhir.get('Patient/no-such-id/_history'), 404);
      expectOutcome(await fhir.delete('Patient/no-such-id'), 404);
    });

    it('405 with an Allow header for a method the path does not take', async () => {
      const a = await fhir.delete('Patient');
      expectOutcome(a, 405);
      expect(a.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'POST', 'PUT']);
      const b = await fhir.call('POST', 'metadata', { body: {} });
      expectOutcome(b, 405);
      expect(b.headers.get('allow')).toBe('GET');
      const c = await fhir.call('PATCH', 'Patient/_history');
      expectOutcome(c, 405);
      expect(c.headers.get('allow')).toBe('GET');
    });

    it('406 when the client accepts only XML', async () => {
      const a = await fhir.get('Patient', { accept: 'application/fhir+xml' });
      expectOutcome(a, 406);
      expectOutcome(await fhir.get('metadata', { accept: 'application/xml' }), 406);
      expectOutcome(await fhir.get('Patient?_format=xml'), 406);
      // JSON flavours and wildcards are fine.
      for (const accept of ['application/json', 'application/fhir+json;q=0.9, application/xml', '*/*']) {
        expect((await fhir.get('Patient?_count=1', { accept })).status).toBe(200);
      }
    });

    it('415 for a body that is not FHIR JSON', async () => {
      const body = JSON.stringify(patient('Text'));
      expectOutcome(await fhir.call('POST', 'Patient', { raw: body, headers: { 'content-type': 'text/plain' } }), 415);
      expectOutcome(await fhir.call('POST', 'Patient', { raw: body, headers: { 'content-type': 'application/xml' } }), 415);
      expectOutcome(await fhir.call('PUT', 'Patient/x1', { raw: body, headers: { 'content-type': 'text/plain' } }), 415);
      // application/json is accepted as FHIR JSON.
      expect((await fhir.call('POST', 'Patient', { raw: body, headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
    });

    it('400 for a body of the wrong resourceType, an id mismatch on PUT and an invalid id', async () => {
      const o = expectOutcome(await fhir.post('Patient', { resourceType: 'Organization', name: 'Fel' }), 400);
      expect(o.issue?.[0]?.expression).toEqual(['resourceType']);
      expectOutcome(await fhir.put('Patient/abc', { resourceType: 'Organization', id: 'abc', name: 'Fel' }), 400);
      const p = await fhir.create(patient('Idsson'));
      expectOutcome(await fhir.put(`Patient/${p.id}`, { ...p, id: 'another-id' }), 400);
      expectOutcome(await fhir.put(`Patient/${p.id}`, patient('Utan id')), 400);
      expectOutcome(await fhir.get('Patient/bad_id!'), 400);
      expectOutcome(await fhir.get(`Patient/${'x'.repeat(65)}`), 400);
      expectOutcome(await fhir.put('Patient/bad_id!', { ...patient('X'), id: 'bad_id!' }), 400);
      expect((await fhir.get<Patient>(`Patient/${p.id}`)).body.meta?.versionId).toBe('1');
    });

    it('400 for an unknown search parameter, naming it; Prefer: handling=lenient ignores it', async () => {
      const strict = await fhir.get('Patient?family=Ek&no-such-param=1');
      const o = expectOutcome(strict, 400);
      expect(JSON.stringify(o.issue)).toContain('no-such-param');
      expectOutcome(await fhir.get('Patient?family:fuzzy=Ek'), 400);
      // A NUL in any kind of value is a 400 (PostgreSQL text cannot hold it), never a 500.
      for (const q of ['family=%00', 'identifier=a%00|b', '_id=%00', 'general-practitioner=Practitioner/%00', '_profile=%00', 'name:exact=%00', '_tag:text=%00', 'organization.name=%00']) {
        expectOutcome(await fhir.get(`Patient?${q}`), 400);
      }
      expectOutcome(await fhir.post('Patient', patient('Nul'), { 'if-none-exist': 'family=%00' }), 400);
      // A NUL inside a stored value (where validation lets one through, as in a uri) never makes a write fail with a 500.
      const value = uniqueTag('nul');
      const written = await fhir.post<Patient>('Patient', patient('Nul', { identifier: [{ system: 'urn:test:\u0000x', value }] }));
      expect(written.status).toBeLessThan(500);
      if (written.status === 201) {
        expect((await fhir.get<Patient>(`Patient/${written.body.id}`)).body.identifier?.[0]?.system).toBe('urn:test:\u0000x');
        expect(matchIds(await fhir.search(`Patient?identifier=${value}`))).toEqual([written.body.id]);
      }
      expectOutcome(await fhir.get('Patient?gender:exact=female'), 400);

      const lenient = await fhir.search(`Patient?_tag=${TAGS}|rest-search-set&family=Ek&no-such-param=1`, { prefer: 'handling=lenient' });
      expect(matchIds(lenient)).toHaveLength(1);
      expect(link(lenient, 'self')).not.toContain('no-such-param');
      const strictHeader = await fhir.get('Patient?no-such-param=1', { prefer: 'handling=strict' });
      expectOutcome(strictHeader, 400);
    });
  });
});

