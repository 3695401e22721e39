// The project's conformance resources over REST, served read-only from code, not from the store: its
// StructureDefinitions (profiles and extensions, src/profiles/definitions), CodeSystems and ValueSets
// (src/profiles/terminology) and SearchParameters (src/profiles/definitions/search-parameters.ts), at
// `{type}/{id}`, searched by `url=<canonical>[|version]` and listed, paged by `_count`/`_offset` with
// `_total` and `_summary` as the store's searches are; writes are 405. `CodeSystem/$lookup`, `$validate-code` and `ValueSet/$expand` (type and
// instance level, GET and POST with Parameters) go to terminology-ops.ts. The same read-only serving is
// used for the agreements' Measures (measure-ops.ts): `ServedFromCode` is the shared part.
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';
import { getDataType, OperationOutcomeError } from '@medplum/core';
import type { Request, Response } from 'express';
import { requireScope } from '../auth/middleware.ts';
import { structureDefinitions } from '../../profiles/definitions/index.ts';
import { projectSearchParameters } from '../../profiles/definitions/search-parameters.ts';
import { allCodeSystems, allValueSets } from '../../profiles/terminology/index.ts';
import { readJsonBody } from './body.ts';
import type { Handler, RequestContext } from './fhir-api.ts';
import { httpError } from './outcome.ts';
import { isTerminologyOperation, terminologyRequest, TERMINOLOGY_OPERATIONS, type TerminologyType } from './terminology-ops.ts';

type Send = (res: Response, status: number, body: unknown, headers?: Record<string, string>) => void;
type Methods = (method: string, table: Partial<Record<string, Handler>>) => Handler;
type Canonical = Resource & { id?: string; url?: string; version?: string };

const IGNORED = new Set(['_format', '_pretty']);

function authorize(ctx: Pick<RequestContext, 'principal'>, interaction: 'read' | 'search-type', type: string): void {
  const denied = requireScope(ctx.principal, interaction, type);
  if (denied) throw new OperationOutcomeError(denied);
}

/** The query pairs of a request, without the format parameters. */
export function searchPairs(req: Request): [string, string][] {
  return [...new URL(req.url, 'http://x').searchParams].filter(([k]) => !IGNORED.has(k));
}

/** The canonical of a search that is exactly `url=<canonical>[|version]`, else undefined. */
export function urlQuery(pairs: readonly [string, string][]): string | undefined {
  return pairs.length === 1 && pairs[0]![0] === 'url' ? pairs[0]![1] : undefined;
}

/**
 * Resources of one type that live in code (rule packs, profiles, terminology) rather than in the store:
 * read-only by id, found by url (with an optional `|version`), listed. Built once, on first use; the
 * instances are only serialised, never handed out for mutation.
 */
export class ServedFromCode<R extends Canonical = Canonical> {
  readonly type: string;
  readonly #build: () => R[];
  #byId: Map<string, R> | undefined;

  constructor(type: string, build: () => R[]) {
    this.type = type;
    this.#build = build;
  }

