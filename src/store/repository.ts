// The FHIR repository: current versions, history, search index and outbox, written together.
// Every write is ONE SQL statement (data-modifying CTEs), so it is atomic on its own; concurrent creates
// are group-committed into one statement, which is what makes a single-connection PGlite fast.
import { conflict, gone, notFound, OperationOutcomeError, preconditionFailed } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import type { Db, Queryable, QueryResult } from './db.ts';
import { indexResource, withoutNul, type IndexRows } from './indexer.ts';
import type { SearchParamRegistry } from './search-params.ts';
import type { SearchRequest } from './search-parse.ts';
import { buildCount, buildSearch, Params, type AccessCondition } from './search-sql.ts';
import { WriteQueue } from './write-queue.ts';

/** Who is asking. The gateway's Principal satisfies this; the access policy decides what it may see. */
export interface AccessScope {
  clientId: string;
  organizationHsaId?: string;
  role: string;
}

/** Limits reads and searches inside the query, so counts and searches leak nothing. */
export interface AccessPolicy {
  condition(scope: AccessScope, resourceType: string): AccessCondition | undefined;
}

export const allowAll: AccessPolicy = { condition: () => undefined };

export interface StoredVersion {
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  deleted: boolean;
  /** The JSON text as stored (undefined for a deletion). */
  content?: string;
}

export interface WriteResult {
  resource: Resource;
  content: string;
  created: boolean;
}

export interface SearchResult {
  matches: { id: string; content: string }[];
  hasMore: boolean;
  included: { id: string; content: string }[];
  total?: number;
}

export interface HistoryOptions {
  since?: string;
  count: number;
  offset: number;
}

export interface RepositoryOptions {
  localBaseUrls?: string[];
  policy?: AccessPolicy;
  clock?: () => Date;
}

/** One version to write: the unit of every write statement. */
interface VersionWrite {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: string;
  deleted: boolean;
  content: string | null;
  action: 'create' | 'update' | 'delete';
  index: IndexRows;
  /** The resource as stored (not written to SQL: content is its serialisation). */
  stored?: Resource;
}

/** A create whose stored version is computed (Repository.prepareCreate), to be written by Repository.create. */
export interface PreparedCreate {
  readonly write: VersionWrite;
}

export class Repository {
  readonly registry: SearchParamRegistry;
  private readonly db: Queryable & Partial<Pick<Db, 'transaction'>>;
  private readonly options: RepositoryOptions;
  private readonly inTransaction: boolean;
  private readonly queue: WriteQueue<VersionWrite>;
  private readonly policy: AccessPolicy;
  private readonly clock: () => Date;
  private readonly localBaseUrls: string[];
  private canonical: string[] | undefined;
  /** Inside a transaction, creates wait here and go to the database in one statement (before any read, and at commit). */
  private pending: VersionWrite[] = [];

  constructor(
    db: Queryable & Partial<Pick<Db, 'transaction'>>,
    registry: SearchParamRegistry,
    options: RepositoryOptions = {},
    inTransaction = false,
  ) {
    this.db = db;
    this.registry = registry;
    this.options = options;
    this.inTransaction = inTransaction;
    this.policy = options.policy ?? allowAll;
    this.clock = options.clock ?? (() => new Date());
    this.localBaseUrls = options.localBaseUrls ?? [];
    this.queue = new WriteQueue((batch) => writeVersions(this.db, batch));
  }

  /** Runs fn with a repository whose reads and writes all belong to one database transaction. */
  async transaction<T>(fn: (tx: Repository) => Promise<T>): Promise<T> {
    if (this.inTransaction || !this.db.transaction) return fn(this);
    return this.db.transaction(async (q) => {
      const tx = new Repository(q, this.registry, this.options, true);
      const result = await fn(tx);
      await tx.flush();
      return result;
    });
  }

