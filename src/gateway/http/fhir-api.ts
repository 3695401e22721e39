// The FHIR R4 REST surface. One dispatcher over the path segments rather than express route patterns,
// so that unknown types, unsupported methods (405 with Allow) and `$` operations are decided in one place.
import { isResourceType, OperationOutcomeError } from '@medplum/core';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { principalOf, requireScope } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import type { Interaction } from '../auth/scopes.ts';
import type { Repository } from '../../store/repository.ts';
import { parseSearch, type SearchRequest } from '../../store/search-parse.ts';
import { dateRange } from '../../store/values.ts';
import { isValidId, type WritePipeline } from '../pipeline.ts';
import { checkAcceptable, mediaType, readJsonBody, readRawBody } from './body.ts';
import { processBundle } from './bundle.ts';
import { conformanceRoute, isConformanceType } from './conformance-ops.ts';
import { measureRoute } from './measure-ops.ts';
import { patchStored } from './patch.ts';
import { FHIR_JSON, HttpError, httpError, outcome, toOutcome } from './outcome.ts';
import { parsePrefer, type Prefer } from './prefer.ts';
import { historyBundle, searchBundle } from './bundles-out.ts';
import { conditionalCreate, conditionalUpdate, stripServerFields } from './conditional.ts';

export interface FhirApiServices {
  repo: Repository;
  pipeline: WritePipeline;
  baseUrl: string;
  maxBodyBytes: number;
  capabilityStatement: () => string;
  logger: Logger;
}

export type Handler = (req: Request, res: Response, ctx: RequestContext) => Promise<void>;

export interface RequestContext {
  principal: Principal;
  prefer: Prefer;
  segments: string[];
}

const PATCH_TYPES = ['application/json-patch+json'];
const HISTORY_PARAMS = new Set(['_count', '_offset', '_since', '_format', '_pretty']);
const FORM_TYPE = 'application/x-www-form-urlencoded';
/**
 * Types the gateway validates (type-level `POST {type}/$validate`) but does not store, so every other
 * interaction on them stays 404: Bundle, for profiles such as Utskrivningsinformation (docs/profiles.md).
 * Not in the CapabilityStatement, which lists the served types and what the capability test walks.
 */
const VALIDATE_ONLY_TYPES: ReadonlySet<string> = new Set(['Bundle']);

export function fhirApi(s: FhirApiServices) {
  return async (req: Request, res: Response, _next: NextFunction): Promise<void> => {
    try {
      checkAcceptable(req);
      const segments = splitPath(req.path);
      const ctx: RequestContext = { principal: principalOf(res), prefer: parsePrefer(req.headers.prefer), segments };
      const handler = route(s, req.method, segments);
      await handler(req, res, ctx);
    } catch (err) {
      sendError(res, err, s.logger);
    }
  };
}

function splitPath(path: string): string[] {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw httpError(400, 'invalid', 'The URL path is not validly percent-encoded');
  }
}

