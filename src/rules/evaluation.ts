// What the engine says about one stay and about one settlement group, and the shared checks that
// produce it: preconditions (law 5:3 plus each agreement's own) and the counting of k.
//
// The words come later: an evaluation holds numbers and a reference to its group's explainer, and
// traceOf() writes the rule and the why only when someone asks (--explain, subject-list reports). A
// national year is 300 000 stays; building their sentences up front would cost more than settling them.
import type { CareType, GroupCareType } from './episode.ts';
import type { PreparedEpisode } from './prepare.ts';
import { noticeMs, noticeState } from './prepare.ts';
import type { Notice } from './prepare.ts';
import type { DayCounting } from './time/day-count.ts';
import { explainCount } from './time/day-count.ts';
import { formatLocal } from '../profiles/time/stockholm.ts';
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

/** Writes the rule and the steps particular to the agreement, for one evaluation of its group. */
export type Explainer = (ev: EpisodeEvaluation) => { rule: string; steps: string[] };

export type EpisodeEvaluation = {
  prepared: PreparedEpisode;
  episodeId: string;
  liableKommunkod: string;
  careType: CareType;
  group: GroupCareType;
  counting: DayCounting;
  /** k, utskrivningsklara days under the agreement's counting; null when T or D is missing. */
  days: number | null;
  status: EpisodeStatus;
  failures: readonly Failure[];
  /** Whole days billed for this stay (0 when none). */
  billableDays: number;
  part: BillingPart;
  /** g of a per-stay rule (the law's default), when one decided the stay. */
  grace: number | null;
  explainer: Explainer;
};

