// §5.4 Västra Götaland. Calendar days. k > 7 → out of the mean, billed k − 3. Others: n stays, total days;
// if mean > 3.0 the kommun pays total − 3.0 × n days. 2022 amount 9 300 kr.
import { describe, expect, it } from 'vitest';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const GBG = '1480';

describe('vastra-gotaland (§5.4)', () => {
  it('a mean exactly 3.0 pays nothing; just over pays total − 3n', () => {
    // k = 2, 4: total 6, n 2, mean 3.00 → 0.
    const at = group(run('vastra-gotaland', '2022-03', [stayDays('a', GBG, '2022-03-01', 2), stayDays('b', GBG, '2022-03-01', 4)]), GBG);
    expect(at.liable).toBe(false);
    expect(billable(at)).toBe(0);
    // k = 2, 5: total 7, mean 3.50 → (3.5 − 3) × 2 = 7 − 6 = 1 day × 9 300 = 9 300.
    const over = group(run('vastra-gotaland', '2022-03', [stayDays('a', GBG, '2022-03-01', 2), stayDays('b', GBG, '2022-03-01', 5)]), GBG);
    expect(over.liable).toBe(true);
    expect(over.billableAverage).toBe(100);
    expect(sek(over)).toBe(9300);
  });

  it('a fractional mean is settled exactly: (10/3 − 3) × 3 = 1 day', () => {
    // k = 3, 3, 4: mean 3.33… → total − 3n = 10 − 9 = 1 (no 0.99 from floating point).
    const g = group(run('vastra-gotaland', '2022-03', [3, 3, 4].map((k, i) => stayDays(`s${i}`, GBG, '2022-03-01', k))), GBG);
    expect(g.meanDays).toBe('3.33');
    expect(g.billableAverage).toBe(100);
    expect(sek(g)).toBe(9300);
  });

  it('7 versus 8 days: k = 7 stays in the mean, k = 8 goes individual', () => {
    // k = 7 alone: mean 7 → 7 − 3 = 4 (average part).
    const seven = group(run('vastra-gotaland', '2022-03', [stayDays('7', GBG, '2022-03-01', 7)]), GBG);
    expect(seven.billableAverage).toBe(400);
    expect(seven.billableIndividual).toBe(0);
    // k = 8 alone: individual 8 − 3 = 5; the mean is empty.
    const eight = group(run('vastra-gotaland', '2022-03', [stayDays('8', GBG, '2022-03-01', 8)]), GBG);
    expect(eight.inMean).toBe(0);
    expect(eight.billableIndividual).toBe(500);
    expect(eight.meanDays).toBe('');
  });

  it('an individually billed stay does not lift the mean', () => {
    // k = 2, 3, 20: mean over 2 and 3 = 2.5 → no average part; 20 − 3 = 17 individual → 158 100 kr.
    const g = group(run('vastra-gotaland', '2022-03', [2, 3, 20].map((k, i) => stayDays(`s${i}`, GBG, '2022-03-01', k))), GBG);
    expect(g.meanDays).toBe('2.50');
    expect(g.liable).toBe(false);
    expect(billable(g)).toBe(17);
    expect(sek(g)).toBe(158_100);
  });

  it('no noon rule: 11:59 and 12:01 give the same k', () => {
    const g = group(
      run('vastra-gotaland', '2022-03', [stay('a', GBG, '2022-03-07T11:59', '2022-03-12T10:00'), stay('b', GBG, '2022-03-07T12:01', '2022-03-12T10:00')]),
      GBG,
    );
    expect(ev(g, 'a').days).toBe(5);
    expect(ev(g, 'b').days).toBe(5);
    expect(billable(g)).toBe(4); // total 10 − 3 × 2
  });

  it('daylight saving: 23 hours across the spring change is one calendar day', () => {
    // T 2024-03-30 12:00 CET, D 2024-03-31 12:00 CEST (23 h) → k = 1.
    const g = group(run('vastra-gotaland', '2024-03', [stay('d', GBG, '2024-03-30T12:00', '2024-03-31T12:00')]), GBG);
    expect(ev(g, 'd').days).toBe(1);
  });

  it('month boundary: each month settles its own discharges', () => {
    // March: k = 5 → 2. April: D 2022-04-01 00:05 (k = 5 from 03-27) → 2; March is not affected.
    const eps = [stayDays('m', GBG, '2022-03-01', 5), stay('a', GBG, '2022-03-27T10:00', '2022-04-01T00:05')];
    expect(group(run('vastra-gotaland', '2022-03', eps), GBG).initialPopulation).toBe(1);
    expect(billable(group(run('vastra-gotaland', '2022-04', eps), GBG))).toBe(2);
  });

  it('a withdrawn readiness: the renewed notice counts (k 10 → 4)', () => {
    const e = stay('w', GBG, null, '2022-03-11T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-04T10:00' },
        { kind: 'ready', at: '2022-03-07T10:00' },
      ],
    });
    const g = group(run('vastra-gotaland', '2022-03', [e]), GBG);
    expect(ev(g, 'w').days).toBe(4);
    expect(ev(g, 'w').status).toBe('in-mean');
    expect(billable(g)).toBe(1);
  });

  it('each precondition: notice 2, notice 8, the SIP invitation when a SIP is needed', () => {
    const eps = [
      stayDays('no2', GBG, '2022-03-01', 9, { admission_notice_at: null }),
      stay('no8', GBG, null, '2022-03-09T10:00'),
      stayDays('nosip', GBG, '2022-03-01', 9, { sip_required: true }),
      stayDays('latesip', GBG, '2022-03-01', 9, { sip_required: true, sip_invitation_at: '2022-03-11T10:00' }),
      // VGR does not require hemgångsklar or a fast vårdkontakt for settlement.
      stayDays('ok', GBG, '2022-03-01', 9, { home_ready: false, care_contact_at: null }),
    ];
    const g = group(run('vastra-gotaland', '2022-03', eps), GBG);
    expect(g.excludedPrecondition).toBe(4);
    expect(ev(g, 'latesip').failures[0]!.code).toBe('no-sip-invitation');
    expect(billable(g)).toBe(6);
  });

  it('outpatient services unavailable: excluded', () => {
    const g = group(run('vastra-gotaland', '2022-03', [stayDays('o', GBG, '2022-03-01', 9, { outpatient_unavailable: true })]), GBG);
    expect(billable(g)).toBe(0);
    expect(g.excludedPrecondition).toBe(1);
  });

  it('a placing kommun: Borås pays for the Göteborg resident it placed', () => {
    const r = run('vastra-gotaland', '2022-03', [stayDays('p', GBG, '2022-03-01', 9, { placing_kommunkod: '1490' })]);
    expect(r.kommuner.map((k) => k.kommunkod)).toEqual(['1490']);
    expect(billable(group(r, '1490'))).toBe(6);
  });

  it('before 2020-04 psychiatric stays are settled apart, by the law’s default (30 days in 2018)', () => {
    // 2019-06: psychiatric k = 6 (T 10:00) → law: 6 − 3 = 3 (not in the somatic mean). Somatic k = 2 → 0.
    const r2019 = run('vastra-gotaland', '2019-06', [
      stayDays('p', GBG, '2019-06-01', 6, { care_type: 'psychiatric' }),
      stayDays('s', GBG, '2019-06-01', 2),
    ]);
    expect(billable(group(r2019, GBG, 'psychiatric'))).toBe(3);
    expect(group(r2019, GBG, 'somatic').meanDays).toBe('2.00');
    expect(r2019.warnings.join(' ')).toMatch(/psychiatricBeforeApril2020/);
    // 2018: k = 35 → 35 − 30 = 5.
    expect(billable(group(run('vastra-gotaland', '2018-06', [stayDays('p', GBG, '2018-05-01', 35, { care_type: 'psychiatric' })]), GBG, 'psychiatric'))).toBe(5);
    // From 2020-04 together: k = 6 psychiatric + 2 somatic → mean 4 → 8 − 6 = 2.
    const r2020 = run('vastra-gotaland', '2020-06', [
      stayDays('p', GBG, '2020-06-01', 6, { care_type: 'psychiatric' }),
      stayDays('s', GBG, '2020-06-01', 2),
    ]);
    expect(billable(group(r2020, GBG, 'all'))).toBe(2);
  });

  it('a configured threshold with decimals: half days, amounts rounded half up to whole öre', () => {
    // Threshold 2.5, k = 3: 3 − 2.5 = 0.5 day × 9 300.01 = 4 650.005 → 4 650.01 kr.
    const g = group(run('vastra-gotaland', '2022-03', [stayDays('a', GBG, '2022-03-01', 3)], { parameters: { meanThreshold: 2.5 }, dailyAmount: '9300.01' }), GBG);
    expect(g.billableAverage).toBe(50);
    expect(g.amount).toBe(465_001);
  });
});
