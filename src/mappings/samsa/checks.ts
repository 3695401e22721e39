// Field checks both the SAMSA and the kommun adapter apply after their schema has passed: identifiers,
// times and the party rules of the händelse model. They live here (and kommun imports them) because
// src/mappings/common is not ours to extend; each takes the contract's own path for its issues.
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { Handelse, Part, PartKind, PatientIdentifierKind } from '../common/handelse.ts';
import { parseSenderKey } from '../common/keys.ts';
import { isoDate, toStockholm } from '../common/tid.ts';
import { isKommunkod, parseHsaId, parsePersonnummer, parseReservnummer } from '../../profiles/identifiers/index.ts';

/** Most bytes a message may have: these are small notices, and a limit keeps parsing cheap. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export function tooLarge(raw: string, path: string): MappingIssue | undefined {
  // Characters first: a string over the limit in UTF-16 units is over it in UTF-8 bytes too.
  if (raw.length > MAX_MESSAGE_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_MESSAGE_BYTES) {
    return { path, message: `the message is larger than ${MAX_MESSAGE_BYTES} bytes` };
  }
  return undefined;
}

/** Is the media type (parameters ignored) one of `accepted`; an empty content type is taken as accepted. */
export function contentTypeIssue(contentType: string, accepted: readonly string[]): MappingIssue | undefined {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  if (base === '' || accepted.includes(base)) return undefined;
  return { path: 'Content-Type', message: `${base} is not accepted; send ${accepted.join(' or ')}` };
}

// C0 controls other than tab, line feed and carriage return (and DEL) have no place in a notice; NUL
// in particular breaks the store's indexes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const hasControl = (s: string) => CONTROL.test(s);

/** A non-empty text of at most `max` characters without control characters (both contracts' strings). */
export const textSchema = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !hasControl(s), 'contains a control character');

/** Message, stay and plan ids: they become identifier values, so no spaces and no '#' (keys.ts uses it). */
export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'an id is 1–64 letters, digits, . _ : or - (starting with a letter or digit)');

/** A date-time with a time of day, as a Stockholm instant with its offset. */
export function time(v: string, path: string, issues: MappingIssue[]): string {
  const t = toStockholm(v);
  if (t === undefined) issues.push({ path, message: `${JSON.stringify(v)} is not a date-time (YYYY-MM-DDTHH:MM[:SS], optionally with Z or ±HH:MM; without it Europe/Stockholm time)` });
  return t ?? v;
}

/** A calendar date YYYY-MM-DD. */
export function date(v: string, path: string, issues: MappingIssue[]): string {
  const d = isoDate(v);
  if (d === undefined) issues.push({ path, message: `${JSON.stringify(v)} is not a calendar date (YYYY-MM-DD)` });
  return d ?? v;
}

/** A date (the day only) or a date-time: an estimated discharge may be either. */
export function dateOrTime(v: string, path: string, issues: MappingIssue[]): string {
  if (v.length === 10) return date(v, path, issues);
  return time(v, path, issues);
}

export function hsaId(v: string, path: string, issues: MappingIssue[]): string {
  const r = parseHsaId(v);
  if (!r.ok) issues.push({ path, message: `not an HSA-id: ${r.message}` });
  return r.ok ? r.value : v;
}

export function kommunkod(v: string, path: string, issues: MappingIssue[]): string {
  if (!isKommunkod(v)) issues.push({ path, message: `${JSON.stringify(v)} is not the kommunkod of a Swedish kommun (SCB, 4 digits)` });
  return v;
}

/** The sender of another message, as its notice key names it: an HSA-id, or the kommunkod of a kommun as a whole. */
export function senderId(v: string, path: string, issues: MappingIssue[]): Pick<Part, 'hsaId' | 'kommunkod'> {
  const r = parseSenderKey(v);
  if (r === undefined) issues.push({ path, message: `${JSON.stringify(v)} is neither an HSA-id nor the kommunkod of a Swedish kommun` });
  return r ?? {};
}

/**
 * A patient identifier of the stated kind, normalised (12 characters, no separator). `today` is the
 * date the message was sent, so a birth date after it is refused without reading a clock.
 */
export function patientId(kind: PatientIdentifierKind, v: string, path: string, today: string, issues: MappingIssue[]): string {
  if (kind === 'nationelltReservnummer') {
    const r = parseReservnummer(v, { today });
    if (!r.ok) issues.push({ path, message: `not a nationellt reservnummer: ${r.message}` });
    return r.ok ? r.value.normalized : v;
  }
  const r = parsePersonnummer(v, { today });
  if (!r.ok) {
    issues.push({ path, message: `not a ${kind}: ${r.message}` });
    return v;
  }
  if (r.value.kind !== kind) issues.push({ path, message: `${v} is a ${r.value.kind}, not a ${kind}` });
  return r.value.normalized;
}