export type EpisodeTrace = {
  episodeId: string;
  kommunkod: string;
  liableKommunkod: string;
  placingKommunkod: string | null;
  readyAt: string | null;
  dischargedAt: string | null;
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

const NONE: readonly Failure[] = Object.freeze([]);

const NOTICE_NAME: Record<Notice, string> = {
  admission: 'notice 2 (inskrivningsmeddelande)',
  estimatedDischarge: 'notice 4 (vårdtidsbedömning / beräknad utskrivning)',
  sipInvitation: 'notice 10 (kallelse till SIP)',
  careContact: 'notice 6 (fast vårdkontakt utsedd)',
};

/** Null when the notice counts; otherwise why not. `beforeDischarge`: a late notice does not count. */
function noticeFails(p: PreparedEpisode, n: Notice, beforeDischarge: boolean): string | null {
  const state = noticeState(p, n);
  if (state === 'sent' || (state === 'late' && !beforeDischarge)) return null;
  if (state === 'missing') return `${NOTICE_NAME[n]} was never sent`;
  return `${NOTICE_NAME[n]} was sent after discharge (${formatLocal(noticeMs(p, n)!)})`;
}

/** True when every precondition holds: the common case, answered without allocating anything. */
function allHold(p: PreparedEpisode, rules: readonly PreconditionRule[], beforeDischarge: boolean): boolean {
  const e = p.episode;
  if (e.outpatient_unavailable) return false;
  const ok = (n: Notice) => {
    const st = noticeState(p, n);
    return st === 'sent' || (st === 'late' && !beforeDischarge);
  };
  for (const r of rules) {
    switch (r) {
      case 'admission-notice':
        if (!ok('admission')) return false;
        break;
      case 'estimated-discharge-notice':
        if (!ok('estimatedDischarge')) return false;
        break;
      case 'ready-notice':
        if (p.readyMs === null || (p.dischargedMs !== null && p.readyMs > p.dischargedMs)) return false;
        break;
      case 'sip-invitation-when-required':
        if (e.sip_required && !ok('sipInvitation')) return false;
        break;
      case 'care-contact':
        if (!ok('careContact')) return false;
        break;
      case 'care-contact-unless-social-services-only':
        if (!e.social_services_only && !ok('careContact')) return false;
        break;
      case 'home-ready':
        if (!e.home_ready) return false;
        break;
    }
  }
  return true;
}

/**
 * Each failed precondition with its reason, then the law 5:5 exclusion. `beforeDischarge`: a notice
 * counts only when sent no later than discharge (a notice after the patient left cannot start liability).
 */
export function checkPreconditions(
  p: PreparedEpisode,
  rules: readonly PreconditionRule[],
  beforeDischarge: boolean,
): readonly Failure[] {
  if (allHold(p, rules, beforeDischarge)) return NONE;
  const e = p.episode;
  const out: Failure[] = [];
  const fail = (code: FailureCode, reason: string) => out.push({ code, reason });
  for (const r of rules) {
    let why: string | null;
    switch (r) {
      case 'admission-notice':
        if ((why = noticeFails(p, 'admission', beforeDischarge))) fail('no-admission-notice', why);
        break;
      case 'estimated-discharge-notice':
        if ((why = noticeFails(p, 'estimatedDischarge', beforeDischarge))) fail('no-estimated-discharge-notice', why);
        break;
      case 'ready-notice':
        if (p.readyMs === null) {
          const w = p.readiness?.withdrawnAt;
          fail(
            'no-ready-notice',
            w != null
              ? `notice 8 (utskrivningsklar) was withdrawn at ${formatLocal(w)} and not sent again`
              : 'notice 8 (utskrivningsklar) was never sent',
          );
        } else if (p.dischargedMs !== null && p.readyMs > p.dischargedMs) {
          fail('discharge-before-ready', `notice 8 (${formatLocal(p.readyMs)}) came after discharge (${formatLocal(p.dischargedMs)})`);
        }
        break;
      case 'sip-invitation-when-required':
        if (e.sip_required && (why = noticeFails(p, 'sipInvitation', beforeDischarge))) {
          fail('no-sip-invitation', `a SIP is needed but ${why}`);
        }
        break;
      case 'care-contact':
        if ((why = noticeFails(p, 'careContact', beforeDischarge))) fail('no-care-contact', why);
        break;
      case 'care-contact-unless-social-services-only':
        if (!e.social_services_only && (why = noticeFails(p, 'careContact', beforeDischarge))) {
          fail('no-care-contact', `${why}, and not only social services are involved`);
        }
        break;
      case 'home-ready':
        if (!e.home_ready) fail('not-home-ready', 'hemgångsklar / säker utskrivning was not ensured');
        break;
    }
  }
  if (e.outpatient_unavailable) {
    fail('outpatient-unavailable', 'region-funded outpatient services were unavailable or unclear (law 5:5): no liability');
  }
  return out;
}

export function daysFor(p: PreparedEpisode, counting: DayCounting): number | null {
  return counting === 'calendar' ? p.calendarK : counting === 'hours' ? p.hoursK : p.noonK;
}

/** The explainer of an excluded stay: the same in every agreement. */
export function excludedExplainer(section: string): Explainer {
  return (ev) => ({
    rule: `${section}: excluded from every count (${ev.failures.map((f) => f.code).join(', ')})`,
    steps: ev.failures.map((f) => `precondition failed: ${f.reason}`),
  });
}

/** An evaluation with the preconditions applied: 'excluded', or 'in-mean' for the pack to decide. */
export function evaluate(
  p: PreparedEpisode,
  counting: DayCounting,
  group: GroupCareType,
  failures: readonly Failure[],
  explainer: Explainer,
  excluded: Explainer,
): EpisodeEvaluation {
  const fails = failures.length > 0;
  return {
    prepared: p,
    episodeId: p.episode.episode_id,
    liableKommunkod: p.liableKommunkod,
    careType: p.episode.care_type,
    group,
    counting,
    days: daysFor(p, counting),
    status: fails ? 'excluded' : 'in-mean',
    failures,
    billableDays: 0,
    part: 'none',
    grace: null,
    explainer: fails ? excluded : explainer,
  };
}

/** The rule and the why of one stay, written out. */
export function traceOf(ev: EpisodeEvaluation): EpisodeTrace {
  const p = ev.prepared;
  const e = p.episode;
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
  const readyAt = p.readyMs === null ? null : formatLocal(p.readyMs);
  const dischargedAt = p.dischargedMs === null ? null : formatLocal(p.dischargedMs);
  if (ev.days !== null && ev.days >= 0 && readyAt !== null && dischargedAt !== null) {
    steps.push(explainCount(ev.counting, p.readyMs!, p.dischargedMs!, readyAt, dischargedAt));
  }
  const own = ev.explainer(ev);
  return {
    episodeId: ev.episodeId,
    kommunkod: e.kommunkod,
    liableKommunkod: ev.liableKommunkod,
    placingKommunkod: e.placing_kommunkod || null,
    readyAt,
    dischargedAt,
    rule: own.rule,
    steps: [...steps, ...own.steps],
  };
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
