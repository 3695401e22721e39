// Stored FHIR resources of one inpatient stay → the settlement Episode (src/rules/episode.ts): the
// Encounter (Vardtillfalle), its notices (Communications), SIP plans (CarePlan), fast vårdkontakt
// (CareTeam), the Patient and the parties (Organization). Pure: resources in, an Episode, the evidence
// for each field and warnings out. It reads what src/mappings/common/transaktion.ts writes and what a
// FHIR client writing the same profiles (docs/profiles.md) would; every choice the texts leave open is a
// named reading (TimelineReadings, documented in docs/settlement.md "From stored FHIR resources").
import type {
  CarePlan,
  CareTeam,
  CodeableConcept,
  Communication,
  Consent,
  Encounter,
  Extension,
  Organization,
  Patient,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { CANONICAL_BASE, canonical } from '../../profiles/canonical.ts';
import { EXTENSION } from '../../profiles/definitions/urls.ts';
import { SYSTEM } from '../../profiles/identifiers/systems.ts';
import { parseIsoDateTime } from '../../profiles/time/iso.ts';
import type { Episode, ReadinessNotice } from '../episode.ts';
import { CARE_TYPES } from '../episode.ts';

/** The stay's business identifier, as the mappings write it (src/mappings/common/keys.ts IDENTIFIER_SYSTEM.vardtillfalle). */
export const STAY_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/identifier/vardtillfalle`;
const NOTICE_KIND = canonical.codeSystem('notice-kind');
const CARE_TYPE = canonical.codeSystem('care-type');
const PLAN_TYPE = canonical.codeSystem('plan-type');
const PARTY_KIND = canonical.codeSystem('party-kind');

/** Plan types that mean a SIP is needed: the SIP itself and the LPT/LRV plan that replaces it (agreements.md §2). */
const SIP_PLAN_TYPES = new Set(['SIP', 'SPLPTLRV']);
/** Statuses under which a notice, plan or team was never real. */
const VOID_STATUS = new Set(['entered-in-error', 'not-done', 'preparation', 'revoked']);

/** The choices the texts leave open, with their defaults (DEFAULT_READINGS). */
export type TimelineReadings = {
  /**
   * T of a notice 8, and of a notice 9. 'stated': notice 8's ready-for-discharge extension, the time the
   * physician judged the patient ready, which the profile says the settlement counts from, and notice 9's
   * readiness-withdrawn, when the withdrawal took effect (`sent` when a client left them out); 'sent':
   * Communication.sent.
   */
  readyTime: 'stated' | 'sent';
  /**
   * Hemgångsklar (Örebro) / säker utskrivning (Blekinge), for which no notice exists. 'ready-notice': the
   * inpatient unit's notice 8 declares it (the unit may only report the patient ready when it holds);
   * 'never': not evidenced, so every Örebro and Blekinge stay fails that precondition.
   */
  homeReady: 'ready-notice' | 'never';
  /**
   * Whether the estimated discharge an admission notice carries (law 2:2) also counts as notice 4
   * (vårdtidsbedömning, Jönköping's precondition). Default false: only a beraknad-utskrivning notice.
   */
  estimateInAdmissionNotice: boolean;
};

export const DEFAULT_READINGS: Readonly<TimelineReadings> = { readyTime: 'stated', homeReady: 'ready-notice', estimateInAdmissionNotice: false };

/** One stay's resources. References may be `Type/id`, absolute URLs or the urn:uuid fullUrls of a Bundle. */
export type StayResources = {
  encounter: Encounter;
  communications?: readonly Communication[];
  carePlans?: readonly CarePlan[];
  careTeams?: readonly CareTeam[];
  /** Read for no figure: no agreement makes consent (notice 3) a precondition. Accepted so callers can pass everything. */
  consents?: readonly Consent[];
  patient?: Patient;
  /** Resolves a reference to a party: the unit (and its partOf), notice senders and recipients. */
  organization?: (ref: Reference) => Organization | undefined;
};

/** Where a field of the Episode came from, for the trace and for reconciliation. */
export type Evidence = { field: keyof Episode; from: string };

export type TimelineResult =
  | { ok: true; episode: Episode; evidence: Evidence[]; warnings: string[] }
  /** The stay cannot be settled (cancelled, or a fact every rule needs is missing). */
  | { ok: false; episodeId: string; reason: string };

type Notice = { kind: string; at: string; ms: number; ref: string; c: Communication };

/** The Episode of one stay. */
export function episodeFromStay(stay: StayResources, readings: Partial<TimelineReadings> = {}): TimelineResult {
  const r = { ...DEFAULT_READINGS, ...readings };
  const enc = stay.encounter;
  const encRef = enc.id ? `Encounter/${enc.id}` : 'the Encounter';
  const episodeId = enc.identifier?.find((i) => i.system === STAY_IDENTIFIER_SYSTEM && i.value)?.value ?? (enc.id ? encRef : '');
  if (!episodeId) return { ok: false, episodeId: '', reason: 'the Encounter has neither a vårdtillfälle identifier nor an id' };
  const skip = (reason: string): TimelineResult => ({ ok: false, episodeId, reason });
  if (enc.status === 'cancelled' || enc.status === 'entered-in-error') return skip(`the Encounter is ${enc.status}`);

  const evidence: Evidence[] = [];
  const warnings: string[] = [];
  const note = (field: keyof Episode, from: string) => evidence.push({ field, from });

  const careCode = extension(enc, EXTENSION.careType)?.valueCoding;
  const careType = careCode?.system === CARE_TYPE ? CARE_TYPES.find((c) => c === careCode.code) : undefined;
  if (!careType) return skip(`${encRef} has no care-type extension (somatic or psychiatric)`);
  note('care_type', `${encRef} care-type ${careType}`);

  // The kommun: the Encounter's own statement at the time of the stay wins over the Patient, who may have moved since.
  const placing = kommunOf(extension(enc, EXTENSION.placingKommun));
  const liable = kommunOf(extension(enc, EXTENSION.liableKommun));
  const registered = stay.patient ? kommunOf(extension(stay.patient, EXTENSION.folkbokforingskommun)) : null;
  const kommunkod = placing ? (registered ?? placing) : (liable ?? registered);
  if (!kommunkod) return skip(`${encRef} has no liable-kommun or placing-kommun and the Patient no folkbokforingskommun`);
  if (placing) note('placing_kommunkod', `${encRef} placing-kommun ${placing}`);
  note('kommunkod', liable && !placing ? `${encRef} liable-kommun ${liable}` : `Patient folkbokforingskommun ${kommunkod}`);
  if (liable && liable !== (placing ?? kommunkod)) {
    warnings.push(`${encRef}: liable-kommun ${liable} but placing-kommun ${placing}; the placing kommun pays (law 5:2)`);
  }
  if (liable && !placing && registered && registered !== liable) {
    warnings.push(`${encRef}: liable-kommun ${liable}, the Patient's folkbokforingskommun now ${registered}; the Encounter's is used`);
  }

  const notices = noticesOf(stay.communications ?? [], r, warnings);
  const first = (kind: string) => notices.find((n) => n.kind === kind);

  // Readiness: the notices 8 and 9 in time order; the Encounter's extension only when none is stored.
  const readiness: ReadinessNotice[] = notices
    .filter((n) => n.kind === 'utskrivningsklar' || n.kind === 'aterkallad-utskrivningsklar')
    .map((n) => ({ kind: n.kind === 'utskrivningsklar' ? ('ready' as const) : ('withdrawn' as const), at: n.at }));
  const encReady = dateTime(extension(enc, EXTENSION.readyForDischarge)?.valueDateTime);
  let readyAt: string | null = null;
  if (readiness.length) {
    note('readiness_notices', notices.filter((n) => n.kind === 'utskrivningsklar' || n.kind === 'aterkallad-utskrivningsklar').map((n) => `${n.kind} ${n.at} (${n.ref})`).join('; '));
  } else if (encReady) {
    readyAt = encReady;
    note('ready_at', `${encRef} ready-for-discharge (no notice 8 stored)`);
  }

  // Discharge: the Encounter's period.end (the record system's truth; a cancelled discharge removes it);
  // a notice 11 only when a finished Encounter has no end.
  const discharges = notices.filter((n) => n.kind === 'utskrivningsmeddelande');
  const lastDischarge = discharges.at(-1);
  let dischargedAt: string | null = null;
  if (enc.period?.end) {
    dischargedAt = dateTime(enc.period.end);
    if (!dischargedAt) return skip(`${encRef} period.end ${enc.period.end} has no time of day`);
    note('discharged_at', `${encRef} period.end`);
    if (lastDischarge && lastDischarge.ms !== parseIsoDateTime(dischargedAt)) {
      warnings.push(`${encRef}: notice 11 says ${lastDischarge.at}, period.end ${dischargedAt}; the Encounter is used`);
    }
  } else if (enc.status === 'finished' && lastDischarge) {
    dischargedAt = lastDischarge.at;
    note('discharged_at', `${lastDischarge.ref} discharge-time (the finished Encounter has no period.end)`);
  }

  const admission = first('inskrivningsmeddelande');
  if (admission) note('admission_notice_at', admission.ref);
  let estimate = first('beraknad-utskrivning');
  if (r.estimateInAdmissionNotice) {
    const withEstimate = notices.find((n) => n.kind === 'inskrivningsmeddelande' && extension(n.c, EXTENSION.estimatedDischarge));
    if (withEstimate && (!estimate || withEstimate.ms < estimate.ms)) estimate = withEstimate;
  }
  if (estimate) note('estimated_discharge_notice_at', estimate.ref);

  // A SIP is needed when a SIP (or the LPT/LRV plan replacing it) exists for the stay, or was invited to.
  // Not from a sip-status notice alone: the gateway sends one for every plan type (SPU, VP...), and the
  // type is the CarePlan's.
  const invitation = first('kallelse-sip');
  const sipPlan = (stay.carePlans ?? []).find((p) => !VOID_STATUS.has(p.status) && codes(p.category, PLAN_TYPE).some((c) => SIP_PLAN_TYPES.has(c)));
  const sipRequired = Boolean(sipPlan || invitation);
  if (sipPlan) note('sip_required', `CarePlan${sipPlan.id ? `/${sipPlan.id}` : ''} ${codes(sipPlan.category, PLAN_TYPE).join(',')}`);
  else if (invitation) note('sip_required', `${invitation.ref} (kallelse-sip)`);
  if (invitation) note('sip_invitation_at', invitation.ref);

  // Fast vårdkontakt: notice 6; the CareTeam's start when a client wrote only the team.
  let careContactAt: string | null = null;
  const contact = first('fast-vardkontakt');
  if (contact) {
    careContactAt = contact.at;
    note('care_contact_at', contact.ref);
  } else {
    const teams = (stay.careTeams ?? [])
      .filter((t) => !VOID_STATUS.has(t.status ?? '') && t.status !== 'inactive')
      .map((t) => ({ t, at: dateTime(t.period?.start) }))
      .filter((x): x is { t: CareTeam; at: string } => x.at !== null)
      .sort((a, b) => parseIsoDateTime(a.at) - parseIsoDateTime(b.at));
    if (teams[0]) {
      careContactAt = teams[0].at;
      note('care_contact_at', `CareTeam${teams[0].t.id ? `/${teams[0].t.id}` : ''} period.start (no notice 6 stored)`);
    }
  }

  const homeReady = r.homeReady === 'ready-notice' && (readiness.some((n) => n.kind === 'ready') || readyAt !== null);
  if (homeReady) note('home_ready', 'reading homeReady=ready-notice: notice 8 was sent');
  const socialOnly = socialServicesOnly(stay, notices);
  if (socialOnly) note('social_services_only', 'every party of the notices is a socialtjänst unit');

  const lanskod = hospitalLanskod(enc, stay.organization);
  if (lanskod) note('hospital_lanskod', `serviceProvider länskod ${lanskod}`);

  const episode: Episode = {
    episode_id: episodeId,
    kommunkod,
    care_type: careType,
    admitted_at: dateTime(enc.period?.start),
    admission_notice_at: admission?.at ?? null,
    estimated_discharge_notice_at: estimate?.at ?? null,
    ready_at: readyAt,
    discharged_at: dischargedAt,
    sip_required: sipRequired,
    sip_invitation_at: invitation?.at ?? null,
    care_contact_at: careContactAt,
    home_ready: homeReady,
    social_services_only: socialOnly,
    // No notice or extension carries it (law 5:5): a stay is never excluded on this ground from FHIR alone.
    outpatient_unavailable: false,
    placing_kommunkod: placing,
    hospital_lanskod: lanskod,
    ...(readiness.length ? { readiness_notices: readiness } : {}),
  };
  return { ok: true, episode, evidence, warnings };
}

/** The sent notices of the stay, in time order; a notice's time is `sent`, notice 8's by the readyTime reading. */
function noticesOf(comms: readonly Communication[], r: TimelineReadings, warnings: string[]): Notice[] {
  const out: Notice[] = [];
  for (const c of comms) {
    if (VOID_STATUS.has(c.status)) continue;
    const kind = codes(c.category, NOTICE_KIND)[0];
    if (!kind) continue;
    const ref = c.id ? `Communication/${c.id}` : `Communication ${kind}`;
    let at = dateTime(c.sent);
    if (kind === 'utskrivningsklar' && r.readyTime === 'stated') at = dateTime(extension(c, EXTENSION.readyForDischarge)?.valueDateTime) ?? at;
    // A withdrawal counts from when it took effect, as the Encounter's projection voids readiness (sent may be later).
    if (kind === 'aterkallad-utskrivningsklar' && r.readyTime === 'stated') at = dateTime(extension(c, EXTENSION.readinessWithdrawn)?.valueDateTime) ?? at;
    if (kind === 'utskrivningsmeddelande') at = dateTime(extension(c, EXTENSION.dischargeTime)?.valueDateTime) ?? at;
    if (!at) {
      warnings.push(`${ref} (${kind}) has no sent time with a time of day; not counted`);
      continue;
    }
    out.push({ kind, at, ms: parseIsoDateTime(at), ref, c });
  }
  // Time order, ties by reference, so that the result does not depend on the order the store returned.
  return out.sort((a, b) => a.ms - b.ms || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/**
 * Only social services are involved (Örebro waives the fast vårdkontakt): every party the notices went
 * to or came from, other than inpatient units, is a socialtjänst unit. A party of unknown kind, a kommun or
 * region as a whole (which may mean its health care) or any öppenvård / kommunal HSL party makes it false.
 */
function socialServicesOnly(stay: StayResources, notices: readonly Notice[]): boolean {
  if (!stay.organization) return false;
  const kinds = new Set<string>();
  for (const n of notices) {
    for (const ref of [...(n.c.recipient ?? []), ...(n.c.sender ? [n.c.sender] : [])]) {
      const org = stay.organization(ref as Reference);
      const kind = org ? codes(org.type, PARTY_KIND)[0] : undefined;
      kinds.add(kind ?? 'unknown');
    }
  }
  kinds.delete('slutenvard');
  return kinds.size > 0 && [...kinds].every((k) => k === 'socialtjanst');
}

/** Länskod of the hospital: an identifier on the unit or on an organisation it is part of (a region). */
function hospitalLanskod(enc: Encounter, resolve: StayResources['organization']): string | null {
  if (!resolve || !enc.serviceProvider) return null;
  let org = resolve(enc.serviceProvider);
  for (let depth = 0; org && depth < 5; depth++) {
    const kod = org.identifier?.find((i) => i.system === SYSTEM.lanskod)?.value;
    if (kod && /^\d{2}$/.test(kod)) return kod;
    org = org.partOf ? resolve(org.partOf) : undefined;
  }
  return null;
}

function extension(r: { extension?: Extension[] }, url: string): Extension | undefined {
  return r.extension?.find((e) => e.url === url);
}

function kommunOf(e: Extension | undefined): string | null {
  const c = e?.valueCoding;
  return c?.system === SYSTEM.kommunkod && c.code && /^\d{4}$/.test(c.code) ? c.code : null;
}

function codes(concepts: readonly CodeableConcept[] | undefined, system: string): string[] {
  return (concepts ?? []).flatMap((cc) => (cc.coding ?? []).filter((c) => c.system === system && c.code).map((c) => c.code as string));
}

/** The text when it is a date-time with a time of day (what day counting needs), else null. */
function dateTime(text: string | undefined): string | null {
  return text && !Number.isNaN(parseIsoDateTime(text)) ? text : null;
}

// ---- grouping resources into stays ------------------------------------------------------------------

/** A resource and, inside a Bundle, its fullUrl (urn:uuid references resolve through it). */
export type Located = { resource: Resource; fullUrl?: string };

/**
 * Groups resources (a transaction Bundle's entries, a search's matches, or both) into stays: one per
 * Encounter, with the resources that point at it. A later resource with the same fullUrl or Type/id
 * replaces an earlier one (successive transactions of one stay carry ever newer projections).
 */
export function staysFromResources(items: readonly Located[]): StayResources[] {
  const byKey = new Map<string, Resource>();
  const order: string[] = [];
  for (const { resource, fullUrl } of items) {
    const keys = [fullUrl, resource.id ? `${resource.resourceType}/${resource.id}` : undefined].filter((k): k is string => !!k);
    if (!keys.length) continue;
    if (!byKey.has(keys[0]!)) order.push(keys[0]!);
    for (const k of keys) byKey.set(k, resource);
  }
  const resolve = (ref: Reference | undefined): Resource | undefined => {
    const s = ref?.reference;
    if (!s) return undefined;
    return byKey.get(s) ?? byKey.get(s.split('/').slice(-2).join('/'));
  };
  const unique = [...new Set(order.map((k) => byKey.get(k)!))];
  const stays = new Map<Resource, StayResources & { communications: Communication[]; carePlans: CarePlan[]; careTeams: CareTeam[]; consents: Consent[] }>();
  const organization = (ref: Reference) => {
    const o = resolve(ref);
    return o?.resourceType === 'Organization' ? o : undefined;
  };
  for (const r of unique) {
    if (r.resourceType !== 'Encounter') continue;
    const subject = resolve(r.subject);
    stays.set(r, {
      encounter: r,
      communications: [],
      carePlans: [],
      careTeams: [],
      consents: [],
      ...(subject?.resourceType === 'Patient' ? { patient: subject } : {}),
      organization,
    });
  }
  const stayOf = (ref: Reference | undefined) => {
    const e = resolve(ref);
    return e ? stays.get(e) : undefined;
  };
  // The mappings key a Consent by the stay's identifier; a client may point at the Encounter instead.
  const consentStay = (c: Consent) =>
    stayOf(c.sourceReference) ??
    [...stays.values()].find((s) => s.encounter.identifier?.some((i) => i.system === STAY_IDENTIFIER_SYSTEM && c.identifier?.some((j) => j.system === i.system && j.value === i.value)));
  for (const r of unique) {
    if (r.resourceType === 'Communication') stayOf(r.encounter)?.communications.push(r);
    else if (r.resourceType === 'CarePlan') stayOf(r.encounter)?.carePlans.push(r);
    else if (r.resourceType === 'CareTeam') stayOf(r.encounter)?.careTeams.push(r);
    else if (r.resourceType === 'Consent') consentStay(r)?.consents.push(r);
  }
  return [...stays.values()];
}

/** Every Episode the resources make, and the stays that could not be settled with why. */
export function episodesFromResources(
  items: readonly Located[],
  readings: Partial<TimelineReadings> = {},
): { episodes: Episode[]; skipped: { episodeId: string; reason: string }[]; warnings: string[] } {
  const episodes: Episode[] = [];
  const skipped: { episodeId: string; reason: string }[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const stay of staysFromResources(items)) {
    const t = episodeFromStay(stay, readings);
    if (!t.ok) {
      skipped.push({ episodeId: t.episodeId, reason: t.reason });
      continue;
    }
    // Two Encounters with one vårdtillfälle identifier would be billed twice: the first given is kept.
    if (seen.has(t.episode.episode_id)) {
      skipped.push({ episodeId: t.episode.episode_id, reason: 'a second Encounter with the same vårdtillfälle identifier' });
      continue;
    }
    seen.add(t.episode.episode_id);
    episodes.push(t.episode);
    warnings.push(...t.warnings);
  }
  return { episodes, skipped, warnings };
}
