// §5.3 Blekinge. Calendar days. Monthly mean per kommun against the yearly threshold (3.0); state:
// three consecutive months over → liable from the fourth; while liable every stay with k > 3 is billed
// k − 3; three consecutive months at or under → the claim ends from the month after. Stays without
// säker utskrivning (home_ready, fast vårdkontakt, the law's notices) are outside. 2022: 9 300 kr.
import { describe, expect, it } from 'vitest';
import type { Episode } from '../../src/rules/episode.ts';
import { billable, ev, group, run, sek, stay, stayDays } from './helpers.ts';

const KRONA = '1080'; // Karlskrona

/** One stay of k days discharged in the month (notice 8 on the 10th at 10:00). */
function month(m: string, ...ks: number[]): Episode[] {
  return ks.map((k, i) => stayDays(`${m}-${i}`, KRONA, `${m}-10`, k));
}

describe('blekinge (§5.3)', () => {
  it('three months over the threshold start liability in the fourth', () => {
    // Jan, Feb, Mar: mean 5 > 3 each. April liable: k = 5 → 2, k = 3 → 0, k = 2 → 0. 2 × 9 300 = 18 600.
    const eps = [...month('2022-01', 5), ...month('2022-02', 5), ...month('2022-03', 5), ...month('2022-04', 5, 3, 2)];
    const march = group(run('blekinge', '2022-03', eps), KRONA);
    expect(march.liable).toBe(false);
    expect(billable(march)).toBe(0);
    const april = group(run('blekinge', '2022-04', eps), KRONA);
    expect(april.liable).toBe(true);
    expect(april.meanDays).toBe('3.33');
    expect(ev(april, '2022-04-0').billableDays).toBe(2);
    expect(ev(april, '2022-04-1').billableDays).toBe(0);
    expect(sek(april)).toBe(18_600);
    expect(april.explanation.join('\n')).toMatch(/2022-03: mean 5.00 > 3.0, 3 consecutive months over: liable from 2022-04/);
  });

  it('a mean exactly at the threshold breaks the run', () => {
    // Jan 4, Feb 4, Mar 3.00 (= threshold, not over) → April not liable even with k = 9.
    const eps = [...month('2022-01', 4), ...month('2022-02', 4), ...month('2022-03', 3), ...month('2022-04', 9)];
    const april = group(run('blekinge', '2022-04', eps), KRONA);
    expect(april.liable).toBe(false);
    expect(billable(april)).toBe(0);
  });

  it('the claim ends after three consecutive months at or under (those months still pay)', () => {
    // Over Jan–Mar → liable from Apr. Apr 2, May 3, Jun 3 (at or under) → June still liable, July free.
    // June: k = 3 → 0... so give June a second stay k = 4 and one k = 2: mean 3.00, k = 4 → 1 day.
    const eps = [
      ...month('2022-01', 5),
      ...month('2022-02', 5),
      ...month('2022-03', 5),
      ...month('2022-04', 2),
      ...month('2022-05', 3),
      ...month('2022-06', 4, 2),
      ...month('2022-07', 5, 1),
    ];
    const june = group(run('blekinge', '2022-06', eps), KRONA);
    expect(june.liable).toBe(true);
    expect(billable(june)).toBe(1);
    const july = group(run('blekinge', '2022-07', eps), KRONA);
    expect(july.liable).toBe(false);
    expect(billable(july)).toBe(0);
    expect(july.explanation.join('\n')).toMatch(/2022-06: mean 3.00 ≤ 3.0, 3 consecutive months at or under: the claim ends from 2022-07/);
    // The alternative: the third month is already free.
    expect(group(run('blekinge', '2022-06', eps, { parameters: { claimEnds: 'with-third-month' } }), KRONA).liable).toBe(false);
  });

  it('a month over while liable restarts the count to the end', () => {
    // Liable from Apr; Apr 2, May 5 (over, resets), Jun 2, Jul 2 → July still liable (2 months under).
    const eps = [
      ...month('2022-01', 5),
      ...month('2022-02', 5),
      ...month('2022-03', 5),
      ...month('2022-04', 2),
      ...month('2022-05', 5),
      ...month('2022-06', 2),
      ...month('2022-07', 2, 6),
    ];
    // July: mean 4 > 3 anyway; liable: k = 6 → 3.
    const july = group(run('blekinge', '2022-07', eps), KRONA);
    expect(july.liable).toBe(true);
    expect(billable(july)).toBe(3);
  });

  it('7 versus 8 days while liable: 4 and 5 days (no individual limit in Blekinge)', () => {
    const eps = [...month('2022-01', 5), ...month('2022-02', 5), ...month('2022-03', 5), ...month('2022-04', 7, 8)];
    const april = group(run('blekinge', '2022-04', eps), KRONA);
    expect(ev(april, '2022-04-0').billableDays).toBe(4);
    expect(ev(april, '2022-04-1').billableDays).toBe(5);
  });

  it('no noon rule: 11:59 and 12:01 count the same calendar days', () => {
    const eps = [
      ...month('2022-01', 5),
      ...month('2022-02', 5),
      ...month('2022-03', 5),
      stay('a', KRONA, '2022-04-04T11:59', '2022-04-09T10:00'),
      stay('b', KRONA, '2022-04-04T12:01', '2022-04-09T10:00'),
    ];
    const april = group(run('blekinge', '2022-04', eps), KRONA);
    expect(ev(april, 'a').billableDays).toBe(2);
    expect(ev(april, 'b').billableDays).toBe(2);
  });

  it('daylight saving and the month boundary: 00:30 CEST on 1 April counts in April', () => {
    // A stay of k = 9 leaving 2022-04-01 00:30 CEST (2022-03-31T22:30Z): in UTC it is March; here April.
    // March then has only k = 3 (mean 3, not over): the run Jan–Feb stops; April not liable.
    const eps = [
      ...month('2022-01', 5),
      ...month('2022-02', 5),
      ...month('2022-03', 3),
      stay('late', KRONA, '2022-03-23T10:00', '2022-03-31T22:30:00Z'),
    ];
    const march = group(run('blekinge', '2022-03', eps), KRONA);
    expect(march.meanDays).toBe('3.00');
    const april = group(run('blekinge', '2022-04', eps), KRONA);
    expect(ev(april, 'late').days).toBe(9);
    expect(april.liable).toBe(false);
  });

  it('a withdrawn readiness in the history changes the state', () => {
    // March's stay: first notice 03-01 (k = 9), withdrawn, renewed 03-08 → k = 2: March not over → April free.
    const w = stay('w', KRONA, null, '2022-03-10T10:00', {
      readiness_notices: [
        { kind: 'ready', at: '2022-03-01T10:00' },
        { kind: 'withdrawn', at: '2022-03-02T10:00' },
        { kind: 'ready', at: '2022-03-08T10:00' },
      ],
    });
    const eps = [...month('2022-01', 5), ...month('2022-02', 5), w, ...month('2022-04', 6)];
    expect(group(run('blekinge', '2022-04', eps), KRONA).liable).toBe(false);
  });

  it('säker utskrivning: without hemgångsklar or fast vårdkontakt (even social services only) the stay is outside', () => {
    const eps = [
      stayDays('ok', KRONA, '2022-03-01', 2),
      stayDays('nohome', KRONA, '2022-03-01', 9, { home_ready: false }),
      stayDays('nocontact', KRONA, '2022-03-01', 9, { care_contact_at: null, social_services_only: true }),
      stayDays('no2', KRONA, '2022-03-01', 9, { admission_notice_at: null }),
      stayDays('nosip', KRONA, '2022-03-01', 9, { sip_required: true }),
      stayDays('outpatient', KRONA, '2022-03-01', 9, { outpatient_unavailable: true }),
    ];
    const g = group(run('blekinge', '2022-03', eps), KRONA);
    expect(g.inMean).toBe(1);
    expect(g.meanDays).toBe('2.00');
    expect(ev(g, 'nohome').failures.map((f) => f.code)).toEqual(['not-home-ready']);
    expect(ev(g, 'nocontact').failures.map((f) => f.code)).toEqual(['no-care-contact']);
    expect(ev(g, 'no2').failures.map((f) => f.code)).toEqual(['no-admission-notice']);
    expect(ev(g, 'nosip').failures.map((f) => f.code)).toEqual(['no-sip-invitation']);
    expect(ev(g, 'outpatient').failures.map((f) => f.code)).toEqual(['outpatient-unavailable']);
  });

  it('a placing kommun carries the stay into its own history', () => {
    // Karlshamn (1082) placed three long stays of Stockholm residents Jan–Mar → Karlshamn liable in April.
    const placed = (m: string) => stayDays(`p${m}`, '0180', `${m}-10`, 6, { placing_kommunkod: '1082' });
    const eps = [placed('2022-01'), placed('2022-02'), placed('2022-03'), stayDays('k', '1082', '2022-04-10', 6)];
    const april = group(run('blekinge', '2022-04', eps), '1082');
    expect(april.liable).toBe(true);
    expect(billable(april)).toBe(3);
  });

  it('2018: psychiatric stays per stay from day 20, outside the mean', () => {
    // Psychiatric k = 25 → 25 − 20 = 5 in its own group; somatic mean unaffected.
    const r = run('blekinge', '2018-06', [
      stayDays('p', KRONA, '2018-05-20', 25, { care_type: 'psychiatric' }),
      stayDays('s', KRONA, '2018-06-01', 2),
    ]);
    expect(billable(group(r, KRONA, 'psychiatric'))).toBe(5);
    expect(group(r, KRONA, 'somatic').meanDays).toBe('2.00');
  });

  it('warns when the input lacks the earlier months; a configured yearly threshold applies', () => {
    const lone = run('blekinge', '2022-06', month('2022-06', 5));
    expect(lone.warnings.join(' ')).toMatch(/needs the earlier months/);
    // Threshold 2022 = 4.5: means 5 are still over, 4 are not.
    const eps = [...month('2022-01', 5), ...month('2022-02', 4), ...month('2022-03', 5), ...month('2022-04', 6)];
    expect(group(run('blekinge', '2022-04', eps), KRONA).liable).toBe(true);
    expect(group(run('blekinge', '2022-04', eps, { parameters: { thresholdByYear: { 2022: 4.5 } } }), KRONA).liable).toBe(false);
  });

  it('January 2018 is before the agreement: the law governs', () => {
    expect(run('blekinge', '2018-01', month('2018-01', 5)).kommuner).toEqual([]);
  });
});
