// §5.1 Örebro län. Noon rule: k = date(D) − date(T), minus 1 when T is after 12:00 (floored at 0).
// Per kommun, month and care type: mean = Σk / n; mean > 3 → every stay with k > 3 billed k − 3.
// 2022 amount 9 300 kr.
import { describe, expect, it } from 'vitest';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const OREBRO = '1880';

describe('orebro (§5.1)', () => {
  it('mean exactly 3 is not liable; just over is, for the stays above day 3', () => {
    // k = 2 and 4: mean 6/2 = 3.00, not above 3 → 0.
    const at = group(run('orebro', '2022-03', [stayDays('a', OREBRO, '2022-03-01', 2), stayDays('b', OREBRO, '2022-03-01', 4)]), OREBRO, 'somatic');
    expect(at.meanDays).toBe('3.00');
    expect(at.liable).toBe(false);
    expect(billable(at)).toBe(0);
    // k = 2 and 5: mean 3.50 > 3 → the k = 5 stay billed 5 − 3 = 2; 2 × 9 300 = 18 600.
    const over = group(run('orebro', '2022-03', [stayDays('a', OREBRO, '2022-03-01', 2), stayDays('b', OREBRO, '2022-03-01', 5)]), OREBRO, 'somatic');
    expect(over.meanDays).toBe('3.50');
    expect(over.liable).toBe(true);
    expect(ev(over, 'a').billableDays).toBe(0);
    expect(ev(over, 'b').billableDays).toBe(2);
    expect(billable(over)).toBe(2);
    expect(sek(over)).toBe(18_600);
  });

  it('noon rule: notice at 11:59 counts its day, at 12:01 it does not', () => {
    // T 03-07 11:59, D 03-11 10:00 → k = 4, mean 4 > 3 → 1 day.
    const before = group(run('orebro', '2022-03', [stay('a', OREBRO, '2022-03-07T11:59', '2022-03-11T10:00')]), OREBRO, 'somatic');
    expect(ev(before, 'a').days).toBe(4);
    expect(billable(before)).toBe(1);
    // T 12:01 → k = 4 − 1 = 3, mean 3 → not liable.
    const after = group(run('orebro', '2022-03', [stay('a', OREBRO, '2022-03-07T12:01', '2022-03-11T10:00')]), OREBRO, 'somatic');
    expect(ev(after, 'a').days).toBe(3);
    expect(after.liable).toBe(false);
    expect(billable(after)).toBe(0);
  });

  it('daylight saving: noon is judged in local time', () => {
    // T 2024-03-31T10:30Z = 12:30 CEST (after noon); D 2024-04-04 10:00 → 4 − 1 = 3 → not liable.
    const spring = group(run('orebro', '2024-04', [stay('s', OREBRO, '2024-03-31T10:30:00Z', '2024-04-04T10:00')]), OREBRO, 'somatic');
    expect(ev(spring, 's').days).toBe(3);
    expect(spring.liable).toBe(false);
    // T 2024-10-27T10:30Z = 11:30 CET (before noon); D 2024-10-31 10:00 → k = 4 → liable, 1 day.
    const autumn = group(run('orebro', '2024-10', [stay('a', OREBRO, '2024-10-27T10:30:00Z', '2024-10-31T10:00')]), OREBRO, 'somatic');
    expect(ev(autumn, 'a').days).toBe(4);
    expect(billable(autumn)).toBe(1);
  });

  it('7 versus 8 days: both stay in the mean, billed 4 and 5', () => {
    // k = 7 and 8: mean 7.50 → 4 + 5 = 9 days × 9 300 = 83 700.
    const g = group(run('orebro', '2022-03', [stayDays('7', OREBRO, '2022-03-01', 7), stayDays('8', OREBRO, '2022-03-01', 8)]), OREBRO, 'somatic');
    expect(g.inMean).toBe(2);
    expect(ev(g, '7').billableDays).toBe(4);
    expect(ev(g, '8').billableDays).toBe(5);
    expect(sek(g)).toBe(83_700);
  });

  it('month boundary: discharge after midnight local time belongs to the next month', () => {
    // D 2022-04-01 00:10 → April. March has only 'x' (k = 2, mean 2, not liable).
    const eps = [stay('late', OREBRO, '2022-03-25T10:00', '2022-04-01T00:10'), stayDays('x', OREBRO, '2022-03-01', 2)];
    const march = group(run('orebro', '2022-03', eps), OREBRO, 'somatic');
    expect(march.initialPopulation).toBe(1);
    expect(march.liable).toBe(false);
    // April: k = 7 → mean 7 → 4 days.
    expect(billable(group(run('orebro', '2022-04', eps), OREBRO, 'somatic'))).toBe(4);
  });

  it('a withdrawn readiness: the clock restarts at the next notice 8', () => {
    // First notice 03-01 (k would be 9), withdrawn 03-02, renewed 03-08 09:00; D 03-10 → k = 2 → mean 2 → 0.
    const e = stay('w', OREBRO, '2022-03-01T09:00', '2022-03-10T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T09:00' },
        { kind: 'withdrawn', at: '2022-03-02T09:00' },
        { kind: 'ready', at: '2022-03-08T09:00' },
      ],
    });
    const g = group(run('orebro', '2022-03', [e]), OREBRO, 'somatic');
    expect(ev(g, 'w').days).toBe(2);
    expect(ev(g, 'w').steps.join(' ')).toMatch(/disagrees with the notice history/);
    expect(billable(g)).toBe(0);
  });

  it('preconditions: hemgångsklar and fast vårdkontakt (waived when only social services), plus the law', () => {
    const eps = [
      stayDays('ok', OREBRO, '2022-03-01', 5),
      stayDays('nohome', OREBRO, '2022-03-01', 9, { home_ready: false }),
      stayDays('nocontact', OREBRO, '2022-03-01', 9, { care_contact_at: null }),
      stayDays('social', OREBRO, '2022-03-01', 5, { care_contact_at: null, social_services_only: true }),
      stayDays('no2', OREBRO, '2022-03-01', 9, { admission_notice_at: null }),
      stayDays('nosip', OREBRO, '2022-03-01', 9, { sip_required: true }),
    ];
    const g = group(run('orebro', '2022-03', eps), OREBRO, 'somatic');
    expect(ev(g, 'nohome').failures.map((f) => f.code)).toEqual(['not-home-ready']);
    expect(ev(g, 'nocontact').failures.map((f) => f.code)).toEqual(['no-care-contact']);
    expect(ev(g, 'no2').failures.map((f) => f.code)).toEqual(['no-admission-notice']);
    expect(ev(g, 'nosip').failures.map((f) => f.code)).toEqual(['no-sip-invitation']);
    expect(ev(g, 'social').status).toBe('in-mean');
    // Mean over ok and social: (5 + 5) / 2 = 5 > 3 → 2 + 2 = 4 days.
    expect(g.inMean).toBe(2);
    expect(billable(g)).toBe(4);
  });

  it('outpatient services unavailable: excluded from the mean', () => {
    // Without the exclusion the mean would be (2 + 10) / 2 = 6 → liable; with it 2 → not liable.
    const g = group(
      run('orebro', '2022-03', [stayDays('a', OREBRO, '2022-03-01', 2), stayDays('o', OREBRO, '2022-03-01', 10, { outpatient_unavailable: true })]),
      OREBRO,
      'somatic',
    );
    expect(g.excludedPrecondition).toBe(1);
    expect(g.liable).toBe(false);
  });

  it('a placing kommun: an Örebro placement of a Stockholm resident settles in Örebro', () => {
    const g = group(run('orebro', '2022-03', [stayDays('p', '0180', '2022-03-01', 6, { placing_kommunkod: OREBRO })]), OREBRO, 'somatic');
    expect(ev(g, 'p').kommunkod).toBe('0180');
    expect(billable(g)).toBe(3);
  });

  it('somatic and psychiatric means are separate', () => {
    // Somatic k = 2 → not liable. Psychiatric k = 5 and 1 → mean 3 → not liable; k = 5, 2 → 3.5 → 2 days.
    const r = run('orebro', '2022-03', [
      stayDays('s', OREBRO, '2022-03-01', 2),
      stayDays('p1', OREBRO, '2022-03-01', 5, { care_type: 'psychiatric' }),
      stayDays('p2', OREBRO, '2022-03-01', 2, { care_type: 'psychiatric' }),
    ]);
    expect(group(r, OREBRO, 'somatic').liable).toBe(false);
    expect(group(r, OREBRO, 'psychiatric').liable).toBe(true);
    expect(billable(group(r, OREBRO, 'psychiatric'))).toBe(2);
  });

  it('2018 psychiatric care: the law’s 30 days per stay; somatic unchanged', () => {
    // Psychiatric k = 35 → 35 − 30 = 5; somatic k = 5 → mean 5 → 2.
    const r = run('orebro', '2018-06', [
      stayDays('p', OREBRO, '2018-05-01', 35, { care_type: 'psychiatric' }),
      stayDays('s', OREBRO, '2018-06-01', 5),
    ]);
    expect(ev(group(r, OREBRO, 'psychiatric'), 'p').billableDays).toBe(5);
    expect(group(r, OREBRO, 'psychiatric').excludedIndividual).toBe(1);
    expect(billable(group(r, OREBRO, 'somatic'))).toBe(2);
  });

  it('Reading individualDays = all-days bills every day of a liable stay', () => {
    const eps = [stayDays('a', OREBRO, '2022-03-01', 2), stayDays('b', OREBRO, '2022-03-01', 5)];
    expect(billable(group(run('orebro', '2022-03', eps, { parameters: { individualDays: 'all-days' } }), OREBRO, 'somatic'))).toBe(5);
  });
});
