// The HL7v2 ADT contract, as data: which trigger events we take, which segments and fields each needs,
// what they mean here, and the code tables for the fields whose values we define. map.ts reads messages
// by it, render.ts writes by it, and docs/mappings/hl7v2.md documents it (a test keeps them in step).
import type { CareType, CompulsoryCare, HandelseKind, PatientIdentifierKind, PatientUppgifter, VisamTrack } from '../common/handelse.ts';
import { repetitions, valueAt, type Message, type Segment } from './er7.ts';

export const TRIGGERS = ['A01', 'A02', 'A03', 'A08', 'A11', 'A13'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export type AdtKind = Extract<HandelseKind, `adt-${string}`>;

/** Each trigger event: the händelse it becomes and its HL7 v2.5 message structure (MSH-9.3). */
export const TRIGGER: Readonly<Record<Trigger, { kind: AdtKind; structure: string; title: string }>> = {
  A01: { kind: 'adt-inskrivning', structure: 'ADT_A01', title: 'admit / visit notification' },
  A02: { kind: 'adt-overflyttning', structure: 'ADT_A02', title: 'transfer a patient' },
  A03: { kind: 'adt-utskrivning', structure: 'ADT_A03', title: 'discharge / end visit' },
  A08: { kind: 'adt-uppdatering', structure: 'ADT_A01', title: 'update patient information' },
  A11: { kind: 'adt-inskrivning-makulerad', structure: 'ADT_A09', title: 'cancel admit / visit notification' },
  A13: { kind: 'adt-utskrivning-makulerad', structure: 'ADT_A01', title: 'cancel discharge / end visit' },
};

export const ADT_KINDS: readonly AdtKind[] = TRIGGERS.map((t) => TRIGGER[t].kind);

export function triggerFor(kind: HandelseKind): Trigger | undefined {
  return TRIGGERS.find((t) => TRIGGER[t].kind === kind);
}

/** HL7 v2 versions whose layout of the fields we read is the same as v2.5's. */
export const VERSIONS = ['2.5', '2.5.1'] as const;

/** Segments: how many of each a message may have. Other segments (NK1, DG1, OBX, ...) are allowed and ignored. */
export const SEGMENTS: readonly { name: string; min: 0 | 1; max: 1; meaning: string }[] = [
  { name: 'MSH', min: 1, max: 1, meaning: 'message header: sender, time, type, message id' },
  { name: 'EVN', min: 1, max: 1, meaning: 'event: when it was recorded and when it happened' },
  { name: 'PID', min: 1, max: 1, meaning: 'the patient' },
  { name: 'PD1', min: 0, max: 1, meaning: 'PD1-12 protection indicator' },
  { name: 'PV1', min: 1, max: 1, meaning: 'the stay (vårdtillfälle)' },
  { name: 'PV2', min: 0, max: 1, meaning: 'PV2-9 expected discharge' },
  { name: 'ZSV', min: 0, max: 1, meaning: 'Samverkan Z-segment: ZSV-1 protected identity, ZSV-2 ViSam track' },
];

export type FieldRule = {
  /** `SEG-n` or `SEG-n.c` (component c). */
  path: string;
  name: string;
  /** Required in every message of every trigger event (an empty required field rejects the message). */
  required: boolean;
  meaning: string;
};

export const FIELDS: readonly FieldRule[] = [
  { path: 'MSH-1', name: 'Field separator', required: true, meaning: 'usually `|`' },
  { path: 'MSH-2', name: 'Encoding characters', required: true, meaning: 'usually `^~\\&`; any 4 (or 5, with truncation) distinct characters are honoured' },
  { path: 'MSH-3', name: 'Sending application', required: false, meaning: 'echoed as the ACK\'s receiving application' },
  { path: 'MSH-4.1', name: 'Sending facility', required: true, meaning: 'HSA-id of the care provider (vårdgivare) that issues the visit numbers (PV1-19)' },
  { path: 'MSH-5', name: 'Receiving application', required: false, meaning: 'echoed as the ACK\'s sending application' },
  { path: 'MSH-6', name: 'Receiving facility', required: false, meaning: 'echoed as the ACK\'s sending facility' },
  { path: 'MSH-7', name: 'Date/time of message', required: true, meaning: 'when the message was sent (at least to the minute)' },
  { path: 'MSH-9', name: 'Message type', required: true, meaning: '`ADT^<trigger>^<structure>`, e.g. `ADT^A01^ADT_A01`; the structure may be left out' },
  { path: 'MSH-10', name: 'Message control id', required: true, meaning: 'unique per sender: the idempotency key of the message (at most 199 characters)' },
  { path: 'MSH-11', name: 'Processing id', required: false, meaning: '`P`, `T` or `D` when given' },
  { path: 'MSH-12', name: 'Version id', required: true, meaning: '`2.5` or `2.5.1`' },
  { path: 'MSH-18', name: 'Character set', required: false, meaning: 'empty or `UNICODE UTF-8` (UTF-8), `8859/1` (Latin-1) or `ASCII`' },
  { path: 'EVN-1', name: 'Event type code', required: false, meaning: 'when given, the same trigger as MSH-9.2' },
  { path: 'EVN-2', name: 'Recorded date/time', required: false, meaning: 'when the event was recorded; the event time when EVN-6 is empty' },
  { path: 'EVN-6', name: 'Event occurred', required: false, meaning: 'when the event happened (e.g. the move of an A02)' },
  { path: 'PID-3', name: 'Patient identifier list', required: true, meaning: 'personnummer, samordningsnummer or nationellt reservnummer, told apart by CX-4 (assigning authority) or CX-5 (identifier type)' },
  { path: 'PID-5.1', name: 'Family name', required: true, meaning: 'efternamn' },
  { path: 'PID-5.2', name: 'Given name', required: false, meaning: 'first given name; PID-5.3 holds the further given names, separated by spaces' },
  { path: 'PID-11', name: 'Patient address', required: false, meaning: 'folkbokföringsadress: .1 street, .2 second line, .3 city, .5 postal code, .7 type (`L` or `H`), .9 folkbokföringskommun (SCB kommunkod)' },
  { path: 'PID-12', name: 'County code', required: false, meaning: 'folkbokföringskommun when PID-11.9 is empty (older senders)' },
  { path: 'PD1-12', name: 'Protection indicator', required: false, meaning: '`Y` = protected identity (ZSV-1 must say which), `N` = none' },
  { path: 'PV1-2', name: 'Patient class', required: true, meaning: '`I` (inpatient): only inpatient stays are in scope' },
  { path: 'PV1-3.1', name: 'Assigned location: point of care', required: true, meaning: 'HSA-id of the inpatient unit (vårdenhet/avdelning)' },
  { path: 'PV1-3.9', name: 'Assigned location: description', required: true, meaning: 'the unit\'s name' },
  { path: 'PV1-10', name: 'Hospital service', required: true, meaning: '`SOM` somatic or `PSY` psychiatric care' },
  { path: 'PV1-18', name: 'Patient type', required: false, meaning: 'compulsory care: `LPT`, `LRV`, `OPPEN-LPT`, `OPPEN-LRV`; only with `PSY`' },
  { path: 'PV1-19', name: 'Visit number', required: true, meaning: 'the stay id (vårdkontakt id) in the hospital\'s record system, unique for the care provider of MSH-4' },
  { path: 'PV1-44', name: 'Admit date/time', required: true, meaning: 'when the patient was admitted' },
  { path: 'PV1-45', name: 'Discharge date/time', required: false, meaning: 'A03: when the patient left; when empty, EVN-6, EVN-2 or MSH-7 is taken (ignored in other events)' },
  { path: 'PV2-9', name: 'Expected discharge date', required: false, meaning: 'beräknat utskrivningsdatum, a date or a date-time (A01, A02, A08)' },
  { path: 'ZSV-1', name: 'Protected identity', required: false, meaning: '`sekretessmarkering`, `skyddadFolkbokforing` or `none`' },
  { path: 'ZSV-2', name: 'ViSam track', required: false, meaning: '`green`, `yellow` or `red`: how much coordinated planning the stay needs (Örebro)' },
];

/** PV1-10 hospital service → care type. */
export const CARE_TYPE: Readonly<Record<string, CareType>> = { SOM: 'somatic', PSY: 'psychiatric' };
/** PV1-18 patient type → compulsory care (Lag 1991:1128 LPT, Lag 1991:1129 LRV, open forms). */
export const COMPULSORY_CARE: Readonly<Record<string, CompulsoryCare>> = { LPT: 'lpt', LRV: 'lrv', 'OPPEN-LPT': 'oppen-lpt', 'OPPEN-LRV': 'oppen-lrv' };
export const VISAM_TRACK: readonly VisamTrack[] = ['green', 'yellow', 'red'];
export type ProtectedIdentity = NonNullable<PatientUppgifter['skyddadIdentitet']>;
export const PROTECTED_IDENTITY: readonly ProtectedIdentity[] = ['sekretessmarkering', 'skyddadFolkbokforing', 'none'];

/**
 * PID-3 assigning authorities (CX-4, its namespace id .1 or universal id .2), case-insensitive: the RIVTA
 * OIDs, the HL7 Sweden system URIs and the plain names. An identifier with none of these is not ours.
 */
export const ASSIGNING_AUTHORITY: ReadonlyMap<string, PatientIdentifierKind> = new Map<string, PatientIdentifierKind>([
  ['1.2.752.129.2.1.3.1', 'personnummer'],
  ['urn:oid:1.2.752.129.2.1.3.1', 'personnummer'],
  ['http://electronichealth.se/identifier/personnummer', 'personnummer'],
  ['personnummer', 'personnummer'],
  ['1.2.752.129.2.1.3.3', 'samordningsnummer'],
  ['urn:oid:1.2.752.129.2.1.3.3', 'samordningsnummer'],
  ['http://electronichealth.se/identifier/samordningsnummer', 'samordningsnummer'],
  ['samordningsnummer', 'samordningsnummer'],
  ['http://electronichealth.se/identifier/nationelltreservnummer', 'nationelltReservnummer'],
  ['nationelltreservnummer', 'nationelltReservnummer'],
  ['reservnummer', 'nationelltReservnummer'],
]);
/** The OIDs render writes in CX-4.2 (with CX-4.3 `ISO`); a reservnummer has none, so its CX-4.1 is the name. */
export const AUTHORITY_OID: Readonly<Partial<Record<PatientIdentifierKind, string>>> = {
  personnummer: '1.2.752.129.2.1.3.1',
  samordningsnummer: '1.2.752.129.2.1.3.3',
};
/** CX-5 identifier types that mark a Swedish national person number without CX-4 (HL7 table 0203 NN + country, PN). */
export const NATIONAL_ID_TYPES: readonly string[] = ['NNSWE', 'PN'];
/** Preference when PID-3 holds several of ours: the most permanent identifier wins. */
export const IDENTIFIER_PREFERENCE: readonly PatientIdentifierKind[] = ['personnummer', 'samordningsnummer', 'nationelltReservnummer'];

export type ContractIssue = { path: string; message: string; code: Hl7ErrorCode };

/** HL7 table 0357 (message error condition codes) as ERR-3 uses them. */
export const HL7_ERROR = {
  segmentSequence: '100',
  requiredMissing: '101',
  dataType: '102',
  tableValue: '103',
  unsupportedType: '200',
  unsupportedEvent: '201',
  unsupportedProcessingId: '202',
  unsupportedVersion: '203',
  internal: '207',
} as const;
export type Hl7ErrorCode = (typeof HL7_ERROR)[keyof typeof HL7_ERROR];

/** The one segment of each name we read, and issues for missing or repeated ones. */
export function checkSegments(message: Message): { segments: Map<string, Segment>; issues: ContractIssue[] } {
  const segments = new Map<string, Segment>();
  const issues: ContractIssue[] = [];
  for (const rule of SEGMENTS) {
    const found = message.segments.filter((s) => s.name === rule.name);
    if (found.length < rule.min) issues.push({ path: rule.name, message: `the ${rule.name} segment is missing (${rule.meaning})`, code: HL7_ERROR.segmentSequence });
    else if (found.length > rule.max) issues.push({ path: rule.name, message: `there is more than one ${rule.name} segment; an ADT message concerns one patient and one stay`, code: HL7_ERROR.segmentSequence });
    if (found[0]) segments.set(rule.name, found[0]);
  }
  return { segments, issues };
}

/** Issues for every field the contract requires that is empty. */
export function checkRequired(segments: ReadonlyMap<string, Segment>): ContractIssue[] {
  const issues: ContractIssue[] = [];
  for (const rule of FIELDS) {
    if (!rule.required) continue;
    const m = /^([A-Z0-9]{3})-(\d+)(?:\.(\d+))?$/.exec(rule.path)!;
    const seg = segments.get(m[1]!);
    // A missing segment is reported once, by checkSegments.
    if (!seg) continue;
    const field = Number(m[2]);
    const present = m[3] ? valueAt(seg, field, Number(m[3])) !== '' : repetitions(seg, field).some((r) => r.some((c) => c.some((s) => s !== '')));
    if (!present) issues.push({ path: rule.path, message: `${rule.path} (${rule.name}) is required: ${rule.meaning}`, code: HL7_ERROR.requiredMissing });
  }
  return issues;
}
