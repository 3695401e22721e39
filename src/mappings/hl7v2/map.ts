// HL7v2 ADT (ER7) → händelser, by the contract in contract.ts. Pure and total: any input gives a
// MappingResult, and every issue names the HL7 field it is about (`PID-3`, `PV1-19`) and the HL7 error
// code (table 0357) the ACK will carry. All issues of a message are collected, not just the first, so a
// vendor can fix a message in one round.
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { Adress, CompulsoryCare, Handelse, Part, PatientIdentifierKind, PatientUppgifter, VardtillfalleUppgifter } from '../common/handelse.ts';
import { hl7ToStockholm, isoDate } from '../common/tid.ts';
import { checkIdentifierValue, parseHsaId, parsePersonnummer } from '../../profiles/identifiers/index.ts';
import {
  ASSIGNING_AUTHORITY,
  CARE_TYPE,
  checkRequired,
  checkSegments,
  COMPULSORY_CARE,
  HL7_ERROR,
  IDENTIFIER_PREFERENCE,
  NATIONAL_ID_TYPES,
  PROTECTED_IDENTITY,
  TRIGGER,
  TRIGGERS,
  VERSIONS,
  VISAM_TRACK,
  type ContractIssue,
  type ProtectedIdentity,
  type Trigger,
} from './contract.ts';
import { parseEr7, readMshLeniently, repetitions, valueAt, type Segment } from './er7.ts';

export type Hl7Issue = MappingIssue & { code?: string };

const MAX_CONTROL_ID = 199;
const MAX_VISIT_NUMBER = 64;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The message control id (MSH-10) when the header can be read at all, for answering and deduplicating. */
export function controlIdOf(raw: string): string | undefined {
  const id = valueAt(readMshLeniently(raw), 10);
  return id && id.length <= MAX_CONTROL_ID && !CONTROL.test(id) ? id : undefined;
}

/** Maps one ER7 ADT message. Never throws. */
export function mapAdt(raw: string): MappingResult {
  try {
    return mapStrict(raw);
  } catch (e) {
    // A bug here must still answer (with a NACK the sender can retry), not take the listener down.
    return { ok: false, messageId: safeControlId(raw), issues: [{ path: 'MSH', message: `the message could not be processed: ${String(e)}`, code: HL7_ERROR.internal } as Hl7Issue] };
  }
}

function safeControlId(raw: string): string | undefined {
  try {
    return controlIdOf(raw);
  } catch {
    return undefined;
  }
}

function mapStrict(raw: string): MappingResult {
  if (typeof raw !== 'string') return { ok: false, issues: [{ path: 'MSH', message: 'the message is not text', code: HL7_ERROR.dataType } as Hl7Issue] };
  const messageId = controlIdOf(raw);
  const parsed = parseEr7(raw);
  if (!parsed.ok) return fail(messageId, [{ ...parsed.error, code: HL7_ERROR.dataType }]);
  const { segments, issues } = checkSegments(parsed.message);
  if (parsed.message.segments[0]?.name !== 'MSH') issues.push({ path: 'MSH', message: 'the message must begin with MSH', code: HL7_ERROR.segmentSequence });
  issues.push(...checkRequired(segments));
  const r = new Reader(issues);
  const msh = segments.get('MSH');
  const evn = segments.get('EVN');
  const pid = segments.get('PID');
  const pv1 = segments.get('PV1');

  const trigger = r.trigger(msh);
  r.processingAndVersion(msh);
  const issuer = r.hsaId(msh, 4, 1, 'MSH-4.1', 'the care provider');
  const sentAt = r.time(msh, 7, 'MSH-7');
  if (valueAt(msh, 10).length > MAX_CONTROL_ID || CONTROL.test(valueAt(msh, 10))) r.add('MSH-10', `MSH-10 (message control id) must be at most ${MAX_CONTROL_ID} characters without control characters`, HL7_ERROR.dataType);
  const evn1 = valueAt(evn, 1);
  if (evn1 && trigger && evn1 !== trigger) r.add('EVN-1', `EVN-1 (event type code) ${evn1} contradicts MSH-9.2 ${trigger}`, HL7_ERROR.tableValue);
  const recorded = r.time(evn, 2, 'EVN-2');
  const eventOccurred = r.time(evn, 6, 'EVN-6');

  const patient = r.patient(pid, segments.get('PD1'), segments.get('ZSV'), sentAt);
  const stay = r.stay(pv1, issuer, segments.get('ZSV'));
  const discharged = r.time(pv1, 45, 'PV1-45');
  if (trigger === 'A03' && discharged && stay && Date.parse(discharged) < Date.parse(stay.admittedAt)) {
    r.add('PV1-45', 'PV1-45 (discharge date/time) is before PV1-44 (admit date/time)', HL7_ERROR.dataType);
  }
  const expected = r.expectedDischarge(segments.get('PV2'));

  if (issues.length || !messageId || !trigger || !sentAt || !patient || !stay) return fail(messageId, issues);
  const eventTime = eventOccurred ?? recorded ?? sentAt;
  const base = {
    source: 'hl7v2' as const,
    messageId,
    occurredAt: trigger === 'A03' ? (discharged ?? eventTime) : eventTime,
    sentAt,
    patient,
    stay,
    sender: stay.unit,
    recipients: [] as Part[],
  };
  const kind = TRIGGER[trigger].kind;
  const handelser: Handelse[] = [];
  if (kind === 'adt-uppdatering') handelser.push({ ...base, seq: 0, kind, ...(expected ? { estimatedDischarge: expected } : {}) });
  else {
    handelser.push({ ...base, seq: 0, kind });
    // An admit or transfer that states the expected discharge says what an A08 would: a second händelse.
    if (expected && (trigger === 'A01' || trigger === 'A02')) handelser.push({ ...base, seq: 1, kind: 'adt-uppdatering', estimatedDischarge: expected });
  }
  return { ok: true, messageId, handelser };
}

