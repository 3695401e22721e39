// Batch and transaction Bundles. A transaction is all-or-nothing in one database transaction:
// urn:uuid fullUrls get server ids first and every reference to them is rewritten; conditional
// entries (If-None-Exist, PUT Type?criteria, conditional references) are resolved inside it.
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Principal } from '../auth/principal.ts';
import { checkBundleEntries } from '../auth/scopes.ts';
import type { PreparedCreate, Repository, StoredVersion } from '../../store/repository.ts';
import { parseSearch } from '../../store/search-parse.ts';
import { dateRange } from '../../store/values.ts';
import { historyBundle, searchBundle } from './bundles-out.ts';
import type { Checked, WritePipeline } from '../pipeline.ts';
import { isValidId } from '../pipeline.ts';
import { conditionalCreate, conditionalUpdate, criteriaPairs, matchIds, stripServerFields } from './conditional.ts';
import { parseJson } from './body.ts';
import { HttpError, httpError, toOutcome } from './outcome.ts';
import { patchStored } from './patch.ts';
import { conformanceResource, isConformanceType } from './conformance-ops.ts';
import { agreementMeasure } from './measure-ops.ts';
import type { Prefer } from './prefer.ts';

export interface BundleServices {
  repo: Repository;
  pipeline: WritePipeline;
  baseUrl: string;
}

const MAX_ENTRIES = 1000;
const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

interface ParsedEntry {
  index: number;
  method: string;
  url: string;
  path: string[];
  query: [string, string][];
  fullUrl?: string;
  resource?: Resource;
  ifNoneExist?: string;
  ifMatch?: string;
  raw: BundleEntry;
  /** POST with If-None-Exist: the id found or chosen in step 1. */
  assignedId?: string;
  /** Conditional PUT: the id it resolved to in step 1 (the match, or the one to create). */
  resolvedId?: string;
  /** The matched resource's current version, read (for update) in step 1, null when none matched; used once. */
  current?: StoredVersion | null;
  /** `Type/id` that references to this entry's fullUrl resolve to (step 1). */
  idMapped?: string;
  /** Validated before the database transaction opened (a create, or an update by id, of an independent Bundle). */
  checked?: Checked;
  /** A create's stored version computed before the database transaction opened. */
  prepared?: PreparedCreate;
}

