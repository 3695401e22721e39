// Parses a FHIR search query into a typed request, refusing what we do not support with a 400 that
// names the parameter. (@medplum/core's parseSearchRequest drops type modifiers such as
// `general-practitioner:Practitioner` and turns unknown parameters into filters that silently match
// nothing, so a mistyped parameter would look like an empty result: we parse ourselves.)
import { badRequest, OperationOutcomeError } from '@medplum/core';
import { COLUMN_PARAMS, type IndexedParam, type SearchParamRegistry } from './search-params.ts';
import { dateRange } from './values.ts';

export type ParamRef = IndexedParam | (typeof COLUMN_PARAMS)[keyof typeof COLUMN_PARAMS];

export interface Chain {
  /** Candidate target types of the reference, each with the chained parameter on it. */
  targets: { resourceType: string; param: ParamRef; canonical?: boolean }[];
  modifier?: string;
}

export interface Filter {
  param: ParamRef;
  modifier?: string;
  /** OR-ed values (already split on unescaped commas). */
  values: string[];
  chain?: Chain;
}

export interface IncludeSpec {
  sourceType: string;
  /** '*' means every reference parameter of the source type. */
  paramCode: string;
  targetType?: string;
  iterate: boolean;
}

export interface SortRule {
  param: ParamRef;
  descending: boolean;
}

export interface SearchRequest {
  resourceType: string;
  filters: Filter[];
  sort: SortRule[];
  count: number;
  offset: number;
  total: 'none' | 'estimate' | 'accurate';
  summary?: 'count' | 'true' | 'data' | 'text' | 'false';
  elements?: string[];
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  /** Parameters ignored under `Prefer: handling=lenient`. */
  ignored: string[];
}

export interface ParseOptions {
  lenient?: boolean;
  defaultCount?: number;
  maxCount?: number;
}

const DATE_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];
const MODIFIERS: Record<string, string[]> = {
  token: ['not', 'missing', 'text'],
  uri: ['missing', 'below', 'above'],
  string: ['exact', 'contains', 'missing'],
  date: ['missing'],
  reference: ['missing'],
};
const IGNORED_RESULT_PARAMS = new Set(['_format', '_pretty']);
/**
 * Each filter is a semi-join, and planning time grows steeply with their number (PGlite: 100 filters plan
 * for seconds, 600 for minutes with the database blocked, 1500 run out of memory): refuse more than this.
 */
export const MAX_SEARCH_FILTERS = 40;
/** OR-ed values over all filters of one search. */
export const MAX_SEARCH_VALUES = 1000;

function fail(message: string, expression: string): never {
  throw new OperationOutcomeError(badRequest(message, expression));
}

