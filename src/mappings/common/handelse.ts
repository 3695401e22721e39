// The normalized event (händelse) every source adapter maps its messages to, and the one shape the
// FHIR builder (transaktion.ts) and the stay projection (projektion.ts) read. A source message becomes
// one or more händelser; each is a fact about ONE vårdtillfälle at one time. Keeping the facts, not the
// resources, is what makes ingest order-independent: the Encounter is recomputed from all the stay's
// händelser sorted by when they happened, so a discharge that arrives before the readiness it follows
// yields the same stay as in-order arrival.
//
// Times are ISO 8601 with an explicit UTC offset, as Europe/Stockholm wall-clock time (tid.ts makes them).

export const SOURCE_IDS = ['cosmic-link', 'lifecare-sp', 'samsa', 'kommun', 'hl7v2'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** party-kind codes (src/profiles/terminology/care.ts). */
export type PartKind = 'slutenvard' | 'oppenvard' | 'socialtjanst' | 'kommunal-hsl' | 'kommun' | 'region';

/** A party of the process: becomes an Organization (SamverkanOrganization), found by its identifier. */
export type Part = {
  kind: PartKind;
  /** HSA-id of the unit or organisation; every party but a kommun as a whole has one. */
  hsaId?: string;
  /** SCB kommunkod: only for kind 'kommun' (profile rule sg-org-3). */
  kommunkod?: string;
  name: string;
};

export type PatientIdentifierKind = 'personnummer' | 'samordningsnummer' | 'nationelltReservnummer';

export type Adress = { line: string[]; postalCode?: string; city?: string };

/** What a message says about the patient. The name is required by every contract (profile: name 1..*). */
export type PatientUppgifter = {
  identifier: { kind: PatientIdentifierKind; value: string };
  family: string;
  given: string[];
  folkbokforingsadress?: Adress;
  /** Folkbokföringskommun (SCB kommunkod). */
  folkbokforingskommun?: string;
  /** Protected identity (HL7 Sweden security labels); undefined = not stated, 'none' = stated as none. */
  skyddadIdentitet?: 'sekretessmarkering' | 'skyddadFolkbokforing' | 'none';
};

export type CareType = 'somatic' | 'psychiatric';
export type CompulsoryCare = 'lpt' | 'lrv' | 'oppen-lpt' | 'oppen-lrv';
export type VisamTrack = 'green' | 'yellow' | 'red';

/** What every message says about the stay it concerns. */
export type VardtillfalleUppgifter = {
  /** HSA-id of the care provider (vårdgivare, the region) that issued the stay id. */
  issuer: string;
  /** The stay id in the hospital's record system (HL7v2 PV1-19 visit number, the vårdkontakt id). */
  id: string;
  admittedAt: string;
  /** The inpatient unit caring for the patient (kind 'slutenvard'). */
  unit: Part;
  careType: CareType;
  compulsoryCare?: CompulsoryCare;
  visamTrack?: VisamTrack;
  /** The kommun that placed the patient in housing in another kommun; it pays (law 5:2). */
  placingKommun?: string;
  /** The source system's own case id (Cosmic Link samordningsärende, SAMSA ärende...), kept as an identifier. */
  sourceCaseId?: string;
};

export type KvittensKind = 'kvittens' | 'ej-kand' | 'avvisning';
export type ConsentDecision = 'given' | 'refused' | 'cannot-be-obtained';
export type PlanType = 'SIP' | 'SPLPTLRV' | 'SPU' | 'VP' | 'HP' | 'RP' | 'GP' | 'SVP';
export type SipStatus = 'upprattad' | 'uppfoljd' | 'avslutad';
export type Telecom = { system: 'phone' | 'email'; value: string };

/**
 * Another message, named as its Communication is (keys.ts noticeKey): the source it came through, the party
 * that sent it (HSA-id, or kommunkod for a kommun as a whole) and its message id in that source. A reply
 * names the message it answers as a whole, i.e. that message's first notice.
 */
export type MeddelandeRef = { source: SourceId; sender: Pick<Part, 'hsaId' | 'kommunkod'>; messageId: string };

/** One notice or record-system event, with what that kind carries. */
export type Detalj =
  | { kind: 'vardbegaran'; text: string }
  | { kind: 'inskrivningsmeddelande'; estimatedDischarge: string; reason?: string }
  | { kind: 'samtycke'; decision: ConsentDecision }
  | { kind: 'beraknad-utskrivning'; estimatedDischarge: string }
  /** `acknowledges`: the notice this reply answers, when the sender says (older senders do not). */
  | { kind: 'kvittens'; kvittens: KvittensKind; text?: string; acknowledges?: MeddelandeRef }
  | { kind: 'fast-vardkontakt'; contact: { name: string; role: string; unit: Part; telecom: Telecom[] } }
  | { kind: 'kallelse-svpl'; text: string }
  /** occurredAt is the readiness time (utskrivningsklar), from which days are counted. */
  | { kind: 'utskrivningsklar' }
  /** occurredAt is when readiness was withdrawn (it may precede sentAt); it voids every earlier utskrivningsklar. */
  | { kind: 'aterkallad-utskrivningsklar'; text?: string }
  | { kind: 'kallelse-sip'; purpose: string; meeting: { time: string; place: string; form: 'FACE' | 'VIDEOCONF' | 'PHONE' } }
  /** occurredAt is when the patient left. */
  | { kind: 'utskrivningsmeddelande' }
  | {
      kind: 'sip-status';
      plan: { id: string; type: PlanType; status: SipStatus; actions: { description: string; performer: Part }[]; followUp?: string };
    }
  | { kind: 'kommentar'; text: string }
  // Record-system (HL7v2 ADT) events: they change the stay, they are not notices between parties.
  /** A01: admitted (stay.admittedAt). */
  | { kind: 'adt-inskrivning' }
  /** A02: moved to stay.unit. */
  | { kind: 'adt-overflyttning' }
  /** A03: discharged at occurredAt. */
  | { kind: 'adt-utskrivning' }
  /** A08: patient or visit data changed (carried in patient and stay); optionally a new expected discharge. */
  | { kind: 'adt-uppdatering'; estimatedDischarge?: string }
  /** A11: the admission was cancelled (entered in error). */
  | { kind: 'adt-inskrivning-makulerad' }
  /** A13: the discharge was cancelled; the patient is still admitted. */
  | { kind: 'adt-utskrivning-makulerad' };

export type HandelseKind = Detalj['kind'];

export type Handelse = {
  source: SourceId;
  /** The source's message id: with `source` the idempotency key of the message. */
  messageId: string;
  /** Position of this händelse within its message (0, 1, ...). */
  seq: number;
  /**
   * When the fact took effect, the order of the stay's history: the readiness time for utskrivningsklar,
   * the time the patient left for a discharge, otherwise when the notice was sent or the event recorded.
   */
  occurredAt: string;
  /** When the source sent the message (Communication.sent). */
  sentAt: string;
  patient: PatientUppgifter;
  stay: VardtillfalleUppgifter;
  sender: Part;
  /** The notice's recipients; empty for record-system events. */
  recipients: Part[];
} & Detalj;

/** Notice kinds (a Communication each); the adt-* kinds are not notices. */
export function isNotice(kind: HandelseKind): boolean {
  return !kind.startsWith('adt-');
}
