// Two FHIR clients that no one here wrote, fhir-kit-client and @medplum/core's MedplumClient, against the
// running gateway on both backends: create, read, search and a transaction with urn:uuid references.
import { MedplumClient } from '@medplum/core';
import type { Bundle, Encounter, Patient } from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const PNR = 'http://electronichealth.se/identifier/personnummer';

/** A transaction: a Patient, an Organization and an Encounter pointing at both through urn:uuid fullUrls. */
function episodeTransaction(tag: string, personnummer: string): Bundle {
  const patientUrn = 'urn:uuid:6f1c2a52-3a0e-4c1e-9d55-0c7b1f3a0001';
  const orgUrn = 'urn:uuid:6f1c2a52-3a0e-4c1e-9d55-0c7b1f3a0002';
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f1c2a52-3a0e-4c1e-9d55-0c7b1f3a0003',
        resource: {
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          identifier: [{ system: 'urn:test:episode', value: tag }],
          subject: { reference: patientUrn },
          serviceProvider: { reference: orgUrn },
        },
        request: { method: 'POST', url: 'Encounter' },
      },
      {
        fullUrl: patientUrn,
        resource: { resourceType: 'Patient', identifier: [{ system: PNR, value: personnummer }], name: [{ family: `Tx-${tag}` }] },
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: orgUrn,
        resource: { resourceType: 'Organization', name: `Avdelning ${tag}` },
        request: { method: 'POST', url: 'Organization' },
      },
    ],
  };
}

function bundleOf(value: unknown): Bundle {
  expect((value as { resourceType?: string }).resourceType).toBe('Bundle');
  return value as Bundle;
}

function idFromLocation(location: string | undefined): { type: string; id: string } {
  const m = /^(?:.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})\/_history\/\d+$/.exec(location ?? '');
  expect(m, `a Type/id/_history/v location, got ${location}`).not.toBeNull();
  return { type: m![1]!, id: m![2]! };
}

