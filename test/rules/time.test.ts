import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIsoDateTime } from '../../src/profiles/time/iso.ts';
import { localMonth, localToUtc, offsetAt, civilFromDays, daysFromCivil, MS_PER_DAY } from '../../src/profiles/time/stockholm.ts';
import {
  calendarDays,
  countAll,
  effectiveReadiness,
  hoursDays,
  isAfterNoon,
  noonRuleDays,
} from '../../src/rules/time/day-count.ts';

const utc = (s: string) => Date.parse(s);
const t = (s: string) => parseIsoDateTime(s);

describe('Europe/Stockholm offsets (Intl, cached per year)', () => {
  it('is UTC+1 in winter and UTC+2 in summer, switching at 01:00 UTC on the last Sundays of March and October', () => {
    expect(offsetAt(utc('2024-01-15T12:00:00Z'))).toBe(3_600_000);
    expect(offsetAt(utc('2024-07-15T12:00:00Z'))).toBe(7_200_000);
    expect(offsetAt(utc('2024-03-31T00:59:59Z'))).toBe(3_600_000);
    expect(offsetAt(utc('2024-03-31T01:00:00Z'))).toBe(7_200_000);
    expect(offsetAt(utc('2024-10-27T00:59:59Z'))).toBe(7_200_000);
    expect(offsetAt(utc('2024-10-27T01:00:00Z'))).toBe(3_600_000);
  });

  it('agrees with Intl at random instants 2015–2035', () => {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Stockholm', timeZoneName: 'shortOffset' });
    fc.assert(
      fc.property(fc.integer({ min: utc('2015-01-01T00:00:00Z'), max: utc('2035-12-31T00:00:00Z') }), (ms) => {
        const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value; // GMT+1 / GMT+2
        expect(offsetAt(ms)).toBe(Number(name.slice(4)) * 3_600_000);
      }),
      { numRuns: 300 },
    );
  });

  it('civilFromDays matches Date for day numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 50_000 }), (d) => {
        const date = new Date(d * MS_PER_DAY);
        expect(civilFromDays(d)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      }),
      { numRuns: 300 },
    );
  });
});

describe('ISO 8601 input', () => {
  it('reads times with an offset or Z as given', () => {
    expect(t('2024-06-01T12:00:00+02:00')).toBe(utc('2024-06-01T10:00:00Z'));
    expect(t('2024-06-01T12:00+0200')).toBe(utc('2024-06-01T10:00:00Z'));
    expect(t('2024-06-01T10:00:00Z')).toBe(utc('2024-06-01T10:00:00Z'));
    expect(t('2024-06-01T10:00:00.250Z')).toBe(utc('2024-06-01T10:00:00.250Z'));
    expect(t('2024-06-01 10:00-01:30')).toBe(utc('2024-06-01T11:30:00Z'));
  });

  it('reads times without an offset as Stockholm wall-clock time', () => {
    expect(t('2024-01-10T10:00')).toBe(utc('2024-01-10T09:00:00Z'));
    expect(t('2024-07-10T10:00:00')).toBe(utc('2024-07-10T08:00:00Z'));
  });

  it('spring gap: 02:30 on 2024-03-31 does not exist and is read as 03:30 CEST (compatible)', () => {
    expect(t('2024-03-31T02:30')).toBe(utc('2024-03-31T01:30:00Z'));
    expect(t('2024-03-31T01:59')).toBe(utc('2024-03-31T00:59:00Z'));
    expect(t('2024-03-31T03:00')).toBe(utc('2024-03-31T01:00:00Z'));
  });

  it('autumn overlap: 02:30 on 2024-10-27 happens twice and the earlier (CEST) is taken', () => {
    expect(t('2024-10-27T02:30')).toBe(utc('2024-10-27T00:30:00Z'));
    expect(t('2024-10-27T03:00')).toBe(utc('2024-10-27T02:00:00Z'));
    // The second pass is reachable with an explicit offset.
    expect(t('2024-10-27T02:30+01:00')).toBe(utc('2024-10-27T01:30:00Z'));
  });

  it('round-trips every local wall time outside the gap', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc('2018-01-01T00:00:00Z') / 60_000, max: utc('2030-01-01T00:00:00Z') / 60_000 }), (min) => {
        const ms = min * 60_000;
        const local = ms + offsetAt(ms);
        const back = localToUtc(local);
        // In the overlap the earlier instant is chosen; everywhere else the instant itself.
        expect(back === ms || back === ms - 3_600_000).toBe(true);
        expect(back + offsetAt(back)).toBe(local);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    '2024-02-30T10:00',
    '2023-02-29T10:00',
    '2024-13-01T10:00',
    '2024-01-01T24:00',
    '2024-01-01T10:60',
    '2024-01-01',
    '2024-01-01T10',
    '2024-01-01T10:00:00+25:00',
    '2024-01-01T10:00:00X',
    '2024/01/01T10:00',
    '',
  ])('rejects %j', (s) => {
    expect(Number.isNaN(t(s))).toBe(true);
  });

  it('takes the month of discharge in Stockholm, not in UTC', () => {
    expect(localMonth(utc('2024-03-31T22:30:00Z'))).toBe('2024-04'); // 00:30 CEST on 1 April
    expect(localMonth(utc('2024-12-31T23:30:00Z'))).toBe('2025-01');
    expect(localMonth(utc('2024-12-31T22:30:00Z'))).toBe('2024-12');
  });
});

