// §5.2 Jämtland Härjedalen. Calendar days. Condition 1: share of stays with k ≤ 1 ≥ 75 % → free that month.
// Condition 2: k ≥ 8 liable every month. Liable stays by the law's default: max(0, k − g), g = 3 (4 after
// 12:00). 2022 amount 9 300 kr.
import { describe, expect, it } from 'vitest';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const OSD = '2380'; // Östersund

describe('jamtland-harjedalen (§5.2)', () => {
  it('exactly 75 % on day 0–1 is free; k = 5 is then not billed', () => {
    // k = 0, 1, 1, 5: 3 of 4 = 75 % → free → 0.
    const g = group(
      run('jamtland-harjedalen', '2022-03', [
        stayDays('a', OSD, '2022-03-01', 0),
        stayDays('b', OSD, '2022-03-01', 1),
        stayDays('c', OSD, '2022-03-01', 1),
        stayDays('d', OSD, '2022-03-01', 5),
      ]),
      OSD,
    );
    expect(g.share).toEqual({ count: 3, of: 4 });
    expect(g.liable).toBe(false);
    expect(billable(g)).toBe(0);
  });

  it('just under 75 %: every stay computed by the law’s default', () => {
    // k = 0, 1, 5: 2 of 3 = 66.7 % → liable; law: 0, 0, 5 − 3 = 2 → 2 × 9 300 = 18 600.
    const g = group(
      run('jamtland-harjedalen', '2022-03', [
        stayDays('a', OSD, '2022-03-01', 0),
        stayDays('b', OSD, '2022-03-01', 1),
        stayDays('c', OSD, '2022-03-01', 5),
      ]),
      OSD,
    );
    expect(g.liable).toBe(true);
    expect(ev(g, 'c').billableDays).toBe(2);
    expect(ev(g, 'c').part).toBe('average');
    expect(sek(g)).toBe(18_600);
  });

  it('7 versus 8 days in a free month: only k ≥ 8 is billed (condition 2), once', () => {
    // k = 0, 0, 0, 7: 75 % → free, 7 not billed.
    const seven = group(
      run('jamtland-harjedalen', '2022-03', [0, 0, 0, 7].map((k, i) => stayDays(`s${i}`, OSD, '2022-03-01', k))),
      OSD,
    );
    expect(billable(seven)).toBe(0);
    // k = 0, 0, 0, 8: 75 % → free, but 8 ≥ 8 → law: 8 − 3 = 5, individual part.
    const eight = group(
      run('jamtland-harjedalen', '2022-03', [0, 0, 0, 8].map((k, i) => stayDays(`s${i}`, OSD, '2022-03-01', k))),
      OSD,
    );
    expect(ev(eight, 's3').status).toBe('individual');
    expect(eight.billableIndividual).toBe(500);
    expect(eight.billableAverage).toBe(0);
    expect(eight.liable).toBe(false);
  });

  it('both conditions at once bill a k ≥ 8 stay only once', () => {
    // k = 0, 5, 9: 1 of 3 → liable. 5 → 2 (average part); 9 → 6 (individual part). Total 8, not 14.
    const g = group(
      run('jamtland-harjedalen', '2022-03', [0, 5, 9].map((k, i) => stayDays(`s${i}`, OSD, '2022-03-01', k))),
      OSD,
    );
    expect(g.billableAverage).toBe(200);
    expect(g.billableIndividual).toBe(600);
    expect(billable(g)).toBe(8);
  });

  it('notice at 11:59 versus 12:01 in a liable month (the law’s g)', () => {
    // Both k = 5 (calendar), share 0 % → liable. 11:59: g = 3 → 2; 12:01: g = 4 → 1.
    const g = group(
      run('jamtland-harjedalen', '2022-03', [
        stay('a', OSD, '2022-03-07T11:59', '2022-03-12T10:00'),
        stay('b', OSD, '2022-03-07T12:01', '2022-03-12T10:00'),
      ]),
      OSD,
    );
    expect(ev(g, 'a').days).toBe(5);
    expect(ev(g, 'b').days).toBe(5);
    expect(ev(g, 'a').billableDays).toBe(2);
    expect(ev(g, 'b').billableDays).toBe(1);
  });

  it('daylight saving: a 23-hour night still counts as one calendar day', () => {
    // T 2024-03-30 23:30 CET, D 2024-03-31 23:00 CEST (22.5 h) → k = 1 → on day 0–1 → free.
    const g = group(run('jamtland-harjedalen', '2024-03', [stay('d', OSD, '2024-03-30T23:30', '2024-03-31T23:00')]), OSD);
    expect(ev(g, 'd').days).toBe(1);
    expect(g.share).toEqual({ count: 1, of: 1 });
    expect(g.liable).toBe(false);
  });

  it('month boundary: the stay leaving after midnight belongs to the next month’s share', () => {
    // March: k = 0 only → free. D 2022-04-01 00:30 goes to April (k = 2 → 0 %, liable, law: 0).
    const eps = [stayDays('a', OSD, '2022-03-10', 0), stay('b', OSD, '2022-03-30T10:00', '2022-04-01T00:30')];
    expect(group(run('jamtland-harjedalen', '2022-03', eps), OSD).share).toEqual({ count: 1, of: 1 });
    const april = group(run('jamtland-harjedalen', '2022-04', eps), OSD);
    expect(april.share).toEqual({ count: 0, of: 1 });
    expect(april.liable).toBe(true);
    expect(billable(april)).toBe(0);
  });

  it('a withdrawn readiness: counted from the renewed notice 8', () => {
    // First notice 03-01, withdrawn, renewed 03-09 10:00; D 03-10 → k = 1 → 100 % on day 0–1 → free.
    const e = stay('w', OSD, null, '2022-03-10T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-05T10:00' },
        { kind: 'ready', at: '2022-03-09T10:00' },
      ],
    });
    const g = group(run('jamtland-harjedalen', '2022-03', [e]), OSD);
    expect(ev(g, 'w').days).toBe(1);
    expect(g.liable).toBe(false);
  });

  it('a failed precondition takes the stay out of the share', () => {
    // k = 0, 0, 0 eligible; k = 5 without SIP invitation → excluded. Share 3/3 → free.
    // Had it counted: 3/4 = 75 % is still free, so add a second excluded stay (no notice 2): 3/5 = 60 %.
    const g = group(
      run('jamtland-harjedalen', '2022-03', [
        ...[0, 0, 0].map((k, i) => stayDays(`s${i}`, OSD, '2022-03-01', k)),
        stayDays('nosip', OSD, '2022-03-01', 5, { sip_required: true }),
        stayDays('no2', OSD, '2022-03-01', 5, { admission_notice_at: null }),
        stay('no8', OSD, null, '2022-03-05T10:00'),
      ]),
      OSD,
    );
    expect(g.share).toEqual({ count: 3, of: 3 });
    expect(g.excludedPrecondition).toBe(3);
    expect(ev(g, 'nosip').failures.map((f) => f.code)).toEqual(['no-sip-invitation']);
    expect(ev(g, 'no2').failures.map((f) => f.code)).toEqual(['no-admission-notice']);
    expect(ev(g, 'no8').failures.map((f) => f.code)).toEqual(['no-ready-notice']);
    expect(g.liable).toBe(false);
  });

  it('outpatient services unavailable: outside both conditions', () => {
    // k = 12 with outpatient services unavailable: would be condition 2 (9 days); excluded → 0.
    const g = group(run('jamtland-harjedalen', '2022-03', [stayDays('o', OSD, '2022-03-01', 12, { outpatient_unavailable: true })]), OSD);
    expect(billable(g)).toBe(0);
    expect(g.share).toEqual({ count: 0, of: 0 });
  });

  it('a placing kommun: Härjedalen pays for the resident of Göteborg it placed', () => {
    // k = 8 → condition 2 → 5 days billed to Härjedalen (2361).
    const r = run('jamtland-harjedalen', '2022-03', [stayDays('p', '1480', '2022-03-01', 8, { placing_kommunkod: '2361' })]);
    expect(billable(group(r, '2361'))).toBe(5);
  });

  it('before 2019 the agreement is not in force: the law governs', () => {
    const eps = [stayDays('a', OSD, '2018-06-01', 5)];
    const j = run('jamtland-harjedalen', '2018-06', eps);
    expect(j.kommuner).toEqual([]);
    expect(j.warnings.join(' ')).toMatch(/applies from 2019-01/);
    expect(billable(group(run('law', '2018-06', eps), OSD))).toBe(2);
  });

  it('after 2024-12 it warns that the extension is assumed', () => {
    const r = run('jamtland-harjedalen', '2025-02', [stayDays('a', OSD, '2025-02-01', 0)]);
    expect(r.warnings.join(' ')).toMatch(/confirms validity through 2024-12/);
  });
});
