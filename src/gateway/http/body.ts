// Reads request bodies ourselves: a size limit that answers 413 before buffering everything,
// content types checked (415), JSON parse errors and absurd nesting answered with 400.
import type { Request } from 'express';
import { httpError } from './outcome.ts';

export const MAX_JSON_DEPTH = 64;

const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw httpError(413, 'too-costly', `Request body of ${declared} bytes is larger than the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw httpError(413, 'too-costly', `Request body is larger than the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON body. `allowed` lists the accepted media types (FHIR JSON by default);
 * anything else is a 415 naming what is accepted.
 */
export async function readJsonBody(req: Request, limit: number, allowed: string[] = JSON_TYPES): Promise<unknown> {
  const type = mediaType(req.headers['content-type']);
  if (!allowed.includes(type)) {
    req.resume();
    throw httpError(
      415,
      'not-supported',
      `Content-Type ${type || '(none)'} is not supported here; send ${allowed[0]}`,
    );
  }
  const raw = await readRawBody(req, limit);
  return parseJson(raw.toString('utf8'));
}

export function parseJson(text: string): unknown {
  if (text.trim().length === 0) throw httpError(400, 'invalid', 'The request body is empty; a JSON resource was expected');
  const depth = maxDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw httpError(400, 'invalid', `JSON nesting is ${depth > 100000 ? 'over 100000' : depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw httpError(400, 'invalid', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  // JSON escapes can spell what no FHIR value holds and PostgreSQL cannot store (both were 500s from the
  // store): a lone UTF-16 surrogate ("\ud800") is not Unicode text at all, and text cannot contain NUL.
  const root = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { resourceType?: unknown }).resourceType : undefined;
  const bad = unstorableAt(value, typeof root === 'string' && /^[A-Za-z]{1,64}$/.test(root) ? root : '');
  if (bad) {
    const what = bad.nul ? 'a NUL character (\\u0000)' : 'invalid Unicode (a lone surrogate escape such as \\ud800)';
    throw httpError(400, 'invalid', `The request body contains ${what}${bad.path ? ` at ${bad.path}` : ''}`, bad.path || undefined);
  }
  return value;
}

function unstorable(s: string): { nul: boolean } | undefined {
  if (s.includes('\u0000')) return { nul: true };
  return s.isWellFormed() ? undefined : { nul: false };
}

/** The first string or key that cannot be stored, with its path (depth is already bounded). */
function unstorableAt(value: unknown, path: string): { path: string; nul: boolean } | undefined {
  if (typeof value === 'string') {
    const u = unstorable(value);
    return u && { path, ...u };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = unstorableAt(value[i], `${path}[${i}]`);
      if (at) return at;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const u = unstorable(k);
    if (u) return { path, ...u };
    const at = unstorableAt(v, path ? `${path}.${k}` : k);
    if (at) return at;
  }
  return undefined;
}

/** Nesting depth of JSON text, skipping strings: O(n), no recursion, so any input is safe to measure. */
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** 406 unless the client accepts FHIR JSON (or JSON, or anything). `_format` wins over Accept. */
export function checkAcceptable(req: Request): void {
  const format = typeof req.query._format === 'string' ? req.query._format.toLowerCase() : undefined;
  if (format !== undefined) {
    if (['json', 'application/json', 'application/fhir+json'].includes(format)) return;
    throw httpError(406, 'not-supported', `_format=${format} is not supported; this server speaks application/fhir+json`);
  }
  const accept = req.headers.accept;
  if (!accept) return;
  const ok = accept
    .split(',')
    .map((a) => mediaType(a))
    .some((t) => t === '*/*' || t === 'application/*' || JSON_TYPES.includes(t));
  if (!ok) throw httpError(406, 'not-supported', `Cannot answer with ${accept}; this server speaks application/fhir+json`);
}
