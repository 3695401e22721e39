// What the two JSON sources (Cosmic Link and Lifecare SP) share: reading a raw body safely, zod building
// blocks that check and normalise Swedish identifiers and Stockholm times, two-way code tables, and the
// checks render needs. It lives here (not in common/) because only these two contracts use it.
import { z } from 'zod';
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { CareType, CompulsoryCare, Handelse, MeddelandeRef, Part, PartKind, PatientIdentifierKind, PatientUppgifter, PlanType, SourceId } from '../common/handelse.ts';
import { parseSenderKey, senderKey } from '../common/keys.ts';
import { isoDate, toStockholm } from '../common/tid.ts';
import { isKommunkod, isKommunkodCode, parseHsaId, parsePersonnummer, parseReservnummer } from '../../profiles/identifiers/index.ts';

/** The path of a problem with the message as a whole (unreadable, not an object, too large). */
export const ROOT = '$';
/** A message is a few kilobytes; anything near this is not a message, and is refused before parsing. */
export const MAX_MESSAGE_CHARS = 256 * 1024;

// ---- reading ----------------------------------------------------------------------------------

/** The raw body as a JSON object, or the issue that says why not. */
export function readJsonObject(raw: string): { ok: true; value: Record<string, unknown> } | { ok: false; issues: MappingIssue[] } {
  if (typeof raw !== 'string') return fail(ROOT, 'the message is not text');
  if (raw.length > MAX_MESSAGE_CHARS) return fail(ROOT, `the message is ${raw.length} characters; at most ${MAX_MESSAGE_CHARS} are accepted`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return fail(ROOT, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(ROOT, `the message must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

const fail = (path: string, message: string) => ({ ok: false as const, issues: [{ path, message }] });

/** The message id at `path` when it is a usable string, so even a refused message can be answered and deduplicated. */
export function messageIdAt(obj: unknown, path: readonly string[]): string | undefined {
  let v: unknown = obj;
  for (const k of path) v = typeof v === 'object' && v !== null && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' && MESSAGE_ID.test(v) ? v : undefined;
}

/** zod issues as MappingIssues: `a.b[0].c`, the root as `$`, and one issue per unknown field, named by it. */
export function issuesOf(error: { issues: readonly z.core.$ZodIssue[] }): MappingIssue[] {
  return error.issues.flatMap((i) => {
    const at = pathText(i.path);
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: joinPath(at, k), message: 'unknown field' }));
    return [{ path: at || ROOT, message: i.message }];
  });
}

export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : joinPath(s, String(p))), '');
}

const joinPath = (a: string, b: string) => (a ? `${a}.${b}` : b);

/**
 * The whole pipeline of a JSON source: read, check with the contract's schema, then `build` (the checks
 * across fields, which push issues, and the händelser). Never throws, whatever the input: the adapter
 * contract says a bad message is answered with issues.
 */
export function mapJsonMessage<T>(
  raw: string,
  idPath: readonly string[],
  schema: z.ZodType<T>,
  build: (m: T, issues: MappingIssue[]) => Handelse[] | undefined,
): MappingResult {
  let messageId: string | undefined;
  const refused = (issues: MappingIssue[]): MappingResult => ({ ok: false, ...(messageId ? { messageId } : {}), issues });
  try {
    const read = readJsonObject(raw);
    if (!read.ok) return read;
    messageId = messageIdAt(read.value, idPath);
    const parsed = schema.safeParse(read.value);
    if (!parsed.success) return refused(issuesOf(parsed.error));
    const issues: MappingIssue[] = [];
    const handelser = build(parsed.data, issues);
    if (issues.length || !handelser) return refused(issues.length ? issues : [{ path: ROOT, message: 'the message could not be mapped' }]);
    return { ok: true, messageId: handelser[0]!.messageId, handelser };
  } catch (e) {
    return refused([{ path: ROOT, message: `the message could not be mapped: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

// ---- zod building blocks ----------------------------------------------------------------------

/** Message, stay, case and plan ids: printable, no spaces, at most 100 characters. */
export const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
export const idText = z.string().regex(MESSAGE_ID, 'must be 1–100 letters, digits or . _ : / - (starting with a letter or digit)');

/** Free text: not blank, bounded so that one field cannot carry a whole archive. */
export const fritext = (max = 10_000) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
export const namn = fritext(200);

/** A text field read by `parse` (a time helper of tid.ts), refused with `message` when it gives nothing. */
const timeText = (parse: (s: string) => string | undefined, message: string) =>
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const t = parse(s);
      if (t === undefined) ctx.addIssue({ code: 'custom', message });
      return t ?? '';
    });

/** A date-time (with an offset, or without = Stockholm wall-clock time) as a Stockholm instant with its offset. */
export const tidpunkt = timeText(toStockholm, 'not a date-time YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z] (no offset = Europe/Stockholm)');

/** A calendar date YYYY-MM-DD as it is, or a date-time as a Stockholm instant (estimated discharge, follow-up). */
export const datumEllerTidpunkt = timeText((s) => isoDate(s) ?? toStockholm(s), 'not a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z]');

/** Inera's plan types (GetCarePlans), the same codes in every source. */
export const PLAN_TYPES = ['SIP', 'SPLPTLRV', 'SPU', 'VP', 'HP', 'RP', 'GP', 'SVP'] as const satisfies readonly PlanType[];
export const planTyp = z.enum(PLAN_TYPES);

export const hsaId = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const r = parseHsaId(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `not an HSA-id: ${r.message}` });
    return r.ok ? r.value : '';
  });

