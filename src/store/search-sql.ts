// Builds the SQL for a parsed search. Every value goes in as a parameter; only our own identifiers
// (table and column names) are written into the text.
import type { Filter, ParamRef, SearchRequest, SortRule } from './search-parse.ts';
import { splitPrefix } from './search-parse.ts';
import { dateRange, instant, normalizeString, phoneticWords } from './values.ts';
import { normalizeReference } from './indexer.ts';

export class Params {
  readonly values: unknown[] = [];
  private aliases = 0;
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  /** A table alias no other part of the statement uses, so nested subqueries never shadow each other. */
  alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }
}

/** An extra condition on `r` (the resource row) that limits what the caller may see. */
export type AccessCondition = (alias: string, params: Params) => string | undefined;

const TABLE = { token: 'sp_token', uri: 'sp_token', string: 'sp_string', date: 'sp_date', reference: 'sp_reference' } as const;

export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

export interface SqlOptions {
  localBaseUrls?: string[];
  access?: AccessCondition;
}

/** The WHERE clause (without the word) for the resources a search matches. */
function whereClause(req: SearchRequest, p: Params, options: SqlOptions): string {
  const conds = [`r.resource_type = ${p.add(req.resourceType)}`, 'not r.deleted'];
  for (const f of req.filters) conds.push(filterSql(req.resourceType, 'r', f, p, options));
  const access = options.access?.('r', p);
  if (access) conds.push(access);
  return conds.join(' and ');
}

/** One row more than the page size is asked for, so the caller knows whether a next page exists. */
export function buildSearch(req: SearchRequest, options: SqlOptions = {}): BuiltQuery {
  const p = new Params();
  const driver = req.sort.length ? -1 : req.filters.findIndex(canDrive);
  if (driver >= 0) return drivenSearch(req, driver, p, options);
  const where = whereClause(req, p, options);
  const order = orderBy(req.sort, 'r', p);
  const sql = `select r.id, r.content from resource r where ${where} order by ${order} limit ${p.add(req.count + 1)}::int offset ${p.add(req.offset)}::int`;
  return { sql, params: p.values };
}

/** A filter whose index rows can drive a search: a positive match on one index table. */
function canDrive(f: Filter): boolean {
  return !f.chain && f.modifier !== 'not' && f.modifier !== 'missing' && f.param.code !== '_id' && f.param.code !== '_lastUpdated';
}

/**
 * The page is read from the driving filter's index rows in id order (the lookup index is ordered by
 * value, then id), the other filters are checked on those ids, and only the page's resources are
 * fetched. Index rows exist only for current, undeleted versions, so no deleted check is needed.
 */
function drivenSearch(req: SearchRequest, driver: number, p: Params, options: SqlOptions): BuiltQuery {
  const f = req.filters[driver]!;
  const d = p.alias('d');
  const conds = [`${d}.resource_type = ${p.add(req.resourceType)}`, `${d}.code = ${p.add(f.param.code)}`];
  conds.push(`(${f.values.map((v) => valueCondition(f, v, d, p, options)).join(' or ')})`);
  req.filters.forEach((other, i) => {
    if (i !== driver) conds.push(filterSql(req.resourceType, d, other, p, options));
  });
  const ra = p.alias('ra');
  const access = options.access?.(ra, p);
  if (access) conds.push(`exists (select 1 from resource ${ra} where ${ra}.resource_type = ${d}.resource_type and ${ra}.id = ${d}.id and ${access})`);
  const page = `select distinct on (${d}.id) ${d}.resource_type, ${d}.id from ${TABLE[f.param.type]} ${d} where ${conds.join(' and ')}
    order by ${d}.id limit ${p.add(req.count + 1)}::int offset ${p.add(req.offset)}::int`;
  const sql = `select r.id, r.content from (${page}) m join resource r on r.resource_type = m.resource_type and r.id = m.id order by r.id`;
  return { sql, params: p.values };
}

export function buildCount(req: SearchRequest, options: SqlOptions = {}): BuiltQuery {
  const p = new Params();
  const sql = `select count(*)::int as total from resource r where ${whereClause(req, p, options)}`;
  return { sql, params: p.values };
}

