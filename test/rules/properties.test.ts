// Invariants over random stays, for every agreement: no negative days or money; the order of the input
// changes nothing; a stay settled on its own never enters the mean; billable days never exceed the days
// after readiness.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Episode } from '../../src/rules/episode.ts';
import { AGREEMENT_IDS } from '../../src/rules/agreements/index.ts';
import type { AgreementId } from '../../src/rules/agreements/index.ts';
import { settle } from '../../src/rules/settle.ts';
import type { SettlementResult } from '../../src/rules/settle.ts';
import { traceOf } from '../../src/rules/evaluation.ts';

// Two kommuner per agreement's län (and two without an agreement), so placements cross län lines.
const KOMMUNER = ['0180', '0114', '1880', '1881', '2380', '2361', '1080', '1082', '1480', '1490', '0680', '0682'];
const MONTHS = ['2018-06', '2019-06', '2020-03', '2022-03', '2024-03', '2024-10'];

const iso = (ms: number) => new Date(ms).toISOString();

function arbEpisodes(month: string) {
  const start = Date.parse(`${month}-01T00:00:00Z`) - 40 * 86_400_000; // some history for Blekinge
  const span = 70 * 86_400_000;
  const arbStay = fc.record({
    kommun: fc.constantFrom(...KOMMUNER),
    placing: fc.option(fc.constantFrom(...KOMMUNER), { freq: 5 }),
    psychiatric: fc.boolean(),
    readyOffset: fc.integer({ min: 0, max: span }),
    stayMinutes: fc.integer({ min: 0, max: 40 * 24 * 60 }),
    ready: fc.integer({ min: 0, max: 12 }), // 0 = never sent
    noAdmission: fc.integer({ min: 0, max: 12 }),
    noEstimate: fc.integer({ min: 0, max: 12 }),
    sip: fc.constantFrom('none', 'invited', 'missing'),
    noContact: fc.integer({ min: 0, max: 8 }),
    homeReady: fc.integer({ min: 0, max: 8 }),
    social: fc.boolean(),
    outpatient: fc.integer({ min: 0, max: 15 }),
    localTime: fc.boolean(),
  });
  return fc.uniqueArray(arbStay, { minLength: 0, maxLength: 40, selector: (s) => s.readyOffset }).map((stays) =>
    stays.map((s, i): Episode => {
      const t = start + s.readyOffset;
      const d = t + s.stayMinutes * 60_000;
      const ts = (ms: number) => (s.localTime ? iso(ms).slice(0, 16) : iso(ms));
      return {
        episode_id: `e${String(i).padStart(3, '0')}`,
        kommunkod: s.kommun,
        care_type: s.psychiatric ? 'psychiatric' : 'somatic',
        admitted_at: ts(t - 86_400_000),
        admission_notice_at: s.noAdmission === 0 ? null : ts(t - 3_600_000),
        estimated_discharge_notice_at: s.noEstimate === 0 ? null : ts(t - 1_800_000),
        ready_at: s.ready === 0 ? null : ts(t),
        discharged_at: ts(d),
        sip_required: s.sip !== 'none',
        sip_invitation_at: s.sip === 'invited' ? ts(t + 3_600_000) : null,
        care_contact_at: s.noContact === 0 ? null : ts(t - 600_000),
        home_ready: s.homeReady !== 0,
        social_services_only: s.social,
        outpatient_unavailable: s.outpatient === 0,
        placing_kommunkod: s.placing,
      };
    }),
  );
}

const scenario = fc
  .record({ agreement: fc.constantFrom(...AGREEMENT_IDS), month: fc.constantFrom(...MONTHS) })
  .chain(({ agreement, month }) => fc.record({ agreement: fc.constant(agreement), month: fc.constant(month), episodes: arbEpisodes(month) }));

const run = (agreement: AgreementId, month: string, episodes: Episode[]) =>
  settle({ agreement, month, episodes, dailyAmount: '9300.50' });

/** The result as data: each evaluation with its written trace instead of its explainer function. */
function written(r: SettlementResult) {
  return {
    ...r,
    kommuner: r.kommuner.map((k) => ({
      ...k,
      groups: k.groups.map((g) => ({
        ...g,
        episodes: g.episodes.map((ev) => {
          const { explainer: _e, prepared: _p, ...rest } = ev;
          return { ...rest, trace: traceOf(ev) };
        }),
      })),
    })),
  };
}