  #index(): Map<string, R> {
    this.#byId ??= new Map(this.#build().map((r) => [r.id!, r]));
    return this.#byId;
  }

  all(): R[] {
    return [...this.#index().values()];
  }

  byId(id: string): R | undefined {
    return this.#index().get(id);
  }

  /** `url` or `url|version`. */
  byUrl(canonical: string): R | undefined {
    const [url, version] = canonical.split('|');
    return this.all().find((r) => r.url === url && (!version || r.version === version));
  }

  /** `GET {type}/{id}`, and 405 (Allow: GET) for any write to the id. */
  read(id: string, method: string, deps: { methods: Methods; send: Send }): Handler {
    return deps.methods(method, {
      GET: async (_req, res, ctx) => {
        authorize(ctx, 'read', this.type);
        const r = this.byId(id);
        if (!r) throw httpError(404, 'not-found', `${this.type}/${id} is not known to this server`);
        deps.send(res, 200, r);
      },
    });
  }

  /** One page of `found` (a listing or a url search) with self, first, previous and next links that reproduce it. */
  page(baseUrl: string, found: readonly R[], q: ListQuery): Bundle<R> {
    const link = (offset: number) => {
      const p = new URLSearchParams();
      if (q.url !== undefined) p.set('url', q.url);
      if (q.summary) p.set('_summary', q.summary);
      if (!q.total) p.set('_total', 'none');
      p.set('_count', String(q.count));
      if (offset) p.set('_offset', String(offset));
      const query = p.toString();
      return `${baseUrl}/${this.type}${query ? `?${query}` : ''}`;
    };
    const links: BundleLink[] = [{ relation: 'self', url: link(q.offset) }];
    if (q.offset > 0) links.push({ relation: 'first', url: link(0) }, { relation: 'previous', url: link(Math.max(0, q.offset - q.count)) });
    if (q.offset + q.count < found.length) links.push({ relation: 'next', url: link(q.offset + q.count) });
    const shown = q.summary === 'count' ? [] : found.slice(q.offset, q.offset + q.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(q.total || q.summary === 'count' ? { total: found.length } : {}),
      link: links,
      entry: shown.map((r) => ({
        fullUrl: `${baseUrl}/${this.type}/${r.id}`,
        resource: q.summary === 'true' ? summaryOf(r) : r,
        search: { mode: 'match' as const },
      })),
    };
  }

  /** Answers `GET {type}?url=…` with the resource of that canonical (searchset of one); false when it is not ours. */
  sendByUrl(baseUrl: string, pairs: readonly [string, string][], ctx: RequestContext, res: Response, send: Send): boolean {
    const url = urlQuery(pairs);
    const found = url === undefined ? undefined : this.byUrl(url);
    if (!found) return false;
    authorize(ctx, 'search-type', this.type);
    send(res, 200, this.page(baseUrl, [found], { url, count: DEFAULT_PAGE, offset: 0, total: true }));
    return true;
  }
}