function orderBy(sort: SortRule[], alias: string, p: Params): string {
  const parts: string[] = [];
  for (const s of sort) {
    const dir = s.descending ? 'desc' : 'asc';
    const code = s.param.code;
    if (code === '_lastUpdated') parts.push(`${alias}.last_updated ${dir}`);
    else if (code === '_id') parts.push(`${alias}.id ${dir}`);
    else {
      const table = TABLE[s.param.type];
      const col = { token: 'value', uri: 'value', string: 'norm', reference: 'target', date: s.descending ? 'hi' : 'lo' }[s.param.type];
      const agg = s.descending ? 'max' : 'min';
      const x = p.alias('s');
      parts.push(
        `(select ${agg}(${x}.${col}) from ${table} ${x} where ${x}.resource_type = ${alias}.resource_type and ${x}.id = ${alias}.id and ${x}.code = ${p.add(code)}) ${dir} nulls last`,
      );
    }
  }
  // A stable order is what makes offset paging correct. Without _sort, the order is by id: the index
  // lookups return ids in that order, so a page is read without sorting every match.
  parts.push(`${alias}.id`);
  return parts.join(', ');
}

/** A condition on the resource row `alias` for one filter (values OR-ed). */
function filterSql(resourceType: string, alias: string, f: Filter, p: Params, options: SqlOptions): string {
  if (f.chain) return chainSql(resourceType, alias, f, p, options);
  const code = f.param.code;
  if (f.modifier === 'missing') {
    const missing = f.values[0] === 'true';
    if (code === '_id' || code === '_lastUpdated') return missing ? 'false' : 'true';
    const x = p.alias('x');
    const exists = `exists (select 1 from ${TABLE[f.param.type]} ${x} where ${x}.resource_type = ${alias}.resource_type and ${x}.id = ${alias}.id and ${x}.code = ${p.add(code)})`;
    return missing ? `not ${exists}` : exists;
  }
  if (code === '_id') {
    const c = `${alias}.id = any(${p.add(f.values)}::text[])`;
    return f.modifier === 'not' ? `not (${c})` : c;
  }
  if (code === '_lastUpdated') {
    return `(${f.values.map((v) => dateCondition(`${alias}.last_updated`, `${alias}.last_updated`, v, p, true)).join(' or ')})`;
  }
  const table = TABLE[f.param.type];
  const x = p.alias('x');
  const valueConds = f.values.map((v) => valueCondition(f, v, x, p, options)).join(' or ');
  const sub = `select ${x}.id from ${table} ${x} where ${x}.resource_type = ${alias}.resource_type and ${x}.code = ${p.add(code)} and (${valueConds})`;
  return f.modifier === 'not' ? `${alias}.id not in (${sub})` : `${alias}.id in (${sub})`;
}

function valueCondition(f: Filter, v: string, x: string, p: Params, options: SqlOptions): string {
  switch (f.param.type) {
    case 'token':
      return tokenCondition(v, f.modifier, x, p);
    case 'uri':
      if (f.modifier === 'below') return `${x}.value like ${p.add(escapeLike(v) + '%')}`;
      if (f.modifier === 'above') return `${p.add(v)} like (${x}.value || '%')`;
      return `${x}.value = ${p.add(v)}`;
    case 'string': {
      if (f.modifier === 'exact') return `${x}.value = ${p.add(v)}`;
      if (f.param.code === 'phonetic' && !f.modifier) {
        const keys = phoneticWords(v);
        return keys.length ? `${x}.norm = any(${p.add(keys)}::text[])` : 'false';
      }
      const n = escapeLike(normalizeString(v));
      return `${x}.norm like ${p.add(f.modifier === 'contains' ? `%${n}%` : `${n}%`)}`;
    }
    case 'date':
      return dateCondition(`${x}.lo`, `${x}.hi`, v, p, false);
    case 'reference':
      return referenceCondition(f, v, x, p, options);
  }
}

function tokenCondition(v: string, modifier: string | undefined, x: string, p: Params): string {
  if (modifier === 'text') return `lower(${x}.display) like ${p.add('%' + escapeLike(v.toLowerCase()) + '%')}`;
  const bar = v.indexOf('|');
  if (bar < 0) return `${x}.value = ${p.add(v)}`;
  const system = v.slice(0, bar);
  const code = v.slice(bar + 1);
  if (system === '') return `(${x}.system is null and ${x}.value = ${p.add(code)})`;
  if (code === '') return `${x}.system = ${p.add(system)}`;
  return `(${x}.system = ${p.add(system)} and ${x}.value = ${p.add(code)})`;
}

/**
 * FHIR date prefixes over ranges: the target [lo, hi) against the search value's [pl, ph).
 * For a column that is a point (`_lastUpdated`), lo = hi = the instant, so inclusive comparisons are used.
 */