export async function processBundle(s: BundleServices, body: unknown, principal: Principal, prefer: Prefer): Promise<Bundle> {
  const bundle = checkBundle(body);
  const entries = (bundle.entry ?? []).map((e, i) => parseEntry(e, i));
  if (bundle.type === 'transaction') {
    const denied = checkBundleEntries(principal.scopes, bundle.entry);
    if (denied) {
      throw httpError(403, 'forbidden', `Bundle.entry[${denied.index}]: ${denied.reason}`, `Bundle.entry[${denied.index}].request`);
    }
    return transaction(s, entries, principal, prefer);
  }
  const responses: BundleEntry[] = [];
  for (const e of entries) {
    const denied = checkBundleEntries(principal.scopes, [e.raw]);
    if (denied) {
      responses.push(errorEntry(httpError(403, 'forbidden', `${e.method} ${e.url}: ${denied.reason}`)));
      continue;
    }
    try {
      responses.push(await s.repo.transaction((tx) => execute({ ...s, repo: tx }, e, principal, prefer)));
    } catch (err) {
      responses.push(errorEntry(err));
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
}

function checkBundle(body: unknown): Bundle {
  const b = body as Bundle | null;
  if (!b || typeof b !== 'object' || Array.isArray(b) || b.resourceType !== 'Bundle') {
    throw httpError(400, 'invalid', 'POST to the base URL takes a Bundle of type batch or transaction', 'resourceType');
  }
  if (b.type !== 'batch' && b.type !== 'transaction') {
    throw httpError(400, 'invalid', `Bundle.type must be batch or transaction, not ${String(b.type)}`, 'Bundle.type');
  }
  if (b.entry !== undefined && !Array.isArray(b.entry)) throw httpError(400, 'structure', 'Bundle.entry must be an array', 'Bundle.entry');
  if ((b.entry?.length ?? 0) > MAX_ENTRIES) {
    throw httpError(413, 'too-costly', `A bundle may have at most ${MAX_ENTRIES} entries`, 'Bundle.entry');
  }
  return b;
}

function parseEntry(e: BundleEntry, index: number): ParsedEntry {
  const where = `Bundle.entry[${index}]`;
  if (!e || typeof e !== 'object') throw httpError(400, 'structure', `${where} must be an object`, where);
  const method = e.request?.method;
  const url = e.request?.url;
  if (typeof method !== 'string' || !(method in ORDER)) throw httpError(400, 'required', `${where}.request.method must be GET, POST, PUT, PATCH or DELETE`, `${where}.request.method`);
  if (typeof url !== 'string' || !url) throw httpError(400, 'required', `${where}.request.url is missing`, `${where}.request.url`);
  const [pathPart, queryPart] = url.split('?', 2) as [string, string | undefined];
  const path = pathPart.split('/').filter(Boolean);
  if ((method === 'POST' || method === 'PUT') && (!e.resource || typeof e.resource !== 'object')) {
    throw httpError(400, 'required', `${where}.resource is required for ${method}`, `${where}.resource`);
  }
  return {
    index,
    method,
    url,
    path,
    query: queryPart ? [...new URLSearchParams(queryPart).entries()] : [],
    fullUrl: e.fullUrl,
    resource: e.resource,
    ifNoneExist: e.request?.ifNoneExist,
    ifMatch: e.request?.ifMatch?.replace(/^W\//, '').replace(/"/g, ''),
    raw: e,
  };
}

async function transaction(s: BundleServices, entries: ParsedEntry[], principal: Principal, prefer: Prefer): Promise<Bundle> {
  const responses: BundleEntry[] = new Array(entries.length);
  // A Bundle without conditional entries or references needs no database to give its resources ids, resolve
  // its references and validate them: that is done before the database transaction opens, which then holds
  // its connection (PGlite has only one) for the writes alone, not for the validation too.
  const independent = entries.every((e) => !conditionOf(e) && !(e.resource && conditionalReferences(e.resource).size));
  if (independent) {
    await resolveIds(s.repo, entries, principal, new Map());
    await rewriteAll(s.repo, entries, principal);
    for (const e of entries) {
      try {
        e.checked = precheck(s, e);
        // A create's stored form and index rows too (its id is the one step 1 gave it, or a new one).
        if (e.checked && e.method === 'POST') e.prepared = s.repo.prepareCreate(e.checked.resource, e.assignedId);
      } catch (err) {
        throw entryFailure(e, err);
      }
    }
  }
  await s.repo.transaction(async (tx) => {
    const ts = { ...s, repo: tx };
    if (!independent) {
      // 1. Give every new resource its id (or find the existing one for a conditional create or update) so
      // references resolve. The conditions are locked first, in one sorted order (no deadlock between two
      // transactions), and stay locked until commit: two transactions naming the same new resource by its
      // identifier cannot both create it.
      const conditions = new Map<ParsedEntry, Condition>();
      const named = new Map<string, ParsedEntry>();
      for (const e of entries) {
        const c = conditionOf(e);
        if (!c) continue;
        // Two entries naming one resource by the same criteria would both create it when none matches (FHIR:
        // resource identities in a transaction may not overlap).
        const key = `${c.type}?${new URLSearchParams(c.criteria).toString()}`;
        const first = named.get(key);
        if (first) {
          throw httpError(400, 'invalid', `Bundle.entry[${first.index}] and Bundle.entry[${e.index}] both name ${key}: a transaction may write a resource once`, `Bundle.entry[${e.index}].request`);
        }
        named.set(key, e);
        conditions.set(e, c);
      }
      await tx.lockAll([...new Set([...conditions.values()].map((c) => `${c.kind}:${c.type}?${c.criteria}`))].sort());
      await resolveIds(tx, entries, principal, conditions);
      // 2. Rewrite references to urn:uuid fullUrls and resolve conditional references.
      await rewriteAll(tx, entries, principal);
    }
    // 3. Process in the order FHIR prescribes: DELETE, POST, PUT/PATCH, GET.
    const order = [...entries].sort((a, b) => (ORDER[a.method]! - ORDER[b.method]!) || a.index - b.index);
    for (const e of order) {
      try {
        responses[e.index] = await execute(ts, e, principal, prefer);
      } catch (err) {
        throw entryFailure(e, err);
      }
    }
  });
  return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
}

/** The whole transaction fails with the failing entry's status, and the outcome says which entry. */
function entryFailure(e: ParsedEntry, err: unknown): HttpError {
  const { status, outcome } = toOutcome(err);
  const issues = (outcome.issue ?? []).map((i) => ({
    ...i,
    details: { text: `Bundle.entry[${e.index}]: ${i.details?.text ?? ''}` },
    expression: i.expression?.length ? i.expression.map((x) => `Bundle.entry[${e.index}].resource.${x.replace(/^[A-Z][A-Za-z]+\./, '')}`) : [`Bundle.entry[${e.index}]`],
  }));
  return new HttpError(status, { resourceType: 'OperationOutcome', issue: issues });
}

/**
 * The checks a create (POST without If-None-Exist) or an update by id will certainly make, made early. Entries
 * whose check depends on what is stored (an If-None-Exist match is not validated; a no-op update is not
 * either) are left to execute.
 */
function precheck(s: BundleServices, e: ParsedEntry): Checked | undefined {
  const [type, id] = e.path;
  // Types served read-only from code answer a write with 405 in execute, before any validation.
  if (!e.resource || !type || !s.pipeline.served(type) || type === 'Measure' || isConformanceType(type)) return undefined;
  if (e.method === 'POST' && e.path.length === 1 && !e.ifNoneExist) return s.pipeline.check(stripServerFields(e.resource, false), type);
  if (e.method === 'PUT' && e.path.length === 2 && id !== undefined && isValidId(id)) return s.pipeline.check(stripServerFields(e.resource, true), type, id);
  return undefined;
}

/**
 * Step 1: every new resource's id (or, for a conditional create or update, the match's) in the map from fullUrl
 * to `Type/id` that references resolve through. `conditions` are already locked in `repo`'s transaction.
 */
async function resolveIds(repo: Repository, entries: ParsedEntry[], principal: Principal, conditions: Map<ParsedEntry, Condition>): Promise<void> {
  // Conditions that are one exact identifier (what the source adapters send) are resolved together.
  const prefound = await resolveIdentifiers(repo, conditions, principal);
  const find = async (e: ParsedEntry, type: string, criteria: string): Promise<string | undefined> => {
    const found = prefound.get(e);
    if (!found) return findOne(repo, type, criteria, principal, e.index);
    if (found.length > 1) throw httpError(412, 'duplicate', `Bundle.entry[${e.index}]: the criteria ${type}?${criteria} match more than one resource`);
    e.current = found[0] ?? null;
    return found[0]?.id;
  };
  for (const e of entries) {
    const c = conditions.get(e);
    if (e.method === 'POST' && e.resource && e.fullUrl) {
      const type = e.path[0] ?? e.resource.resourceType;
      let id: string | undefined;
      if (c) id = await find(e, c.type, c.criteria);
      e.idMapped = `${type}/${id ?? randomUUID()}`;
      e.assignedId = e.idMapped.split('/')[1];
    }
    if (e.method === 'PUT' && e.resource && e.fullUrl && e.path.length === 2) e.idMapped = `${e.path[0]}/${e.path[1]}`;
    if (c?.kind === 'update' && e.resource && e.fullUrl) {
      // A conditional update with a urn:uuid fullUrl: references to it mean the matched resource, or the
      // one it creates (FHIR R4 transaction rules); the id chosen here is the one created.
      const found = await find(e, c.type, c.criteria);
      const id = found ?? e.resource.id ?? randomUUID();
      e.idMapped = `${c.type}/${id}`;
      // A body id that differs from the match stays, so the update refuses it as REST does.
      if (e.resource.id === undefined) e.resource = { ...e.resource, id };
      // Resolved under the lock held to commit: execute need not search again.
      if (e.resource.id === id) e.resolvedId = id;
    }
  }
  // A version read in step 1 is stale once another entry writes that resource first: such entries read afresh.
  const writers = new Map<string, number>();
  for (const e of entries) {
    const target = e.current ? `${e.current.resourceType}/${e.current.id}` : e.path.length >= 2 && e.method !== 'GET' && e.method !== 'HEAD' ? `${e.path[0]}/${e.path[1]}` : undefined;
    if (target) writers.set(target, (writers.get(target) ?? 0) + 1);
  }
  for (const e of entries) if (e.current && writers.get(`${e.current.resourceType}/${e.current.id}`)! > 1) e.current = undefined;
}

/** Step 2: references to urn:uuid fullUrls rewritten, conditional references searched and rewritten. */
async function rewriteAll(repo: Repository, entries: ParsedEntry[], principal: Principal): Promise<void> {
  const idMap = new Map<string, string>();
  for (const e of entries) if (e.fullUrl && e.idMapped) idMap.set(e.fullUrl, e.idMapped);
  for (const e of entries) {
    if (!e.resource) continue;
    // Conditional references are searched first (async); the rewrite itself is one synchronous walk.
    const conditional = new Map<string, string>();
    for (const ref of conditionalReferences(e.resource)) {
      const [type, criteria] = ref.split('?', 2) as [string, string];
      const id = await findOne(repo, type, criteria, principal, e.index);
      if (!id) throw httpError(404, 'not-found', `Bundle.entry[${e.index}]: the conditional reference ${type}?… matched nothing`);
      conditional.set(ref, `${type}/${id}`);
    }
    const unresolved: string[] = [];
    e.resource = rewriteReferences(e.resource, idMap, conditional, unresolved) as Resource;
    if (unresolved.length) {
      throw httpError(400, 'invalid', `Bundle.entry[${e.index}]: the reference ${unresolved[0]} is the fullUrl of no entry in the Bundle`, `Bundle.entry[${e.index}].resource`);
    }
  }
}

async function findOne(repo: Repository, type: string, criteria: string, scope: Principal, index: number): Promise<string | undefined> {
  const ids = await matchIds(repo, type, criteriaPairs(criteria), scope);
  if (ids.length > 1) throw httpError(412, 'duplicate', `Bundle.entry[${index}]: the criteria ${type}?${criteria} match more than one resource`);
  return ids[0];
}

const CONDITIONAL_REFERENCE = /^[A-Z][A-Za-z]+\?/;

/**
 * The exact-identifier conditions of the entries (POST If-None-Exist, conditional PUT), resolved in one
 * statement. Entries with other criteria are not in the map: they are searched one by one.
 */
async function resolveIdentifiers(tx: Repository, conditions: Map<ParsedEntry, Condition>, principal: Principal): Promise<Map<ParsedEntry, StoredVersion[]>> {
  const simple: { e: ParsedEntry; resourceType: string; system: string; value: string }[] = [];
  for (const [e, c] of conditions) {
    const pairs = criteriaPairs(c.criteria);
    const [name, token] = pairs[0] ?? [];
    const bar = token?.indexOf('|') ?? -1;
    if (pairs.length !== 1 || name !== 'identifier' || !token || bar <= 0 || bar === token.length - 1 || token.indexOf('|', bar + 1) >= 0) continue;
    simple.push({ e, resourceType: c.type, system: token.slice(0, bar), value: token.slice(bar + 1) });
  }
  const found = simple.length ? await tx.findByIdentifiers(simple, principal) : undefined;
  return new Map(found ? simple.map((w, n) => [w.e, found[n]!]) : []);
}

/** A POST with If-None-Exist (create) or a PUT by criteria (update) that step 1 resolves. */
type Condition = { kind: 'create' | 'update'; type: string; criteria: string };

function conditionOf(e: ParsedEntry): Condition | undefined {
  if (!e.resource || !e.fullUrl) return undefined;
  const type = e.path[0] ?? e.resource.resourceType;
  if (e.method === 'POST' && e.ifNoneExist) return { kind: 'create', type, criteria: e.ifNoneExist };
  if (e.method === 'PUT' && e.path.length === 1 && e.query.length) return { kind: 'update', type, criteria: new URLSearchParams(e.query).toString() };
  return undefined;
}

/** The current version of the resource an entry resolved to: the one read in step 1, once, else read now. */
async function currentOf(s: BundleServices, e: ParsedEntry, type: string, id: string, forUpdate: boolean): Promise<StoredVersion | null> {
  const known = e.current === null ? null : e.current?.id === id ? e.current : undefined;
  e.current = undefined;
  return known === undefined ? ((await s.repo.currentVersion(type, id, forUpdate)) ?? null) : known;
}

/** Stored content (with server meta) and a candidate body say the same thing. */
function sameContent(stored: string, candidate: Resource): boolean {
  return isDeepStrictEqual(stripServerFields(JSON.parse(stored), true), candidate);
}

/** Every distinct `Type?criteria` reference in a resource. */
function conditionalReferences(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) conditionalReferences(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && CONDITIONAL_REFERENCE.test(v)) out.add(v);
      else conditionalReferences(v, out);
    }
  }
  return out;
}

