// Search and history Bundles, assembled from stored JSON text: entries are never parsed and re-serialised
// unless _elements or _summary asks for a subset.
import { getDataType } from '@medplum/core';
import type { SearchResult, StoredVersion } from '../../store/repository.ts';
import type { SearchRequest } from '../../store/search-parse.ts';

function link(relation: string, url: string): string {
  return JSON.stringify({ relation, url });
}

export function searchBundle(baseUrl: string, req: SearchRequest, result: SearchResult): string {
  const self = (offset: number) => `${baseUrl}/${req.resourceType}?${pageQuery(req, offset)}`;
  const links = [link('self', self(req.offset))];
  if (req.offset > 0) links.push(link('first', self(0)), link('previous', self(Math.max(0, req.offset - req.count))));
  if (result.hasMore) links.push(link('next', self(req.offset + req.count)));
  const entries: string[] = [];
  if (req.summary !== 'count') {
    for (const m of result.matches) entries.push(entry(baseUrl, req.resourceType, m, 'match', req));
    for (const m of result.included) entries.push(entry(baseUrl, undefined, m, 'include', req));
  }
  const total = result.total !== undefined ? `"total":${result.total},` : '';
  return `{"resourceType":"Bundle","type":"searchset",${total}"link":[${links.join(',')}],"entry":[${entries.join(',')}]}`;
}

function entry(baseUrl: string, type: string | undefined, m: { id: string; content: string }, mode: 'match' | 'include', req: SearchRequest): string {
  let content = m.content;
  let resourceType = type;
  if (!resourceType || req.elements || (req.summary && req.summary !== 'false')) {
    const parsed = JSON.parse(content) as Record<string, unknown> & { resourceType: string };
    resourceType = parsed.resourceType;
    if (mode === 'match' && (req.elements || req.summary === 'data' || req.summary === 'true' || req.summary === 'text')) {
      content = JSON.stringify(subset(parsed, req));
    }
  }
  return `{"fullUrl":${JSON.stringify(`${baseUrl}/${resourceType}/${m.id}`)},"resource":${content},"search":{"mode":"${mode}"}}`;
}

/** The type's summary (Σ) or mandatory (min ≥ 1) top-level element names, from the R4 definitions. */
function schemaNames(resourceType: string, kind: 'summary' | 'mandatory'): Set<string> {
  try {
    const schema = getDataType(resourceType) as { summaryProperties?: Set<string>; mandatoryProperties?: Set<string> };
    return new Set(kind === 'summary' ? schema.summaryProperties : schema.mandatoryProperties);
  } catch {
    return new Set();
  }
}

/** `deceasedBoolean` is the element `deceased`: a JSON key matches a name exactly or as name + Type. */
function keyIn(key: string, names: Set<string>): boolean {
  if (names.has(key)) return true;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 65 && c <= 90 && names.has(key.slice(0, i))) return true;
  }
  return false;
}

/**
 * _elements keeps the named top-level elements; _summary=true the summary (Σ) elements, _summary=text the
 * narrative; each with what every resource must have (id, meta and the mandatory elements).
 * _summary=data drops only the narrative.
 */
function subset(r: Record<string, unknown>, req: SearchRequest): Record<string, unknown> {
  let out: Record<string, unknown> = r;
  const always = new Set(['resourceType', 'id', 'meta', ...schemaNames(String(r.resourceType), 'mandatory')]);
  const keepOnly = (names: Set<string>) => {
    out = Object.fromEntries(Object.entries(out).filter(([k]) => always.has(k) || keyIn(k, names)));
  };
  if (req.elements) keepOnly(new Set(req.elements));
  if (req.summary === 'true') keepOnly(schemaNames(String(r.resourceType), 'summary'));
  if (req.summary === 'text') keepOnly(new Set(['text']));
  if (req.summary === 'data') {
    const { text: _t, ...rest } = out;
    out = rest;
  }
  const meta = (out.meta ?? {}) as { tag?: unknown[] };
  out.meta = { ...meta, tag: [...(meta.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] };
  return out;
}

/** The query that reproduces this page: what was asked, normalised, with the page's offset. */
function pageQuery(req: SearchRequest, offset: number): string {
  const q = new URLSearchParams();
  for (const f of req.filters) {
    const key = f.chain
      ? `${f.param.code}${f.modifier ? ':' + f.modifier : ''}.${f.chain.targets[0]?.param.code ?? ''}${f.chain.modifier ? ':' + f.chain.modifier : ''}`
      : `${f.param.code}${f.modifier ? ':' + f.modifier : ''}`;
    q.append(key, f.values.map((v) => v.replace(/[\\,]/g, (c) => '\\' + c)).join(','));
  }
  if (req.sort.length) q.append('_sort', req.sort.map((s) => (s.descending ? '-' : '') + s.param.code).join(','));
  for (const i of req.include) q.append(i.iterate ? '_include:iterate' : '_include', [i.sourceType, i.paramCode, i.targetType].filter(Boolean).join(':'));
  for (const i of req.revinclude) q.append(i.iterate ? '_revinclude:iterate' : '_revinclude', [i.sourceType, i.paramCode, i.targetType].filter(Boolean).join(':'));
  if (req.total !== 'none') q.append('_total', req.total);
  if (req.summary) q.append('_summary', req.summary);
  if (req.elements) q.append('_elements', req.elements.join(','));
  q.append('_count', String(req.count));
  if (offset) q.append('_offset', String(offset));
  return q.toString();
}

export function historyBundle(
  baseUrl: string,
  path: string,
  result: { versions: StoredVersion[]; total: number },
  page: { count: number; offset: number; since?: string },
): string {
  const url = (offset: number) => {
    const q = new URLSearchParams();
    if (page.since) q.set('_since', page.since);
    q.set('_count', String(page.count));
    if (offset) q.set('_offset', String(offset));
    return `${baseUrl}/${path}?${q.toString()}`;
  };
  const links = [link('self', url(page.offset))];
  if (page.offset + page.count < result.total) links.push(link('next', url(page.offset + page.count)));
  if (page.offset > 0) links.push(link('previous', url(Math.max(0, page.offset - page.count))));
  const entries = result.versions.map((v) => {
    const fullUrl = JSON.stringify(`${baseUrl}/${v.resourceType}/${v.id}`);
    const method = v.deleted ? 'DELETE' : v.versionId === '1' ? 'POST' : 'PUT';
    const request = JSON.stringify({ method, url: method === 'POST' ? v.resourceType : `${v.resourceType}/${v.id}` });
    const response = JSON.stringify({ status: v.deleted ? '204' : v.versionId === '1' ? '201' : '200', etag: `W/"${v.versionId}"`, lastModified: v.lastUpdated });
    return `{"fullUrl":${fullUrl},${v.content ? `"resource":${v.content},` : ''}"request":${request},"response":${response}}`;
  });
  return `{"resourceType":"Bundle","type":"history","total":${result.total},"link":[${links.join(',')}],"entry":[${entries.join(',')}]}`;
}