/** Picks the handler for a method and path, or throws the 404/405 that explains why there is none. */
function route(s: FhirApiServices, method: string, seg: string[]): Handler {
  const [a, b, c, d] = seg;
  const n = seg.length;
  if (n === 0) return methods(method, { POST: (req, res, ctx) => bundle(s, req, res, ctx) });
  if (a === 'metadata' && n === 1) return methods(method, { GET: async (_q, res) => sendText(res, 200, s.capabilityStatement()) });
  if (a === '_history' && n === 1) return methods(method, { GET: (req, res, ctx) => history(s, req, res, ctx, {}) });
  const type = a as string;
  if (isConformanceType(type)) {
    // The project's own StructureDefinitions, CodeSystems and ValueSets, read-only from code, and the
    // terminology operations (conformance-ops.ts); the store answers the rest only if it serves the type.
    const stored = s.pipeline.served(type);
    const h = conformanceRoute(s, method, seg, { methods, send: sendJson, stored, search: (req, res, ctx) => search(s, req, res, ctx, type) });
    if (h) return h;
  }
  if (VALIDATE_ONLY_TYPES.has(type) && !s.pipeline.served(type)) {
    // FHIR allows $validate on any resource type; a type the store does not serve has only that.
    if (n === 2 && b === '$validate') return methods(method, { POST: (req, res, ctx) => validate(s, req, res, ctx, type) });
  }
  checkType(s, type);
  if (type === 'Measure') {
    // $evaluate-measure and the rule packs' read-only Measures (measure-ops.ts); anything else is plain REST.
    const h = measureRoute(s, method, seg, { methods, send: sendJson, search: (req, res, ctx) => search(s, req, res, ctx, type) });
    if (h) return h;
  }
  if (n === 1) {
    return methods(method, {
      GET: (req, res, ctx) => search(s, req, res, ctx, type),
      POST: (req, res, ctx) => create(s, req, res, ctx, type),
      PUT: (req, res, ctx) => condUpdate(s, req, res, ctx, type),
    });
  }
  if (n === 2 && b === '_search') return methods(method, { POST: (req, res, ctx) => search(s, req, res, ctx, type) });
  if (n === 2 && b === '_history') return methods(method, { GET: (req, res, ctx) => history(s, req, res, ctx, { resourceType: type }) });
  if (n === 2 && b === '$validate') return methods(method, { POST: (req, res, ctx) => validate(s, req, res, ctx, type) });
  if (b?.startsWith('$') || c?.startsWith('$') && n === 3 && c !== '$validate') {
    throw httpError(404, 'not-supported', `Operation ${b?.startsWith('$') ? b : c} is not supported on ${type}`);
  }
  const id = b as string;
  if (!isValidId(id)) throw httpError(400, 'invalid', `'${id}' is not a valid FHIR id (1-64 of A-Z, a-z, 0-9, - and .)`, 'id');
  if (n === 2) {
    return methods(method, {
      GET: (req, res, ctx) => read(s, req, res, ctx, type, id),
      PUT: (req, res, ctx) => update(s, req, res, ctx, type, id),
      PATCH: (req, res, ctx) => patch(s, req, res, ctx, type, id),
      DELETE: (req, res, ctx) => remove(s, req, res, ctx, type, id),
    });
  }
  if (n === 3 && c === '_history') return methods(method, { GET: (req, res, ctx) => history(s, req, res, ctx, { resourceType: type, id }) });
  if (n === 3 && c === '$validate') {
    return methods(method, {
      GET: (req, res, ctx) => validate(s, req, res, ctx, type, id),
      POST: (req, res, ctx) => validate(s, req, res, ctx, type, id),
    });
  }
  if (n === 4 && c === '_history') return methods(method, { GET: (req, res, ctx) => vread(s, req, res, ctx, type, id, d as string) });
  throw httpError(404, 'not-found', `No FHIR interaction at /${seg.join('/')}`);
}

function methods(method: string, table: Partial<Record<string, Handler>>): Handler {
  const h = table[method] ?? (method === 'HEAD' ? table.GET : undefined);
  if (h) return h;
  const allow = Object.keys(table).join(', ');
  throw new HttpError(405, outcome('error', 'not-supported', `${method} is not allowed here; allowed: ${allow}`), { Allow: allow });
}

function checkType(s: FhirApiServices, type: string): void {
  if (s.pipeline.served(type)) return;
  if (isResourceType(type)) throw httpError(404, 'not-supported', `Resource type ${type} is not served by this gateway (see /metadata)`);
  throw httpError(404, 'not-found', `Unknown resource type '${type}'`);
}

function authorize(ctx: RequestContext, interaction: Interaction, type?: string): void {
  const denied = requireScope(ctx.principal, interaction, type);
  if (denied) throw new OperationOutcomeError(denied);
}

// ---- interactions --------------------------------------------------------------------------------

async function read(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string, id: string) {
  authorize(ctx, 'read', type);
  const { content, ...meta } = await s.repo.readWithMeta(type, id, ctx.principal);
  if (notModified(req, meta)) {
    res.status(304).set(versionHeaders(meta)).end();
    return;
  }
  sendText(res, 200, content, versionHeaders(meta));
}

async function vread(s: FhirApiServices, _req: Request, res: Response, ctx: RequestContext, type: string, id: string, vid: string) {
  authorize(ctx, 'vread', type);
  const content = await s.repo.vread(type, id, vid, ctx.principal);
  sendText(res, 200, content, versionHeaders(metaOf(content)));
}

async function create(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string) {
  authorize(ctx, 'create', type);
  const body = await readJsonBody(req, s.maxBodyBytes);
  const { resource, warnings } = s.pipeline.check(stripServerFields(body, false), type);
  const ifNoneExist = req.headers['if-none-exist'];
  if (typeof ifNoneExist === 'string' && ifNoneExist.trim()) {
    authorize(ctx, 'search-type', type);
    const result = await conditionalCreate(s.repo, resource, ifNoneExist, ctx.principal, ctx.prefer.handling === 'lenient');
    sendWrite(s, res, ctx, result.created ? 201 : 200, result.content, warnings);
    return;
  }
  const result = await s.repo.create(resource);
  sendWrite(s, res, ctx, 201, result.content, warnings, result.resource);
}

async function update(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string, id: string) {
  authorize(ctx, 'update', type);
  const body = await readJsonBody(req, s.maxBodyBytes);
  const { resource, warnings } = s.pipeline.check(stripServerFields(body, true), type, id);
  const result = await s.repo.update(resource, ifMatch(req));
  sendWrite(s, res, ctx, result.created ? 201 : 200, result.content, warnings, result.resource);
}