describe.each(backends())('real FHIR clients on %s', (backend) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });
  afterAll(async () => gw?.stop());

  describe('fhir-kit-client', () => {
    let client: Client;
    beforeAll(() => {
      client = new Client({ baseUrl: gw.base });
    });

    it('creates, reads and searches a Patient', async () => {
      const created = (await client.create({
        resourceType: 'Patient',
        body: { resourceType: 'Patient', identifier: [{ system: PNR, value: '195009072553' }], name: [{ family: 'Kitsson', given: ['Anna'] }], gender: 'female' },
      })) as Patient;
      expect(created.resourceType).toBe('Patient');
      expect(created.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(created.meta?.versionId).toBe('1');

      const read = (await client.read({ resourceType: 'Patient', id: created.id! })) as Patient;
      expect(read.id).toBe(created.id);
      expect(read.name?.[0]?.family).toBe('Kitsson');

      const byIdentifier = bundleOf(await client.search({ resourceType: 'Patient', searchParams: { identifier: `${PNR}|195009072553` } }));
      expect(byIdentifier.type).toBe('searchset');
      expect(byIdentifier.entry?.map((e) => e.resource?.id)).toEqual([created.id]);

      const byName = bundleOf(await client.search({ resourceType: 'Patient', searchParams: { family: 'kitss', gender: 'female' } }));
      expect(byName.entry?.map((e) => e.resource?.id)).toEqual([created.id]);
      const none = bundleOf(await client.search({ resourceType: 'Patient', searchParams: { family: 'kitss', gender: 'male' } }));
      expect(none.entry ?? []).toHaveLength(0);
    });

    it('posts a transaction whose urn:uuid references are rewritten to the new ids', async () => {
      const response = bundleOf(await client.transaction({ body: episodeTransaction('fkc', '196101182803') as never }));
      expect(response.type).toBe('transaction-response');
      expect(response.entry).toHaveLength(3);
      for (const e of response.entry ?? []) expect(e.response?.status).toMatch(/^201/);
      // Response entries are in request order: Encounter, Patient, Organization.
      const [enc, pat, org] = (response.entry ?? []).map((e) => idFromLocation(e.response?.location));
      expect([enc!.type, pat!.type, org!.type]).toEqual(['Encounter', 'Patient', 'Organization']);

      const encounter = (await client.read({ resourceType: 'Encounter', id: enc!.id })) as unknown as Encounter;
      expect(encounter.subject?.reference).toBe(`Patient/${pat!.id}`);
      expect(encounter.serviceProvider?.reference).toBe(`Organization/${org!.id}`);
      expect(JSON.stringify(encounter)).not.toContain('urn:uuid');

      // The rewritten references are indexed: a search by the patient finds the encounter, and _include brings the patient.
      const found = bundleOf(await client.search({ resourceType: 'Encounter', searchParams: { subject: `Patient/${pat!.id}`, _include: 'Encounter:subject' } }));
      const matches = found.entry?.filter((e) => e.search?.mode === 'match').map((e) => e.resource?.id);
      const included = found.entry?.filter((e) => e.search?.mode === 'include').map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
      expect(matches).toEqual([enc!.id]);
      expect(included).toEqual([`Patient/${pat!.id}`]);
      const byOrg = bundleOf(await client.search({ resourceType: 'Encounter', searchParams: { 'service-provider': org!.id } }));
      expect(byOrg.entry?.map((e) => e.resource?.id)).toEqual([enc!.id]);
    });
  });

  describe('MedplumClient', () => {
    let medplum: MedplumClient;
    beforeAll(() => {
      medplum = new MedplumClient({
        baseUrl: `${gw.root}/`,
        fhirUrlPath: 'fhir',
        fetch: (url: string | URL | Request, init?: RequestInit) => fetch(url, init),
        cacheTime: 0,
      });
    });

    it('creates, reads and searches a Patient', async () => {
      const created = await medplum.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: PNR, value: '189002029800' }],
        name: [{ family: 'Plumsson', given: ['Bertil'] }],
        birthDate: '1890-02-02',
      });
      expect(created.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(created.meta?.versionId).toBe('1');

      const read = await medplum.readResource('Patient', created.id!);
      expect(read.id).toBe(created.id);
      expect(read.birthDate).toBe('1890-02-02');

      const found = await medplum.searchResources('Patient', { identifier: `${PNR}|189002029800` });
      expect(found.map((p) => p.id)).toEqual([created.id]);
      const byDate = await medplum.searchResources('Patient', { birthdate: 'lt1900-01-01', family: 'Plumsson' });
      expect(byDate.map((p) => p.id)).toEqual([created.id]);
      const notByDate = await medplum.searchResources('Patient', { birthdate: 'gt1900-01-01', family: 'Plumsson' });
      expect(notByDate).toHaveLength(0);

      const one = await medplum.searchOne('Patient', { family: 'Plumsson' });
      expect(one?.id).toBe(created.id);
    });

    it('posts a transaction whose urn:uuid references are rewritten to the new ids', async () => {
      const response = await medplum.executeBatch(episodeTransaction('mpc', '200302022389'));
      expect(response.type).toBe('transaction-response');
      const [enc, pat, org] = (response.entry ?? []).map((e) => idFromLocation(e.response?.location));
      expect(response.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created', '201 Created']);

      const encounter = await medplum.readResource('Encounter', enc!.id);
      expect(encounter.subject?.reference).toBe(`Patient/${pat!.id}`);
      expect(encounter.serviceProvider?.reference).toBe(`Organization/${org!.id}`);

      const patient = await medplum.readResource('Patient', pat!.id);
      expect(patient.name?.[0]?.family).toBe('Tx-mpc');

      const byPatient = await medplum.searchResources('Encounter', { patient: pat!.id });
      expect(byPatient.map((e) => e.id)).toEqual([enc!.id]);
      const chained = await medplum.searchResources('Encounter', { 'subject:Patient.identifier': `${PNR}|200302022389` });
      expect(chained.map((e) => e.id)).toEqual([enc!.id]);
      const orgs = await medplum.searchResources('Organization', { name: 'Avdelning mpc' });
      expect(orgs.map((o) => o.id)).toEqual([org!.id]);
    });
  });
});