export function parseSearch(
  resourceType: string,
  query: Iterable<[string, string]>,
  registry: SearchParamRegistry,
  options: ParseOptions = {},
): SearchRequest {
  const defaultCount = options.defaultCount ?? 20;
  const maxCount = options.maxCount ?? 1000;
  const req: SearchRequest = {
    resourceType,
    filters: [],
    sort: [],
    count: defaultCount,
    offset: 0,
    total: 'none',
    include: [],
    revinclude: [],
    ignored: [],
  };
  const reject = (message: string, key: string) => {
    if (options.lenient) req.ignored.push(key);
    else fail(message, key);
  };
  let valueCount = 0;
  const addFilter = (filter: Filter, key: string) => {
    if (req.filters.length >= MAX_SEARCH_FILTERS) fail(`Too many search parameters: at most ${MAX_SEARCH_FILTERS} are accepted in one search`, key);
    valueCount += filter.values.length;
    if (valueCount > MAX_SEARCH_VALUES) fail(`Too many search values: at most ${MAX_SEARCH_VALUES} are accepted in one search`, key);
    req.filters.push(filter);
  };

  for (const [rawKey, rawValue] of query) {
    const key = rawKey.trim();
    const value = rawValue;
    // PostgreSQL text cannot hold NUL, and no FHIR value contains one: refuse it here rather than fail in SQL.
    if (value.includes('\u0000')) fail(`The value of '${key.replaceAll('\u0000', '\\0')}' contains a NUL character`, key.replaceAll('\u0000', ''));
    switch (key) {
      case '_count':
        req.count = Math.min(parseNonNegative(value, key), maxCount);
        continue;
      case '_offset':
        req.offset = parseNonNegative(value, key);
        continue;
      case '_total':
        if (value !== 'none' && value !== 'estimate' && value !== 'accurate') fail(`_total must be none, estimate or accurate`, key);
        req.total = value;
        continue;
      case '_summary':
        if (!['count', 'true', 'data', 'text', 'false'].includes(value)) fail(`_summary must be count, true, text, data or false`, key);
        req.summary = value as SearchRequest['summary'];
        continue;
      case '_elements':
        req.elements = value.split(',').map((e) => e.trim()).filter(Boolean);
        continue;
      case '_sort':
        req.sort = parseSort(resourceType, value, registry);
        continue;
      case '_include':
      case '_include:iterate':
      case '_revinclude':
      case '_revinclude:iterate': {
        // `_include=*`: every reference of the searched type (the CapabilityStatement declares it).
        const spec = parseInclude(value === '*' && key.startsWith('_include') ? `${resourceType}:*` : value, key.endsWith(':iterate'), registry, key);
        if (key.startsWith('_include') && !spec.iterate && spec.sourceType !== resourceType) {
          fail(`_include must start with the searched type ${resourceType} (or use _include:iterate)`, key);
        }
        (key.startsWith('_include') ? req.include : req.revinclude).push(spec);
        continue;
      }
    }
    if (IGNORED_RESULT_PARAMS.has(key)) continue;
    if (value === '') {
      // An empty value constrains nothing (FHIR search: "ignored").
      continue;
    }
    const colon = key.indexOf(':');
    const dot = key.indexOf('.');
    const nameEnd = [colon, dot].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), key.length);
    const code = key.slice(0, nameEnd);
    const param = lookup(resourceType, code, registry);
    if (!param) {
      reject(`Unknown search parameter '${code}' for ${resourceType}`, key);
      continue;
    }
    let rest = key.slice(nameEnd);
    let modifier: string | undefined;
    if (rest.startsWith(':')) {
      const m = /^:([A-Za-z-]+)/.exec(rest);
      modifier = m?.[1];
      rest = rest.slice(1 + (modifier?.length ?? 0));
    }
    const values = splitValues(value);
    if (rest.startsWith('.')) {
      if (param.type !== 'reference') {
        reject(`Chaining is only possible on reference parameters ('${code}' is ${param.type})`, key);
        continue;
      }
      // The type modifier (`subject:Patient.name`) is kept on the filter too, so paging links reproduce it.
      const chain = parseChain(param as IndexedParam, modifier, rest.slice(1), values, registry, key);
      addFilter({ param, ...(modifier !== undefined ? { modifier } : {}), values, chain }, key);
      continue;
    }
    if (rest.length > 0) {
      reject(`Cannot parse search parameter '${key}'`, key);
      continue;
    }
    if (modifier !== undefined) {
      const allowed = MODIFIERS[param.type] ?? [];
      const isTypeModifier = param.type === 'reference' && /^[A-Z]/.test(modifier);
      if (isTypeModifier) {
        const targets = (param as IndexedParam).targets;
        if (targets.length && !targets.includes(modifier)) {
          reject(`'${modifier}' is not a target type of ${resourceType}.${code}`, key);
          continue;
        }
      } else if (!allowed.includes(modifier)) {
        reject(`Modifier ':${modifier}' is not supported on ${param.type} parameter '${code}'`, key);
        continue;
      }
      if (modifier === 'missing' && values.some((v) => v !== 'true' && v !== 'false')) fail(`:missing takes true or false`, key);
    }
    if (param.type === 'date' && modifier !== 'missing') {
      for (const v of values) {
        const { prefix, rest: dv } = splitPrefix(v);
        if (!DATE_PREFIXES.includes(prefix) || !dateRange(dv)) fail(`Invalid date value '${v}' for '${code}'`, key);
      }
    }
    addFilter({ param, modifier, values }, key);
  }
  return req;
}

function parseNonNegative(value: string, key: string): number {
  if (!/^\d{1,9}$/.test(value)) fail(`${key} must be a non-negative integer`, key);
  return Number(value);
}

