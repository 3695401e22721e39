// Händelser → one FHIR transaction Bundle, the same thing a FHIR client would send. Every entry is
// found by a business identifier (keys.ts): organisations are created once (If-None-Exist), the patient,
// the stay and everything derived from the stay are conditional updates with their projected state,
// and each notice is a conditional update by its message id. Sending it twice changes nothing; sending
// a stay's messages in any order ends in the same resources.
import type {
  Bundle,
  BundleEntry,
  CareTeam,
  CarePlan,
  Communication,
  Consent,
  Encounter,
  Extension,
  Identifier,
  Organization,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { EXTENSION, PROFILE, SE_SECURITY_LABEL } from '../../profiles/definitions/urls.ts';
import { SYSTEM } from '../../profiles/identifiers/systems.ts';
import { CS } from '../../profiles/terminology/catalog.ts';
import { type Handelse, isNotice, type MeddelandeRef, type Part, type PatientUppgifter } from './handelse.ts';
import { IDENTIFIER_SYSTEM, noticeKey, patientKey, stayKey, urnFor } from './keys.ts';
import { compareHandelser, projectPatient, projectStay, type StayState } from './projektion.ts';

const PARTICIPATION_MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const CONSENT_CATEGORY = 'http://loinc.org';
const LAG_2017_612 = 'https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/lag-2017612-om-samverkan-vid-utskrivning-fran_sfs-2017-612/';

/** The profile a notice of each kind claims: every notice kind has its own (`satisfies` keeps the list complete). */
const NOTICE_PROFILE: Partial<Record<Handelse['kind'], string>> = {
  vardbegaran: PROFILE.vardbegaran,
  inskrivningsmeddelande: PROFILE.inskrivningsmeddelande,
  samtycke: PROFILE.samtyckesmeddelande,
  'beraknad-utskrivning': PROFILE.beraknadUtskrivning,
  kvittens: PROFILE.kvittens,
  'fast-vardkontakt': PROFILE.fastVardkontaktUtsedd,
  'kallelse-svpl': PROFILE.kallelseSvpl,
  utskrivningsklar: PROFILE.utskrivningsklar,
  'aterkallad-utskrivningsklar': PROFILE.aterkalladUtskrivningsklar,
  'kallelse-sip': PROFILE.kallelseSip,
  utskrivningsmeddelande: PROFILE.utskrivningsmeddelande,
  'sip-status': PROFILE.sipStatusmeddelande,
  kommentar: PROFILE.kommentar,
} satisfies Record<Exclude<Handelse['kind'], `adt-${string}`>, string>;

type Entry = { key: string; entry: BundleEntry };

/**
 * The transaction for `nya` (the händelser of one message), given every händelse of the stay so far
 * including `nya` (`stay`), and every händelse naming the patient in any stay (`patientHistory`, by
 * default the stay's). With `stay = nya` it is the message on its own.
 */
export function buildTransaction(stay: readonly Handelse[], nya: readonly Handelse[], patientHistory: readonly Handelse[] = stay): Bundle {
  if (!nya.length) throw new Error('buildTransaction needs at least one händelse');
  const state = projectStay(stay);
  const entries = new Map<string, Entry>();
  const add = (e: Entry) => entries.set(e.key, e);

  const parts = [state.stay.unit, ...nya.flatMap(partsOf)];
  if (state.consent) parts.push(state.consent.performer);
  if (state.careContact) parts.push(state.careContact.unit);
  for (const p of parts) add(organizationEntry(p));
  // The Patient the stay's references name: the stay's (latest) identity, from the history under that
  // identity. A message naming the patient by an older identifier does not update that other Patient.
  const identity = patientKey(state.patient);
  const history = patientHistory.filter((h) => patientKey(h.patient) === identity);
  add(patientEntry(projectPatient(history.length ? history : stay.filter((h) => patientKey(h.patient) === identity))));
  add(encounterEntry(state));
  for (const h of nya) {
    if (isNotice(h.kind)) add(communicationEntry(h, state));
    if (h.kind === 'samtycke' && state.consent) add(consentEntry(state));
    if (h.kind === 'fast-vardkontakt' && state.careContact) add(careTeamEntry(state));
    if (h.kind === 'sip-status') add(carePlanEntry(planHistory(stay, h), state));
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: [...entries.values()].map((e) => e.entry) };
}

function partsOf(h: Handelse): Part[] {
  const out = [h.stay.unit, h.sender, ...h.recipients];
  if (h.kind === 'fast-vardkontakt') out.push(h.contact.unit);
  if (h.kind === 'sip-status') for (const a of h.plan.actions) out.push(a.performer);
  return out;
}

// ---- identifiers and references -------------------------------------------------------------

function partIdentifier(p: Part): Identifier {
  return p.kind === 'kommun' && p.kommunkod ? { system: SYSTEM.kommunkod, value: p.kommunkod } : { system: SYSTEM.hsaId, value: p.hsaId ?? '' };
}

function patientIdentifier(p: PatientUppgifter): Identifier {
  return { system: SYSTEM[p.identifier.kind], value: p.identifier.value };
}

/** A notice's business identifier; a message is named by its first notice (seq 0). */
function noticeIdentifier(m: MeddelandeRef, seq = 0): Identifier {
  return { system: IDENTIFIER_SYSTEM.meddelande(m.source), value: noticeKey(m.sender, m.messageId, seq) };
}

function stayIdentifier(state: StayState): Identifier {
  return { system: IDENTIFIER_SYSTEM.vardtillfalle, value: stayKey(state.stay) };
}

const search = (i: Identifier) => `identifier=${encodeURIComponent(`${i.system}|${i.value}`)}`;
const urn = (type: string, i: Identifier) => urnFor(`${type}|${i.system}|${i.value}`);
// References are typed by where they go (the target's type is the entry's, fixed by the urn).
const ref = <T extends Resource>(type: string, i: Identifier, display?: string): Reference<T> => ({ reference: urn(type, i), ...(display ? { display } : {}) });
const partRef = <T extends Resource>(p: Part): Reference<T> => ref<T>('Organization', partIdentifier(p), p.name);
const patientRef = <T extends Resource>(s: StayState): Reference<T> => ref<T>('Patient', patientIdentifier(s.patient));
const encounterRef = <T extends Resource>(s: StayState): Reference<T> => ref<T>('Encounter', stayIdentifier(s));

function conditionalPut(type: string, identifier: Identifier, resource: Resource): Entry {
  return {
    key: `${type}|${identifier.system}|${identifier.value}`,
    entry: { fullUrl: urn(type, identifier), resource, request: { method: 'PUT', url: `${type}?${search(identifier)}` } },
  };
}

const coding = (system: string, code: string) => ({ system, code });
const ext = (url: string, value: Omit<Extension, 'url'>): Extension => ({ url, ...value });

// ---- resources ------------------------------------------------------------------------------

function organizationEntry(p: Part): Entry {
  const identifier = partIdentifier(p);
  const resource: Organization = {
    resourceType: 'Organization',
    meta: { profile: [PROFILE.organization] },
    identifier: [identifier],
    type: [{ coding: [coding(CS.partyKind, p.kind)] }],
    name: p.name,
  };
  return {
    key: `Organization|${identifier.system}|${identifier.value}`,
    // Created once; an organisation's own data is not overwritten by what a message calls it.
    entry: { fullUrl: urn('Organization', identifier), resource, request: { method: 'POST', url: 'Organization', ifNoneExist: search(identifier) } },
  };
}

function patientEntry(p: PatientUppgifter): Entry {
  const identifier = patientIdentifier(p);
  const resource: Patient = {
    resourceType: 'Patient',
    meta: {
      profile: [PROFILE.patient],
      ...(p.skyddadIdentitet && p.skyddadIdentitet !== 'none' ? { security: [coding(SE_SECURITY_LABEL, p.skyddadIdentitet)] } : {}),
    },
    ...(p.folkbokforingskommun
      ? { extension: [ext(EXTENSION.folkbokforingskommun, { valueCoding: coding(SYSTEM.kommunkod, p.folkbokforingskommun) })] }
      : {}),
    identifier: [identifier],
    name: [{ family: p.family, given: p.given }],
    ...(p.folkbokforingsadress ? { address: [{ use: 'home', type: 'physical', ...p.folkbokforingsadress }] } : {}),
  };
  return conditionalPut('Patient', identifier, resource);
}

function encounterEntry(s: StayState): Entry {
  const identifier = stayIdentifier(s);
  const liable = s.placingKommun ?? s.patient.folkbokforingskommun;
  const extension: Extension[] = [];
  if (s.estimatedDischarge) extension.push(ext(EXTENSION.estimatedDischarge, { valueDateTime: s.estimatedDischarge }));
  if (s.readyAt) extension.push(ext(EXTENSION.readyForDischarge, { valueDateTime: s.readyAt }));
  extension.push(ext(EXTENSION.careType, { valueCoding: coding(CS.careType, s.stay.careType) }));
  if (s.compulsoryCare) extension.push(ext(EXTENSION.compulsoryCare, { valueCoding: coding(CS.compulsoryCare, s.compulsoryCare) }));
  if (s.visamTrack) extension.push(ext(EXTENSION.visamTrack, { valueCoding: coding(CS.visamTrack, s.visamTrack) }));
  if (liable) extension.push(ext(EXTENSION.liableKommun, { valueCoding: coding(SYSTEM.kommunkod, liable) }));
  if (s.placingKommun) extension.push(ext(EXTENSION.placingKommun, { valueCoding: coding(SYSTEM.kommunkod, s.placingKommun) }));
  const resource: Encounter = {
    resourceType: 'Encounter',
    meta: { profile: [PROFILE.encounter] },
    extension,
    identifier: [identifier, ...s.caseIds.map((c) => ({ system: IDENTIFIER_SYSTEM.arende(c.source), value: c.value }))],
    status: s.status,
    class: coding(ACT_CODE, 'IMP'),
    subject: patientRef(s),
    period: { start: s.stay.admittedAt, ...(s.dischargedAt && s.status !== 'cancelled' ? { end: s.dischargedAt } : {}) },
    serviceProvider: partRef(s.stay.unit),
  };
  return conditionalPut('Encounter', identifier, resource);
}

function communicationEntry(h: Handelse, s: StayState): Entry {
  const identifier = noticeIdentifier(h, h.seq);
  const category = [{ coding: [coding(CS.noticeKind, h.kind)] }];
  const extension: Extension[] = [];
  const payload: Communication['payload'] = [];
  let subject: Reference<Patient> = patientRef(s);
  let reasonCode: Communication['reasonCode'];
  let inResponseTo: Communication['inResponseTo'];
  switch (h.kind) {
    case 'inskrivningsmeddelande': {
      // Law 2:2: name, personnummer and folkbokföringsadress travel with the notice itself.
      subject = { ...subject, identifier: patientIdentifier(h.patient), display: displayName(h.patient) };
      // Only what this message says, so the notice does not depend on which messages came before it.
      const address = h.patient.folkbokforingsadress;
      if (address) extension.push(ext(EXTENSION.folkbokforingsadress, { valueAddress: { use: 'home', type: 'physical', ...address } }));
      extension.push(ext(EXTENSION.estimatedDischarge, { valueDateTime: h.estimatedDischarge }));
      if (h.reason) reasonCode = [{ text: h.reason }];
      break;
    }
    case 'beraknad-utskrivning':
      extension.push(ext(EXTENSION.estimatedDischarge, { valueDateTime: h.estimatedDischarge }));
      break;
    case 'utskrivningsklar':
      extension.push(ext(EXTENSION.readyForDischarge, { valueDateTime: h.occurredAt }));
      break;
    case 'utskrivningsmeddelande':
      extension.push(ext(EXTENSION.dischargeTime, { valueDateTime: h.occurredAt }));
      break;
    case 'kvittens':
      category.push({ coding: [coding(CS.acknowledgementKind, h.kvittens)] });
      if (h.text) payload.push({ contentString: h.text });
      // A logical reference: the acknowledged notice may not be stored yet (or ever, through this gateway),
      // and a literal one would make this notice depend on the order messages arrive in (docs/ingest.md).
      if (h.acknowledges) inResponseTo = [{ type: 'Communication', identifier: noticeIdentifier(h.acknowledges) }];
      break;
    case 'kallelse-sip':
      extension.push(
        ext(EXTENSION.sipMeetingTime, { valueDateTime: h.meeting.time }),
        ext(EXTENSION.sipMeetingPlace, { valueString: h.meeting.place }),
        ext(EXTENSION.sipMeetingForm, { valueCoding: coding(PARTICIPATION_MODE, h.meeting.form) }),
      );
      payload.push({ contentString: h.purpose });
      break;
    case 'sip-status':
      category.push({ coding: [coding(CS.sipStatus, h.plan.status)] });
      payload.push({ contentReference: ref('CarePlan', { system: IDENTIFIER_SYSTEM.plan(h.source), value: h.plan.id }) });
      break;
    case 'samtycke':
      payload.push({ contentReference: ref('Consent', stayIdentifier(s)) });
      break;
    case 'fast-vardkontakt':
      payload.push({ contentReference: ref('CareTeam', stayIdentifier(s)) });
      break;
    case 'vardbegaran':
    case 'kallelse-svpl':
    case 'kommentar':
      payload.push({ contentString: h.text });
      break;
    case 'aterkallad-utskrivningsklar':
      // When it took effect, which the voiding of earlier readiness goes by; `sent` may be later.
      extension.push(ext(EXTENSION.readinessWithdrawn, { valueDateTime: h.occurredAt }));
      if (h.text) payload.push({ contentString: h.text });
      break;
    default:
      break;
  }
  const profile = NOTICE_PROFILE[h.kind] ?? PROFILE.samverkansmeddelande;
  const resource: Communication = {
    resourceType: 'Communication',
    meta: { profile: [profile] },
    ...(extension.length ? { extension } : {}),
    identifier: [identifier],
    ...(inResponseTo ? { inResponseTo } : {}),
    status: 'completed',
    category,
    subject,
    encounter: encounterRef(s),
    sent: h.sentAt,
    ...(h.recipients.length ? { recipient: h.recipients.map((p) => partRef<Organization>(p)) } : {}),
    sender: partRef(h.sender),
    ...(reasonCode ? { reasonCode } : {}),
    ...(payload.length ? { payload } : {}),
  };
  return conditionalPut('Communication', identifier, resource);
}

function consentEntry(s: StayState): Entry {
  const c = s.consent!;
  const identifier = stayIdentifier(s);
  const resource: Consent = {
    resourceType: 'Consent',
    meta: { profile: [PROFILE.samtycke] },
    extension: [ext(EXTENSION.consentDecision, { valueCoding: coding(CS.consentStatus, c.decision) })],
    identifier: [identifier],
    // Given: active; refused: rejected; cannot be obtained (menprövning decides): inactive.
    status: c.decision === 'given' ? 'active' : c.decision === 'refused' ? 'rejected' : 'inactive',
    scope: { coding: [coding(CONSENT_SCOPE, 'patient-privacy')] },
    category: [{ coding: [coding(CONSENT_CATEGORY, '59284-0')] }],
    patient: patientRef(s),
    dateTime: c.at,
    performer: [partRef(c.performer)],
    // The consent is to exchanging information under Lag (2017:612); opt-in or opt-out where decided.
    policy: [{ uri: LAG_2017_612 }],
    ...(c.decision === 'cannot-be-obtained' ? {} : { policyRule: { coding: [coding(ACT_CODE, c.decision === 'given' ? 'OPTIN' : 'OPTOUT')] } }),
  };
  return conditionalPut('Consent', identifier, resource);
}

function careTeamEntry(s: StayState): Entry {
  const c = s.careContact!;
  const identifier = stayIdentifier(s);
  const resource: CareTeam = {
    resourceType: 'CareTeam',
    meta: { profile: [PROFILE.fastVardkontakt] },
    identifier: [identifier],
    status: 'active',
    name: 'Fast vårdkontakt',
    subject: patientRef(s),
    encounter: encounterRef(s),
    period: { start: c.at },
    participant: [{ role: [{ text: c.role }], member: { display: c.name }, onBehalfOf: partRef(c.unit) }],
    telecom: c.telecom.map((t) => ({ system: t.system, value: t.value })),
  };
  return conditionalPut('CareTeam', identifier, resource);
}

type SipHandelse = Extract<Handelse, { kind: 'sip-status' }>;

/** Every status händelse of the plan `h` concerns, in the order they happened. */
function planHistory(stay: readonly Handelse[], h: SipHandelse): SipHandelse[] {
  return stay
    .filter((x): x is SipHandelse => x.kind === 'sip-status' && x.source === h.source && x.plan.id === h.plan.id)
    .sort(compareHandelser);
}

/** The plan as its latest status says, begun at its first. */
function carePlanEntry(history: SipHandelse[], s: StayState): Entry {
  const h = history.at(-1)!;
  const start = history[0]!.occurredAt;
  const identifier: Identifier = { system: IDENTIFIER_SYSTEM.plan(h.source), value: h.plan.id };
  const resource: CarePlan = {
    resourceType: 'CarePlan',
    meta: { profile: [PROFILE.samordnadPlan] },
    identifier: [identifier],
    status: h.plan.status === 'avslutad' ? 'completed' : 'active',
    intent: 'plan',
    category: [{ coding: [coding(CS.planType, h.plan.type)] }],
    subject: patientRef(s),
    encounter: encounterRef(s),
    period: { start, ...(h.plan.status === 'avslutad' ? { end: h.occurredAt } : {}) },
    author: partRef(h.sender),
    ...(h.plan.followUp ? { note: [{ text: `Uppföljning ${h.plan.followUp}` }] } : {}),
    ...(h.plan.actions.length
      ? {
          activity: h.plan.actions.map((a) => ({
            detail: { status: 'scheduled' as const, description: a.description, performer: [partRef(a.performer)] },
          })),
        }
      : {}),
  };
  return conditionalPut('CarePlan', identifier, resource);
}

function displayName(p: PatientUppgifter): string {
  return [...p.given, p.family].join(' ');
}
