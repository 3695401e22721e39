// Business identifiers: what makes a repeated or overlapping message update rather than duplicate. Every
// resource a mapping writes is found by one of these, and its bundle fullUrl is a urn:uuid derived from
// the same key, so a mapping's Bundle is a pure function of its input.
import { createHash } from 'node:crypto';
import { CANONICAL_BASE } from '../../profiles/canonical.ts';
import { isKommunkod, parseHsaId } from '../../profiles/identifiers/index.ts';
import type { Part, PatientUppgifter, SourceId, VardtillfalleUppgifter } from './handelse.ts';

export const IDENTIFIER_SYSTEM = {
  /** The stay: `<care provider HSA-id>:<stay id>`. */
  vardtillfalle: `${CANONICAL_BASE}/identifier/vardtillfalle`,
  /** A notice: `<sender HSA-id or kommunkod>:<the source's message id>` (and `#<seq>` for the second and later notice of one message). */
  meddelande: (source: SourceId) => `${CANONICAL_BASE}/identifier/meddelande/${source}`,
  /** The source system's own case id for the stay (Cosmic Link samordningsärende, SAMSA ärende...). */
  arende: (source: SourceId) => `${CANONICAL_BASE}/identifier/arende/${source}`,
  /** A coordinated plan (SIP, SPU, SPLPTLRV) by the plan id of the system that keeps it. */
  plan: (source: SourceId) => `${CANONICAL_BASE}/identifier/plan/${source}`,
} as const;

export function stayKey(stay: Pick<VardtillfalleUppgifter, 'issuer' | 'id'>): string {
  return `${stay.issuer}:${stay.id}`;
}

/** The patient across stays: the identifier kind and value. */
export function patientKey(p: Pick<PatientUppgifter, 'identifier'>): string {
  return `${p.identifier.kind}:${p.identifier.value}`;
}

/** Who numbered a message: message ids are unique per sender (an HL7v2 MSH-10 per sending system). */
export function senderKey(sender: Pick<Part, 'hsaId' | 'kommunkod'>): string {
  return sender.hsaId ?? sender.kommunkod ?? '';
}

/**
 * The inverse of senderKey, for a contract field naming the sender of another message: a kommunkod (four
 * digits of a kommun) or an HSA-id (normalised); undefined when it is neither.
 */
export function parseSenderKey(s: string): Pick<Part, 'hsaId'> | Pick<Part, 'kommunkod'> | undefined {
  if (/^\d{4}$/.test(s)) return isKommunkod(s) ? { kommunkod: s } : undefined;
  const r = parseHsaId(s);
  return r.ok ? { hsaId: r.value } : undefined;
}

/** A notice: `<sender>:<message id>`, and `#<seq>` for the second and later notice of one message. */
export function noticeKey(sender: Pick<Part, 'hsaId' | 'kommunkod'>, messageId: string, seq: number): string {
  const id = `${senderKey(sender)}:${messageId}`;
  return seq === 0 ? id : `${id}#${seq}`;
}

/** A name-based (RFC 4122 version 5 style, SHA-1) urn:uuid for a business key. */
export function urnFor(key: string): string {
  const h = createHash('sha1').update(key).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