  /**
   * Runs one statement of another store module (the ingest log) on this repository's connection, after
   * the buffered writes: inside a transaction it commits or rolls back with the resources.
   */
  async statement<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    await this.flush();
    return this.db.query<R>(sql, params);
  }

  /** Writes buffered creates (transaction mode). Every read calls this first, so reads see earlier writes. */
  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    await writeVersions(this.db, batch);
  }

  /** Serialises transactions that share a key (conditional create/update); held until the transaction ends. */
  async lock(key: string): Promise<void> {
    await this.flush();
    await this.db.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /**
   * Several locks in one statement, taken in the order given (callers sort them, so two transactions
   * never wait for each other in a cycle); one round trip instead of one per key.
   */
  async lockAll(keys: readonly string[]): Promise<void> {
    if (keys.length <= 1) {
      if (keys[0] !== undefined) await this.lock(keys[0]);
      return;
    }
    await this.flush();
    await this.db.query(
      'select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest($1::text[]) as k',
      [keys],
    );
  }

  /**
   * A create made ready without the database (its stored form, serialisation and search-index rows), so a
   * caller can do that work before it opens a transaction and hand it to create() inside.
   */
  prepareCreate<T extends Resource>(resource: T, id: string = randomUUID()): PreparedCreate {
    return { write: this.versionWrite(resource, id, 1, 'create') };
  }

  /** Creates a resource with a new server-assigned id (or writes a create prepared by prepareCreate). */
  async create<T extends Resource>(resource: T | PreparedCreate, id: string = randomUUID()): Promise<WriteResult> {
    const write = 'write' in resource ? resource.write : this.versionWrite(resource, id, 1, 'create');
    if (this.inTransaction) this.pending.push(write);
    else await this.queue.push(write);
    return this.result(write, true);
  }

  /**
   * Writes a new version of resource (its id must be set). Creates it when it does not exist (update as create).
   * ifMatch: the version the client last saw; a different current version is a 412.
   */
  /** `current`: the version the caller has just read for update in this transaction, so it is not read twice. */
  async update<T extends Resource>(resource: T, ifMatch?: string, current?: StoredVersion | null): Promise<WriteResult> {
    const id = resource.id as string;
    return this.transaction(async (tx) => {
      if (current === undefined) current = (await tx.currentVersion(resource.resourceType, id, true)) ?? null;
      if (ifMatch !== undefined && (!current || current.deleted || String(current.versionId) !== ifMatch)) {
        throw new OperationOutcomeError(preconditionFailed);
      }
      const next = current ? Number(current.versionId) + 1 : 1;
      const write = tx.versionWrite(resource, id, next, current && !current.deleted ? 'update' : 'create');
      // Buffered like creates: the transaction's writes go in one statement (at its end, or before its next
      // read), not one statement per resource.
      tx.pending.push(write);
      return tx.result(write, !current || current.deleted);
    });
  }

  /** Deletes (a new version marked deleted; history kept). Returns false when it was already deleted. */
  async delete(resourceType: string, id: string, ifMatch?: string): Promise<boolean> {
    return this.transaction(async (tx) => {
      const current = await tx.currentVersion(resourceType, id, true);
      if (!current) throw new OperationOutcomeError(notFound);
      if (ifMatch !== undefined && String(current.versionId) !== ifMatch) throw new OperationOutcomeError(preconditionFailed);
      if (current.deleted) return false;
      const write: VersionWrite = {
        resource_type: resourceType,
        id,
        version_id: Number(current.versionId) + 1,
        last_updated: this.clock().toISOString(),
        deleted: true,
        content: null,
        action: 'delete',
        index: { token: [], string: [], date: [], reference: [] },
      };
      await writeVersions(tx.db, [write]);
      return true;
    });
  }

  /** The current version, deleted or not, or undefined if it never existed. Not access-checked: for writes. */
  async currentVersion(resourceType: string, id: string, forUpdate = false): Promise<StoredVersion | undefined> {
    await this.flush();
    const { rows } = await this.db.query<{ version_id: string; last_updated: string; deleted: boolean; content: string | null }>(
      `select version_id, last_updated, deleted, content from resource where resource_type = $1 and id = $2${forUpdate && this.inTransaction ? ' for update' : ''}`,
      [resourceType, id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      resourceType,
      id,
      versionId: String(row.version_id),
      lastUpdated: toIso(row.last_updated),
      deleted: row.deleted,
      content: row.content ?? undefined,
    };
  }

  /**
   * Resources found by one identifier each (`system|value`, exact, as the token search matches it), with
   * their current versions, in one statement; locked for update inside a transaction. Undefined when an
   * access policy restricts one of the types: the caller then searches one by one, through the policy.
   */
  async findByIdentifiers(
    wanted: readonly { resourceType: string; system: string; value: string }[],
    scope: AccessScope,
  ): Promise<StoredVersion[][] | undefined> {
    if (wanted.some((w) => this.policy.condition(scope, w.resourceType))) return undefined;
    const out: StoredVersion[][] = wanted.map(() => []);
    if (!wanted.length) return out;
    await this.flush();
    // Index-driven whatever the table sizes when the plan was cached (PGlite keeps one generic plan per
    // statement): `= any(array)` on the lookup index's columns, then the exact triple as a filter. A join
    // with a row set (jsonb_to_recordset) was planned as a hash join over a scan of every identifier row.
    const key = (t: string, s: string, v: string) => `${t}|${s}|${v}`;
    const { rows } = await this.db.query<{ resource_type: string; system: string; value: string; id: string; version_id: string; last_updated: string; deleted: boolean; content: string | null }>(
      `select t.resource_type, t.system, t.value, r.id, r.version_id, r.last_updated, r.deleted, r.content
       from sp_token t
       join resource r on r.resource_type = t.resource_type and r.id = t.id and not r.deleted
       where t.code = 'identifier' and t.resource_type = any($1::text[]) and t.value = any($2::text[])
         and t.resource_type || '|' || t.system || '|' || t.value = any($3::text[])
       order by r.id${this.inTransaction ? ' for update of r' : ''}`,
      [[...new Set(wanted.map((w) => w.resourceType))], [...new Set(wanted.map((w) => w.value))], wanted.map((w) => key(w.resourceType, w.system, w.value))],
    );
    const positions = new Map<string, number[]>();
    wanted.forEach((w, n) => {
      const k = key(w.resourceType, w.system, w.value);
      positions.set(k, [...(positions.get(k) ?? []), n]);
    });
    for (const row of rows) {
      for (const n of positions.get(key(row.resource_type, row.system, row.value)) ?? []) {
        const found = out[n]!;
        // One resource may carry the identifier twice (two index rows): counted once.
        if (found.some((f) => f.id === row.id)) continue;
        found.push({
          resourceType: row.resource_type,
          id: row.id,
          versionId: String(row.version_id),
          lastUpdated: toIso(row.last_updated),
          deleted: row.deleted,
          content: row.content ?? undefined,
        });
      }
    }
    return out;
  }

  /** Reads the current version: 404 if absent or not visible to scope, 410 if deleted. */
  async read(resourceType: string, id: string, scope: AccessScope): Promise<string> {
    return (await this.readWithMeta(resourceType, id, scope)).content;
  }

  /** read(), with the version and time the HTTP headers need, without parsing the content. */
  async readWithMeta(resourceType: string, id: string, scope: AccessScope): Promise<{ content: string; versionId: string; lastUpdated: string }> {
    await this.flush();
    const p = new Params();
    const access = this.policy.condition(scope, resourceType)?.('r', p);
    const { rows } = await this.db.query<{ deleted: boolean; content: string | null; version_id: string; last_updated: string }>(
      `select r.deleted, r.content, r.version_id, r.last_updated from resource r where r.resource_type = ${p.add(resourceType)} and r.id = ${p.add(id)}${access ? ` and ${access}` : ''}`,
      p.values,
    );
    const row = rows[0];
    if (!row) throw new OperationOutcomeError(notFound);
    if (row.deleted || row.content === null) throw new OperationOutcomeError(gone);
    return { content: row.content, versionId: String(row.version_id), lastUpdated: toIso(row.last_updated) };
  }

  /** 404 unless the resource exists (deleted or not) and scope may see it. Reads no content. */
  async assertExists(resourceType: string, id: string, scope: AccessScope): Promise<void> {
    await this.flush();
    const p = new Params();
    const access = this.policy.condition(scope, resourceType)?.('r', p);
    const { rows } = await this.db.query(
      `select 1 from resource r where r.resource_type = ${p.add(resourceType)} and r.id = ${p.add(id)}${access ? ` and ${access}` : ''}`,
      p.values,
    );
    if (!rows.length) {
      throw new OperationOutcomeError({
        ...notFound,
        issue: [{ severity: 'error', code: 'not-found', details: { text: `${resourceType}/${id} does not exist` } }],
      });
    }
  }

  async vread(resourceType: string, id: string, versionId: string, scope: AccessScope): Promise<string> {
    if (!/^\d{1,15}$/.test(versionId)) throw new OperationOutcomeError(notFound);
    // A deleted resource's earlier versions stay readable; only a missing or invisible one is a 404.
    await this.assertExists(resourceType, id, scope);
    const { rows } = await this.db.query<{ deleted: boolean; content: string | null }>(
      'select deleted, content from resource_history where resource_type = $1 and id = $2 and version_id = $3',
      [resourceType, id, Number(versionId)],
    );
    const row = rows[0];
    if (!row) throw new OperationOutcomeError(notFound);
    if (row.deleted || row.content === null) throw new OperationOutcomeError(gone);
    return row.content;
  }

  /** History of one resource, one type, or everything (newest first). */
  async history(
    scope: AccessScope,
    target: { resourceType?: string; id?: string },
    options: HistoryOptions,
  ): Promise<{ versions: StoredVersion[]; total: number }> {
    await this.flush();
    if (target.resourceType && target.id) await this.assertExists(target.resourceType, target.id, scope);
    const p = new Params();
    const conds: string[] = [];
    if (target.resourceType) conds.push(`h.resource_type = ${p.add(target.resourceType)}`);
    if (target.id) conds.push(`h.id = ${p.add(target.id)}`);
    if (options.since) conds.push(`h.last_updated >= ${p.add(options.since)}::timestamptz`);
    if (target.resourceType) {
      const access = this.policy.condition(scope, target.resourceType);
      if (access) {
        const c = access('r', p);
        if (c) conds.push(`exists (select 1 from resource r where r.resource_type = h.resource_type and r.id = h.id and ${c})`);
      }
    }
    const where = conds.length ? `where ${conds.join(' and ')}` : '';
    const countParams = [...p.values];
    const { rows } = await this.db.query<{ resource_type: string; id: string; version_id: string; last_updated: string; deleted: boolean; content: string | null }>(
      `select h.resource_type, h.id, h.version_id, h.last_updated, h.deleted, h.content from resource_history h ${where}
       order by h.last_updated desc, h.version_id desc limit ${p.add(options.count)}::int offset ${p.add(options.offset)}::int`,
      p.values,
    );
    const { rows: countRows } = await this.db.query<{ total: number }>(`select count(*)::int as total from resource_history h ${where}`, countParams);
    return {
      total: Number(countRows[0]?.total ?? 0),
      versions: rows.map((r) => ({
        resourceType: r.resource_type,
        id: r.id,
        versionId: String(r.version_id),
        lastUpdated: toIso(r.last_updated),
        deleted: r.deleted,
        content: r.content ?? undefined,
      })),
    };
  }

  async search(req: SearchRequest, scope: AccessScope): Promise<SearchResult> {
    await this.flush();
    const access = this.policy.condition(scope, req.resourceType);
    const sqlOptions = { localBaseUrls: this.localBaseUrls, access };
    const wantTotal = req.total !== 'none' || req.summary === 'count';
    const countOnly = req.summary === 'count' || req.count === 0;
    const [page, total] = await Promise.all([
      countOnly ? Promise.resolve({ rows: [] as { id: string; content: string }[] }) : this.query<{ id: string; content: string }>(buildSearch(req, sqlOptions)),
      wantTotal ? this.query<{ total: number }>(buildCount(req, sqlOptions)).then((r) => Number(r.rows[0]?.total ?? 0)) : undefined,
    ]);
    const hasMore = page.rows.length > req.count;
    const matches = hasMore ? page.rows.slice(0, req.count) : page.rows;
    const included = matches.length && (req.include.length || req.revinclude.length) ? await this.includes(req, matches, scope) : [];
    return { matches, hasMore, included, total };
  }

  private query<R>(q: { sql: string; params: unknown[] }) {
    return this.db.query<R>(q.sql, q.params);
  }

  /** _include and _revinclude (with :iterate, to a bounded depth), each access-checked like a search. */
  private async includes(req: SearchRequest, matches: { id: string; content: string }[], scope: AccessScope) {
    const seen = new Set(matches.map((m) => `${req.resourceType}/${m.id}`));
    const out: { id: string; content: string }[] = [];
    let frontier = matches.map((m) => ({ type: req.resourceType, id: m.id }));
    for (let depth = 0; depth < 4 && frontier.length; depth++) {
      const next: { type: string; id: string }[] = [];
      const specs = [
        ...req.include.filter((s) => depth === 0 ? s.sourceType === req.resourceType || s.iterate : s.iterate).map((s) => ({ s, rev: false })),
        ...req.revinclude.filter((s) => depth === 0 || s.iterate).map((s) => ({ s, rev: true })),
      ];
      for (const { s, rev } of specs) {
        const p = new Params();
        let sql: string;
        const canonical = this.canonicalTypes().filter((t) => !s.targetType || t === s.targetType);
        if (!rev) {
          const ids = frontier.filter((f) => f.type === s.sourceType).map((f) => f.id);
          if (!ids.length) continue;
          const codes = s.paramCode === '*' ? [...this.registry.params(s.sourceType).values()].filter((x) => x.type === 'reference').map((x) => x.code) : [s.paramCode];
          const source = `x.resource_type = ${p.add(s.sourceType)} and x.code = any(${p.add(codes)}::text[]) and x.id = any(${p.add(ids)}::text[])`;
          sql = `select r.resource_type, r.id, r.content from sp_reference x join resource r on r.resource_type = x.target_type and r.id = x.target_id
            where ${source} and not r.deleted ${s.targetType ? `and r.resource_type = ${p.add(s.targetType)}` : ''}`;
          // Canonical references (MeasureReport.measure, ...) name a URL: the target is the resource with that url.
          if (canonical.length) {
            sql += ` union all select r.resource_type, r.id, r.content from sp_reference x
              join sp_token u on u.resource_type = any(${p.add(canonical)}::text[]) and u.code = 'url' and u.value = split_part(x.target, '|', 1)
              join resource r on r.resource_type = u.resource_type and r.id = u.id
              where ${source} and x.target_type is null and not r.deleted`;
          }
        } else {
          const refs = frontier.map((f) => `${f.type}/${f.id}`);
          const canonicalFrontier = frontier.filter((f) => canonical.includes(f.type)).map((f) => `${f.type}/${f.id}`);
          const byUrl = canonicalFrontier.length
            ? ` or (x.target_type is null and split_part(x.target, '|', 1) in (select u.value from sp_token u
                where u.resource_type = any(${p.add(canonical)}::text[]) and u.code = 'url' and u.resource_type || '/' || u.id = any(${p.add(canonicalFrontier)}::text[])))`
            : '';
          sql = `select r.resource_type, r.id, r.content from sp_reference x join resource r on r.resource_type = x.resource_type and r.id = x.id
            where x.resource_type = ${p.add(s.sourceType)} and x.code = ${p.add(s.paramCode)} and (x.target = any(${p.add(refs)}::text[])${byUrl}) and not r.deleted`;
        }
        const { rows } = await this.db.query<{ resource_type: string; id: string; content: string }>(`${sql} limit 1000`, p.values);
        for (const row of rows) {
          const key = `${row.resource_type}/${row.id}`;
          if (seen.has(key)) continue;
          if (!(await this.visible(row.resource_type, row.id, scope))) continue;
          seen.add(key);
          out.push({ id: row.id, content: row.content });
          next.push({ type: row.resource_type, id: row.id });
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Served types that are canonical resources: their `url` parameter is their own canonical URL. */
  private canonicalTypes(): string[] {
    return (this.canonical ??= this.registry.resourceTypes.filter((t) => this.registry.get(t, 'url')?.expression === `${t}.url`));
  }

  private async visible(resourceType: string, id: string, scope: AccessScope): Promise<boolean> {
    const access = this.policy.condition(scope, resourceType);
    if (!access) return true;
    const p = new Params();
    const c = access('r', p);
    if (!c) return true;
    const { rows } = await this.db.query(
      `select 1 from resource r where r.resource_type = ${p.add(resourceType)} and r.id = ${p.add(id)} and ${c}`,
      p.values,
    );
    return rows.length > 0;
  }

  private versionWrite(resource: Resource, id: string, version: number, action: 'create' | 'update'): VersionWrite {
    const lastUpdated = this.clock().toISOString();
    const stored = {
      ...resource,
      id,
      meta: { ...resource.meta, versionId: String(version), lastUpdated },
    } as Resource;
    const content = JSON.stringify(stored);
    let index = indexResource(stored, this.registry, { localBaseUrls: this.localBaseUrls });
    // A NUL inside a value is stored escaped in the JSON text, but index rows travel as jsonb, which refuses it.
    if (content.includes('\\u0000')) index = withoutNul(index);
    return {
      resource_type: resource.resourceType,
      id,
      version_id: version,
      last_updated: lastUpdated,
      deleted: false,
      content,
      action,
      index,
      stored,
    };
  }

  private result(write: VersionWrite, created: boolean): WriteResult {
    return { resource: write.stored as Resource, content: write.content as string, created };
  }
}

/** Timestamps come back as text from both engines; normalise to ISO 8601 UTC with milliseconds. */
function toIso(value: string | Date): string {
  return new Date(value).toISOString();
}

/**
 * Writes versions in ONE statement: upsert the current row, append history, replace index rows, append outbox.
 * Data-modifying CTEs all see the same snapshot, so the delete of old index rows never touches the new ones.
 */
export async function writeVersions(db: Queryable, writes: VersionWrite[]): Promise<void> {
  const rows = writes.map((w) => ({
    resource_type: w.resource_type,
    id: w.id,
    version_id: w.version_id,
    last_updated: w.last_updated,
    deleted: w.deleted,
    content: w.content,
    action: w.action,
  }));
  const tokens: unknown[] = [];
  const strings: unknown[] = [];
  const dates: unknown[] = [];
  const refs: unknown[] = [];
  for (const w of writes) {
    const owner = { resource_type: w.resource_type, id: w.id };
    for (const t of w.index.token) tokens.push({ ...owner, ...t });
    for (const s of w.index.string) strings.push({ ...owner, ...s });
    for (const d of w.index.date) dates.push({ ...owner, ...d });
    for (const r of w.index.reference) refs.push({ ...owner, ...r });
  }
  const replaced = writes.filter((w) => w.action !== 'create');
  await db
    .query(writeSql, [
      JSON.stringify(rows),
      JSON.stringify(tokens),
      JSON.stringify(strings),
      JSON.stringify(dates),
      JSON.stringify(refs),
      [...new Set(replaced.map((w) => w.resource_type))],
      [...new Set(replaced.map((w) => w.id))],
      replaced.map((w) => `${w.resource_type}/${w.id}`),
    ])
    .catch(
    (err: unknown) => {
      // Two writers creating the same id (or version) at once: the client may retry, so 409, not 500.
      if ((err as { code?: string }).code === '23505') throw conflictError('The resource was changed concurrently; retry the request');
      throw err;
    },
  );
}

/**
 * The index rows of the versions replaced ($6 types, $7 ids, $8 `type/id` pairs): `= any(array)` on the owner
 * index's columns is index-driven whatever the table sizes were when the plan was cached (PGlite keeps one
 * generic plan per statement); a join with the input rows was planned as a hash join over a scan of the
 * whole index table, per write. The pair filter keeps Patient/a from matching Organization/a.
 */
const ownedBy = (t: string) => `${t}.resource_type = any($6::text[]) and ${t}.id = any($7::text[]) and ${t}.resource_type || '/' || ${t}.id = any($8::text[])`;

const writeSql = `with input as (
       select * from jsonb_to_recordset($1::jsonb) as x(resource_type text, id text, version_id bigint, last_updated timestamptz, deleted boolean, content text, action text)
     ),
     cur as (
       insert into resource (resource_type, id, version_id, last_updated, deleted, content)
       select resource_type, id, version_id, last_updated, deleted, content from input
       on conflict (resource_type, id) do update set version_id = excluded.version_id, last_updated = excluded.last_updated,
         deleted = excluded.deleted, content = excluded.content
     ),
     hist as (
       insert into resource_history (resource_type, id, version_id, last_updated, deleted, content)
       select resource_type, id, version_id, last_updated, deleted, content from input
     ),
     del_t as (delete from sp_token t where ${ownedBy('t')}),
     del_s as (delete from sp_string t where ${ownedBy('t')}),
     del_d as (delete from sp_date t where ${ownedBy('t')}),
     del_r as (delete from sp_reference t where ${ownedBy('t')}),
     ins_t as (insert into sp_token (resource_type, id, code, system, value, display)
       select resource_type, id, code, system, value, display from jsonb_to_recordset($2::jsonb) as x(resource_type text, id text, code text, system text, value text, display text)),
     ins_s as (insert into sp_string (resource_type, id, code, value, norm)
       select resource_type, id, code, value, norm from jsonb_to_recordset($3::jsonb) as x(resource_type text, id text, code text, value text, norm text)),
     ins_d as (insert into sp_date (resource_type, id, code, lo, hi)
       select resource_type, id, code, lo, hi from jsonb_to_recordset($4::jsonb) as x(resource_type text, id text, code text, lo timestamptz, hi timestamptz)),
     ins_r as (insert into sp_reference (resource_type, id, code, target, target_type, target_id)
       select resource_type, id, code, target, target_type, target_id from jsonb_to_recordset($5::jsonb) as x(resource_type text, id text, code text, target text, target_type text, target_id text)),
     ob as (insert into outbox (resource_type, id, version_id, action, occurred_at)
       select resource_type, id, version_id, action, last_updated from input)
     select count(*) from input`;

/** Thrown for a conflict the client can resolve (e.g. two creates of the same id). */
export function conflictError(message: string): OperationOutcomeError {
  return new OperationOutcomeError(conflict(message));
}
