// An Episode with its times parsed once: instants, the readiness that stands, the settlement month
// (the month of discharge, §4) and k under each counting rule. Every rule pack reads these numbers.
import type { Episode } from './episode.ts';
import { liableKommun } from './episode.ts';
import { parseIsoDateTime, ISO_DATE_TIME_HINT } from './time/iso.ts';
import { localMonth } from './time/stockholm.ts';
import { calendarDays, effectiveReadiness, hoursDays, isAfterNoon, noonRuleDays } from './time/day-count.ts';
import type { Readiness } from './time/day-count.ts';

export type PreparedEpisode = {
  episode: Episode;
  liableKommunkod: string;
  dischargedMs: number | null;
  /** Month of discharge 'YYYY-MM' (Stockholm), null while still admitted. */
  month: string | null;
  /** The standing notice 8. */
  readyMs: number | null;
  /** Set when the notice history was given. */
  readiness: Readiness | null;
  /** ready_at disagrees with the notice history (the history wins). */
  readyAtMismatch: boolean;
  admittedMs: number | null;
  admissionNoticeMs: number | null;
  estimatedDischargeNoticeMs: number | null;
  sipInvitationMs: number | null;
  careContactMs: number | null;
  readyAfterNoon: boolean;
  /** k by rule; null without both T and D. Negative when D precedes T (a precondition then fails). */
  calendarK: number | null;
  hoursK: number | null;
  noonK: number | null;
};

export class EpisodeInputError extends Error {
  readonly episodeId: string;
  readonly field: string;
  constructor(episodeId: string, field: string, message: string) {
    super(`episode ${episodeId}, field ${field}: ${message}`);
    this.name = 'EpisodeInputError';
    this.episodeId = episodeId;
    this.field = field;
  }
}

function instant(e: Episode, field: keyof Episode, value: string | null | undefined): number | null {
  if (value == null || value === '') return null;
  const ms = parseIsoDateTime(value);
  if (Number.isNaN(ms)) {
    throw new EpisodeInputError(e.episode_id, field, `'${value}' is not a date-time (${ISO_DATE_TIME_HINT})`);
  }
  return ms;
}

export function prepareEpisode(e: Episode): PreparedEpisode {
  const dischargedMs = instant(e, 'discharged_at', e.discharged_at);
  let readyMs = instant(e, 'ready_at', e.ready_at);
  let readiness: Readiness | null = null;
  let readyAtMismatch = false;
  if (e.readiness_notices && e.readiness_notices.length > 0) {
    readiness = effectiveReadiness(
      e.readiness_notices.map((n) => {
        const atMs = instant(e, 'readiness_notices', n.at);
        if (atMs === null) throw new EpisodeInputError(e.episode_id, 'readiness_notices', 'a notice without a time');
        return { kind: n.kind, atMs };
      }),
    );
    readyAtMismatch = e.ready_at != null && e.ready_at !== '' && readyMs !== readiness.readyMs;
    readyMs = readiness.readyMs;
  }
  const t = readyMs;
  const d = dischargedMs;
  return {
    episode: e,
    liableKommunkod: liableKommun(e),
    dischargedMs,
    month: dischargedMs === null ? null : localMonth(dischargedMs),
    readyMs,
    readiness,
    readyAtMismatch,
    admittedMs: instant(e, 'admitted_at', e.admitted_at),
    admissionNoticeMs: instant(e, 'admission_notice_at', e.admission_notice_at),
    estimatedDischargeNoticeMs: instant(e, 'estimated_discharge_notice_at', e.estimated_discharge_notice_at),
    sipInvitationMs: instant(e, 'sip_invitation_at', e.sip_invitation_at),
    careContactMs: instant(e, 'care_contact_at', e.care_contact_at),
    readyAfterNoon: readyMs !== null && isAfterNoon(readyMs),
    calendarK: t !== null && d !== null ? calendarDays(t, d) : null,
    hoursK: t !== null && d !== null ? hoursDays(t, d) : null,
    noonK: t !== null && d !== null ? noonRuleDays(t, d) : null,
  };
}
