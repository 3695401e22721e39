// The raw episode export `samverkan settle` reads: CSV with a header (',' or ';') or NDJSON, one stay
// per row, exactly the Episode fields (plus the optional placing_kommunkod and hospital_lanskod).
// Every bad row is reported with its line and field; nothing is guessed or silently dropped.
import type { Episode } from '../../rules/episode.ts';
import { ISO_DATE_TIME_HINT, parseIsoDateTime } from '../../profiles/time/iso.ts';

export const REQUIRED_FIELDS = [
  'episode_id',
  'kommunkod',
  'care_type',
  'admitted_at',
  'admission_notice_at',
  'estimated_discharge_notice_at',
  'ready_at',
  'discharged_at',
  'sip_required',
  'sip_invitation_at',
  'care_contact_at',
  'home_ready',
  'social_services_only',
  'outpatient_unavailable',
] as const;
export const OPTIONAL_FIELDS = ['placing_kommunkod', 'hospital_lanskod'] as const;

const TIME_FIELDS = new Set([
  'admitted_at',
  'admission_notice_at',
  'estimated_discharge_notice_at',
  'ready_at',
  'discharged_at',
  'sip_invitation_at',
  'care_contact_at',
]);
const BOOLEAN_FIELDS = new Set(['sip_required', 'home_ready', 'social_services_only', 'outpatient_unavailable']);
const KNOWN = new Set<string>([...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]);

export type InputError = { line: number; field: string | null; message: string };

export type ParsedInput = { episodes: Episode[]; errors: InputError[]; format: 'csv' | 'ndjson' };

export function formatInputError(e: InputError): string {
  return `line ${e.line}${e.field ? `, field ${e.field}` : ''}: ${e.message}`;
}

/**
 * RFC 4180 records: quoted fields may hold separators, quotes ("") and line breaks. A line without a
 * quote is split directly (the common case for an export of 300 000 rows); only quoted lines are scanned.
 */
function* csvRecords(text: string, sep: string): Generator<{ line: number; fields: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? n : nl;
    const raw = text.slice(i, end > i && text[end - 1] === '\r' ? end - 1 : end);
    if (!raw.includes('"')) {
      if (raw.trim() !== '') yield { line, fields: raw.split(sep) };
      i = end + 1;
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (;;) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (c === '\n') line++;
          field += c;
          i++;
        }
      } else if (c === '"' && field === '') {
        quoted = true;
        i++;
      } else if (c === sep) {
        fields.push(field);
        field = '';
        i++;
      } else if (c === '\n' || c === '\r') {
        fields.push(field);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else {
        field += c;
        i++;
      }
    }
    yield { line: start, fields };
  }
}

/** One value in its raw form (CSV text, or a JSON value) → the Episode field, or an error message. */
function convert(field: string, raw: unknown): { value: unknown } | { error: string } {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (TIME_FIELDS.has(field)) {
    if (text === '' || text === null) return { value: null };
    if (typeof text !== 'string') return { error: `expected a date-time text or empty, got ${JSON.stringify(raw)}` };
    if (Number.isNaN(parseIsoDateTime(text))) return { error: `'${text}' is not a date-time (${ISO_DATE_TIME_HINT})` };
    return { value: text };
  }
  if (BOOLEAN_FIELDS.has(field)) {
    if (text === true || text === 'true') return { value: true };
    if (text === false || text === 'false') return { value: false };
    return { error: `expected true or false, got ${JSON.stringify(raw)}` };
  }
  switch (field) {
    case 'episode_id':
      if (typeof text !== 'string' || text === '') return { error: 'expected a non-empty id' };
      return { value: text };
    case 'kommunkod':
      if (typeof text !== 'string' || !/^\d{4}$/.test(text)) return { error: `expected a 4-digit kommunkod, got ${JSON.stringify(raw)}` };
      return { value: text };
    case 'care_type':
      if (text !== 'somatic' && text !== 'psychiatric') return { error: `expected somatic or psychiatric, got ${JSON.stringify(raw)}` };
      return { value: text };
    case 'placing_kommunkod':
      if (text === '' || text === null || text === undefined) return { value: null };
      if (typeof text !== 'string' || !/^\d{4}$/.test(text)) return { error: `expected a 4-digit kommunkod or empty, got ${JSON.stringify(raw)}` };
      return { value: text };
    case 'hospital_lanskod':
      if (text === '' || text === null || text === undefined) return { value: null };
      if (typeof text !== 'string' || !/^\d{2}$/.test(text)) return { error: `expected a 2-digit länskod or empty, got ${JSON.stringify(raw)}` };
      return { value: text };
  }
  return { error: 'unknown field' };
}