function lookup(resourceType: string, code: string, registry: SearchParamRegistry): ParamRef | undefined {
  if (code === '_id') return COLUMN_PARAMS._id;
  if (code === '_lastUpdated') return COLUMN_PARAMS._lastUpdated;
  return registry.get(resourceType, code);
}

function parseSort(resourceType: string, value: string, registry: SearchParamRegistry): SortRule[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const descending = s.startsWith('-');
      const code = descending ? s.slice(1) : s;
      const param = lookup(resourceType, code, registry);
      if (!param) fail(`Unknown sort parameter '${code}' for ${resourceType}`, '_sort');
      return { param, descending };
    });
}

function parseInclude(value: string, iterate: boolean, registry: SearchParamRegistry, key: string): IncludeSpec {
  const [sourceType, paramCode, targetType, extra] = value.split(':');
  if (!sourceType || !paramCode || extra !== undefined) fail(`${key} must be Type:parameter[:TargetType]`, key);
  if (!registry.isServed(sourceType)) fail(`Unknown resource type '${sourceType}' in ${key}`, key);
  if (paramCode !== '*') {
    const p = registry.get(sourceType, paramCode);
    if (!p || p.type !== 'reference') fail(`'${paramCode}' is not a reference parameter of ${sourceType}`, key);
    if (targetType && p.targets.length && !p.targets.includes(targetType)) fail(`'${targetType}' is not a target of ${sourceType}.${paramCode}`, key);
  }
  if (targetType && !registry.isServed(targetType)) fail(`Unknown resource type '${targetType}' in ${key}`, key);
  return { sourceType, paramCode, targetType, iterate };
}

function parseChain(
  param: IndexedParam,
  typeModifier: string | undefined,
  chained: string,
  values: string[],
  registry: SearchParamRegistry,
  key: string,
): Chain {
  if (chained.includes('.')) fail(`Only one level of chaining is supported ('${key}')`, key);
  if (typeModifier !== undefined && param.targets.length && !param.targets.includes(typeModifier)) {
    fail(`'${typeModifier}' is not a target type of ${param.code}`, key);
  }
  const colon = chained.indexOf(':');
  const code = colon >= 0 ? chained.slice(0, colon) : chained;
  const modifier = colon >= 0 ? chained.slice(colon + 1) : undefined;
  const candidates = typeModifier ? [typeModifier] : param.targets.length ? param.targets : [...registry.resourceTypes];
  const targets = candidates
    .filter((t) => registry.isServed(t))
    .map((t) => ({
      resourceType: t,
      param: lookup(t, code, registry),
      // A canonical resource (its `url` is its canonical URL) can also be the target of a canonical reference.
      ...(registry.get(t, 'url')?.expression === `${t}.url` ? { canonical: true } : {}),
    }))
    .filter((t): t is { resourceType: string; param: ParamRef; canonical?: boolean } => t.param !== undefined);
  if (!targets.length) fail(`No target of '${param.code}' has a search parameter '${code}'`, key);
  // The chained parameter's modifier and values are checked as strictly as an unchained one's.
  for (const t of targets) {
    const type = t.param.type;
    if (modifier !== undefined) {
      const typeModifierOk = type === 'reference' && /^[A-Z]/.test(modifier);
      if (!typeModifierOk && !(MODIFIERS[type] ?? []).includes(modifier)) fail(`Modifier ':${modifier}' is not supported on ${type} parameter '${code}'`, key);
      if (modifier === 'missing' && values.some((v) => v !== 'true' && v !== 'false')) fail(`:missing takes true or false`, key);
    }
    if (type === 'date' && modifier !== 'missing') {
      for (const v of values) {
        const { prefix, rest } = splitPrefix(v);
        if (!DATE_PREFIXES.includes(prefix) || !dateRange(rest)) fail(`Invalid date value '${v}' for '${code}'`, key);
      }
    }
  }
  return { targets, modifier };
}

/** Splits on commas not escaped with a backslash; unescapes `\,`, `\|`, `\$`, `\\`. */
export function splitValues(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      cur += value[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function splitPrefix(v: string): { prefix: string; rest: string } {
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)(?=\d)/.exec(v);
  return m ? { prefix: m[1] as string, rest: v.slice(2) } : { prefix: 'eq', rest: v };
}