function fail(messageId: string | undefined, issues: ContractIssue[]): MappingResult {
  return { ok: false, ...(messageId ? { messageId } : {}), issues };
}

/** Field readers that record an issue and answer undefined when a value is not usable. */
class Reader {
  readonly issues: ContractIssue[];
  constructor(issues: ContractIssue[]) {
    this.issues = issues;
  }

  /** Records an issue (one per field: a later reader of the same field has nothing to add); answers undefined. */
  add(path: string, message: string, code: ContractIssue['code']): undefined {
    if (!this.issues.some((i) => i.path === path)) this.issues.push({ path, message, code });
    return undefined;
  }

  trigger(msh: Segment | undefined): Trigger | undefined {
    const type = valueAt(msh, 9, 1);
    const event = valueAt(msh, 9, 2);
    const structure = valueAt(msh, 9, 3);
    if (!type) return undefined;
    if (type !== 'ADT') return this.add('MSH-9', `MSH-9.1 (message code) ${type} is not one we take: send ADT`, HL7_ERROR.unsupportedType);
    const trigger = TRIGGERS.find((t) => t === event);
    if (!trigger) return this.add('MSH-9', `MSH-9.2 (trigger event) ${event || '(empty)'} is not one we take: ${TRIGGERS.join(', ')}`, HL7_ERROR.unsupportedEvent);
    if (structure && structure !== TRIGGER[trigger].structure) {
      return this.add('MSH-9', `MSH-9.3 (message structure) of an ${trigger} is ${TRIGGER[trigger].structure}, not ${structure}`, HL7_ERROR.unsupportedType);
    }
    return trigger;
  }

  processingAndVersion(msh: Segment | undefined): void {
    const processing = valueAt(msh, 11);
    if (processing && !['P', 'T', 'D'].includes(processing)) this.add('MSH-11', `MSH-11 (processing id) ${processing} is not P, T or D`, HL7_ERROR.unsupportedProcessingId);
    const version = valueAt(msh, 12);
    if (version && !(VERSIONS as readonly string[]).includes(version)) this.add('MSH-12', `MSH-12 (version id) ${version} is not one we take: ${VERSIONS.join(', ')}`, HL7_ERROR.unsupportedVersion);
  }

  time(seg: Segment | undefined, field: number, path: string): string | undefined {
    const text = valueAt(seg, field);
    if (!text) return undefined;
    const t = hl7ToStockholm(text);
    if (!t) this.add(path, `${path} is not an HL7 date/time to at least the minute (YYYYMMDDHHMM[SS][+/-ZZZZ])`, HL7_ERROR.dataType);
    return t;
  }

  hsaId(seg: Segment | undefined, field: number, component: number, path: string, what: string): string | undefined {
    const text = valueAt(seg, field, component);
    if (!text) return undefined;
    const r = parseHsaId(text);
    if (!r.ok) return this.add(path, `${path} must be the HSA-id of ${what}: ${r.message}`, HL7_ERROR.dataType);
    return r.value;
  }