function eachGroup(r: SettlementResult) {
  return r.kommuner.flatMap((k) => k.groups);
}

describe('settlement invariants (fast-check)', () => {
  it('no negative days or amounts', () => {
    fc.assert(
      fc.property(scenario, ({ agreement, month, episodes }) => {
        for (const g of eachGroup(run(agreement, month, episodes))) {
          expect(g.billableAverage).toBeGreaterThanOrEqual(0);
          expect(g.billableIndividual).toBeGreaterThanOrEqual(0);
          expect(g.amount).toBeGreaterThanOrEqual(0);
          expect(g.totalDaysInMean).toBeGreaterThanOrEqual(0);
          for (const e of g.episodes) {
            expect(e.billableDays).toBeGreaterThanOrEqual(0);
            if (e.status !== 'excluded') expect(e.days).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('permuting the stays changes nothing', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), shuffled: fc.shuffledSubarray(s.episodes, { minLength: s.episodes.length }) })),
        ({ s, shuffled }) => {
          expect(written(run(s.agreement, s.month, shuffled))).toEqual(written(run(s.agreement, s.month, s.episodes)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a stay settled on its own never enters the mean', () => {
    fc.assert(
      fc.property(scenario, ({ agreement, month, episodes }) => {
        for (const g of eachGroup(run(agreement, month, episodes))) {
          const inMean = g.episodes.filter((e) => e.status === 'in-mean');
          expect(g.inMean).toBe(inMean.length);
          expect(g.totalDaysInMean).toBe(inMean.reduce((s, e) => s + (e.days ?? 0), 0));
          expect(g.excludedIndividual).toBe(g.episodes.filter((e) => e.status === 'individual').length);
          for (const e of g.episodes) if (e.status === 'individual') expect(e.part).not.toBe('average');
        }
      }),
      { numRuns: 120 },
    );
  });

  it('adding a stay beyond day 7 leaves the mean and the average part of VGR and Jönköping unchanged', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AgreementId>('vastra-gotaland', 'jonkoping'),
        arbEpisodes('2022-03'),
        fc.integer({ min: 8, max: 40 }),
        (agreement, episodes, k) => {
          const kommun = agreement === 'jonkoping' ? '0680' : '1480';
          const long: Episode = {
            episode_id: 'zz-long',
            kommunkod: kommun,
            care_type: 'somatic',
            admitted_at: '2022-02-01T08:00',
            admission_notice_at: '2022-02-01T09:00',
            estimated_discharge_notice_at: '2022-02-01T09:30',
            ready_at: '2022-02-10T10:00',
            discharged_at: new Date(Date.parse('2022-02-10T09:00:00Z') + k * 86_400_000 + 3_600_000).toISOString(),
            sip_required: false,
            sip_invitation_at: null,
            care_contact_at: '2022-02-02T10:00',
            home_ready: true,
            social_services_only: false,
            outpatient_unavailable: false,
          };
          const month = long.discharged_at!.slice(0, 7);
          const before = run(agreement, month, episodes).kommuner.find((x) => x.kommunkod === kommun)?.groups[0];
          const after = run(agreement, month, [...episodes, long]).kommuner.find((x) => x.kommunkod === kommun)!.groups[0]!;
          expect(after.meanDays).toBe(before?.meanDays ?? '');
          expect(after.billableAverage).toBe(before?.billableAverage ?? 0);
          expect(after.billableIndividual - (before?.billableIndividual ?? 0)).toBe((k - 3) * 100);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('billable days never exceed the days after readiness', () => {
    fc.assert(
      fc.property(scenario, ({ agreement, month, episodes }) => {
        for (const g of eachGroup(run(agreement, month, episodes))) {
          let days = 0;
          for (const e of g.episodes) {
            if (e.status === 'excluded') {
              expect(e.billableDays).toBe(0);
              continue;
            }
            expect(e.billableDays).toBeLessThanOrEqual(e.days ?? 0);
            days += e.days ?? 0;
          }
          expect(g.billableTotal).toBeLessThanOrEqual(days * 100);
          expect(g.amount).toBe(Math.floor((2 * g.billableTotal * 930_050 + 100) / 200));
        }
      }),
      { numRuns: 120 },
    );
  });
});