async function condUpdate(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string) {
  authorize(ctx, 'update', type);
  authorize(ctx, 'search-type', type);
  const query = queryPairs(req.url);
  if (!query.length) throw httpError(405, 'not-supported', `PUT on ${type} needs search criteria (conditional update) or an id in the URL`);
  const body = await readJsonBody(req, s.maxBodyBytes);
  const candidate = stripServerFields(body, true) as Resource;
  const result = await conditionalUpdate(s.repo, s.pipeline, type, candidate, query, ctx.principal);
  sendWrite(s, res, ctx, result.created ? 201 : 200, result.content, result.warnings);
}

async function patch(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string, id: string) {
  authorize(ctx, 'patch', type);
  const ops = await readJsonBody(req, s.maxBodyBytes, PATCH_TYPES);
  const result = await patchStored(s.repo, s.pipeline, type, id, ops, ifMatch(req));
  sendWrite(s, res, ctx, 200, result.content, result.warnings);
}

async function remove(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string, id: string) {
  authorize(ctx, 'delete', type);
  await s.repo.assertExists(type, id, ctx.principal);
  const deleted = await s.repo.delete(type, id, ifMatch(req));
  sendJson(res, 200, outcome('information', 'informational', deleted ? `Deleted ${type}/${id}` : `${type}/${id} was already deleted`));
}

async function search(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string) {
  authorize(ctx, 'search-type', type);
  const pairs = queryPairs(req.url);
  if (req.method === 'POST') {
    const contentType = mediaType(req.headers['content-type']);
    if (contentType && contentType !== FORM_TYPE) {
      throw httpError(415, 'not-supported', `POST _search takes ${FORM_TYPE}, not ${contentType}`);
    }
    const raw = (await readRawBody(req, s.maxBodyBytes)).toString('utf8');
    pairs.push(...new URLSearchParams(raw).entries());
  }
  const parsed = parseSearch(type, pairs, s.repo.registry, { lenient: ctx.prefer.handling === 'lenient' });
  const result = await s.repo.search(parsed, ctx.principal);
  sendText(res, 200, searchBundle(s.baseUrl, parsed, result));
}

async function history(
  s: FhirApiServices,
  req: Request,
  res: Response,
  ctx: RequestContext,
  target: { resourceType?: string; id?: string },
) {
  authorize(ctx, target.id ? 'history-instance' : target.resourceType ? 'history-type' : 'history-system', target.resourceType);
  const q = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
  for (const key of q.keys()) {
    if (!HISTORY_PARAMS.has(key) && ctx.prefer.handling !== 'lenient') {
      throw httpError(400, 'not-supported', `History does not support the parameter '${key}' (it takes _count, _offset and _since)`, key);
    }
  }
  const count = boundedInt(q.get('_count'), 20, 1000, '_count');
  const offset = boundedInt(q.get('_offset'), 0, 1_000_000_000, '_offset');
  const sinceText = q.get('_since') ?? undefined;
  // A FHIR instant (or date), checked the way the store reads dates; Date.parse would take '1' for 2001.
  const since = sinceText === undefined ? undefined : dateRange(sinceText)?.lo;
  if (sinceText !== undefined && since === undefined) throw httpError(400, 'invalid', `_since must be an instant such as 2024-03-01T00:00:00Z`, '_since');
  const result = await s.repo.history(ctx.principal, target, { count, offset, since });
  const path = [target.resourceType, target.id, '_history'].filter(Boolean).join('/');
  sendText(res, 200, historyBundle(s.baseUrl, path, result, { count, offset, since }));
}

async function validate(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext, type: string, id?: string) {
  authorize(ctx, 'validate', type);
  const profiles = queryPairs(req.url).filter(([k]) => k === 'profile').map(([, v]) => v);
  let candidate: unknown;
  if (req.method === 'GET') {
    candidate = JSON.parse(await s.repo.read(type, id as string, ctx.principal));
  } else {
    const body = await readJsonBody(req, s.maxBodyBytes);
    candidate = body;
    if (isParameters(body)) {
      const params = body.parameter ?? [];
      candidate = params.find((p) => p.name === 'resource')?.resource;
      for (const p of params) if (p.name === 'profile' && typeof p.valueUri === 'string') profiles.push(p.valueUri);
      if (candidate === undefined) throw httpError(400, 'required', 'Parameters for $validate need a "resource" parameter', 'Parameters.parameter');
    }
  }
  const rt = (candidate as { resourceType?: unknown } | null)?.resourceType;
  if (typeof rt === 'string' && rt !== type) {
    throw httpError(400, 'invalid', `resourceType is ${rt}, but this is ${type}/$validate`, 'resourceType');
  }
  sendJson(res, 200, s.pipeline.validate(candidate, profiles));
}

