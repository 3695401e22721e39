// The settlement Episode (src/rules/episode.ts) a synthetic episode's händelser mean: what the settlement
// should compute for the stay. Kept in the tests because mappings may not import rules. It reads the
// händelser with the same readings as the FHIR timeline's defaults (src/rules/fhir/timeline.ts), so the two
// can be compared; where the händelser cannot say a fact the generator's own decision is used (below).
import { projectStay } from '../../../src/mappings/common/projektion.ts';
import { instantMs } from '../../../src/mappings/common/tid.ts';
import type { Handelse, HandelseKind } from '../../../src/mappings/common/handelse.ts';
import type { SyntheticEpisode } from '../../../src/mappings/synthetic/index.ts';
import { lanskodOfIssuer } from '../../../src/mappings/synthetic/index.ts';
import type { Episode, ReadinessNotice } from '../../../src/rules/episode.ts';

/** A notice's time as the timeline reads it: readiness and discharge by when they happened, the rest by when sent. */
function noticeTime(h: Handelse): string {
  return h.kind === 'utskrivningsklar' || h.kind === 'utskrivningsmeddelande' ? h.occurredAt : h.sentAt;
}

export function toSettlementEpisode(episode: SyntheticEpisode): Episode {
  const hs = episode.messages.flatMap((m) => m.handelser);
  const state = projectStay(hs);
  const byTime = (kind: HandelseKind) =>
    hs.filter((h) => h.kind === kind).sort((a, b) => instantMs(noticeTime(a)) - instantMs(noticeTime(b)))[0];
  const first = (kind: HandelseKind) => {
    const h = byTime(kind);
    return h ? noticeTime(h) : null;
  };
  const readiness: ReadinessNotice[] = hs
    .filter((h) => h.kind === 'utskrivningsklar' || h.kind === 'aterkallad-utskrivningsklar')
    .sort((a, b) => instantMs(a.occurredAt) - instantMs(b.occurredAt))
    .map((h) => ({ kind: h.kind === 'utskrivningsklar' ? 'ready' : 'withdrawn', at: noticeTime(h) }));
  // Every party of a notice other than the inpatient units is a socialtjänst unit (Örebro's waiver).
  const kinds = new Set(hs.filter((h) => !h.kind.startsWith('adt-')).flatMap((h) => [h.sender, ...h.recipients]).map((p) => p.kind));
  kinds.delete('slutenvard');
  const kommunkod = state.patient.folkbokforingskommun;
  if (!kommunkod) throw new Error(`${episode.id}: no folkbokföringskommun`);
  return {
    episode_id: episode.id,
    kommunkod,
    care_type: state.stay.careType,
    admitted_at: state.stay.admittedAt,
    admission_notice_at: first('inskrivningsmeddelande'),
    // The estimate inside notice 2 is not notice 4 (the timeline's default estimateInAdmissionNotice=false).
    estimated_discharge_notice_at: first('beraknad-utskrivning'),
    ready_at: state.readyAt ?? null,
    discharged_at: state.status === 'finished' ? (state.dischargedAt ?? null) : null,
    // The generator's decision: a SIP that was needed but never invited to leaves no händelse.
    sip_required: episode.facts.sipRequired,
    sip_invitation_at: first('kallelse-sip'),
    care_contact_at: first('fast-vardkontakt'),
    // No source carries hemgångsklar / säker utskrivning: notice 8 declares it (the timeline's default reading).
    home_ready: readiness.some((n) => n.kind === 'ready'),
    social_services_only: kinds.size > 0 && [...kinds].every((k) => k === 'socialtjanst'),
    // Law 5:5 is never generated; no händelse could say it either.
    outpatient_unavailable: false,
    placing_kommunkod: state.placingKommun ?? null,
    // The synthetic vårdgivare HSA-ids carry their region's länskod (parter.ts).
    hospital_lanskod: lanskodOfIssuer(state.stay.issuer) ?? null,
    ...(readiness.length ? { readiness_notices: readiness } : {}),
  };
}

/** Calendar days from the standing readiness to discharge (agreements.md §4), null while either is missing. */
export function calendarDays(e: Episode): number | null {
  if (!e.ready_at || !e.discharged_at) return null;
  return localDay(e.discharged_at) - localDay(e.ready_at);
}

/** The Stockholm calendar day of an instant the generator wrote (its offset is the local one). */
export function localDay(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}