  patient(pid: Segment | undefined, pd1: Segment | undefined, zsv: Segment | undefined, sentAt: string | undefined): PatientUppgifter | undefined {
    if (!pid) return undefined;
    const identifier = this.identifier(pid, sentAt?.slice(0, 10));
    const names = repetitions(pid, 5);
    // The legal name (XPN-7 L) when the sender gives several; else the first.
    const name = names.find((n) => n[6]?.[0] === 'L') ?? names[0];
    const family = name?.[0]?.[0] ?? '';
    if (!family) this.add('PID-5.1', 'PID-5.1 (family name) is required: efternamn', HL7_ERROR.requiredMissing);
    const given = [name?.[1]?.[0] ?? '', name?.[2]?.[0] ?? ''].flatMap((g) => g.split(/\s+/)).filter(Boolean);
    const address = this.address(pid);
    const kommun = this.kommun(pid, address.kommun);
    const skyddad = this.protectedIdentity(pd1, zsv);
    if (!identifier || !family) return undefined;
    return {
      identifier,
      family,
      given,
      ...(address.adress ? { folkbokforingsadress: address.adress } : {}),
      ...(kommun ? { folkbokforingskommun: kommun } : {}),
      ...(skyddad ? { skyddadIdentitet: skyddad } : {}),
    };
  }

  /** The patient's Swedish identifier from PID-3; `today` (the message date) dates a 10-digit personnummer. */
  identifier(pid: Segment, today: string | undefined): PatientUppgifter['identifier'] | undefined {
    const found = new Map<PatientIdentifierKind, string>();
    let recognised = false;
    for (const cx of repetitions(pid, 3)) {
      const value = cx[0]?.[0] ?? '';
      const authority = cx[3] ?? [];
      const type = (cx[4]?.[0] ?? '').toUpperCase();
      let kind = ASSIGNING_AUTHORITY.get((authority[0] ?? '').toLowerCase()) ?? ASSIGNING_AUTHORITY.get((authority[1] ?? '').toLowerCase());
      if (!kind && NATIONAL_ID_TYPES.includes(type)) {
        // Typed only as a national number: the number itself says whether it is a samordningsnummer.
        const p = parsePersonnummer(value, today ? { today } : {});
        kind = p.ok ? p.value.kind : 'personnummer';
      }
      if (!kind) continue;
      recognised = true;
      const checked = checkIdentifierValue(kind, value, today ? { today } : {});
      if (!checked.ok) return this.add('PID-3', `PID-3: the ${kind} is not valid: ${checked.message}`, HL7_ERROR.dataType);
      const earlier = found.get(kind);
      if (earlier && earlier !== checked.value) return this.add('PID-3', `PID-3 holds two different ${kind}`, HL7_ERROR.dataType);
      found.set(kind, checked.value);
    }
    if (!recognised) {
      return this.add('PID-3', 'PID-3 has no personnummer, samordningsnummer or nationellt reservnummer (CX-4 assigning authority 1.2.752.129.2.1.3.1, 1.2.752.129.2.1.3.3 or nationelltReservnummer, or CX-5 NNSWE)', HL7_ERROR.requiredMissing);
    }
    const kind = IDENTIFIER_PREFERENCE.find((k) => found.has(k))!;
    return { kind, value: found.get(kind)! };
  }

  address(pid: Segment): { adress?: Adress; kommun?: string } {
    const all = repetitions(pid, 11);
    // The folkbokföringsadress: the legal address (XAD-7 L), else home (H), else one without a type.
    const xad = all.find((a) => a[6]?.[0] === 'L') ?? all.find((a) => a[6]?.[0] === 'H') ?? all.find((a) => !a[6]?.[0]);
    if (!xad) return {};
    const at = (c: number) => (xad[c - 1]?.[0] ?? '').trim();
    const line = [at(1), at(2)].filter(Boolean);
    const city = at(3);
    const postalCode = at(5);
    const adress = line.length || city || postalCode ? { line, ...(postalCode ? { postalCode } : {}), ...(city ? { city } : {}) } : undefined;
    const kommun = at(9);
    return { ...(adress ? { adress } : {}), ...(kommun ? { kommun } : {}) };
  }

  kommun(pid: Segment, fromAddress: string | undefined): string | undefined {
    const [path, code] = fromAddress ? ['PID-11.9', fromAddress] : ['PID-12', valueAt(pid, 12)];
    if (!code) return undefined;
    const r = checkIdentifierValue('kommunkod', code);
    if (!r.ok) return this.add(path, `${path} (folkbokföringskommun) must be an SCB kommunkod: ${r.message}`, HL7_ERROR.tableValue);
    return r.value;
  }