function dateCondition(loCol: string, hiCol: string, v: string, p: Params, point: boolean): string {
  const { prefix, rest } = splitPrefix(v);
  const r = dateRange(rest);
  if (!r) return 'false';
  // Parameters are added only when used: an unused one has no type PostgreSQL can infer.
  let plText: string | undefined;
  let phText: string | undefined;
  const bounds = {
    get pl() {
      return (plText ??= `${p.add(r.lo)}::timestamptz`);
    },
    get ph() {
      return (phText ??= `${p.add(r.hi)}::timestamptz`);
    },
  };
  const hiGt = () => point ? `${hiCol} >= ${bounds.ph}` : `${hiCol} > ${bounds.ph}`;
  const within = () => point ? `(${loCol} >= ${bounds.pl} and ${hiCol} < ${bounds.ph})` : `(${loCol} >= ${bounds.pl} and ${hiCol} <= ${bounds.ph})`;
  switch (prefix) {
    case 'eq':
      return within();
    case 'ne':
      return `not ${within()}`;
    case 'gt':
      return hiGt();
    case 'lt':
      return `${loCol} < ${bounds.pl}`;
    case 'ge':
      return `(${hiGt()} or ${within()})`;
    case 'le':
      return `(${loCol} < ${bounds.pl} or ${within()})`;
    case 'sa':
      return `${loCol} >= ${bounds.ph}`;
    case 'eb':
      return point ? `${hiCol} < ${bounds.pl}` : `${hiCol} <= ${bounds.pl}`;
    case 'ap': {
      // "Approximately": overlaps the value widened by a tenth of its distance from now, at least a day.
      const lo = Date.parse(r.lo);
      const hi = Date.parse(r.hi);
      // At the ends of the calendar (±infinity) "approximately" is just "overlaps".
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) return point ? within() : `(${loCol} < ${bounds.ph} and ${hiCol} > ${bounds.pl})`;
      const slack = Math.max(86_400_000, Math.abs(Date.now() - lo) / 10);
      const al = `${p.add(instant(lo - slack))}::timestamptz`;
      const ah = `${p.add(instant(hi + slack))}::timestamptz`;
      return point ? `(${loCol} >= ${al} and ${loCol} < ${ah})` : `(${loCol} < ${ah} and ${hiCol} > ${al})`;
    }
    default:
      return 'false';
  }
}

function referenceCondition(f: Filter, v: string, x: string, p: Params, options: SqlOptions): string {
  const target = normalizeReference(v, options.localBaseUrls ?? []);
  const typeModifier = f.modifier && /^[A-Z]/.test(f.modifier) ? f.modifier : undefined;
  if (target.includes('/')) return `${x}.target = ${p.add(target)}`;
  // A bare id: with a type modifier or a single target type the type is known; otherwise any type.
  const targets = 'targets' in f.param ? f.param.targets : [];
  const type = typeModifier ?? (targets.length === 1 ? targets[0] : undefined);
  if (type) return `${x}.target = ${p.add(`${type}/${target}`)}`;
  return `${x}.target_id = ${p.add(target)}`;
}

function chainSql(resourceType: string, alias: string, f: Filter, p: Params, options: SqlOptions): string {
  const chain = f.chain!;
  const x = p.alias('c');
  const inner = chain.targets
    .map((target) => {
      const t = p.alias('t');
      const filter: Filter = { param: target.param as ParamRef, modifier: chain.modifier, values: f.values };
      const cond = filterSql(target.resourceType, t, filter, p, options);
      // Expressed on the reference target so the (resource_type, code, target) index answers it.
      const byId = `${x}.target in (select ${p.add(target.resourceType + '/')} || ${t}.id from resource ${t} where ${t}.resource_type = ${p.add(target.resourceType)} and not ${t}.deleted and ${cond})`;
      if (!target.canonical) return byId;
      // A canonical reference (`url` or `url|version`) names the target by its url.
      const u = p.alias('u');
      const t2 = p.alias('t');
      const cond2 = filterSql(target.resourceType, t2, filter, p, options);
      return `${byId} or (${x}.target_type is null and split_part(${x}.target, '|', 1) in (select ${u}.value from sp_token ${u} where ${u}.resource_type = ${p.add(target.resourceType)} and ${u}.code = 'url' and ${u}.id in (select ${t2}.id from resource ${t2} where ${t2}.resource_type = ${p.add(target.resourceType)} and not ${t2}.deleted and ${cond2})))`;
    })
    .join(' or ');
  void resourceType;
  return `${alias}.id in (select ${x}.id from sp_reference ${x} where ${x}.resource_type = ${alias}.resource_type and ${x}.code = ${p.add(f.param.code)} and (${inner}))`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}