/** Rewrites every `reference` (and uri value) equal to a bundle fullUrl, and resolved conditional references. */
function rewriteReferences(value: unknown, idMap: Map<string, string>, conditional: Map<string, string>, unresolved: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, idMap, conditional, unresolved));
  if (value === null || typeof value !== 'object') return typeof value === 'string' && idMap.has(value) ? idMap.get(value) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') {
      out[k] = idMap.get(v) ?? conditional.get(v) ?? v;
      // A urn:uuid names a resource of this Bundle only; stored as it is, it would point at nothing.
      if (out[k] === v && v.startsWith('urn:uuid:')) unresolved.push(v);
    } else out[k] = rewriteReferences(v, idMap, conditional, unresolved);
  }
  return out;
}

/** One entry against the repository; the same interactions the REST API offers. */
async function execute(s: BundleServices, e: ParsedEntry, principal: Principal, prefer: Prefer): Promise<BundleEntry> {
  const [type, id, sub, vid] = e.path;
  if (type === '_history' && e.path.length === 1 && (e.method === 'GET' || e.method === 'HEAD')) {
    return { resource: await historyEntry(s, {}, e.query, principal), response: { status: '200 OK' } };
  }
  // Resources served from code (the agreements' Measures, the project's StructureDefinitions, CodeSystems and
  // ValueSets) are read-only here as over REST: a write is 405, a read by id answers them.
  const fromCode = type && id !== undefined && !id.startsWith('_') ? (type === 'Measure' ? agreementMeasure(id) : conformanceResource(type, id)) : undefined;
  if (fromCode || (type && isConformanceType(type))) {
    if (e.method !== 'GET' && e.method !== 'HEAD') throw httpError(405, 'not-supported', `${type}${id ? `/${id}` : ''} is served read-only from the gateway's own definitions`);
    if (fromCode && sub === undefined) return { resource: fromCode as Resource, response: { status: '200 OK' } };
  }
  if (!type || !s.pipeline.served(type)) throw httpError(404, 'not-found', `Unknown or unserved resource type in ${e.url}`);
  if (id !== undefined && !isValidId(id) && !id.startsWith('_')) throw httpError(400, 'invalid', `'${id}' is not a valid id`);
  switch (e.method) {
    case 'GET':
    case 'HEAD': {
      if (id === undefined) {
        // The same searchset (links, _summary, _elements, totals) a GET on the type answers.
        const req = parseSearch(type, e.query, s.repo.registry, { lenient: prefer.handling === 'lenient' });
        const result = await s.repo.search(req, principal);
        return { resource: JSON.parse(searchBundle(s.baseUrl, req, result)) as Bundle, response: { status: '200 OK' } };
      }
      if (id === '_history' || (sub === '_history' && vid === undefined)) {
        const target = id === '_history' ? { resourceType: type } : { resourceType: type, id };
        return { resource: await historyEntry(s, target, e.query, principal), response: { status: '200 OK' } };
      }
      if (id.startsWith('_') || (sub !== undefined && (sub !== '_history' || e.path.length > 4))) {
        throw httpError(404, 'not-found', `No FHIR interaction at GET ${e.url} in a bundle`);
      }
      const content = sub === '_history' && vid ? await s.repo.vread(type, id, vid, principal) : await s.repo.read(type, id, principal);
      return okEntry(s, '200 OK', content, prefer);
    }
    case 'POST': {
      if (e.ifNoneExist && e.assignedId) {
        // Resolved in step 1: an existing match means nothing is created (nor validated: nothing is written).
        const existing = await currentOf(s, e, type, e.assignedId, false);
        if (existing && !existing.deleted && existing.content) return okEntry(s, '200 OK', existing.content, prefer);
      }
      const { resource, warnings } = e.checked ?? s.pipeline.check(stripServerFields(e.resource, false), type);
      if (e.ifNoneExist && !e.assignedId) {
        const r = await conditionalCreate(s.repo, resource, e.ifNoneExist, principal);
        return okEntry(s, r.created ? '201 Created' : '200 OK', r.content, prefer, warnings);
      }
      const written = await s.repo.create(e.prepared ?? resource, e.assignedId);
      return okEntry(s, '201 Created', written.resource, prefer, warnings);
    }
    case 'PUT': {
      if (id === undefined && e.resolvedId) {
        // A conditional update resolved in step 1. The same content as stored is no new version (a
        // "no-op update", as HAPI suppresses them): repeated projections of a stay write only what changed.
        const candidate = stripServerFields(e.resource, true) as Resource;
        const current = await currentOf(s, e, type, e.resolvedId, true);
        if (current && !current.deleted && current.content && sameContent(current.content, candidate)) {
          return okEntry(s, '200 OK', current.content, prefer);
        }
        const { resource, warnings } = s.pipeline.check(candidate, type, e.resolvedId);
        const written = await s.repo.update(resource, undefined, current);
        return okEntry(s, written.created ? '201 Created' : '200 OK', written.content, prefer, warnings);
      }
      if (id === undefined) {
        if (!e.query.length) throw httpError(400, 'invalid', `PUT ${e.url} needs an id or search criteria`);
        const r = await conditionalUpdate(s.repo, s.pipeline, type, stripServerFields(e.resource, true) as Resource, e.query, principal);
        return okEntry(s, r.created ? '201 Created' : '200 OK', r.content, prefer, r.warnings);
      }
      const { resource, warnings } = e.checked ?? s.pipeline.check(stripServerFields(e.resource, true), type, id);
      const written = await s.repo.update(resource, e.ifMatch);
      return okEntry(s, written.created ? '201 Created' : '200 OK', written.content, prefer, warnings);
    }
    case 'PATCH': {
      if (id === undefined) throw httpError(400, 'invalid', `PATCH ${e.url} needs an id`);
      const ops = patchOps(e.raw);
      const written = await patchStored(s.repo, s.pipeline, type, id, ops, e.ifMatch);
      return okEntry(s, '200 OK', written.content, prefer, written.warnings);
    }
    case 'DELETE': {
      if (id === undefined) throw httpError(400, 'invalid', `DELETE ${e.url} needs an id`);
      await s.repo.assertExists(type, id, principal);
      await s.repo.delete(type, id, e.ifMatch);
      return { response: { status: '204 No Content' } };
    }
  }
  throw httpError(400, 'invalid', `Unsupported method ${e.method}`);
}

