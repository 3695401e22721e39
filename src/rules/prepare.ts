// An Episode with its times parsed once: instants, the readiness that stands, the settlement month
// (the month of discharge, §4) and k under each counting rule. Every rule pack reads these numbers.
import type { Episode } from './episode.ts';
import { liableKommun } from './episode.ts';
import { parseIsoDateTime, ISO_DATE_TIME_HINT } from '../profiles/time/iso.ts';
import { civilFromDays, MS_PER_DAY, offsetAt } from '../profiles/time/stockholm.ts';
import { NOON_MS, effectiveReadiness } from './time/day-count.ts';
import type { Readiness } from './time/day-count.ts';

/** The notices whose sending is a precondition somewhere. */
export type Notice = 'admission' | 'estimatedDischarge' | 'sipInvitation' | 'careContact';

const NOTICE_FIELD: Record<Notice, 'admission_notice_at' | 'estimated_discharge_notice_at' | 'sip_invitation_at' | 'care_contact_at'> = {
  admission: 'admission_notice_at',
  estimatedDischarge: 'estimated_discharge_notice_at',
  sipInvitation: 'sip_invitation_at',
  careContact: 'care_contact_at',
};
const NOTICE_BIT: Record<Notice, number> = { admission: 0, estimatedDischarge: 2, sipInvitation: 4, careContact: 6 };
const NOTICES: readonly Notice[] = ['admission', 'estimatedDischarge', 'sipInvitation', 'careContact'];

/**
 * Compact on purpose: a national year is 300 000 of these. The notices a precondition needs are kept as
 * two bits each (sent; sent no later than discharge) rather than as instants.
 */
export type PreparedEpisode = {
  episode: Episode;
  liableKommunkod: string;
  dischargedMs: number | null;
  /** Month of discharge 'YYYY-MM' (Stockholm), null while still admitted. Shared strings. */
  month: string | null;
  /** The standing notice 8. */
  readyMs: number | null;
  /** Set when the notice history was given. */
  readiness: Readiness | null;
  /** ready_at disagrees with the notice history (the history wins). */
  readyAtMismatch: boolean;
  /** Two bits per Notice: sent, and sent by discharge. */
  notices: number;
  readyAfterNoon: boolean;
  /** k by rule; null without both T and D. Negative when D precedes T (a precondition then fails). */
  calendarK: number | null;
  hoursK: number | null;
  noonK: number | null;
};

/** 'missing', 'late' (sent after discharge) or 'sent' (no later than discharge). */
export function noticeState(p: PreparedEpisode, n: Notice): 'missing' | 'late' | 'sent' {
  const bits = (p.notices >> NOTICE_BIT[n]) & 3;
  return bits === 0 ? 'missing' : bits === 1 ? 'late' : 'sent';
}

/** The notice's time, parsed again (only explanations need it). */
export function noticeMs(p: PreparedEpisode, n: Notice): number | null {
  const v = p.episode[NOTICE_FIELD[n]];
  return v ? parseIsoDateTime(v) : null;
}

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

// One string per month, shared by every stay discharged in it.
const monthNames = new Map<number, string>();

function monthOf(utcMs: number): string {
  const { year, month } = civilFromDays(Math.floor((utcMs + offsetAt(utcMs)) / MS_PER_DAY));
  const key = year * 12 + month;
  let name = monthNames.get(key);
  if (name === undefined) {
    name = `${year}-${month < 10 ? '0' : ''}${month}`;
    monthNames.set(key, name);
  }
  return name;
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
  // countAll() inlined: one offset lookup per instant, no intermediate object.
  let calendarK: number | null = null;
  let hoursK: number | null = null;
  let noonK: number | null = null;
  let readyAfterNoon = false;
  if (readyMs !== null) {
    const tLocal = readyMs + offsetAt(readyMs);
    const tDay = Math.floor(tLocal / MS_PER_DAY);
    readyAfterNoon = tLocal - tDay * MS_PER_DAY > NOON_MS;
    if (dischargedMs !== null) {
      calendarK = Math.floor((dischargedMs + offsetAt(dischargedMs)) / MS_PER_DAY) - tDay;
      hoursK = Math.floor((dischargedMs - readyMs) / MS_PER_DAY);
      noonK = readyAfterNoon ? Math.max(0, calendarK - 1) : calendarK;
    }
  }
  let notices = 0;
  for (const n of NOTICES) {
    const ms = instant(e, NOTICE_FIELD[n], e[NOTICE_FIELD[n]]);
    if (ms !== null) notices |= (dischargedMs === null || ms <= dischargedMs ? 3 : 1) << NOTICE_BIT[n];
  }
  // admitted_at is carried, not read: no settlement rule uses it (the CLI validates it).
  return {
    episode: e,
    liableKommunkod: liableKommun(e),
    dischargedMs,
    month: dischargedMs === null ? null : monthOf(dischargedMs),
    readyMs,
    readiness,
    readyAtMismatch,
    notices,
    readyAfterNoon,
    calendarK,
    hoursK,
    noonK,
  };
}
