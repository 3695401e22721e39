import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './support/db.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

describe.each(backends())('gateway over HTTP on %s', (backend) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(backend);
  });
  afterAll(async () => gw?.stop());

  it('is ready and serves a CapabilityStatement', async () => {
    expect((await fetch(`${gw.root}/readyz`)).status).toBe(200);
    const res = await fetch(`${gw.base}/metadata`);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const cs = (await res.json()) as { resourceType: string; fhirVersion: string };
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
  });

  it('creates and reads back a Patient with ETag and Location', async () => {
    const res = await fetch(`${gw.base}/Patient`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Testsson' }] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('W/"1"');
    const created = (await res.json()) as { id: string };
    expect(res.headers.get('location')).toBe(`${gw.base}/Patient/${created.id}/_history/1`);
    const read = await fetch(`${gw.base}/Patient/${created.id}`);
    expect(((await read.json()) as { name: { family: string }[] }).name[0]!.family).toBe('Testsson');
  });

  it('answers a malformed If-Match with 400, not 412', async () => {
    const res = await fetch(`${gw.base}/Patient`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient' }),
    });
    const { id } = (await res.json()) as { id: string };
    for (const bad of ['W/"', 'W/""', '"1', 'W/1/2']) {
      const put = await fetch(`${gw.base}/Patient/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/fhir+json', 'if-match': bad },
        body: JSON.stringify({ resourceType: 'Patient', id }),
      });
      expect(put.status, bad).toBe(400);
    }
    const ok = await fetch(`${gw.base}/Patient/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', 'if-match': 'W/"1"' },
      body: JSON.stringify({ resourceType: 'Patient', id }),
    });
    expect(ok.status).toBe(200);
  });
});
