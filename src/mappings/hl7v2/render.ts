// Händelser → one ER7 ADT message, the inverse of map.ts: mapAdt(renderAdt(h)) gives h back for every
// händelse the contract can carry. What ADT has no field for (the stay's placing
// kommun and source case id; a sender other than the unit; recipients) is not written.
import type { RenderedMessage } from '../common/adapter.ts';
import type { Handelse } from '../common/handelse.ts';
import { toStockholm } from '../common/tid.ts';
import { AUTHORITY_OID, CARE_TYPE, COMPULSORY_CARE, TRIGGER, triggerFor, type Trigger } from './contract.ts';
import { CHARSET_NAME, DEFAULT_SEPARATORS, serializeEr7, type Field, type FieldValue, type Segment } from './er7.ts';

export const CONTENT_TYPE = 'x-application/hl7-v2+er7';

/** Components (each one subcomponent) of a single-repetition field. */
const components = (...parts: string[]): Field => [parts.map((p) => [p])];

/** An ISO 8601 instant as HL7 DTM with its offset (`YYYYMMDDHHMMSS+HHMM`), so the fall-back hour is unambiguous. */
export function hl7Time(iso: string): string {
  const t = toStockholm(iso);
  if (!t) throw new Error(`not a date-time: ${iso}`);
  return t.replace(/[-:T]/g, '');
}

/** A date (YYYYMMDD) or an instant. */
function hl7DateOrTime(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text.replace(/-/g, '') : hl7Time(text);
}

const codeFor = <T extends string>(table: Readonly<Record<string, T>>, value: T): string => Object.keys(table).find((k) => table[k] === value)!;

export function renderAdt(handelser: readonly Handelse[]): RenderedMessage {
  const [h, extra, ...rest] = handelser;
  if (!h) throw new Error('renderAdt needs a händelse');
  const trigger = triggerFor(h.kind);
  if (!trigger) throw new Error(`HL7v2 ADT does not carry ${h.kind}`);
  if (h.source !== 'hl7v2') throw new Error(`HL7v2 renders its own händelser, not ${h.source}'s`);
  // map.ts makes two händelser of an A01/A02 that states an expected discharge; nothing else.
  if (rest.length || (extra && !(extra.kind === 'adt-uppdatering' && (trigger === 'A01' || trigger === 'A02') && extra.messageId === h.messageId))) {
    throw new Error(`HL7v2 ADT carries one event per message (plus the expected discharge of an A01/A02), not ${handelser.map((x) => x.kind).join(', ')}`);
  }
  const estimated = h.kind === 'adt-uppdatering' ? h.estimatedDischarge : extra?.kind === 'adt-uppdatering' ? extra.estimatedDischarge : undefined;
  return { contentType: CONTENT_TYPE, body: serializeEr7({ separators: DEFAULT_SEPARATORS, segments: segmentsFor(h, trigger, estimated) }) };
}

function segmentsFor(h: Handelse, trigger: Trigger, estimated: string | undefined): Segment[] {
  const p = h.patient;
  const s = h.stay;
  const seg = (name: string, fields: Record<number, FieldValue | undefined>): Segment => {
    const list: Field[] = [];
    for (const [n, v] of Object.entries(fields)) if (v !== undefined) list[Number(n)] = typeof v === 'string' ? components(v) : v;
    return { name, fields: Array.from(list, (f) => f ?? []) };
  };
  const oid = AUTHORITY_OID[p.identifier.kind];
  const pid3: Field = oid
    ? [[[p.identifier.value], [''], [''], ['', oid, 'ISO'], ['NNSWE']]]
    : [[[p.identifier.value], [''], [''], ['nationelltReservnummer']]];
  const address = p.folkbokforingsadress;
  const pid11 =
    address || p.folkbokforingskommun
      ? components(address?.line[0] ?? '', address?.line.slice(1).join(', ') ?? '', address?.city ?? '', '', address?.postalCode ?? '', '', 'L', '', p.folkbokforingskommun ?? '')
      : [];
  const segments = [
    seg('MSH', {
      4: s.issuer,
      7: hl7Time(h.sentAt),
      9: components('ADT', trigger, TRIGGER[trigger].structure),
      10: h.messageId,
      11: 'P',
      12: '2.5',
      18: CHARSET_NAME['utf-8'],
    }),
    seg('EVN', { 1: trigger, 2: hl7Time(h.sentAt), 6: hl7Time(h.occurredAt) }),
    seg('PID', { 3: pid3, 5: components(p.family, p.given[0] ?? '', p.given.slice(1).join(' '), '', '', '', 'L'), 11: pid11 }),
  ];
  if (p.skyddadIdentitet) segments.push(seg('PD1', { 12: p.skyddadIdentitet === 'none' ? 'N' : 'Y' }));
  segments.push(
    seg('PV1', {
      2: 'I',
      3: components(s.unit.hsaId ?? '', '', '', '', '', '', '', '', s.unit.name),
      10: codeFor(CARE_TYPE, s.careType),
      ...(s.compulsoryCare ? { 18: codeFor(COMPULSORY_CARE, s.compulsoryCare) } : {}),
      19: s.id,
      44: hl7Time(s.admittedAt),
      ...(trigger === 'A03' ? { 45: hl7Time(h.occurredAt) } : {}),
    }),
  );
  if (estimated) segments.push(seg('PV2', { 9: hl7DateOrTime(estimated) }));
  if (p.skyddadIdentitet || s.visamTrack) segments.push(seg('ZSV', { 1: p.skyddadIdentitet ?? '', 2: s.visamTrack ?? '' }));
  return segments;
}
