// What the engine says about one stay and about one settlement group, and the shared checks that
// produce it: preconditions (law 5:3 plus each agreement's own) and the law's per-stay rule.
import type { CareType, GroupCareType } from './episode.ts';
import type { PreparedEpisode } from './prepare.ts';
import type { DayCounting } from './time/day-count.ts';
import { explainCount } from './time/day-count.ts';
import { formatLocal } from './time/stockholm.ts';
import type { Hundredths } from './quantity.ts';

export type FailureCode =
  | 'no-admission-notice'
  | 'no-estimated-discharge-notice'
  | 'no-ready-notice'
  | 'no-sip-invitation'
  | 'no-care-contact'
  | 'not-home-ready'
  | 'outpatient-unavailable'
  | 'discharge-before-ready';

export type Failure = { code: FailureCode; reason: string };

/**
 * - excluded: a precondition failed or an exclusion applies; in no count.
 * - in-mean: counted in the monthly measure (mean, share or state).
 * - individual: taken out of the monthly measure and settled on its own.
 */
export type EpisodeStatus = 'excluded' | 'in-mean' | 'individual';
export type BillingPart = 'average' | 'individual' | 'none';

export type EpisodeEvaluation = {
  episodeId: string;
  kommunkod: string;
  liableKommunkod: string;
  placingKommunkod: string | null;
  careType: CareType;
  group: GroupCareType;
  readyAt: string | null;
  dischargedAt: string | null;
  counting: DayCounting;
  /** k, utskrivningsklara days under the agreement's counting; null when T or D is missing. */
  days: number | null;
  status: EpisodeStatus;
  failures: Failure[];
  /** Whole days billed for this stay (0 when none). */
  billableDays: number;
  part: BillingPart;
  /** The rule that decided the stay, in one line. */
  rule: string;
  /** Why, step by step. */
  steps: string[];
};

export type Threshold =
  | { kind: 'mean-days'; days: Hundredths }
  | { kind: 'share-day-0-1'; percent: number }
  | { kind: 'none' };

export type GroupDraft = {
  careType: GroupCareType;
  /** The model in one line, e.g. "mean over k ≤ 7, threshold 3.0; k > 7 individually". */
  model: string;
  initialPopulation: number;
  eligible: number;
  inMean: number;
  totalDaysInMean: number;
  excludedIndividual: number;
  excludedPrecondition: number;
  threshold: Threshold;
  /** Jämtland: episodes discharged on day 0 or 1, of all eligible. */
  share?: { count: number; of: number };
  liable: boolean;
  billableAverage: Hundredths;
  billableIndividual: Hundredths;
  explanation: string[];
  warnings: string[];
  episodes: EpisodeEvaluation[];
};

export type PreconditionRule =
  | 'admission-notice'
  | 'estimated-discharge-notice'
  | 'ready-notice'
  | 'sip-invitation-when-required'
  | 'care-contact'
  | 'care-contact-unless-social-services-only'
  | 'home-ready';

export const LAW_PRECONDITIONS: readonly PreconditionRule[] = [
  'admission-notice',
  'ready-notice',
  'sip-invitation-when-required',
];

function sentBy(ms: number | null, dischargedMs: number, strict: boolean): boolean {
  return ms !== null && (!strict || ms <= dischargedMs);
}

/**
 * Each failed precondition with its reason, then the law 5:5 exclusion. `beforeDischarge`: a notice
 * counts only when sent no later than discharge (a notice after the patient left cannot start liability).
 */
export function checkPreconditions(
  p: PreparedEpisode,
  rules: readonly PreconditionRule[],
  beforeDischarge: boolean,
): Failure[] {
  const e = p.episode;
  const d = p.dischargedMs ?? Number.POSITIVE_INFINITY;
  const late = (what: string, ms: number | null) =>
    ms === null ? `${what} was never sent` : `${what} was sent after discharge (${formatLocal(ms)})`;
  const out: Failure[] = [];
  for (const r of rules) {
    switch (r) {
      case 'admission-notice':
        if (!sentBy(p.admissionNoticeMs, d, beforeDischarge))
          out.push({ code: 'no-admission-notice', reason: late('notice 2 (inskrivningsmeddelande)', p.admissionNoticeMs) });
        break;
      case 'estimated-discharge-notice':
        if (!sentBy(p.estimatedDischargeNoticeMs, d, beforeDischarge))
          out.push({
            code: 'no-estimated-discharge-notice',
            reason: late('notice 4 (vårdtidsbedömning / beräknad utskrivning)', p.estimatedDischargeNoticeMs),
          });
        break;
      case 'ready-notice':
        if (p.readyMs === null) {
          const w = p.readiness?.withdrawnAt;
          out.push({
            code: 'no-ready-notice',
            reason:
              w != null
                ? `notice 8 (utskrivningsklar) was withdrawn at ${formatLocal(w)} and not sent again`
                : 'notice 8 (utskrivningsklar) was never sent',
          });
        } else if (p.dischargedMs !== null && p.readyMs > p.dischargedMs) {
          out.push({
            code: 'discharge-before-ready',
            reason: `notice 8 (${formatLocal(p.readyMs)}) came after discharge (${formatLocal(p.dischargedMs)})`,
          });
        }
        break;
      case 'sip-invitation-when-required':
        if (e.sip_required && !sentBy(p.sipInvitationMs, d, beforeDischarge))
          out.push({ code: 'no-sip-invitation', reason: late('a SIP is needed but notice 10 (kallelse till SIP)', p.sipInvitationMs) });
        break;
      case 'care-contact':
        if (!sentBy(p.careContactMs, d, beforeDischarge))
          out.push({ code: 'no-care-contact', reason: late('notice 6 (fast vårdkontakt utsedd)', p.careContactMs) });
        break;
      case 'care-contact-unless-social-services-only':
        if (!e.social_services_only && !sentBy(p.careContactMs, d, beforeDischarge))
          out.push({
            code: 'no-care-contact',
            reason: `${late('notice 6 (fast vårdkontakt utsedd)', p.careContactMs)}, and not only social services are involved`,
          });
        break;
      case 'home-ready':
        if (!e.home_ready) out.push({ code: 'not-home-ready', reason: 'hemgångsklar / säker utskrivning was not ensured' });
        break;
    }
  }
  if (e.outpatient_unavailable) {
    out.push({
      code: 'outpatient-unavailable',
      reason: 'region-funded outpatient services were unavailable or unclear (law 5:5): no liability',
    });
  }
  return out;
}

