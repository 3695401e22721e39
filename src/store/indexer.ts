// Turns a resource into search-index rows by evaluating each registered parameter's FHIRPath.
import { evalFhirPathTyped, toTypedValue, type TypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { SearchParamRegistry } from './search-params.ts';
import { dateRange, normalizeString, phoneticWords } from './values.ts';

export interface TokenRow {
  code: string;
  system: string | null;
  value: string | null;
  display: string | null;
}
export interface StringRow {
  code: string;
  value: string;
  norm: string;
}
export interface DateRow {
  code: string;
  lo: string;
  hi: string;
}
export interface ReferenceRow {
  code: string;
  target: string;
  target_type: string | null;
  target_id: string | null;
}
export interface IndexRows {
  token: TokenRow[];
  string: StringRow[];
  date: DateRow[];
  reference: ReferenceRow[];
}

/** A value to index: from FHIRPath it carries its FHIR type; from a direct path walk its shape tells. */
interface Value {
  type?: string;
  value: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The FHIR type of an untyped value, told by its shape (enough to index it the same way). */
function shapeOf(v: Value): string | undefined {
  if (v.type) return v.type;
  const x = v.value;
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  if ('coding' in x || ('text' in x && Object.keys(x).every((k) => k === 'text' || k === 'coding' || k === 'id' || k === 'extension'))) return 'CodeableConcept';
  if ('reference' in x || ('identifier' in x && 'type' in x && !('value' in x))) return 'Reference';
  if ('start' in x || 'end' in x) return 'Period';
  if ('event' in x || 'repeat' in x) return 'Timing';
  if ('family' in x || 'given' in x || 'prefix' in x || 'suffix' in x) return 'HumanName';
  if ('line' in x || 'city' in x || 'postalCode' in x || 'country' in x || 'district' in x || 'state' in x) return 'Address';
  if ('code' in x && !('value' in x)) return 'Coding';
  if ('value' in x) return 'Identifier';
  if ('text' in x) return 'HumanName';
  return undefined;
}

export interface IndexerOptions {
  /** Absolute base URLs of this server: references under them are stored as relative `Type/id`. */
  localBaseUrls?: string[];
}

export function indexResource(resource: Resource, registry: SearchParamRegistry, options: IndexerOptions = {}): IndexRows {
  const rows: IndexRows = { token: [], string: [], date: [], reference: [] };
  let input: TypedValue[] | undefined;
  for (const param of registry.params(resource.resourceType).values()) {
    let values: Value[];
    try {
      if (param.extract) values = param.extract(resource).map((value) => ({ value }));
      else values = evalFhirPathTyped(param.atom, (input ??= [toTypedValue(resource)]));
    } catch {
      // An expression that cannot be evaluated on this resource indexes nothing rather than failing the write.
      continue;
    }
    for (const v of values) {
      switch (param.type) {
        case 'token':
          addTokens(rows.token, param.code, v);
          break;
        case 'uri':
          if (typeof v.value === 'string') rows.token.push({ code: param.code, system: null, value: v.value, display: null });
          break;
        case 'string':
          addStrings(rows.string, param.code, v);
          break;
        case 'date':
          addDates(rows.date, param.code, v);
          break;
        case 'reference':
          addReference(rows.reference, param.code, v, options.localBaseUrls ?? []);
          break;
      }
    }
  }
  return dedupe(rows);
}

function addTokens(out: TokenRow[], code: string, v: Value): void {
  const value = v.value;
  if (value === null || value === undefined) return;
  switch (shapeOf(v)) {
    case 'Coding':
      out.push({ code, system: value.system ?? null, value: value.code ?? null, display: value.display ?? null });
      return;
    case 'CodeableConcept':
      for (const c of value.coding ?? []) out.push({ code, system: c.system ?? null, value: c.code ?? null, display: c.display ?? value.text ?? null });
      if (!value.coding?.length && value.text) out.push({ code, system: null, value: null, display: value.text });
      return;
    case 'Identifier':
      out.push({ code, system: value.system ?? null, value: value.value ?? null, display: value.type?.text ?? null });
      return;
    case 'ContactPoint':
      out.push({ code, system: value.system ?? null, value: value.value ?? null, display: null });
      return;
    default:
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
        out.push({ code, system: null, value: String(value), display: null });
      }
  }
}

function addStrings(out: StringRow[], code: string, v: Value): void {
  const push = (s: unknown) => {
    if (typeof s !== 'string' || s.length === 0) return;
    // `phonetic` parameters match on a sound-alike key per word (see phoneticKey), not on a prefix.
    if (code === 'phonetic') for (const key of phoneticWords(s)) out.push({ code, value: s, norm: key });
    else out.push({ code, value: s, norm: normalizeString(s) });
  };
  const value = v.value;
  // String parameters see only strings, HumanName and Address: any other object is a name.
  const shape = v.type ?? (value && typeof value === 'object' ? (shapeOf(v) === 'Address' ? 'Address' : 'HumanName') : undefined);
  if (shape === 'HumanName') {
    push(value.text);
    push(value.family);
    for (const g of value.given ?? []) push(g);
    for (const p of value.prefix ?? []) push(p);
    for (const s of value.suffix ?? []) push(s);
  } else if (shape === 'Address') {
    push(value.text);
    for (const l of value.line ?? []) push(l);
    push(value.city);
    push(value.district);
    push(value.state);
    push(value.postalCode);
    push(value.country);
  } else {
    push(value);
  }
}

function addDates(out: DateRow[], code: string, v: Value): void {
  const value = v.value;
  const shape = shapeOf(v);
  if (typeof value === 'string') {
    const r = dateRange(value);
    if (r) out.push({ code, lo: r.lo, hi: r.hi });
  } else if (shape === 'Period' && value) {
    const start = typeof value.start === 'string' ? dateRange(value.start) : undefined;
    const end = typeof value.end === 'string' ? dateRange(value.end) : undefined;
    if (start || end) out.push({ code, lo: start?.lo ?? '-infinity', hi: end?.hi ?? 'infinity' });
  } else if (shape === 'Timing' && value) {
    for (const e of value.event ?? []) {
      const r = dateRange(e);
      if (r) out.push({ code, lo: r.lo, hi: r.hi });
    }
  }
}

function addReference(out: ReferenceRow[], code: string, v: Value, localBases: string[]): void {
  const value = v.value;
  const ref = typeof value === 'string' ? value : value?.reference;
  if (typeof ref !== 'string' || ref.length === 0 || ref.startsWith('#')) return;
  const target = normalizeReference(ref, localBases);
  const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(target);
  out.push({ code, target, target_type: m?.[1] ?? null, target_id: m?.[2] ?? null });
}

/** `https://this.server/fhir/Patient/1/_history/2` → `Patient/1`; other absolute URLs stay as they are. */
export function normalizeReference(ref: string, localBases: string[]): string {
  let r = ref;
  for (const base of localBases) {
    const b = base.endsWith('/') ? base : base + '/';
    if (r.startsWith(b)) {
      r = r.slice(b.length);
      break;
    }
  }
  const hist = /^([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})\/_history\/[^/]+$/.exec(r);
  return hist?.[1] ?? r;
}

/** Index rows with NUL characters removed from their text (PostgreSQL text and jsonb cannot hold NUL). */
export function withoutNul(rows: IndexRows): IndexRows {
  const clean = <T extends object>(row: T): T =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '') : v])) as T;
  return dedupe({ token: rows.token.map(clean), string: rows.string.map(clean), date: rows.date.map(clean), reference: rows.reference.map(clean) });
}

function dedupe(rows: IndexRows): IndexRows {
  const uniq = <T>(list: T[]): T[] => {
    if (list.length < 2) return list;
    const seen = new Set<string>();
    return list.filter((r) => {
      const k = JSON.stringify(r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };
  return { token: uniq(rows.token), string: uniq(rows.string), date: uniq(rows.date), reference: uniq(rows.reference) };
}
