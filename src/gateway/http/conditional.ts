// Conditional create (If-None-Exist) and conditional update (PUT Type?criteria): search, then act,
// inside one transaction holding a lock on the criteria so two racing requests cannot both create.
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { AccessScope, Repository } from '../../store/repository.ts';
import { parseSearch } from '../../store/search-parse.ts';
import type { WritePipeline } from '../pipeline.ts';
import { httpError } from './outcome.ts';

/** Drops what the server owns (meta.versionId, meta.lastUpdated; the id on create). */
export function stripServerFields(body: unknown, keepId: boolean): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const { id, meta, ...rest } = body as { id?: unknown; meta?: unknown } & Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (keepId && id !== undefined) out.id = id;
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const { versionId: _v, lastUpdated: _l, ...m } = meta as Record<string, unknown>;
    if (Object.keys(m).length) out.meta = m;
  } else if (meta !== undefined) out.meta = meta;
  // Keep resourceType first, as FHIR JSON conventionally has it.
  return 'resourceType' in out ? { resourceType: out.resourceType, ...out } : out;
}

export function criteriaPairs(criteria: string): [string, string][] {
  const q = criteria.includes('?') ? criteria.slice(criteria.indexOf('?') + 1) : criteria;
  return [...new URLSearchParams(q).entries()];
}

/** Ids of at most two resources matching the criteria: enough to tell none, one, or too many. */
export async function matchIds(repo: Repository, type: string, pairs: [string, string][], scope: AccessScope, lenient = false): Promise<string[]> {
  const req = parseSearch(type, pairs, repo.registry, { lenient });
  req.count = 2;
  req.offset = 0;
  req.include = [];
  req.revinclude = [];
  req.total = 'none';
  const found = await repo.search(req, scope);
  return found.matches.map((m) => m.id);
}

export async function conditionalCreate(
  repo: Repository,
  resource: Resource,
  criteria: string,
  scope: AccessScope,
  lenient = false,
): Promise<{ created: boolean; content: string }> {
  const pairs = criteriaPairs(criteria);
  if (!pairs.length) throw httpError(400, 'invalid', 'If-None-Exist must carry search criteria', 'If-None-Exist');
  return repo.transaction(async (tx) => {
    await tx.lock(`create:${resource.resourceType}?${criteria}`);
    const ids = await matchIds(tx, resource.resourceType, pairs, scope, lenient);
    if (ids.length > 1) throw httpError(412, 'duplicate', `If-None-Exist matched ${ids.length} or more resources; it must match at most one`, 'If-None-Exist');
    if (ids.length === 1) return { created: false, content: await tx.read(resource.resourceType, ids[0] as string, scope) };
    const written = await tx.create(resource);
    return { created: true, content: written.content };
  });
}

export async function conditionalUpdate(
  repo: Repository,
  pipeline: WritePipeline,
  type: string,
  candidate: Resource,
  pairs: [string, string][],
  scope: AccessScope,
): Promise<{ created: boolean; content: string; warnings: OperationOutcomeIssue[] }> {
  return repo.transaction(async (tx) => {
    await tx.lock(`update:${type}?${new URLSearchParams(pairs).toString()}`);
    const ids = await matchIds(tx, type, pairs, scope);
    if (ids.length > 1) throw httpError(412, 'duplicate', `The criteria matched ${ids.length} or more resources; a conditional update needs at most one`);
    const target = ids[0] ?? candidate.id;
    if (ids[0] && candidate.id !== undefined && candidate.id !== ids[0]) {
      throw httpError(400, 'invalid', `The body's id ${candidate.id} is not the id of the matching resource (${ids[0]})`, `${type}.id`);
    }
    if (target === undefined) {
      const { resource, warnings } = pipeline.check(candidate, type);
      const written = await tx.create(resource);
      return { created: true, content: written.content, warnings };
    }
    const { resource, warnings } = pipeline.check({ ...candidate, id: target }, type, target);
    const written = await tx.update(resource);
    return { created: written.created, content: written.content, warnings };
  });
}