/**
 * A party as the model has it: a kommun as a whole by its kommunkod, every other party by its HSA-id
 * (profile rule sg-org-3: only a kommun has a kommunkod).
 */
export function part(
  kind: PartKind,
  v: { hsaId?: string | undefined; kommunkod?: string | undefined; name: string },
  path: (field: 'hsaId' | 'kommunkod') => string,
  issues: MappingIssue[],
): Part {
  if (kind === 'kommun') {
    if (v.hsaId !== undefined) issues.push({ path: path('hsaId'), message: 'a kommun as a whole is named by its kommunkod, not an HSA-id' });
    if (v.kommunkod === undefined) {
      issues.push({ path: path('kommunkod'), message: 'missing: a kommun is named by its kommunkod' });
      return { kind, name: v.name };
    }
    return { kind, kommunkod: kommunkod(v.kommunkod, path('kommunkod'), issues), name: v.name };
  }
  if (v.kommunkod !== undefined) issues.push({ path: path('kommunkod'), message: `only a kommun has a kommunkod; a ${kind} unit is named by its HSA-id` });
  if (v.hsaId === undefined) {
    issues.push({ path: path('hsaId'), message: `missing: a ${kind} unit is named by its HSA-id` });
    return { kind, name: v.name };
  }
  return { kind, hsaId: hsaId(v.hsaId, path('hsaId'), issues), name: v.name };
}

/** Labelled sections of a structured notice as the model's one text: `Label: value` lines, then free text. */
export function composeText(sections: readonly (readonly [label: string, value: string | undefined])[], free?: string): string {
  const lines = sections.filter(([, v]) => v !== undefined).map(([l, v]) => `${l}: ${v}`);
  if (free !== undefined) lines.push(free);
  return lines.join('\n');
}

/** What render needs: händelser of one message, seq 0.., agreeing on everything the message says once. */
export function checkOneMessage(hs: readonly Handelse[], source: Handelse['source']): Handelse {
  const first = hs[0];
  if (!first) throw new Error('render needs at least one händelse');
  hs.forEach((h, i) => {
    if (h.source !== source) throw new Error(`händelse ${i} is from ${h.source}, not ${source}`);
    if (h.seq !== i) throw new Error(`händelse ${i} has seq ${h.seq}; render takes one message's händelser in seq order`);
    for (const k of ['messageId', 'sentAt', 'patient', 'stay', 'sender', 'recipients'] as const) {
      if (!isDeepStrictEqual(h[k], first[k])) throw new Error(`händelse ${i} differs from händelse 0 in ${k}: one message has one ${k}`);
    }
  });
  return first;
}

/** `prefix + rest` split back, for texts the mapping composed from a message type the model has no kind for. */
export function afterPrefix(text: string, prefix: string): string | undefined {
  return text.startsWith(prefix) ? text.slice(prefix.length) : undefined;
}

export function fail(all: MappingIssue[], messageId?: string): MappingResult {
  // The schema and a later check may both see a missing member: say it once.
  const issues = [...new Map(all.map((i) => [`${i.path}\n${i.message}`, i])).values()];
  return messageId === undefined ? { ok: false, issues } : { ok: false, messageId, issues };
}

type ZodIssueLike = { code: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] };

/**
 * zod's issues in the contract's terms. XML: elements joined by '/', a repeated element's position
 * 1-based (`Mottagare[1]/HsaId`); JSON: members joined by '.', positions 0-based (`mottagare[0].hsaId`).
 * An unknown member is named in the path itself.
 */
export function schemaIssues(zodIssues: readonly ZodIssueLike[], prefix: string, style: 'xml' | 'json'): MappingIssue[] {
  const sep = style === 'xml' ? '/' : '.';
  const join = (p: string, name: string) => (p ? `${p}${sep}${name}` : name);
  return zodIssues.flatMap((i) => {
    let p = prefix;
    for (const seg of i.path) p = typeof seg === 'number' ? `${p}[${style === 'xml' ? seg + 1 : seg}]` : join(p, String(seg));
    if (i.code === 'unrecognized_keys' && i.keys) {
      return i.keys.map((k) => ({ path: join(p, k), message: k === '#text' ? 'text is not allowed here, only elements' : `unknown ${style === 'xml' ? 'element or attribute' : 'member'}` }));
    }
    let message = i.message;
    if (/received undefined/.test(message)) message = style === 'xml' ? 'missing required element' : 'missing required member';
    else if (style === 'xml' && /expected (string|object), received array/.test(message)) message = 'this element may occur only once';
    else if (style === 'xml' && /expected object, received string/.test(message)) message = 'expected child elements, found text';
    return [{ path: p || '(message)', message }];
  });
}
