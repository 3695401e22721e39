// The state of one vårdtillfälle, computed from ALL its händelser in the order they happened (not the
// order they arrived). Because the fold is over a sorted set, any arrival order, and any repetition,
// gives the same state: this is what makes ingest order-independent and idempotent.
import type {
  CompulsoryCare,
  ConsentDecision,
  Handelse,
  Part,
  PatientUppgifter,
  SourceId,
  Telecom,
  VardtillfalleUppgifter,
  VisamTrack,
} from './handelse.ts';
import { instantMs } from './tid.ts';

export type StayStatus = 'in-progress' | 'finished' | 'cancelled';

export type StayState = {
  stay: VardtillfalleUppgifter;
  patient: PatientUppgifter;
  status: StayStatus;
  dischargedAt?: string;
  estimatedDischarge?: string;
  readyAt?: string;
  compulsoryCare?: CompulsoryCare;
  visamTrack?: VisamTrack;
  placingKommun?: string;
  /** The source systems' case ids for the stay, sorted. */
  caseIds: { source: SourceId; value: string }[];
  consent?: { decision: ConsentDecision; at: string; performer: Part };
  careContact?: { name: string; role: string; unit: Part; telecom: Telecom[]; at: string };
};

/** The order of a stay's history: when it happened, then a fixed tie-break so equal times sort the same everywhere. */
export function compareHandelser(a: Handelse, b: Handelse): number {
  return (
    instantMs(a.occurredAt) - instantMs(b.occurredAt) ||
    cmp(a.source, b.source) ||
    cmp(a.messageId, b.messageId) ||
    a.seq - b.seq
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The stay after all its händelser; `hs` must not be empty and must all concern one stay. */
export function projectStay(hs: readonly Handelse[]): StayState {
  const ordered = [...hs].sort(compareHandelser);
  const first = ordered[0];
  if (!first) throw new Error('projectStay needs at least one händelse');
  const s: StayState = { stay: first.stay, patient: first.patient, status: 'in-progress', caseIds: [] };
  const cases = new Map<string, { source: SourceId; value: string }>();
  for (const h of ordered) {
    s.stay = h.stay;
    s.patient = mergePatient(s.patient, h.patient);
    // Facts a source may not know are kept from earlier händelser rather than cleared by silence.
    if (h.stay.compulsoryCare) s.compulsoryCare = h.stay.compulsoryCare;
    if (h.stay.visamTrack) s.visamTrack = h.stay.visamTrack;
    if (h.stay.placingKommun) s.placingKommun = h.stay.placingKommun;
    if (h.stay.sourceCaseId) cases.set(`${h.source}|${h.stay.sourceCaseId}`, { source: h.source, value: h.stay.sourceCaseId });
    switch (h.kind) {
      case 'inskrivningsmeddelande':
      case 'beraknad-utskrivning':
        s.estimatedDischarge = h.estimatedDischarge;
        break;
      case 'adt-uppdatering':
        if (h.estimatedDischarge) s.estimatedDischarge = h.estimatedDischarge;
        break;
      case 'utskrivningsklar':
        s.readyAt = h.occurredAt;
        break;
      case 'aterkallad-utskrivningsklar':
        s.readyAt = undefined;
        break;
      case 'utskrivningsmeddelande':
      case 'adt-utskrivning':
        s.dischargedAt = h.occurredAt;
        if (s.status !== 'cancelled') s.status = 'finished';
        break;
      case 'adt-utskrivning-makulerad':
        s.dischargedAt = undefined;
        if (s.status === 'finished') s.status = 'in-progress';
        break;
      case 'adt-inskrivning-makulerad':
        s.status = 'cancelled';
        break;
      case 'adt-inskrivning':
        if (s.status === 'cancelled') s.status = s.dischargedAt ? 'finished' : 'in-progress';
        break;
      case 'samtycke':
        s.consent = { decision: h.decision, at: h.occurredAt, performer: h.sender };
        break;
      case 'fast-vardkontakt':
        s.careContact = { ...h.contact, at: h.occurredAt };
        break;
      default:
        break;
    }
  }
  s.caseIds = [...cases.values()].sort((a, b) => cmp(a.source, b.source) || cmp(a.value, b.value));
  return s;
}

/**
 * The patient after every händelse that names them, across all their stays, in the order they happened:
 * the Patient resource is shared by the stays, so no one stay's messages may decide it alone.
 */
export function projectPatient(hs: readonly Handelse[]): PatientUppgifter {
  const ordered = [...hs].sort(compareHandelser);
  let p = ordered[0]!.patient;
  for (const h of ordered) p = mergePatient(p, h.patient);
  return p;
}

/** Newer statements win field by field; a field a message leaves out keeps its earlier value. */
function mergePatient(old: PatientUppgifter, next: PatientUppgifter): PatientUppgifter {
  return {
    identifier: next.identifier,
    family: next.family,
    given: next.given,
    folkbokforingsadress: next.folkbokforingsadress ?? old.folkbokforingsadress,
    folkbokforingskommun: next.folkbokforingskommun ?? old.folkbokforingskommun,
    skyddadIdentitet: next.skyddadIdentitet ?? old.skyddadIdentitet,
  };
}