  protectedIdentity(pd1: Segment | undefined, zsv: Segment | undefined): ProtectedIdentity | undefined {
    const indicator = valueAt(pd1, 12);
    const stated = valueAt(zsv, 1);
    let kind: ProtectedIdentity | undefined;
    if (stated) {
      kind = PROTECTED_IDENTITY.find((p) => p === stated);
      if (!kind) return this.add('ZSV-1', `ZSV-1 (protected identity) ${stated} is not one of ${PROTECTED_IDENTITY.join(', ')}`, HL7_ERROR.tableValue);
    }
    if (indicator && indicator !== 'Y' && indicator !== 'N') return this.add('PD1-12', 'PD1-12 (protection indicator) must be Y or N', HL7_ERROR.tableValue);
    // The indicator alone cannot tell a sekretessmarkering from a skyddad folkbokföring, and guessing the
    // milder one could expose an address: the sender must say which.
    if (indicator === 'Y' && (!kind || kind === 'none')) return this.add('ZSV-1', 'PD1-12 is Y (protected identity): ZSV-1 must say which, sekretessmarkering or skyddadFolkbokforing', HL7_ERROR.requiredMissing);
    if (indicator === 'N' && kind && kind !== 'none') return this.add('PD1-12', `PD1-12 is N (no protected identity) but ZSV-1 says ${kind}`, HL7_ERROR.tableValue);
    return kind ?? (indicator === 'N' ? 'none' : undefined);
  }

  stay(pv1: Segment | undefined, issuer: string | undefined, zsv: Segment | undefined): VardtillfalleUppgifter | undefined {
    if (!pv1) return undefined;
    const visam = valueAt(zsv, 2);
    const visamTrack = VISAM_TRACK.find((t) => t === visam);
    if (visam && !visamTrack) this.add('ZSV-2', `ZSV-2 (ViSam track) ${visam} is not one of ${VISAM_TRACK.join(', ')}`, HL7_ERROR.tableValue);
    const patientClass = valueAt(pv1, 2);
    if (patientClass && patientClass !== 'I') this.add('PV1-2', `PV1-2 (patient class) is ${patientClass}: only inpatient stays (I) are in scope`, HL7_ERROR.tableValue);
    const unitId = this.hsaId(pv1, 3, 1, 'PV1-3.1', 'the inpatient unit');
    const unitName = valueAt(pv1, 3, 9).trim();
    const service = valueAt(pv1, 10);
    const careType = CARE_TYPE[service];
    if (service && !Object.hasOwn(CARE_TYPE, service)) this.add('PV1-10', `PV1-10 (hospital service) ${service} is not SOM (somatic) or PSY (psychiatric)`, HL7_ERROR.tableValue);
    const patientType = valueAt(pv1, 18);
    let compulsoryCare: CompulsoryCare | undefined;
    if (patientType) {
      compulsoryCare = Object.hasOwn(COMPULSORY_CARE, patientType) ? COMPULSORY_CARE[patientType] : undefined;
      if (!compulsoryCare) this.add('PV1-18', `PV1-18 (patient type) ${patientType} is not one of ${Object.keys(COMPULSORY_CARE).join(', ')}`, HL7_ERROR.tableValue);
      else if (careType && careType !== 'psychiatric') this.add('PV1-18', 'PV1-18: compulsory care (LPT, LRV) is psychiatric care; PV1-10 must be PSY', HL7_ERROR.tableValue);
    }
    const id = valueAt(pv1, 19);
    if (id.length > MAX_VISIT_NUMBER || CONTROL.test(id) || id !== id.trim()) {
      this.add('PV1-19', `PV1-19 (visit number) must be at most ${MAX_VISIT_NUMBER} characters, without control characters or surrounding spaces`, HL7_ERROR.dataType);
    }
    const admittedAt = this.time(pv1, 44, 'PV1-44');
    if (!issuer || !unitId || !unitName || !careType || !id || !admittedAt || (visam && !visamTrack) || this.issues.some((i) => i.path.startsWith('PV1'))) return undefined;
    return {
      issuer,
      id,
      admittedAt,
      unit: { kind: 'slutenvard', hsaId: unitId, name: unitName },
      careType,
      ...(compulsoryCare ? { compulsoryCare } : {}),
      ...(visamTrack ? { visamTrack } : {}),
    };
  }

  expectedDischarge(pv2: Segment | undefined): string | undefined {
    const text = valueAt(pv2, 9);
    if (!text) return undefined;
    // A date alone is a calendar day (no time zone to apply); with a time of day it is an instant.
    const date = /^\d{8}$/.test(text) ? isoDate(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`) : hl7ToStockholm(text);
    if (!date) this.add('PV2-9', 'PV2-9 (expected discharge date) must be a date YYYYMMDD or a date/time YYYYMMDDHHMM[SS][+/-ZZZZ]', HL7_ERROR.dataType);
    return date;
  }
}