export function daysFor(p: PreparedEpisode, counting: DayCounting): number | null {
  return counting === 'calendar' ? p.calendarK : counting === 'hours' ? p.hoursK : p.noonK;
}

/** A fresh evaluation with the facts filled in; the pack sets status, billing, rule and steps. */
export function startEvaluation(p: PreparedEpisode, counting: DayCounting, group: GroupCareType): EpisodeEvaluation {
  const e = p.episode;
  const days = daysFor(p, counting);
  const steps: string[] = [];
  if (e.placing_kommunkod) {
    steps.push(`placed by kommun ${e.placing_kommunkod} (registered in ${e.kommunkod}): the placing kommun pays (law 5:2)`);
  }
  if (p.readiness && p.readiness.voided.length > 0) {
    steps.push(
      `withdrawn readiness voids notice 8 of ${p.readiness.voided.map(formatLocal).join(', ')}; ` +
        (p.readyMs !== null ? `counting from the notice 8 of ${formatLocal(p.readyMs)}` : 'no notice 8 stands'),
    );
  }
  if (p.readyAtMismatch) steps.push(`ready_at (${e.ready_at}) disagrees with the notice history; the history is used`);
  if (days !== null && p.readyMs !== null && p.dischargedMs !== null && days >= 0) {
    steps.push(explainCount(counting, p.readyMs, p.dischargedMs));
  }
  return {
    episodeId: e.episode_id,
    kommunkod: e.kommunkod,
    liableKommunkod: p.liableKommunkod,
    placingKommunkod: e.placing_kommunkod || null,
    careType: e.care_type,
    group,
    readyAt: p.readyMs === null ? null : formatLocal(p.readyMs),
    dischargedAt: p.dischargedMs === null ? null : formatLocal(p.dischargedMs),
    counting,
    days,
    status: 'excluded',
    failures: [],
    billableDays: 0,
    part: 'none',
    rule: '',
    steps,
  };
}

/** Marks the evaluation excluded when a precondition failed; returns true when it did. */
export function applyPreconditions(ev: EpisodeEvaluation, failures: Failure[], section: string): boolean {
  if (failures.length === 0) return false;
  ev.failures = failures;
  ev.status = 'excluded';
  ev.rule = `${section}: excluded from every count (${failures.map((f) => f.code).join(', ')})`;
  for (const f of failures) ev.steps.push(`precondition failed: ${f.reason}`);
  return true;
}

/** An empty group to fill. */
export function emptyGroup(careType: GroupCareType, model: string, threshold: Threshold): GroupDraft {
  return {
    careType,
    model,
    initialPopulation: 0,
    eligible: 0,
    inMean: 0,
    totalDaysInMean: 0,
    excludedIndividual: 0,
    excludedPrecondition: 0,
    threshold,
    liable: false,
    billableAverage: 0,
    billableIndividual: 0,
    explanation: [],
    warnings: [],
    episodes: [],
  };
}

/** Adds an evaluated stay to the group's counts (billing totals are added by the pack). */
export function count(g: GroupDraft, ev: EpisodeEvaluation): void {
  g.initialPopulation++;
  g.episodes.push(ev);
  if (ev.status === 'excluded') {
    g.excludedPrecondition++;
    return;
  }
  g.eligible++;
  if (ev.status === 'individual') g.excludedIndividual++;
  else {
    g.inMean++;
    g.totalDaysInMean += ev.days ?? 0;
  }
}

/** Mean days strictly above a threshold, exactly: total / n > t  ⇔  100·total > t_hundredths · n. */
export function meanExceeds(total: number, n: number, threshold: Hundredths): boolean {
  return n > 0 && total * 100 > threshold * n;
}
