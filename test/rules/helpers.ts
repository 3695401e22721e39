// Builders for hand-computed settlement cases: a stay that meets every precondition unless told
// otherwise, and short ways to reach a kommun's group in a result.
import type { Episode } from '../../src/rules/episode.ts';
import { settle } from '../../src/rules/settle.ts';
import type { GroupSettlement, SettleOptions, SettlementResult } from '../../src/rules/settle.ts';
import type { AgreementId } from '../../src/rules/agreements/index.ts';
import { traceOf } from '../../src/rules/evaluation.ts';

/** A stay admitted the day before readiness, with notices 2, 4 and 6 sent and hemgångsklar. */
export function stay(id: string, kommunkod: string, ready_at: string | null, discharged_at: string | null, over: Partial<Episode> = {}): Episode {
  const day = (ready_at ?? discharged_at ?? '2022-01-02T10:00').slice(0, 10);
  const admitted = `${day}T00:05`;
  return {
    episode_id: id,
    kommunkod,
    care_type: 'somatic',
    admitted_at: admitted,
    admission_notice_at: admitted.replace('T00:05', 'T00:10'),
    estimated_discharge_notice_at: admitted.replace('T00:05', 'T00:15'),
    ready_at,
    discharged_at,
    sip_required: false,
    sip_invitation_at: null,
    care_contact_at: admitted.replace('T00:05', 'T00:20'),
    home_ready: true,
    social_services_only: false,
    outpatient_unavailable: false,
    ...over,
  };
}

/** A stay of k calendar days: notice 8 at `day` 10:00, discharge k days later at 10:00. */
export function stayDays(id: string, kommunkod: string, day: string, k: number, over: Partial<Episode> = {}): Episode {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + k);
  return stay(id, kommunkod, `${day}T10:00`, `${t.toISOString().slice(0, 10)}T10:00`, over);
}

export function run(
  agreement: AgreementId,
  month: string,
  episodes: Episode[],
  o: Partial<SettleOptions> = {},
): SettlementResult {
  return settle({ agreement, month, episodes, ...o });
}

export function group(r: SettlementResult, kommunkod: string, careType = 'all'): GroupSettlement {
  const k = r.kommuner.find((x) => x.kommunkod === kommunkod);
  if (!k) throw new Error(`no kommun ${kommunkod} in ${r.agreement} ${r.month}: ${r.kommuner.map((x) => x.kommunkod).join(',')}`);
  const g = k.groups.find((x) => x.careType === careType);
  if (!g) throw new Error(`no group ${careType} for ${kommunkod}: ${k.groups.map((x) => x.careType).join(',')}`);
  return g;
}

/** A stay's evaluation with its written trace (rule, steps, times). */
export function ev(g: GroupSettlement, id: string) {
  const e = g.episodes.find((x) => x.episodeId === id);
  if (!e) throw new Error(`no stay ${id}`);
  return { ...e, ...traceOf(e) };
}

/** Billable days of a group as a number of days. */
export const billable = (g: GroupSettlement) => g.billableTotal / 100;
export const sek = (g: GroupSettlement) => (g.amount === null ? null : g.amount / 100);