/** What a listing or url search of resources served from code takes (anything else is a 400 naming it). */
export interface ListQuery {
  /** `url=<canonical>[|version]`: only the resource with that canonical. */
  url?: string;
  count: number;
  offset: number;
  /** Whether `total` is given (`_total=none` leaves it out; `estimate` and `accurate` are exact here). */
  total: boolean;
  summary?: 'true' | 'count';
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 1000;
const LIST_PARAMS = ['url', '_count', '_offset', '_total', '_summary'];

function nonNegative(value: string, name: string): number {
  if (!/^\d{1,10}$/.test(value)) throw httpError(400, 'invalid', `${name} must be a non-negative whole number, not '${value}'`, name);
  return Number(value);
}

/** Parses the query of `GET {type}` on resources served from code; unknown parameters are a 400 naming them. */
export function listQuery(type: string, pairs: readonly [string, string][]): ListQuery {
  const q: ListQuery = { count: DEFAULT_PAGE, offset: 0, total: true };
  const seen = new Set<string>();
  for (const [k, v] of pairs) {
    if (!LIST_PARAMS.includes(k)) {
      throw httpError(400, 'not-supported', `Search on ${type} takes only ${LIST_PARAMS.join(', ')} (its resources are this server's own, served from code); not '${k}'`, k);
    }
    if (seen.has(k)) throw httpError(400, 'invalid', `${k} is given more than once`, k);
    seen.add(k);
    if (k === 'url') q.url = v;
    else if (k === '_count') q.count = Math.min(nonNegative(v, k), MAX_PAGE);
    else if (k === '_offset') q.offset = nonNegative(v, k);
    else if (k === '_total') {
      if (!['none', 'estimate', 'accurate'].includes(v)) throw httpError(400, 'invalid', `_total must be none, estimate or accurate, not '${v}'`, k);
      q.total = v !== 'none';
    } else if (k === '_summary') {
      if (!['true', 'count', 'false'].includes(v)) throw httpError(400, 'not-supported', `_summary on ${type} takes true, count or false, not '${v}'`, k);
      q.summary = v === 'false' ? undefined : (v as 'true' | 'count');
    }
  }
  return q;
}

/** The summary (Σ) elements of a resource, marked SUBSETTED as FHIR asks (a StructureDefinition without its snapshot and differential). */
function summaryOf<R extends Resource>(r: R): R {
  let names: Set<string>;
  try {
    names = new Set((getDataType(r.resourceType) as { summaryProperties?: Set<string> }).summaryProperties);
  } catch {
    names = new Set();
  }
  const kept = Object.fromEntries(Object.entries(r).filter(([k]) => k === 'resourceType' || k === 'id' || k === 'meta' || names.has(k))) as R;
  return { ...kept, meta: { ...r.meta, tag: [...(r.meta?.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] } };
}

export const CONFORMANCE_TYPES = ['StructureDefinition', 'CodeSystem', 'ValueSet', 'SearchParameter'] as const;
export type ConformanceType = (typeof CONFORMANCE_TYPES)[number];

const SERVED: Readonly<Record<ConformanceType, ServedFromCode>> = {
  StructureDefinition: new ServedFromCode('StructureDefinition', structureDefinitions),
  CodeSystem: new ServedFromCode('CodeSystem', allCodeSystems),
  ValueSet: new ServedFromCode('ValueSet', allValueSets),
  SearchParameter: new ServedFromCode('SearchParameter', projectSearchParameters),
};

export function isConformanceType(type: string): type is ConformanceType {
  return (CONFORMANCE_TYPES as readonly string[]).includes(type);
}

/** A conformance resource of the project's own, by type and id (undefined when not ours). */
export function conformanceResource(type: string, id: string): Canonical | undefined {
  return isConformanceType(type) ? SERVED[type].byId(id) : undefined;
}

/** The ids served for a type, for the CapabilityStatement's documentation. */
export function conformanceIds(type: ConformanceType): string[] {
  return SERVED[type].all().map((r) => r.id!);
}

/** Operations declared per type in the CapabilityStatement (from terminology-ops.ts's table). */
export function conformanceOperations(type: ConformanceType): { name: string; definition: string }[] {
  if (type !== 'CodeSystem' && type !== 'ValueSet') return [];
  return Object.keys(TERMINOLOGY_OPERATIONS[type]).map((op) => ({
    name: op.slice(1),
    definition: `http://hl7.org/fhir/OperationDefinition/${type}-${op.slice(1)}`,
  }));
}

/**
 * The handler for a path on StructureDefinition, CodeSystem, ValueSet or SearchParameter, or undefined to let the REST
 * routing go on (only when `stored`: the store serves the type too, and the path is not about ours).
 */
export function conformanceRoute(
  s: { baseUrl: string; maxBodyBytes: number },
  method: string,
  seg: readonly string[],
  deps: { methods: Methods; send: Send; stored: boolean; search?: Handler },
): Handler | undefined {
  const [a, b, c] = seg;
  const type = a as ConformanceType;
  const served = SERVED[type];
  const { methods, send } = deps;
  if (seg.length === 1) {
    if (deps.stored) {
      if (method !== 'GET' && method !== 'HEAD') return undefined;
      return async (req, res, ctx) => {
        const pairs = searchPairs(req);
        if (pairs.length === 0) return list(s.baseUrl, served, listQuery(type, pairs), res, ctx, send);
        if (!served.sendByUrl(s.baseUrl, pairs, ctx, res, send)) await deps.search!(req, res, ctx);
      };
    }
    return methods(method, {
      GET: async (req, res, ctx) => list(s.baseUrl, served, listQuery(type, searchPairs(req)), res, ctx, send),
    });
  }
  const op = seg.length === 2 ? b : seg.length === 3 ? c : undefined;
  if (op?.startsWith('$')) {
    const id = seg.length === 3 ? b : undefined;
    if (!isTerminologyOperation(type, op, id !== undefined)) {
      if (deps.stored) return undefined;
      throw httpError(404, 'not-supported', `Operation ${op} is not supported on ${type}${id !== undefined ? '/[id]' : ''}`);
    }
    const run: Handler = async (req, res, ctx) => operation(s, req, res, ctx, send, type as TerminologyType, op, id);
    return methods(method, { GET: run, POST: run });
  }
  if (seg.length === 2 && b && !b.startsWith('_') && (served.byId(b) || !deps.stored)) return served.read(b, method, deps);
  return undefined;
}

/** `GET {type}` with url, _count, _offset, _total, _summary: a page of the matches. */
async function list(baseUrl: string, served: ServedFromCode, q: ListQuery, res: Response, ctx: RequestContext, send: Send): Promise<void> {
  authorize(ctx, 'search-type', served.type);
  const found = q.url === undefined ? served.all() : [served.byUrl(q.url)].filter((r) => r !== undefined);
  send(res, 200, served.page(baseUrl, found, q));
}

async function operation(
  s: { maxBodyBytes: number },
  req: Request,
  res: Response,
  ctx: RequestContext,
  send: Send,
  type: TerminologyType,
  op: string,
  id: string | undefined,
): Promise<void> {
  authorize(ctx, 'read', type);
  const body = req.method === 'POST' ? await readJsonBody(req, s.maxBodyBytes) : undefined;
  const answer = terminologyRequest(req.method, type, op, searchPairs(req), body, id === undefined ? {} : { id });
  send(res, 200, answer);
}
