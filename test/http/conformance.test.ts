// The project's StructureDefinitions, CodeSystems and ValueSets over HTTP on loopback: read-only from code
// by id, by url (and url|version) and listed; writes 405; the terminology operations routed, type and
// instance level, GET and POST, with their 400/404 OperationOutcomes naming the parameter.
import type { CodeSystem, Parameters, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE, structureDefinitions } from '../../src/profiles/definitions/index.ts';
import { allCodeSystems, allValueSets } from '../../src/profiles/terminology/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectOutcome, Fhir } from './http.ts';

const SDS = structureDefinitions();
const CSS = allCodeSystems();
const VSS = allValueSets();
const PATIENT = SDS.find((sd) => sd.url === PROFILE.patient)!;
const NOTICE_CS = CSS.find((c) => c.id === 'notice-kind')!;
const NOTICE_VS = VSS.find((v) => v.id === 'notice-kind')!;
const CODE = NOTICE_CS.concept![0]!;

const param = (p: Parameters, name: string) => p.parameter?.find((x) => x.name === name);

describe('conformance resources and terminology over REST (pglite)', () => {
  let gw: TestGateway;
  let fhir: Fhir;

  beforeAll(async () => {
    gw = await startTestGateway('pglite');
    fhir = new Fhir(gw.base);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it.each([
    ['StructureDefinition', PATIENT as StructureDefinition | CodeSystem | ValueSet, SDS.length],
    ['CodeSystem', NOTICE_CS, CSS.length],
    ['ValueSet', NOTICE_VS, VSS.length],
  ])('%s: read by id, by url and url|version, listed, read-only', async (type, expected, count) => {
    const read = await fhir.get(`${type}/${expected.id}`);
    expect(read.status, read.text.slice(0, 300)).toBe(200);
    expect(read.body).toEqual(expected);

    const byUrl = await fhir.search(`${type}?url=${encodeURIComponent(expected.url!)}`);
    expect(byUrl.total).toBe(1);
    expect(byUrl.entry?.[0]?.resource).toEqual(expected);
    expect(byUrl.entry?.[0]?.fullUrl).toBe(`${gw.base}/${type}/${expected.id}`);
    const versioned = await fhir.search(`${type}?url=${encodeURIComponent(`${expected.url}|${expected.version}`)}`);
    expect(versioned.entry?.map((e) => e.resource?.id)).toEqual([expected.id]);
    expect((await fhir.search(`${type}?url=${encodeURIComponent(`${expected.url}|0.0.0-none`)}`)).total).toBe(0);
    expect((await fhir.search(`${type}?url=${encodeURIComponent('https://example.org/none')}`)).total).toBe(0);

    const all = await fhir.search(type);
    expect(all.total).toBe(count);
    expect(all.entry).toHaveLength(count);
    expect(all.entry?.map((e) => e.resource?.resourceType)).toEqual(Array(count).fill(type));
    expect(all.entry?.some((e) => e.resource?.id === expected.id)).toBe(true);

    expectOutcome(await fhir.get(`${type}/not-ours`), 404);
    expectOutcome(await fhir.get(`${type}?name=x`), 400);
    for (const [method, path] of [['PUT', `${type}/${expected.id}`], ['DELETE', `${type}/${expected.id}`], ['PATCH', `${type}/${expected.id}`], ['POST', type]] as const) {
      const a = await fhir.call(method, path, { body: expected });
      expectOutcome(a, 405);
      expect(a.headers.get('allow')).toBe('GET');
    }
    // Still what the code says after the attempted writes.
    expect((await fhir.get(`${type}/${expected.id}`)).body).toEqual(expected);
  });

  it('CodeSystem/$lookup: GET and POST, unknown system 404 and missing code 400 naming the parameter', async () => {
    const get = await fhir.get<Parameters>(`CodeSystem/$lookup?system=${encodeURIComponent(NOTICE_CS.url!)}&code=${CODE.code}`);
    expect(get.status, get.text).toBe(200);
    expect(param(get.body, 'display')?.valueString).toBe(CODE.display);
    const post = await fhir.post<Parameters>('CodeSystem/$lookup', {
      resourceType: 'Parameters',
      parameter: [{ name: 'coding', valueCoding: { system: NOTICE_CS.url, code: CODE.code } }],
    });
    expect(post.status, post.text).toBe(200);
    expect(param(post.body, 'display')?.valueString).toBe(CODE.display);

    const unknown = expectOutcome(await fhir.get(`CodeSystem/$lookup?system=${encodeURIComponent('https://example.org/cs')}&code=x`), 404);
    expect(unknown.issue?.[0]?.expression).toEqual(['system']);
    const missing = expectOutcome(await fhir.get(`CodeSystem/$lookup?system=${encodeURIComponent(NOTICE_CS.url!)}`), 400);
    expect(JSON.stringify(missing.issue)).toContain('code');
    const typo = expectOutcome(await fhir.get(`CodeSystem/$lookup?sytem=x&code=y`), 400);
    expect(typo.issue?.[0]?.expression).toEqual(['sytem']);
    expectOutcome(await fhir.post('CodeSystem/$lookup', { resourceType: 'Patient' }), 400);
    expectOutcome(await fhir.get(`CodeSystem/${NOTICE_CS.id}/$lookup?code=${CODE.code}`), 404);
  });

  it('ValueSet/$validate-code: type and instance level, GET and POST, unknown value set and bad parameter', async () => {
    const q = `system=${encodeURIComponent(NOTICE_CS.url!)}&code=${CODE.code}`;
    const type = await fhir.get<Parameters>(`ValueSet/$validate-code?url=${encodeURIComponent(NOTICE_VS.url!)}&${q}`);
    expect(type.status, type.text).toBe(200);
    expect(param(type.body, 'result')?.valueBoolean).toBe(true);
    const instance = await fhir.get<Parameters>(`ValueSet/${NOTICE_VS.id}/$validate-code?${q}`);
    expect(param(instance.body, 'result')?.valueBoolean).toBe(true);
    const wrong = await fhir.get<Parameters>(`ValueSet/${NOTICE_VS.id}/$validate-code?system=${encodeURIComponent(NOTICE_CS.url!)}&code=no-such-code`);
    expect(wrong.status).toBe(200);
    expect(param(wrong.body, 'result')?.valueBoolean).toBe(false);
    const post = await fhir.post<Parameters>(`ValueSet/${NOTICE_VS.id}/$validate-code`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'codeableConcept', valueCodeableConcept: { coding: [{ system: NOTICE_CS.url, code: CODE.code }] } }],
    });
    expect(post.status, post.text).toBe(200);
    expect(param(post.body, 'result')?.valueBoolean).toBe(true);

    expect(expectOutcome(await fhir.get(`ValueSet/$validate-code?url=${encodeURIComponent('https://example.org/vs')}&${q}`), 404).issue?.[0]?.expression).toEqual(['url']);
    expectOutcome(await fhir.get(`ValueSet/not-ours/$validate-code?${q}`), 404);
    const bad = expectOutcome(await fhir.get(`ValueSet/${NOTICE_VS.id}/$validate-code?${q}&colour=red`), 400);
    expect(bad.issue?.[0]?.expression).toEqual(['colour']);
    // CodeSystem/$validate-code is routed too.
    const cs = await fhir.get<Parameters>(`CodeSystem/${NOTICE_CS.id}/$validate-code?code=${CODE.code}`);
    expect(param(cs.body, 'result')?.valueBoolean).toBe(true);
  });

  it('ValueSet/$expand: type and instance level, GET and POST, filter and paging, unknown value set and bad count', async () => {
    const size = NOTICE_CS.concept!.length;
    const type = await fhir.get<ValueSet>(`ValueSet/$expand?url=${encodeURIComponent(NOTICE_VS.url!)}`);
    expect(type.status, type.text).toBe(200);
    expect(type.body.expansion?.total).toBe(size);
    expect(type.body.expansion?.contains?.map((c) => c.code)).toEqual(NOTICE_CS.concept!.map((c) => c.code));
    const page = await fhir.get<ValueSet>(`ValueSet/${NOTICE_VS.id}/$expand?count=2&offset=1`);
    expect(page.body.expansion?.contains?.map((c) => c.code)).toEqual(NOTICE_CS.concept!.slice(1, 3).map((c) => c.code));
    const post = await fhir.post<ValueSet>(`ValueSet/${NOTICE_VS.id}/$expand`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'filter', valueString: CODE.code }],
    });
    expect(post.status, post.text).toBe(200);
    expect(post.body.expansion?.contains?.map((c) => c.code)).toContain(CODE.code);

    const unknown = expectOutcome(await fhir.get(`ValueSet/$expand?url=${encodeURIComponent('https://example.org/vs')}`), 404);
    expect(unknown.issue?.[0]?.expression).toEqual(['url']);
    const count = expectOutcome(await fhir.get(`ValueSet/${NOTICE_VS.id}/$expand?count=-1`), 400);
    expect(count.issue?.[0]?.expression).toEqual(['count']);
    expectOutcome(await fhir.call('PUT', `ValueSet/${NOTICE_VS.id}/$expand`, { body: {} }), 405);
    expectOutcome(await fhir.get('StructureDefinition/$expand'), 404);
  });
});


describe('resources served from code inside a batch or transaction', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway('pglite');
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
  });

  it('are read by id and refuse writes with 405, as over REST', async () => {
    const post = (body: unknown) =>
      fetch(gw.base, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { entry?: { resource?: { resourceType?: string; id?: string }; response?: { status?: string } }[]; issue?: { details?: { text?: string } }[] },
      }));
    const batch = await post({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'GET', url: 'ValueSet/notice-kind' } }, { request: { method: 'GET', url: 'Measure/orebro' } }],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.entry?.map((e) => [e.response?.status, e.resource?.resourceType, e.resource?.id])).toEqual([
      ['200 OK', 'ValueSet', 'notice-kind'],
      ['200 OK', 'Measure', 'orebro'],
    ]);
    const write = await post({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ request: { method: 'PUT', url: 'Measure/orebro' }, resource: { resourceType: 'Measure', id: 'orebro', status: 'retired' } }],
    });
    expect(write.status).toBe(405);
    expect(write.body.issue?.[0]?.details?.text).toMatch(/read-only/);
  });
});