/** A kommunkod of the 290 kommuner, or 9901 (asylum seekers) where that is a possible registration. */
export const kommunkod = z.string().refine(isKommunkodCode, 'not an SCB kommunkod (4 digits of one of the 290 kommuner, or 9901)');
/** A real kommun (a placing kommun cannot be 9901). */
export const riktigKommunkod = z.string().refine(isKommunkod, 'not an SCB kommunkod of one of the 290 kommuner');

/** The sender of another message, as its notice key names it: an HSA-id, or the kommunkod of a kommun as a whole. */
export const avsandarnyckel = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const r = parseSenderKey(s);
    if (r === undefined) ctx.addIssue({ code: 'custom', message: 'not an HSA-id or the kommunkod of a kommun' });
    return r ?? {};
  });

/**
 * A reply's reference to the message it answers, which came through the same source: to the model
 * (`fromSource`) and back (`toSource`, which refuses a message of another source: the contract cannot say it).
 */
export const svarPa = {
  fromSource: (source: SourceId, ref: { messageId: string; sender: Pick<Part, 'hsaId' | 'kommunkod'> } | undefined): { acknowledges?: MeddelandeRef } =>
    ref ? { acknowledges: { source, sender: ref.sender, messageId: ref.messageId } } : {},
  toSource(source: SourceId, ref: MeddelandeRef | undefined): { messageId: string; sender: string } | undefined {
    if (ref === undefined) return undefined;
    if (ref.source !== source) throw new Error(`${source} can only acknowledge a message sent through ${source}, not ${ref.source}`);
    return { messageId: ref.messageId, sender: senderKey(ref.sender) };
  },
};

export const postnummer = z.string().regex(/^\d{3} ?\d{2}$/, 'a postnummer is 5 digits, optionally written NNN NN');

/**
 * A code table between the source's vocabulary and the model's: the zod enum that maps in, and the
 * inverse that render uses. One table, so the two directions cannot drift apart.
 */
export function vocab<const S extends string, const M extends string>(table: Record<S, M>) {
  const keys = Object.keys(table) as [S, ...S[]];
  const back = new Map<M, S>(keys.map((k) => [table[k], k]));
  return {
    schema: z.enum(keys).transform((k) => table[k]),
    codes: keys,
    toSource(m: M): S {
      const s = back.get(m);
      if (s === undefined) throw new Error(`no source code for ${m}`);
      return s;
    },
  };
}

/**
 * A party as a source names it: its kind in the field `kindField` (with the source's codes), an HSA-id,
 * a kommunkod, a name. The rule of profile SamverkanOrganization holds: a kommun as a whole is named by
 * its kommunkod (or an HSA-id), every other party by its HSA-id, and only a kommun has a kommunkod.
 */
export function partSchema<const K extends string, const S extends string>(kindField: K, kinds: { schema: z.ZodType<PartKind, S> }) {
  const shape = { [kindField]: kinds.schema, hsaId: hsaId.optional(), kommunkod: kommunkod.optional(), namn } as {
    [P in K]: z.ZodType<PartKind, S>;
  } & { hsaId: z.ZodOptional<typeof hsaId>; kommunkod: z.ZodOptional<typeof kommunkod>; namn: typeof namn };
  return z.strictObject(shape).transform((checked, ctx) => {
    // zod cannot follow a computed key through its generic types; the shape above is what it checked.
    const p = checked as unknown as { hsaId?: string; kommunkod?: string; namn: string } & Record<K, PartKind>;
    const kind = p[kindField];
    if (kind === 'kommun') {
      if (p.hsaId === undefined && p.kommunkod === undefined) ctx.addIssue({ code: 'custom', path: ['kommunkod'], message: 'a kommun needs its kommunkod (or an HSA-id)' });
    } else {
      if (p.hsaId === undefined) ctx.addIssue({ code: 'custom', path: ['hsaId'], message: 'required for every party but a kommun' });
      if (p.kommunkod !== undefined) ctx.addIssue({ code: 'custom', path: ['kommunkod'], message: 'only a kommun has a kommunkod' });
    }
    return part(kind, p.namn, p.hsaId, p.kommunkod);
  });
}

