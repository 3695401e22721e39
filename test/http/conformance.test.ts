// The project's StructureDefinitions, CodeSystems, ValueSets and SearchParameters over HTTP on loopback:
// read-only from code by id, by url (and url|version) and listed, paged (_count, _offset, _total, _summary);
// writes 405; the project's SearchParameters also work in search; the terminology operations routed, type and
// instance level, GET and POST, with their 400/404 OperationOutcomes naming the parameter.
import type { Bundle, CodeSystem, Parameters, SearchParameter, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE, structureDefinitions } from '../../src/profiles/definitions/index.ts';
import { projectSearchParameters } from '../../src/profiles/definitions/search-parameters.ts';
import { allCodeSystems, allValueSets } from '../../src/profiles/terminology/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectOutcome, Fhir, matchIds } from './http.ts';

const SDS = structureDefinitions();
const CSS = allCodeSystems();
const VSS = allValueSets();
const PATIENT = SDS.find((sd) => sd.url === PROFILE.patient)!;
const NOTICE_CS = CSS.find((c) => c.id === 'notice-kind')!;
const NOTICE_VS = VSS.find((v) => v.id === 'notice-kind')!;
const CODE = NOTICE_CS.concept![0]!;
const SPS = projectSearchParameters();
const LIABLE = SPS.find((p) => p.code === 'liable-kommun')!;
type Conformance = StructureDefinition | CodeSystem | ValueSet | SearchParameter;

const param = (p: Parameters, name: string) => p.parameter?.find((x) => x.name === name);

/** Every resource of a listing, following its next links from the first page. */
async function allPages(fhir: Fhir, query: string): Promise<Conformance[]> {
  const out: Conformance[] = [];
  for (let url: string | undefined = query, pages = 0; url && pages < 100; pages++) {
    const b = await fhir.search(url);
    out.push(...(b.entry ?? []).map((e) => e.resource as Conformance));
    url = b.link?.find((l) => l.relation === 'next')?.url;
  }
  return out;
}

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
    ['StructureDefinition', PATIENT as Conformance, SDS.length],
    ['CodeSystem', NOTICE_CS as Conformance, CSS.length],
    ['ValueSet', NOTICE_VS as Conformance, VSS.length],
    ['SearchParameter', LIABLE as Conformance, SPS.length],
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

    // Listed in pages of 20 by default; following next links gives each of them once.
    const first = await fhir.search(type);
    expect(first.total).toBe(count);
    expect(first.entry).toHaveLength(Math.min(count, 20));
    const all = await allPages(fhir, type);
    expect(all).toHaveLength(count);
    expect(new Set(all.map((r) => r.id)).size).toBe(count);
    expect(all.map((r) => r.resourceType)).toEqual(Array(count).fill(type));
    expect(all.some((r) => r.id === expected.id)).toBe(true);

    expectOutcome(await fhir.get(`${type}/not-ours`), 404);
    expect(expectOutcome(await fhir.get(`${type}?name=x`), 400).issue?.[0]?.expression).toEqual(['name']);
    for (const [method, path] of [['PUT', `${type}/${expected.id}`], ['DELETE', `${type}/${expected.id}`], ['PATCH', `${type}/${expected.id}`], ['POST', type]] as const) {
      const a = await fhir.call(method, path, { body: expected });
      expectOutcome(a, 405);
      expect(a.headers.get('allow')).toBe('GET');
    }
    // Still what the code says after the attempted writes.
    expect((await fhir.get(`${type}/${expected.id}`)).body).toEqual(expected);
  });

  it('listings page with _count and _offset (first, previous, next links), _total=none, _summary=count and true; bad values 400 naming them', async () => {
    const listed = (await allPages(fhir, 'StructureDefinition')).map((r) => r.id);
    const page = await fhir.search('StructureDefinition?_count=5&_offset=5');
    expect(page.total).toBe(SDS.length);
    expect(page.entry?.map((e) => e.resource?.id)).toEqual(listed.slice(5, 10));
    const rel = (b: Bundle, r: string) => b.link?.find((l) => l.relation === r)?.url;
    expect(rel(page, 'self')).toBe(`${gw.base}/StructureDefinition?_count=5&_offset=5`);
    expect(rel(page, 'first')).toBe(`${gw.base}/StructureDefinition?_count=5`);
    expect(rel(page, 'previous')).toBe(`${gw.base}/StructureDefinition?_count=5`);
    expect(rel(page, 'next')).toBe(`${gw.base}/StructureDefinition?_count=5&_offset=10`);
    const last = await fhir.search(`StructureDefinition?_count=5&_offset=${SDS.length - 1}`);
    expect(last.entry).toHaveLength(1);
    expect(rel(last, 'next')).toBeUndefined();
    expect((await fhir.search(`StructureDefinition?_offset=${SDS.length + 10}`)).entry ?? []).toEqual([]);

    const noTotal = await fhir.search('CodeSystem?_total=none&_count=2');
    expect(noTotal.total).toBeUndefined();
    expect(noTotal.entry).toHaveLength(2);
    expect(rel(noTotal, 'next')).toContain('_total=none');
    const counted = await fhir.search('ValueSet?_summary=count');
    expect(counted.total).toBe(VSS.length);
    expect(counted.entry ?? []).toEqual([]);

    // _summary=true: a StructureDefinition without its snapshot and differential, marked SUBSETTED.
    const full = await fhir.get('StructureDefinition?_count=1000');
    const summary = await fhir.get<Bundle<StructureDefinition>>('StructureDefinition?_summary=true&_count=1000');
    expect(summary.status).toBe(200);
    expect(summary.text.length).toBeLessThan(full.text.length / 10);
    const sd = summary.body.entry?.find((e) => e.resource?.id === PATIENT.id)?.resource;
    expect(sd?.url).toBe(PATIENT.url);
    expect(sd?.snapshot).toBeUndefined();
    expect(sd?.differential).toBeUndefined();
    expect(sd?.meta?.tag).toContainEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' });

    // url works with paging parameters too.
    const byUrl = await fhir.search(`StructureDefinition?url=${encodeURIComponent(PATIENT.url!)}&_summary=true`);
    expect(byUrl.entry?.map((e) => e.resource?.id)).toEqual([PATIENT.id]);

    for (const [query, name] of [
      ['_count=abc', '_count'],
      ['_count=-1', '_count'],
      ['_offset=1.5', '_offset'],
      ['_total=maybe', '_total'],
      ['_summary=text', '_summary'],
      ['_count=1&_count=2', '_count'],
      ['_sort=name', '_sort'],
    ]) {
      expect(expectOutcome(await fhir.get(`StructureDefinition?${query}`), 400).issue?.[0]?.expression, query).toEqual([name]);
    }
  });

  it("the project's SearchParameters are read like the others and answer searches with their code", async () => {
    for (const sp of SPS) {
      expect((await fhir.get(`SearchParameter/${sp.id}`)).body).toEqual(sp);
      const none = sp.type === 'date' ? '1900-01-01' : '0000';
      expect(matchIds(await fhir.search(`${sp.base![0]}?${sp.code}=${none}`))).toEqual([]);
    }
    expectOutcome(await fhir.get('SearchParameter/Patient-name'), 404);
    expectOutcome(await fhir.get('SearchParameter/$expand'), 404);
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
