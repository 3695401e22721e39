// Hand-written episodes as händelser (the normalized model), and a test-only adapter that takes them as
// JSON, so the ingest machinery is tested apart from any one source's format.
import type { MappingResult, SourceAdapter } from '../../src/mappings/common/adapter.ts';
import type { Detalj, Handelse, Part, PatientUppgifter, VardtillfalleUppgifter } from '../../src/mappings/common/handelse.ts';
import { isNotice } from '../../src/mappings/common/handelse.ts';

export type Message = { messageId: string; handelser: Handelse[] };

/** Accepts `{ "messageId": ..., "handelser": [...] }`: the händelser as they are (test only). */
export const handelseJsonAdapter: SourceAdapter = {
  id: 'cosmic-link',
  title: 'händelser as JSON (tests)',
  contentTypes: ['application/json'],
  kinds: [],
  map(raw: string): MappingResult {
    try {
      const m = JSON.parse(raw) as Partial<Message>;
      if (typeof m?.messageId !== 'string' || !Array.isArray(m.handelser) || !m.handelser.length) {
        return { ok: false, issues: [{ path: 'messageId', message: 'messageId and handelser are required' }] };
      }
      return { ok: true, messageId: m.messageId, handelser: m.handelser };
    } catch {
      return { ok: false, issues: [{ path: '', message: 'not JSON' }] };
    }
  },
  render(h) {
    return { contentType: 'application/json', body: JSON.stringify({ messageId: h[0]!.messageId, handelser: h }) };
  },
};

export const AVD: Part = { kind: 'slutenvard', hsaId: 'SE2321000164-E000000000101', name: 'Avdelning 71, USÖ' };
export const VC: Part = { kind: 'oppenvard', hsaId: 'SE2321000164-E000000000201', name: 'Vårdcentralen Tybble' };
export const KOMMUN: Part = { kind: 'kommun', kommunkod: '1880', name: 'Örebro kommun' };
export const HEMTJANST: Part = { kind: 'socialtjanst', hsaId: 'SE2120001231-E000000000301', name: 'Hemtjänsten Väster' };

export function patient(value = '195009072553', family = 'Tolvansson'): PatientUppgifter {
  return {
    identifier: { kind: 'personnummer', value },
    family,
    given: ['Tolvan'],
    folkbokforingsadress: { line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' },
    folkbokforingskommun: '1880',
  };
}

export function stay(id: string, admittedAt = '2025-03-03T08:10:00+01:00'): VardtillfalleUppgifter {
  return { issuer: 'SE2321000164', id, admittedAt, unit: AVD, careType: 'somatic', sourceCaseId: `CASE-${id}` };
}

/** A complete somatic episode: admission notice to SIP, eight messages. Ready at 10:15 on day 2, left on day 4. */
export function exampleEpisode(n: number, pnr = '195009072553'): Message[] {
  const p = patient(pnr);
  const s = stay(`V${n}`);
  const msg = (i: number, at: string, sender: Part, recipients: Part[], d: Detalj): Message => ({
    messageId: `M${n}-${i}`,
    handelser: [{ source: 'cosmic-link', messageId: `M${n}-${i}`, seq: 0, occurredAt: at, sentAt: at, patient: p, stay: s, sender, recipients, ...d } as Handelse],
  });
  return [
    msg(1, '2025-03-03T10:00:00+01:00', AVD, [KOMMUN, VC], { kind: 'inskrivningsmeddelande', estimatedDischarge: '2025-03-07' }),
    msg(2, '2025-03-03T10:05:00+01:00', AVD, [KOMMUN, VC], { kind: 'samtycke', decision: 'given' }),
    msg(3, '2025-03-04T09:00:00+01:00', AVD, [KOMMUN, VC], { kind: 'beraknad-utskrivning', estimatedDischarge: '2025-03-06' }),
    msg(4, '2025-03-04T11:00:00+01:00', VC, [AVD, KOMMUN], {
      kind: 'fast-vardkontakt',
      contact: { name: 'Anna Andersson', role: 'Distriktssköterska', unit: VC, telecom: [{ system: 'phone', value: '019-123456' }] },
    }),
    msg(5, '2025-03-05T10:15:00+01:00', AVD, [KOMMUN, VC], { kind: 'utskrivningsklar' }),
    msg(6, '2025-03-05T14:00:00+01:00', VC, [KOMMUN, AVD], {
      kind: 'kallelse-sip',
      purpose: 'Planera insatser i hemmet',
      meeting: { time: '2025-03-06T13:00:00+01:00', place: 'Avdelning 71', form: 'FACE' },
    }),
    msg(7, '2025-03-07T11:30:00+01:00', AVD, [KOMMUN, VC], { kind: 'utskrivningsmeddelande' }),
    msg(8, '2025-03-07T15:00:00+01:00', VC, [KOMMUN, AVD], {
      kind: 'sip-status',
      plan: { id: `SIP-${n}`, type: 'SIP', status: 'upprattad', actions: [{ description: 'Hemtjänst morgon och kväll', performer: HEMTJANST }] },
    }),
  ];
}

export function notices(messages: Message[]): number {
  return messages.flatMap((m) => m.handelser).filter((h) => isNotice(h.kind)).length;
}

export const body = (m: Message) => JSON.stringify(m);