function toEpisode(record: Record<string, unknown>, line: number, errors: InputError[], seen: Map<string, number>): Episode | null {
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const f of [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]) {
    if (!(f in record)) continue;
    const r = convert(f, record[f]);
    if ('error' in r) {
      errors.push({ line, field: f, message: r.error });
      ok = false;
    } else out[f] = r.value;
  }
  if (!ok) return null;
  const e = out as Episode;
  const first = seen.get(e.episode_id);
  if (first !== undefined) {
    errors.push({ line, field: 'episode_id', message: `'${e.episode_id}' already appears on line ${first}` });
    return null;
  }
  seen.set(e.episode_id, line);
  if (e.admitted_at && e.discharged_at && parseIsoDateTime(e.discharged_at) < parseIsoDateTime(e.admitted_at)) {
    errors.push({ line, field: 'discharged_at', message: `discharge (${e.discharged_at}) is before admission (${e.admitted_at})` });
    return null;
  }
  return e;
}

function parseCsv(text: string): ParsedInput {
  const errors: InputError[] = [];
  const episodes: Episode[] = [];
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const records = csvRecords(text, sep);
  const head = records.next();
  if (head.done) return { episodes, errors: [{ line: 1, field: null, message: 'empty input: a header row is required' }], format: 'csv' };
  const header = head.value.fields.map((h) => h.trim());
  const unknown = header.filter((h) => !KNOWN.has(h));
  const missing = REQUIRED_FIELDS.filter((f) => !header.includes(f));
  const dup = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length) errors.push({ line: 1, field: null, message: `unknown column(s): ${unknown.join(', ')} (expected ${REQUIRED_FIELDS.join(',')})` });
  if (missing.length) errors.push({ line: 1, field: null, message: `missing column(s): ${missing.join(', ')}; the header is required` });
  if (dup.length) errors.push({ line: 1, field: null, message: `repeated column(s): ${[...new Set(dup)].join(', ')}` });
  if (errors.length) return { episodes, errors, format: 'csv' };
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length !== header.length) {
      errors.push({ line, field: null, message: `${fields.length} fields where the header has ${header.length}` });
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((h, i) => (record[h] = fields[i]!));
    const e = toEpisode(record, line, errors, seen);
    if (e) episodes.push(e);
  }
  return { episodes, errors, format: 'csv' };
}

function parseNdjson(text: string): ParsedInput {
  const errors: InputError[] = [];
  const episodes: Episode[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      errors.push({ line, field: null, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      errors.push({ line, field: null, message: 'expected one JSON object per line' });
      return;
    }
    const record = obj as Record<string, unknown>;
    const before = errors.length;
    for (const k of Object.keys(record)) {
      if (!KNOWN.has(k)) errors.push({ line, field: k, message: 'unknown field' });
    }
    for (const f of REQUIRED_FIELDS) {
      if (!(f in record)) errors.push({ line, field: f, message: 'missing (use null or "" for a notice never sent)' });
    }
    if (errors.length > before) return;
    const e = toEpisode(record, line, errors, seen);
    if (e) episodes.push(e);
  });
  return { episodes, errors, format: 'ndjson' };
}

/** NDJSON when the file name says so or the text starts with '{'; otherwise CSV. */
export function parseEpisodeInput(text: string, fileName = ''): ParsedInput {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/\.(nd)?jsonl?$/i.test(fileName) || body.trimStart().startsWith('{')) return parseNdjson(body);
  return parseCsv(body);
}