async function bundle(s: FhirApiServices, req: Request, res: Response, ctx: RequestContext) {
  const body = await readJsonBody(req, s.maxBodyBytes);
  const response = await processBundle(s, body, ctx.principal, ctx.prefer);
  sendJson(res, 200, response);
}

// ---- helpers -------------------------------------------------------------------------------------

function isParameters(body: unknown): body is { resourceType: 'Parameters'; parameter?: { name: string; resource?: Resource; valueUri?: string }[] } {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'Parameters';
}

export function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1)).entries()];
}

function boundedInt(value: string | null, dflt: number, max: number, name: string): number {
  if (value === null || value === '') return dflt;
  if (!/^\d{1,10}$/.test(value)) throw httpError(400, 'invalid', `${name} must be a non-negative integer`, name);
  return Math.min(Number(value), max);
}

function ifMatch(req: Request): string | undefined {
  const h = req.headers['if-match'];
  if (h === undefined) return undefined;
  // W/"3" or "3" (a bare 3 is tolerated); anything else, such as W/" or W/"", is malformed.
  const m = /^(?:W\/)?(?:"([^"\s]+)"|([^"\s/]+))$/.exec(String(h).trim());
  if (!m) throw httpError(400, 'invalid', 'If-Match must be an ETag such as W/"3"');
  return m[1] ?? m[2];
}

/**
 * Conditional read (RFC 9110 §13.2.2): If-None-Match when present, otherwise If-Modified-Since, compared
 * at the one-second precision of Last-Modified.
 */
function notModified(req: Request, meta: { versionId?: string; lastUpdated?: string }): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return meta.versionId !== undefined && noneMatch(inm, meta.versionId);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || !meta.lastUpdated) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(Date.parse(meta.lastUpdated) / 1000) * 1000 <= since;
}

/** If-None-Match (RFC 9110 §13.1.2): `*` or any listed entity tag matching by weak comparison. */
function noneMatch(header: string | undefined, versionId: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === `"${versionId}"`;
  });
}

export function etag(versionId: string): string {
  return `W/"${versionId}"`;
}

function metaOf(content: string): { versionId?: string; lastUpdated?: string; resourceType?: string; id?: string } {
  // Stored content always begins with our own serialisation; parse only what the headers need.
  const r = JSON.parse(content) as Resource;
  return { versionId: r.meta?.versionId, lastUpdated: r.meta?.lastUpdated, resourceType: r.resourceType, id: r.id };
}

function versionHeaders(meta: { versionId?: string; lastUpdated?: string }): Record<string, string> {
  const h: Record<string, string> = {};
  if (meta.versionId) h.ETag = etag(meta.versionId);
  if (meta.lastUpdated) h['Last-Modified'] = new Date(meta.lastUpdated).toUTCString();
  return h;
}

function sendWrite(
  s: FhirApiServices,
  res: Response,
  ctx: RequestContext,
  status: number,
  content: string,
  warnings: OperationOutcome['issue'] = [],
  stored?: Resource,
) {
  // The stored resource object, when the caller has it, spares parsing the content again.
  const meta = stored
    ? { versionId: stored.meta?.versionId, lastUpdated: stored.meta?.lastUpdated, resourceType: stored.resourceType, id: stored.id }
    : metaOf(content);
  const headers = versionHeaders(meta);
  headers.Location = `${s.baseUrl}/${meta.resourceType}/${meta.id}/_history/${meta.versionId}`;
  if (ctx.prefer.return === 'minimal') {
    res.status(status).set(headers).end();
  } else if (ctx.prefer.return === 'OperationOutcome') {
    const issues = warnings?.length
      ? warnings
      : [{ severity: 'information' as const, code: 'informational' as const, details: { text: `${status === 201 ? 'Created' : 'Stored'} ${meta.resourceType}/${meta.id}` } }];
    sendJson(res, status, { resourceType: 'OperationOutcome', issue: issues }, headers);
  } else {
    sendText(res, status, content, headers);
  }
}

export function sendText(res: Response, status: number, body: string, headers: Record<string, string> = {}) {
  res.status(status).set({ 'Content-Type': FHIR_JSON, ...headers }).send(body);
}

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  sendText(res, status, JSON.stringify(body), headers);
}

export function sendError(res: Response, err: unknown, logger: Logger) {
  const { status, outcome: o, headers, internal } = toOutcome(err);
  if (internal) logger.error({ err, requestId: res.locals.requestId }, 'unexpected error');
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, o, headers);
}

export type { SearchRequest, Bundle };