/** A history Bundle for a GET …/_history entry, paged like the REST interaction. */
async function historyEntry(s: BundleServices, target: { resourceType?: string; id?: string }, query: [string, string][], principal: Principal): Promise<Bundle> {
  const q = new Map(query);
  for (const key of q.keys()) {
    if (!['_count', '_offset', '_since', '_format', '_pretty'].includes(key)) throw httpError(400, 'not-supported', `History does not support the parameter '${key}'`, key);
  }
  const int = (name: string, dflt: number, max: number) => {
    const v = q.get(name);
    if (v === undefined || v === '') return dflt;
    if (!/^\d{1,10}$/.test(v)) throw httpError(400, 'invalid', `${name} must be a non-negative integer`, name);
    return Math.min(Number(v), max);
  };
  const count = int('_count', 20, 1000);
  const offset = int('_offset', 0, 1_000_000_000);
  const sinceText = q.get('_since');
  const since = sinceText === undefined ? undefined : dateRange(sinceText)?.lo;
  if (sinceText !== undefined && since === undefined) throw httpError(400, 'invalid', '_since must be an instant', '_since');
  const result = await s.repo.history(principal, target, { count, offset, since });
  const path = [target.resourceType, target.id, '_history'].filter(Boolean).join('/');
  return JSON.parse(historyBundle(s.baseUrl, path, result, { count, offset, since })) as Bundle;
}

