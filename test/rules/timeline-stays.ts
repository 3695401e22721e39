// Hand-written stays as händelser (src/mappings/common/handelse.ts), the model every source adapter maps
// to, for the timeline and $evaluate-measure tests: buildTransaction turns them into exactly the FHIR the
// adapters will store. Each stay says its facts plainly so the expected Episode can be written by hand.
import type { Handelse, Part, PlanType } from '../../src/mappings/common/handelse.ts';

export const AVD: Part = { kind: 'slutenvard', hsaId: 'SE2321000164-E000000000101', name: 'Avdelning 71, USÖ' };
export const VC: Part = { kind: 'oppenvard', hsaId: 'SE2321000164-E000000000201', name: 'Vårdcentralen Tybble' };
export const KOMMUN: Part = { kind: 'kommun', kommunkod: '1880', name: 'Örebro kommun' };
export const HEMTJANST: Part = { kind: 'socialtjanst', hsaId: 'SE2120001231-E000000000301', name: 'Hemtjänsten Väster' };
export const ISSUER = 'SE2321000164';

export type StaySpec = {
  id: string;
  /** Valid personnummer (Luhn), one per stay. */
  pnr: string;
  folkbokforingskommun: string;
  placingKommun?: string;
  careType?: 'somatic' | 'psychiatric';
  admittedAt: string;
  /** Notices 8 and 9 in the order given: [kind, occurredAt]. The notice 8 is sent `sentDelayMin` later. */
  readiness: Array<['utskrivningsklar' | 'aterkallad-utskrivningsklar', string]>;
  dischargedAt?: string;
  admissionNotice?: boolean;
  /** Notice 6 from the vårdcentral, at this time. */
  careContactAt?: string;
  /** Kallelse till SIP at this time, with a SIP of this type reported the next minute. */
  sip?: { at: string; type?: PlanType; invite?: boolean };
  /** Every notice goes to the socialtjänst unit only (no vårdcentral, no kommun as a whole). */
  socialOnly?: boolean;
  sentDelayMin?: number;
};

const addMinutes = (iso: string, min: number) => {
  // Keeps the text's own offset: the händelse times are Stockholm wall-clock with offset.
  const off = iso.slice(19);
  const ms = Date.parse(iso) + min * 60_000 + (off === 'Z' ? 0 : (off[0] === '-' ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * 60_000);
  return new Date(ms).toISOString().slice(0, 19) + off;
};

/** Every händelse of the stay, in the order they happened. */
export function stayHandelser(s: StaySpec): Handelse[] {
  const patient = {
    identifier: { kind: 'personnummer' as const, value: s.pnr },
    family: `Familj${s.id}`,
    given: ['Test'],
    folkbokforingsadress: { line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' },
    folkbokforingskommun: s.folkbokforingskommun,
  };
  const stay = {
    issuer: ISSUER,
    id: s.id,
    admittedAt: s.admittedAt,
    unit: AVD,
    careType: s.careType ?? 'somatic',
    ...(s.placingKommun ? { placingKommun: s.placingKommun } : {}),
  };
  const to = s.socialOnly ? [HEMTJANST] : [KOMMUN, VC];
  const out: Handelse[] = [];
  const add = (occurredAt: string, sender: Part, recipients: Part[], detail: Record<string, unknown>, sentAt = occurredAt) =>
    out.push({
      source: 'cosmic-link',
      messageId: `${s.id}-${out.length + 1}`,
      seq: 0,
      occurredAt,
      sentAt,
      patient,
      stay,
      sender,
      recipients,
      ...detail,
    } as Handelse);
  if (s.admissionNotice !== false) {
    add(addMinutes(s.admittedAt, 60), AVD, to, { kind: 'inskrivningsmeddelande', estimatedDischarge: s.admittedAt.slice(0, 10) });
  }
  if (s.careContactAt) add(s.careContactAt, VC, [AVD, KOMMUN], { kind: 'fast-vardkontakt', contact: { name: 'Anna Andersson', role: 'Distriktssköterska', unit: VC, telecom: [{ system: 'phone', value: '019-123456' }] } });
  for (const [kind, at] of s.readiness) add(at, AVD, to, { kind }, addMinutes(at, s.sentDelayMin ?? 0));
  if (s.sip) {
    if (s.sip.invite !== false) {
      add(s.sip.at, VC, [AVD, KOMMUN], { kind: 'kallelse-sip', purpose: 'Planera insatser', meeting: { time: addMinutes(s.sip.at, 60 * 24), place: 'Avdelning 71', form: 'FACE' } });
    }
    add(addMinutes(s.sip.at, 1), VC, [AVD, KOMMUN], {
      kind: 'sip-status',
      plan: { id: `SIP-${s.id}`, type: s.sip.type ?? 'SIP', status: 'upprattad', actions: [{ description: 'Hemtjänst', performer: HEMTJANST }] },
    });
  }
  if (s.dischargedAt) add(s.dischargedAt, AVD, to, { kind: 'utskrivningsmeddelande' });
  return out;
}