/** A model Part without absent optional fields (so händelser compare and serialise cleanly). */
export function part(kind: PartKind, name: string, hsa?: string, kommun?: string): Part {
  return { kind, ...(hsa !== undefined ? { hsaId: hsa } : {}), ...(kommun !== undefined ? { kommunkod: kommun } : {}), name };
}

// ---- patient identifiers ----------------------------------------------------------------------

/**
 * A patient identifier of the stated kind, normalised (12 digits; 10 digits with - or + are read against
 * `today`, the Stockholm date the message was sent, so the mapping stays pure). A personnummer field that
 * holds a samordningsnummer (or the reverse) is refused: the sender must say which it means.
 */
export function patientIdentifier(kind: PatientIdentifierKind, value: string, today: string): { ok: true; value: string } | { ok: false; message: string } {
  if (kind === 'nationelltReservnummer') {
    const r = parseReservnummer(value, { today });
    return r.ok ? { ok: true, value: r.value.normalized } : { ok: false, message: `not a nationellt reservnummer: ${r.message}` };
  }
  const r = parsePersonnummer(value, { today });
  if (!r.ok) return { ok: false, message: `not a ${kind}: ${r.message}` };
  if (r.value.kind !== kind) return { ok: false, message: `this is a ${r.value.kind}, not a ${kind} (the day of a samordningsnummer is the birth day + 60)` };
  return { ok: true, value: r.value.normalized };
}

// ---- render -----------------------------------------------------------------------------------

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The händelser of one message, checked to share what the message states once (id, time sent, patient,
 * stay, sender, recipients): a message cannot say two different things about them.
 */
export function oneMessage(handelser: readonly Handelse[], source: string): Handelse {
  const first = handelser[0];
  if (!first) throw new Error(`${source}: render needs at least one händelse`);
  handelser.forEach((h, i) => {
    if (h.seq !== i) throw new Error(`${source}: händelse ${i} has seq ${h.seq}; render takes a message's händelser in seq order`);
    for (const k of ['messageId', 'sentAt', 'patient', 'stay', 'sender', 'recipients'] as const) {
      if (!same(h[k], first[k])) throw new Error(`${source}: the händelser of one message must share ${k}`);
    }
  });
  return first;
}

/** `o` without its undefined fields (a rendered message leaves absent fields out, not null). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---- checks across fields -----------------------------------------------------------------------

/**
 * The patient a message states, with its identifier checked and normalised against the Stockholm date
 * the message was sent; undefined (and an issue at `id.path`) when the identifier is wrong.
 */
export function patientUppgifter(
  id: { kind: PatientIdentifierKind; value: string; path: string },
  sentAt: string,
  rest: Omit<PatientUppgifter, 'identifier'>,
  issues: MappingIssue[],
): PatientUppgifter | undefined {
  const r = patientIdentifier(id.kind, id.value, sentAt.slice(0, 10));
  if (!r.ok) {
    issues.push({ path: id.path, message: r.message });
    return undefined;
  }
  return { identifier: { kind: id.kind, value: r.value }, ...rest };
}

/** Profile rule sg-enc-2: compulsory care (tvångsvård) is psychiatric care. */
export function crossFieldIssues(careType: CareType, compulsory: CompulsoryCare | undefined, path: string): MappingIssue[] {
  return compulsory && careType !== 'psychiatric' ? [{ path, message: 'compulsory care (tvångsvård) is only possible in psychiatric care' }] : [];
}

/**
 * An admission notice carries the whole folkbokföringsadress (law 2:2): the Inskrivningsmeddelande profile
 * requires lines, postal code and city. `fields` names the address and its two optional parts in the source.
 */
export function addressIssues(
  address: Record<string, unknown> | undefined,
  fields: { address: string; postalCode: string; city: string },
  where: string,
): MappingIssue[] {
  const why = `required with an admission notice (${where}): law 2:2`;
  if (address === undefined) return [{ path: fields.address, message: why }];
  return [fields.postalCode, fields.city].filter((f) => address[f] === undefined).map((f) => ({ path: `${fields.address}.${f}`, message: why }));
}
