// §5.5 Jönköpings län. Hours: k = floor((D − T) / 24 h). k > 7 → out of the mean, billed k − 3. Others:
// mean > 2.0 → total − 2.0 × n days. Preconditions: notices 2 and 4, notice 8, SIP invitation when needed.
// 2022 amount 9 300 kr.
import { describe, expect, it } from 'vitest';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const JKPG = '0680';

describe('jonkoping (§5.5)', () => {
  it('a mean exactly 2.0 pays nothing; just over pays total − 2n', () => {
    // k = 1, 3: mean 2.00 → 0.   k = 1, 4: total 5 − 2 × 2 = 1 day → 9 300.
    const at = group(run('jonkoping', '2022-03', [stayDays('a', JKPG, '2022-03-01', 1), stayDays('b', JKPG, '2022-03-01', 3)]), JKPG);
    expect(at.meanDays).toBe('2.00');
    expect(billable(at)).toBe(0);
    const over = group(run('jonkoping', '2022-03', [stayDays('a', JKPG, '2022-03-01', 1), stayDays('b', JKPG, '2022-03-01', 4)]), JKPG);
    expect(billable(over)).toBe(1);
    expect(sek(over)).toBe(9300);
  });

  it('hours, not dates: 23:59 elapsed is day 0, 24:00 is day 1', () => {
    const g = group(
      run('jonkoping', '2022-03', [stay('a', JKPG, '2022-03-07T10:00', '2022-03-08T09:59'), stay('b', JKPG, '2022-03-07T10:00', '2022-03-08T10:00')]),
      JKPG,
    );
    expect(ev(g, 'a').days).toBe(0);
    expect(ev(g, 'b').days).toBe(1);
  });

  it('notice at 11:59 versus 12:01 before a discharge at 12:00 three days later', () => {
    // 72 h 01 min → k = 3; 71 h 59 min → k = 2. Mean 2.5 → 5 − 4 = 1 day.
    const g = group(
      run('jonkoping', '2022-03', [stay('a', JKPG, '2022-03-07T11:59', '2022-03-10T12:00'), stay('b', JKPG, '2022-03-07T12:01', '2022-03-10T12:00')]),
      JKPG,
    );
    expect(ev(g, 'a').days).toBe(3);
    expect(ev(g, 'b').days).toBe(2);
    expect(billable(g)).toBe(1);
  });

  it('daylight saving: 2024-03-31 has 23 hours, 2024-10-27 has 25', () => {
    // Spring: 12:00 CET → 12:00 CEST next day = 23 h → k = 0 (calendar would say 1).
    const spring = group(run('jonkoping', '2024-03', [stay('s', JKPG, '2024-03-30T12:00', '2024-03-31T12:00')]), JKPG);
    expect(ev(spring, 's').days).toBe(0);
    // Autumn: 12:00 CEST → 11:30 CET next day = 24.5 h → k = 1.
    const autumn = group(run('jonkoping', '2024-10', [stay('a', JKPG, '2024-10-26T12:00', '2024-10-27T11:30')]), JKPG);
    expect(ev(autumn, 'a').days).toBe(1);
    // Spring, 3 days: 2024-03-29 12:00 CET → 2024-04-01 11:30 CEST = 70.5 h → k = 2, mean 2.0 → 0.
    const three = group(run('jonkoping', '2024-04', [stay('t', JKPG, '2024-03-29T12:00', '2024-04-01T11:30')]), JKPG);
    expect(ev(three, 't').days).toBe(2);
    expect(billable(three)).toBe(0);
  });

  it('7 versus 8 days: 7 in the mean (7 − 2 = 5, average part), 8 individual (8 − 3 = 5)', () => {
    const seven = group(run('jonkoping', '2022-03', [stayDays('7', JKPG, '2022-03-01', 7)]), JKPG);
    expect(seven.billableAverage).toBe(500);
    expect(seven.billableIndividual).toBe(0);
    const eight = group(run('jonkoping', '2022-03', [stayDays('8', JKPG, '2022-03-01', 8)]), JKPG);
    expect(eight.billableAverage).toBe(0);
    expect(eight.billableIndividual).toBe(500);
    expect(ev(eight, '8').status).toBe('individual');
  });

  it('month boundary: the month of discharge in Stockholm', () => {
    // D 2022-04-01 00:30 CEST: April. March is empty for the kommun.
    const eps = [stay('a', JKPG, '2022-03-28T10:00', '2022-04-01T00:30')];
    expect(run('jonkoping', '2022-03', eps).kommuner).toEqual([]);
    // 86.5 h → k = 3 → mean 3 → 3 − 2 = 1.
    expect(billable(group(run('jonkoping', '2022-04', eps), JKPG))).toBe(1);
  });

  it('a withdrawn readiness: hours from the renewed notice', () => {
    // Renewed 03-09 10:00, D 03-10 09:00 → 23 h → k = 0 → mean 0 → nothing (the first notice gave 8 days).
    const e = stay('w', JKPG, null, '2022-03-10T09:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-05T10:00' },
        { kind: 'ready', at: '2022-03-09T10:00' },
      ],
    });
    const g = group(run('jonkoping', '2022-03', [e]), JKPG);
    expect(ev(g, 'w').days).toBe(0);
    expect(billable(g)).toBe(0);
  });

  it('each precondition, including the estimated-discharge notice (vårdtidsbedömning)', () => {
    const eps = [
      stayDays('ok', JKPG, '2022-03-01', 4),
      stayDays('no4', JKPG, '2022-03-01', 9, { estimated_discharge_notice_at: null }),
      stayDays('no2', JKPG, '2022-03-01', 9, { admission_notice_at: null }),
      stay('no8', JKPG, null, '2022-03-09T10:00'),
      stayDays('nosip', JKPG, '2022-03-01', 9, { sip_required: true }),
      stayDays('sip', JKPG, '2022-03-01', 4, { sip_required: true, sip_invitation_at: '2022-03-02T10:00' }),
    ];
    const g = group(run('jonkoping', '2022-03', eps), JKPG);
    expect(ev(g, 'no4').failures.map((f) => f.code)).toEqual(['no-estimated-discharge-notice']);
    expect(ev(g, 'no2').failures.map((f) => f.code)).toEqual(['no-admission-notice']);
    expect(ev(g, 'no8').failures.map((f) => f.code)).toEqual(['no-ready-notice']);
    expect(ev(g, 'nosip').failures.map((f) => f.code)).toEqual(['no-sip-invitation']);
    // ok + sip: k = 4, 4 → 8 − 4 = 4 days.
    expect(billable(g)).toBe(4);
  });

  it('outpatient services unavailable: excluded', () => {
    const g = group(run('jonkoping', '2022-03', [stayDays('o', JKPG, '2022-03-01', 9, { outpatient_unavailable: true }), stayDays('a', JKPG, '2022-03-01', 1)]), JKPG);
    expect(g.excludedPrecondition).toBe(1);
    expect(billable(g)).toBe(0);
  });

  it('the placing kommun pays (Nässjö placed a Jönköping resident)', () => {
    const r = run('jonkoping', '2022-03', [stayDays('p', JKPG, '2022-03-01', 10, { placing_kommunkod: '0682' })]);
    expect(r.kommuner.map((k) => k.kommunkod)).toEqual(['0682']);
    expect(billable(group(r, '0682'))).toBe(7);
  });

  it('2018: psychiatric stays per stay from day 30; before March 2018 the law governs', () => {
    const r = run('jonkoping', '2018-06', [
      stayDays('p', JKPG, '2018-05-01', 35, { care_type: 'psychiatric' }),
      stayDays('s', JKPG, '2018-06-01', 3),
    ]);
    expect(billable(group(r, JKPG, 'psychiatric'))).toBe(5);
    expect(billable(group(r, JKPG, 'somatic'))).toBe(1);
    expect(run('jonkoping', '2018-02', [stayDays('x', JKPG, '2018-02-01', 5)]).kommuner).toEqual([]);
  });
});
