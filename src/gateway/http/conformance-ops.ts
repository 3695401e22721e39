// The project's conformance resources over REST, served read-only from code, not from the store: its
// StructureDefinitions (profiles and extensions, src/profiles/definitions), CodeSystems and ValueSets
// (src/profiles/terminology), at `{type}/{id}`, by `{type}?url=<canonical>[|version]` and listed by
// `GET {type}`; writes are 405. `CodeSystem/$lookup`, `$validate-code` and `ValueSet/$expand` (type and
// instance level, GET and POST with Parameters) go to terminology-ops.ts. The same read-only serving is
// used for the agreements' Measures (measure-ops.ts): `ServedFromCode` is the shared part.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError } from '@medplum/core';
import type { Request, Response } from 'express';
import { requireScope } from '../auth/middleware.ts';
import { structureDefinitions } from '../../profiles/definitions/index.ts';
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

  /** A searchset of `found` (every match on one page), its self link the query answered. */
  searchset(baseUrl: string, query: string, found: readonly R[]): Bundle<R> {
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: found.length,
      link: [{ relation: 'self', url: `${baseUrl}/${this.type}${query ? `?${query}` : ''}` }],
      entry: found.map((resource) => ({ fullUrl: `${baseUrl}/${this.type}/${resource.id}`, resource, search: { mode: 'match' as const } })),
    };
  }

  /** Answers `GET {type}?url=…` with the resource of that canonical (searchset of one); false when it is not ours. */
  sendByUrl(baseUrl: string, pairs: readonly [string, string][], ctx: RequestContext, res: Response, send: Send): boolean {
    const url = urlQuery(pairs);
    const found = url === undefined ? undefined : this.byUrl(url);
    if (!found) return false;
    authorize(ctx, 'search-type', this.type);
    send(res, 200, this.searchset(baseUrl, `url=${encodeURIComponent(url!)}`, [found]));
    return true;
  }
}

export const CONFORMANCE_TYPES = ['StructureDefinition', 'CodeSystem', 'ValueSet'] as const;
export type ConformanceType = (typeof CONFORMANCE_TYPES)[number];

const SERVED: Readonly<Record<ConformanceType, ServedFromCode>> = {
  StructureDefinition: new ServedFromCode('StructureDefinition', structureDefinitions),
  CodeSystem: new ServedFromCode('CodeSystem', allCodeSystems),
  ValueSet: new ServedFromCode('ValueSet', allValueSets),
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
  if (type === 'StructureDefinition') return [];
  return Object.keys(TERMINOLOGY_OPERATIONS[type]).map((op) => ({
    name: op.slice(1),
    definition: `http://hl7.org/fhir/OperationDefinition/${type}-${op.slice(1)}`,
  }));
}

/**
 * The handler for a path on StructureDefinition, CodeSystem or ValueSet, or undefined to let the REST
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
        if (pairs.length === 0) return list(s.baseUrl, served, res, ctx, send);
        if (!served.sendByUrl(s.baseUrl, pairs, ctx, res, send)) await deps.search!(req, res, ctx);
      };
    }
    return methods(method, {
      GET: async (req, res, ctx) => {
        const pairs = searchPairs(req);
        if (pairs.length === 0) return list(s.baseUrl, served, res, ctx, send);
        const url = urlQuery(pairs);
        if (url === undefined) {
          const [k] = pairs.find(([key]) => key !== 'url') ?? pairs[1]!;
          throw httpError(400, 'not-supported', `Search on ${type} takes only url (its resources are this server's own, served from code); not '${k}'`, k);
        }
        if (!served.sendByUrl(s.baseUrl, pairs, ctx, res, send)) {
          authorize(ctx, 'search-type', type);
          send(res, 200, served.searchset(s.baseUrl, `url=${encodeURIComponent(url)}`, []));
        }
      },
    });
  }
  const op = seg.length === 2 ? b : seg.length === 3 ? c : undefined;
  if (op?.startsWith('$')) {
    const id = seg.length === 3 ? b : undefined;
    if (type === 'StructureDefinition' || !isTerminologyOperation(type, op, id !== undefined)) {
      if (deps.stored) return undefined;
      throw httpError(404, 'not-supported', `Operation ${op} is not supported on ${type}${id !== undefined ? '/[id]' : ''}`);
    }
    const run: Handler = async (req, res, ctx) => operation(s, req, res, ctx, send, type, op, id);
    return methods(method, { GET: run, POST: run });
  }
  if (seg.length === 2 && b && !b.startsWith('_') && (served.byId(b) || !deps.stored)) return served.read(b, method, deps);
  return undefined;
}

async function list(baseUrl: string, served: ServedFromCode, res: Response, ctx: RequestContext, send: Send): Promise<void> {
  authorize(ctx, 'search-type', served.type);
  send(res, 200, served.searchset(baseUrl, '', served.all()));
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
