// §5.0 The law's default. Each case is computed by hand in its comment: k = date(D) − date(T),
// g = 3 (4 when notice 8 came after 12:00), billable = max(0, k − g), 2022 amount 9 300 kr.
import { describe, expect, it } from 'vitest';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const STHLM = '0180';

describe('law (§5.0)', () => {
  it('exactly at g bills nothing; one day over bills one day', () => {
    // T 2022-03-07 10:00, D 03-10 → k = 3, g = 3 → 0.  D 03-11 → k = 4 → 1 day × 9 300 = 9 300.
    const at = run('law', '2022-03', [stayDays('at', STHLM, '2022-03-07', 3)]);
    expect(billable(group(at, STHLM))).toBe(0);
    expect(sek(group(at, STHLM))).toBe(0);
    expect(group(at, STHLM).liable).toBe(false);
    const over = run('law', '2022-03', [stayDays('over', STHLM, '2022-03-07', 4)]);
    expect(billable(group(over, STHLM))).toBe(1);
    expect(sek(group(over, STHLM))).toBe(9300);
    expect(group(over, STHLM).liable).toBe(true);
  });

  it('notice 8 at 11:59 gives g = 3, at 12:01 g = 4, at 12:00 sharp g = 3', () => {
    // T 03-07 11:59, D 03-12 10:00 → k = 5, g = 3 → 2.   T 12:01 → g = 4 → 1.   T 12:00 → 2.
    const r = run('law', '2022-03', [
      stay('a', STHLM, '2022-03-07T11:59', '2022-03-12T10:00'),
      stay('b', STHLM, '2022-03-07T12:01', '2022-03-12T10:00'),
      stay('c', STHLM, '2022-03-07T12:00', '2022-03-12T10:00'),
    ]);
    const g = group(r, STHLM);
    expect(ev(g, 'a').billableDays).toBe(2);
    expect(ev(g, 'b').billableDays).toBe(1);
    expect(ev(g, 'c').billableDays).toBe(2);
    expect(billable(g)).toBe(5);
    expect(sek(g)).toBe(46_500);
  });

  it('daylight saving: calendar days in Stockholm, times with and without offset', () => {
    // T 2024-03-30 10:00 CET; D 2024-04-03T07:00Z = 09:00 CEST → k = 4 (94 elapsed hours would say 3), g = 3 → 1.
    const spring = run('law', '2024-04', [stay('s', STHLM, '2024-03-30T10:00', '2024-04-03T07:00:00Z')]);
    expect(ev(group(spring, STHLM), 's').days).toBe(4);
    expect(billable(group(spring, STHLM))).toBe(1);
    // T 2024-10-26T23:30+02:00 (after noon, g = 4); D 2024-10-31 00:30 CET → k = 5 → 1.
    const autumn = run('law', '2024-10', [stay('a', STHLM, '2024-10-26T23:30:00+02:00', '2024-10-31T00:30')]);
    expect(ev(group(autumn, STHLM), 'a').days).toBe(5);
    expect(billable(group(autumn, STHLM))).toBe(1);
  });

  it('7 versus 8 days: 4 and 5 billable days (the law has no individual limit)', () => {
    // k = 7 → 7 − 3 = 4; k = 8 → 5.
    const g = group(run('law', '2022-03', [stayDays('7', STHLM, '2022-03-01', 7), stayDays('8', STHLM, '2022-03-01', 8)]), STHLM);
    expect(ev(g, '7').billableDays).toBe(4);
    expect(ev(g, '8').billableDays).toBe(5);
  });

  it('month boundary: a stay counts in the month of discharge in Stockholm', () => {
    // T 03-29 10:00, D 2022-03-31T22:30Z = 2022-04-01 00:30 CEST → April, k = 3 → 0.
    const eps = [stay('m', STHLM, '2022-03-29T10:00', '2022-03-31T22:30:00Z'), stayDays('x', STHLM, '2022-03-01', 5)];
    const march = run('law', '2022-03', eps);
    expect(group(march, STHLM).episodes.map((e) => e.episodeId)).toEqual(['x']);
    const april = run('law', '2022-04', eps);
    expect(group(april, STHLM).episodes.map((e) => e.episodeId)).toEqual(['m']);
    expect(ev(group(april, STHLM), 'm').days).toBe(3);
  });

  it('a withdrawn readiness restarts the clock; withdrawn and never renewed excludes the stay', () => {
    // Notice 8 on 03-01 10:00, withdrawn 03-03, again 03-05 10:00; D 03-10 10:00 → k = 5 (not 9) → 2.
    const renewed = stay('r', STHLM, null, '2022-03-10T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-03T09:00' },
        { kind: 'ready', at: '2022-03-05T10:00' },
      ],
    });
    const gone = stay('w', STHLM, null, '2022-03-10T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-03T09:00' },
      ],
    });
    const g = group(run('law', '2022-03', [renewed, gone]), STHLM);
    expect(ev(g, 'r').days).toBe(5);
    expect(ev(g, 'r').billableDays).toBe(2);
    expect(ev(g, 'r').steps.join(' ')).toMatch(/withdrawn readiness voids/);
    expect(ev(g, 'w').status).toBe('excluded');
    expect(ev(g, 'w').failures.map((f) => f.code)).toEqual(['no-ready-notice']);
    expect(billable(g)).toBe(2);
  });

  it('each missing precondition of law 5:3 excludes the stay, with its reason', () => {
    const eps = [
      stayDays('ok', STHLM, '2022-03-01', 6), // 6 − 3 = 3
      stayDays('no2', STHLM, '2022-03-01', 6, { admission_notice_at: null }),
      stay('no8', STHLM, null, '2022-03-07T10:00'),
      stayDays('nosip', STHLM, '2022-03-01', 6, { sip_required: true, sip_invitation_at: null }),
      stayDays('sip', STHLM, '2022-03-01', 6, { sip_required: true, sip_invitation_at: '2022-03-02T09:00' }), // 3
      stayDays('late2', STHLM, '2022-03-01', 6, { admission_notice_at: '2022-03-08T09:00' }),
    ];
    const g = group(run('law', '2022-03', eps), STHLM);
    expect(ev(g, 'no2').failures.map((f) => f.code)).toEqual(['no-admission-notice']);
    expect(ev(g, 'no8').failures.map((f) => f.code)).toEqual(['no-ready-notice']);
    expect(ev(g, 'nosip').failures.map((f) => f.code)).toEqual(['no-sip-invitation']);
    expect(ev(g, 'late2').failures[0]!.reason).toMatch(/after discharge/);
    expect(g.excludedPrecondition).toBe(4);
    expect(billable(g)).toBe(6);
  });

  it('outpatient services unavailable: no liability (law 5:5)', () => {
    const g = group(run('law', '2022-03', [stayDays('o', STHLM, '2022-03-01', 10, { outpatient_unavailable: true })]), STHLM);
    expect(ev(g, 'o').failures.map((f) => f.code)).toEqual(['outpatient-unavailable']);
    expect(billable(g)).toBe(0);
  });

  it('a placing kommun pays, and its län decides the agreement', () => {
    // Registered in Göteborg (VGR), placed by Stockholm → Stockholm pays under the law: k = 5 → 2.
    const placed = stayDays('p', '1480', '2022-03-01', 5, { placing_kommunkod: STHLM });
    // Registered in Stockholm, placed by Örebro → Örebro's agreement, not the law.
    const toOrebro = stayDays('q', STHLM, '2022-03-01', 5, { placing_kommunkod: '1880' });
    const r = run('law', '2022-03', [placed, toOrebro]);
    expect(r.kommuner.map((k) => k.kommunkod)).toEqual([STHLM]);
    expect(ev(group(r, STHLM), 'p').billableDays).toBe(2);
    expect(ev(group(r, STHLM), 'p').liableKommunkod).toBe(STHLM);
    expect(r.governedElsewhere).toEqual({ orebro: 1 });
  });

  it('a hospital in another region leaves a stay under the law', () => {
    // Göteborg patient in a Stockholm hospital (län 01): the VGR agreement does not bind Region Stockholm.
    const r = run('law', '2022-03', [stayDays('h', '1480', '2022-03-01', 5, { hospital_lanskod: '01' })]);
    expect(billable(group(r, '1480'))).toBe(2);
  });

  it('2018 psychiatric care: 30 days; from 2019 the ordinary g', () => {
    // 2018: k = 35 → 35 − 30 = 5.   2019: k = 35 → 35 − 3 = 32 × 7 800 = 249 600.
    const p2018 = run('law', '2018-06', [stayDays('p', STHLM, '2018-05-01', 35, { care_type: 'psychiatric' })]);
    expect(billable(group(p2018, STHLM))).toBe(5);
    const p2019 = run('law', '2019-06', [stayDays('p', STHLM, '2019-05-01', 35, { care_type: 'psychiatric' })]);
    expect(billable(group(p2019, STHLM))).toBe(32);
    expect(sek(group(p2019, STHLM))).toBe(249_600);
  });

  it('the daily amount: confirmed years, no guess for others, overrides by configuration and run', () => {
    const eps = (y: number) => [stayDays('a', STHLM, `${y}-03-01`, 5)]; // 2 days
    const y2023 = run('law', '2023-03', eps(2023));
    expect(billable(group(y2023, STHLM))).toBe(2);
    expect(sek(group(y2023, STHLM))).toBe(null);
    expect(y2023.warnings.join(' ')).toMatch(/No confirmed daily amount for 2023/);
    expect(sek(group(run('law', '2023-03', eps(2023), { amounts: { 2023: '10500' } }), STHLM))).toBe(21_000);
    expect(sek(group(run('law', '2023-03', eps(2023), { dailyAmount: '12000.50' }), STHLM))).toBe(24_001);
    expect(sek(group(run('law', '2022-03', eps(2022), { parameters: { dailyAmounts: { 2022: 12000 } } }), STHLM))).toBe(24_000);
    expect(sek(group(run('law', '2019-03', eps(2019)), STHLM))).toBe(15_600);
  });

  it('Reading lawBillableDays: the alternative counts the discharge day', () => {
    // k = 4, g = 3: default 1; including-discharge-day 2. k = 3: 0 vs 1.
    const eps = [stayDays('a', STHLM, '2022-03-01', 4), stayDays('b', STHLM, '2022-03-01', 3)];
    expect(billable(group(run('law', '2022-03', eps), STHLM))).toBe(1);
    expect(billable(group(run('law', '2022-03', eps, { parameters: { lawBillableDays: 'including-discharge-day' } }), STHLM))).toBe(3);
  });

  it('refuses unknown parameters and bad values instead of ignoring them', () => {
    expect(() => run('law', '2022-03', [], { parameters: { graceDayz: 2 } })).toThrow(/unknown parameter graceDayz/);
    expect(() => run('law', '2022-03', [], { parameters: { lawBillableDays: 'x' } })).toThrow(/expected one of/);
    expect(() => run('law', '2022-3', [])).toThrow(/YYYY-MM/);
    expect(() => run('law', '2022-03', [], { dailyAmount: '9300.001' })).toThrow(/not an amount/);
  });
});