/** A PATCH entry carries its JSON Patch as a Binary (base64 data) resource, per FHIR R4. */
function patchOps(entry: BundleEntry): unknown {
  const r = entry.resource as { resourceType?: string; data?: string; contentType?: string } | undefined;
  if (r?.resourceType === 'Binary' && typeof r.data === 'string') {
    try {
      // parseJson, like a REST body: nesting bounded, no NUL or lone surrogates reaching the store.
      return parseJson(Buffer.from(r.data, 'base64').toString('utf8'));
    } catch (err) {
      throw httpError(400, 'invalid', `The PATCH entry Binary does not hold a JSON Patch: ${(err as Error).message}`);
    }
  }
  throw httpError(400, 'invalid', 'A PATCH entry needs a Binary resource holding the JSON Patch (contentType application/json-patch+json)');
}

/** `stored`: the stored version, as its JSON text or (just written) as the object that text serialises. */
function okEntry(s: BundleServices, status: string, stored: string | Resource, prefer: Prefer, warnings: OperationOutcome['issue'] = []): BundleEntry {
  const resource = typeof stored === 'string' ? (JSON.parse(stored) as Resource) : stored;
  const response: BundleEntry['response'] = {
    status,
    location: `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`,
    etag: `W/"${resource.meta?.versionId}"`,
    lastModified: resource.meta?.lastUpdated,
    ...(warnings?.length ? { outcome: { resourceType: 'OperationOutcome', issue: warnings } } : {}),
  };
  return {
    fullUrl: `${s.baseUrl}/${resource.resourceType}/${resource.id}`,
    ...(prefer.return === 'minimal' ? {} : { resource }),
    response,
  };
}

function errorEntry(err: unknown): BundleEntry {
  const { status, outcome } = toOutcome(err);
  return { response: { status: String(status), outcome } };
}