describe('counting days (§4)', () => {
  it('calendar: date(D) − date(T), the day of notice 8 is day 0', () => {
    expect(calendarDays(t('2024-05-06T23:59'), t('2024-05-07T00:01'))).toBe(1);
    expect(calendarDays(t('2024-05-06T00:01'), t('2024-05-06T23:59'))).toBe(0);
    // Local dates, not UTC: 00:30 CEST is still the previous day in UTC.
    expect(calendarDays(t('2024-05-06T00:30'), t('2024-05-07T00:30'))).toBe(1);
  });

  it('hours: floor((D − T) / 24 h) of elapsed time, across both DST changes', () => {
    expect(hoursDays(t('2024-05-06T10:00'), t('2024-05-07T09:59'))).toBe(0);
    expect(hoursDays(t('2024-05-06T10:00'), t('2024-05-07T10:00'))).toBe(1);
    // 2024-03-31 has 23 hours: 12:00 to 12:00 the next day is 23 h, day 0 (calendar says 1).
    expect(hoursDays(t('2024-03-30T12:00'), t('2024-03-31T12:00'))).toBe(0);
    expect(calendarDays(t('2024-03-30T12:00'), t('2024-03-31T12:00'))).toBe(1);
    // 2024-10-27 has 25 hours: 12:00 to 11:30 the next day is 24.5 h, day 1.
    expect(hoursDays(t('2024-10-26T12:00'), t('2024-10-27T11:30'))).toBe(1);
  });

  it('noon rule: after 12:00 the day of notice 8 is not counted; 12:00 sharp is not after noon', () => {
    expect(isAfterNoon(t('2024-05-06T11:59'))).toBe(false);
    expect(isAfterNoon(t('2024-05-06T12:00'))).toBe(false);
    expect(isAfterNoon(t('2024-05-06T12:00:01'))).toBe(true);
    expect(isAfterNoon(t('2024-05-06T12:01'))).toBe(true);
    expect(noonRuleDays(t('2024-05-06T11:59'), t('2024-05-09T10:00'))).toBe(3);
    expect(noonRuleDays(t('2024-05-06T12:01'), t('2024-05-09T10:00'))).toBe(2);
    expect(noonRuleDays(t('2024-05-06T12:01'), t('2024-05-06T18:00'))).toBe(0); // floored at 0
    // Noon in local time: 10:30 UTC on 2024-03-31 is 12:30 CEST.
    expect(isAfterNoon(utc('2024-03-31T10:30:00Z'))).toBe(true);
    expect(isAfterNoon(utc('2024-03-30T10:30:00Z'))).toBe(false); // 11:30 CET
  });

  it('a withdrawal voids earlier notices 8; the latest after it counts; none when the last is a withdrawal', () => {
    const a = t('2024-05-01T10:00');
    const w = t('2024-05-02T10:00');
    const b = t('2024-05-04T10:00');
    expect(effectiveReadiness([{ kind: 'ready', atMs: a }, { kind: 'withdrawn', atMs: w }, { kind: 'ready', atMs: b }])).toEqual({
      readyMs: b,
      voided: [a],
      withdrawnAt: null,
    });
    expect(effectiveReadiness([{ kind: 'withdrawn', atMs: w }, { kind: 'ready', atMs: a }]).readyMs).toBe(null);
    expect(effectiveReadiness([{ kind: 'ready', atMs: a }, { kind: 'ready', atMs: b }]).readyMs).toBe(b);
  });
});

describe('countAll (the indexing hot path) agrees with the single rules', () => {
  it('for random pairs of instants 2018–2030', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2018-01-01T00:00:00Z'), max: utc('2030-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 60 * 86_400_000 }),
        (ready, stay) => {
          const d = ready + stay;
          expect(countAll(ready, d)).toEqual({
            calendar: calendarDays(ready, d),
            hours: hoursDays(ready, d),
            noonRule: noonRuleDays(ready, d),
            readyAfterNoon: isAfterNoon(ready),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('daysFromCivil', () => {
  it('inverts civilFromDays and matches Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 50_000 }), (d) => {
        const { year, month, day } = civilFromDays(d);
        expect(daysFromCivil(year, month, day)).toBe(d);
        expect(Date.UTC(year, month - 1, day)).toBe(d * MS_PER_DAY);
      }),
      { numRuns: 300 },
    );
  });
});

describe('prepareEpisode counts as the single rules do', () => {
  it('for random stays, local or offset times', async () => {
    const { prepareEpisode } = await import('../../src/rules/prepare.ts');
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2018-01-01T00:00:00Z') / 60_000, max: utc('2030-01-01T00:00:00Z') / 60_000 }),
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        fc.boolean(),
        (readyMin, stayMin, local) => {
          const r = readyMin * 60_000;
          const d = r + stayMin * 60_000;
          const text = (ms: number) => (local ? new Date(ms + offsetAt(ms)).toISOString().slice(0, 19) : new Date(ms).toISOString());
          const p = prepareEpisode({
            episode_id: 'x', kommunkod: '0180', care_type: 'somatic', admitted_at: null, admission_notice_at: null,
            estimated_discharge_notice_at: null, ready_at: text(r), discharged_at: text(d), sip_required: false,
            sip_invitation_at: null, care_contact_at: null, home_ready: true, social_services_only: false, outpatient_unavailable: false,
          });
          // Local text is ambiguous in the autumn overlap (the earlier instant is read): compare with what was read.
          const [rr, dd] = [p.readyMs!, p.dischargedMs!];
          expect([p.calendarK, p.hoursK, p.noonK, p.readyAfterNoon]).toEqual([
            calendarDays(rr, dd), hoursDays(rr, dd), noonRuleDays(rr, dd), isAfterNoon(rr),
          ]);
          expect(p.month).toBe(localMonth(dd));
        },
      ),
      { numRuns: 300 },
    );
  });
});
