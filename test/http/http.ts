// A small FHIR-over-HTTP helper for the tests in test/http: every call goes through the network to
// the real gateway, and answers come back parsed, with status and headers.
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { expect } from 'vitest';

export const FHIR_JSON = 'application/fhir+json';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface Call {
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw body text, sent as is (for malformed or non-JSON bodies). */
  raw?: string;
}

export class Fhir {
  readonly base: string;
  /** Requests made, so a test can report (and bound) how much it asked. */
  requests = 0;

  constructor(base: string) {
    this.base = base;
  }

  url(path: string): string {
    return /^https?:/.test(path) ? path : `${this.base}/${path.replace(/^\//, '')}`;
  }

  async call<T = unknown>(method: string, path: string, call: Call = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: FHIR_JSON, ...call.headers };
    let body: string | undefined;
    if (call.raw !== undefined) body = call.raw;
    else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = FHIR_JSON;
    }
    this.requests++;
    const res = await fetch(this.url(path), { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text.length) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T };
  }

  get<T = Resource>(path: string, headers?: Record<string, string>) {
    return this.call<T>('GET', path, { headers });
  }
  post<T = Resource>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.call<T>('POST', path, { body, headers });
  }
  put<T = Resource>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.call<T>('PUT', path, { body, headers });
  }
  delete<T = OperationOutcome>(path: string, headers?: Record<string, string>) {
    return this.call<T>('DELETE', path, { headers });
  }

  /** POST and expect 201; returns the stored resource. */
  async create<T extends Resource>(resource: T): Promise<T & { id: string }> {
    const a = await this.post<T & { id: string }>(resource.resourceType, resource);
    expect(a.status, `create ${resource.resourceType}: ${a.text}`).toBe(201);
    return a.body;
  }

  /** A search that must succeed; returns the searchset. */
  async search(query: string, headers?: Record<string, string>): Promise<Bundle> {
    const a = await this.get<Bundle>(query, headers);
    expect(a.status, `GET ${query}: ${a.text.slice(0, 500)}`).toBe(200);
    expect(a.body.resourceType).toBe('Bundle');
    expect(a.body.type).toBe('searchset');
    return a.body;
  }

  /** Posts a transaction that must succeed; returns the response entries. */
  async transaction(entries: BundleEntry[]): Promise<BundleEntry[]> {
    const a = await this.post<Bundle>('', { resourceType: 'Bundle', type: 'transaction', entry: entries });
    expect(a.status, `transaction: ${a.text.slice(0, 1000)}`).toBe(200);
    expect(a.body.type).toBe('transaction-response');
    return a.body.entry ?? [];
  }
}

/** Ids of the search matches (not includes), in order. */
export function matchIds(bundle: Bundle): string[] {
  return (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource?.id as string);
}

/** `Type/id` of the included entries. */
export function includedRefs(bundle: Bundle): string[] {
  return (bundle.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
}

export function link(bundle: Bundle, relation: string): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

/** Asserts a 4xx/5xx answer is an OperationOutcome with an error issue, and returns it. */
export function expectOutcome(a: Answer, status: number): OperationOutcome {
  expect(a.status, a.text.slice(0, 500)).toBe(status);
  expect(a.headers.get('content-type')).toContain(FHIR_JSON);
  const o = a.body as OperationOutcome;
  expect(o?.resourceType).toBe('OperationOutcome');
  expect(o.issue?.length).toBeGreaterThan(0);
  if (status >= 400) expect(o.issue?.some((i) => i.severity === 'error' || i.severity === 'fatal')).toBe(true);
  return o;
}

/** The id from a Location such as http://host/fhir/Patient/abc/_history/1 or Patient/abc/_history/1. */
export function idOf(location: string | null | undefined): string {
  const m = /([A-Za-z0-9\-.]{1,64})\/_history\/\d+$/.exec(location ?? '');
  expect(m, `a versioned location, got ${location}`).not.toBeNull();
  return m![1]!;
}

/** A short unique tag, so each test's resources can be found apart from everyone else's. */
export function uniqueTag(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs fn over items with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}
