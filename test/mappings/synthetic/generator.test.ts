// The synthetic episode generator: determinism, the händelse model's invariants on every generated
// händelse, and the distributions over 5 000 episodes of one month against identifiers.md.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Handelse, Part } from '../../../src/mappings/common/handelse.ts';
import { instantMs, toStockholm } from '../../../src/mappings/common/tid.ts';
import { KOMMUNER } from '../../../src/profiles/data/kommuner.ts';
import { parseHsaId, parseReservnummer } from '../../../src/profiles/identifiers/index.ts';
import {
  AGREEMENT_REGIONS,
  createRng,
  daysReadyToDischarge,
  generateEpisodes,
  kommunerInLan,
  NATIONAL,
  TEST_PERSONS,
  type SyntheticEpisode,
} from '../../../src/mappings/synthetic/index.ts';
import { WEIGHTED_KOMMUNKODER } from '../../../src/mappings/synthetic/kommuner.ts';
import type { Episode } from '../../../src/rules/episode.ts';
import { calendarDays, localDay, toSettlementEpisode } from './expected-episode.ts';

const MONTH = '2025-03';
let run: SyntheticEpisode[];
let expected: Episode[];

beforeAll(() => {
  run = generateEpisodes({ seed: 'sample', count: 5000, month: MONTH });
  expected = run.map(toSettlementEpisode);
});

const share = (n: number, of: number) => n / of;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const all = (e: SyntheticEpisode) => e.messages.flatMap((m) => m.handelser);

describe('determinism', () => {
  it('the same seed gives the same episodes; another seed others', () => {
    const a = generateEpisodes({ seed: 42, count: 300, month: MONTH });
    const b = generateEpisodes({ seed: 42, count: 300, month: MONTH });
    const c = generateEpisodes({ seed: 43, count: 300, month: MONTH });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c[0]!.id).not.toBe(a[0]!.id);
    expect(JSON.stringify(c.map((e) => e.messages.length))).not.toBe(JSON.stringify(a.map((e) => e.messages.length)));
  });

  it('a longer run starts with the shorter one, and another month has other stay ids', () => {
    const short = generateEpisodes({ seed: 42, count: 40, month: MONTH });
    const long = generateEpisodes({ seed: 42, count: 300, month: MONTH });
    expect(long.slice(0, 40)).toEqual(short);
    const april = generateEpisodes({ seed: 42, count: 40, month: '2025-04' });
    const ids = new Set(short.map((e) => e.id));
    expect(april.some((e) => ids.has(e.id))).toBe(false);
  });

  it('refuses a bad month or a region without an agreement', () => {
    expect(() => generateEpisodes({ seed: 1, count: 1, month: '2025-13' })).toThrow(/YYYY-MM/);
    expect(() => generateEpisodes({ seed: 1, count: 1, month: MONTH, regions: ['01'] })).toThrow(/agreement/);
  });

  it('keeps to the regions asked for', () => {
    const es = generateEpisodes({ seed: 3, count: 200, month: MONTH, regions: ['23'] });
    expect(new Set(es.map((e) => e.lanskod))).toEqual(new Set(['23']));
  });
});

describe('every händelse keeps the model', () => {
  const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
  const monthEnd = Date.parse('2025-03-31T22:00:00Z'); // 2025-04-01 00:00 Stockholm (summer time)

  it('times carry the Stockholm offset of their instant; nothing is sent after the month', () => {
    const bad: string[] = [];
    for (const e of run) {
      for (const h of all(e)) {
        for (const t of [h.occurredAt, h.sentAt, h.stay.admittedAt]) if (!OFFSET_ISO.test(t) || toStockholm(t) !== t) bad.push(t);
        if (instantMs(h.sentAt) < instantMs(h.occurredAt) || instantMs(h.sentAt) >= monthEnd) bad.push(`${h.messageId} sent ${h.sentAt}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('message ids are unique; one message shares its id and numbers its händelser 0..n', () => {
    const ids = new Set<string>();
    const bad: string[] = [];
    for (const e of run) {
      for (const m of e.messages) {
        if (ids.has(m.messageId) || !m.handelser.length || m.messageId.length > 20) bad.push(m.messageId); // 20: fits HL7v2 MSH-10
        ids.add(m.messageId);
        m.handelser.forEach((h, i) => {
          if (h.messageId !== m.messageId || h.seq !== i) bad.push(`${m.messageId} #${i}`);
        });
      }
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBeGreaterThan(run.length * 5);
  });

  it('messages are in sending order, one stay and one patient per episode, admission first', () => {
    const bad: string[] = [];
    for (const e of run) {
      const hs = all(e);
      const sent = e.messages.map((m) => instantMs(m.handelser[0]!.sentAt));
      for (let i = 1; i < sent.length; i++) if (sent[i]! < sent[i - 1]!) bad.push(`${e.id} order`);
      if (hs.some((h) => `${h.stay.issuer}:${h.stay.id}` !== e.id)) bad.push(`${e.id} stay`);
      if (new Set(hs.map((h) => h.patient.identifier.value)).size !== 1) bad.push(`${e.id} patient`);
      const admitted = instantMs(hs[0]!.stay.admittedAt);
      if (hs.some((h) => instantMs(h.occurredAt) < admitted)) bad.push(`${e.id} before admission`);
    }
    expect(bad).toEqual([]);
  });

  it('readiness comes before discharge; a withdrawal falls between two readiness notices', () => {
    for (const e of run) {
      const hs = all(e);
      const ready = hs.filter((h) => h.kind === 'utskrivningsklar').map((h) => instantMs(h.occurredAt));
      const left = hs.find((h) => h.kind === 'utskrivningsmeddelande');
      if (left) {
        expect(ready.length).toBeGreaterThan(0);
        for (const r of ready) expect(r).toBeLessThan(instantMs(left.occurredAt));
      }
      for (const w of hs.filter((h) => h.kind === 'aterkallad-utskrivningsklar')) {
        const at = instantMs(w.occurredAt);
        expect(ready.some((r) => r < at)).toBe(true);
        if (left) expect(ready.some((r) => r > at)).toBe(true);
      }
    }
  });

  it('notices have recipients, record-system events none; every party is well identified', () => {
    const kommuner = new Set(KOMMUNER.map((k) => k.kod));
    const bad: string[] = [];
    for (const e of run) {
      for (const h of all(e)) {
        if (h.kind.startsWith('adt-') ? h.recipients.length !== 0 : h.recipients.length === 0) bad.push(`${h.messageId} recipients`);
        if (h.stay.unit.kind !== 'slutenvard') bad.push(`${h.messageId} unit`);
        for (const p of partsOf(h)) {
          const ok = p.kind === 'kommun' ? kommuner.has(p.kommunkod ?? '') : parseHsaId(p.hsaId).ok;
          if (!ok || !p.name) bad.push(`${h.messageId} ${p.hsaId ?? p.kommunkod}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('no real personnummer: a listed test person or a valid nationellt reservnummer', () => {
    const listed = new Set(TEST_PERSONS.map((p) => p.personnummer));
    const byPerson = new Map<string, string>();
    for (const e of run) {
      const p = all(e)[0]!.patient;
      if (p.identifier.kind === 'personnummer') expect(listed.has(p.identifier.value)).toBe(true);
      else {
        expect(p.identifier.kind).toBe('nationelltReservnummer');
        expect(parseReservnummer(p.identifier.value, { today: '2025-03-01' }).ok, p.identifier.value).toBe(true);
        // A reservnummer names one made-up person: never two different names.
        const name = `${p.given.join(' ')} ${p.family}`;
        expect(byPerson.get(p.identifier.value) ?? name).toBe(name);
        byPerson.set(p.identifier.value, name);
      }
    }
  });
});

describe('distributions over 5 000 episodes', () => {
  const discharged = () => expected.filter((e) => e.discharged_at !== null);
  const days = (care: string) => discharged().filter((e) => e.care_type === care).map((e) => calendarDays(e)!);

  it('somatic: about 67 % leave on the day of readiness, mean about 2.1 days (identifiers.md, 2020)', () => {
    const k = days('somatic');
    expect(share(k.filter((d) => d === 0).length, k.length)).toBeGreaterThan(0.63);
    expect(share(k.filter((d) => d === 0).length, k.length)).toBeLessThan(0.71);
    expect(mean(k)).toBeGreaterThan(1.8);
    expect(mean(k)).toBeLessThan(2.4);
    expect(Math.min(...k)).toBe(0);
  });

  it('the day distributions themselves, over 200 000 draws: means 2.1 and 4.0, day 0 67 % and 45 %', () => {
    const rng = createRng('days');
    for (const [care, m, zero] of [['somatic', 2.1, 0.67], ['psychiatric', 4.0, 0.45]] as const) {
      const k = Array.from({ length: 200_000 }, () => daysReadyToDischarge(rng, care));
      expect(Math.abs(mean(k) - m), care).toBeLessThan(0.05);
      expect(Math.abs(share(k.filter((d) => d === 0).length, k.length) - zero), care).toBeLessThan(0.005);
      expect(k.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(90);
    }
  });

  it('psychiatric: about 12 % of stays, mean about 4 days, with LPT, LRV and open compulsory care', () => {
    const psych = run.filter((e) => e.careType === 'psychiatric');
    expect(share(psych.length, run.length)).toBeGreaterThan(0.1);
    expect(share(psych.length, run.length)).toBeLessThan(0.14);
    const k = days('psychiatric');
    expect(mean(k)).toBeGreaterThan(3.2);
    expect(mean(k)).toBeLessThan(4.8);
    const care = new Set(run.flatMap((e) => all(e).map((h) => h.stay.compulsoryCare)));
    for (const c of ['lpt', 'lrv', 'oppen-lpt', 'oppen-lrv']) expect(care.has(c as never), c).toBe(true);
    // LRV stays are on forensic wards.
    for (const e of run) for (const h of all(e)) if (h.stay.compulsoryCare === 'lrv') expect(h.stay.unit.name).toMatch(/Rättspsykiatrisk/);
  });

  it('regions in proportion to their population; every kommun of the five regions appears', () => {
    const total = AGREEMENT_REGIONS.reduce((s, r) => s + kommunerInLan(r.lanskod).total, 0);
    for (const r of AGREEMENT_REGIONS) {
      const got = share(run.filter((e) => e.lanskod === r.lanskod).length, run.length);
      expect(Math.abs(got - kommunerInLan(r.lanskod).total / total), r.name).toBeLessThan(0.02);
    }
    const seen = new Set(expected.map((e) => e.kommunkod));
    for (const r of AGREEMENT_REGIONS) for (const k of kommunerInLan(r.lanskod).kommuner) expect(seen.has(k.kod), k.name).toBe(true);
    // Visitors registered elsewhere in Sweden (about 4 %).
    const outside = expected.filter((e) => !AGREEMENT_REGIONS.some((r) => kommunerInLan(r.lanskod).kommuner.some((k) => k.kod === e.kommunkod)));
    expect(share(outside.length, run.length)).toBeGreaterThan(0.015);
    expect(new Set(outside.map((e) => e.kommunkod)).size).toBeGreaterThan(50);
  });

  it('every one of the 290 kommuner can appear, the larger more often', () => {
    expect(NATIONAL.kommuner).toHaveLength(290);
    for (const w of NATIONAL.weights) expect(w).toBeGreaterThan(0);
    for (const kod of WEIGHTED_KOMMUNKODER) expect(KOMMUNER.some((k) => k.kod === kod), kod).toBe(true);
    const rng = createRng('kommuner');
    const counts = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const kod = NATIONAL.kommuner[rng.weighted(NATIONAL.weights)]!.kod;
      counts.set(kod, (counts.get(kod) ?? 0) + 1);
    }
    expect(counts.size).toBe(290);
    expect(counts.get('0180')!).toBeGreaterThan(counts.get('2505')! * 20); // Stockholm vs Arvidsjaur
  });

  it('readiness in working hours, about 40 % after 12:00 (the noon rule); discharges by 21:30', () => {
    const ready = expected.flatMap((e) => (e.readiness_notices ?? []).filter((n) => n.kind === 'ready').map((n) => n.at));
    const hour = (iso: string) => Number(iso.slice(11, 13));
    for (const t of ready) expect(hour(t)).toBeGreaterThanOrEqual(8);
    for (const t of ready) expect(hour(t)).toBeLessThan(20);
    const afterNoon = ready.filter((t) => t.slice(11, 19) > '12:00:00').length;
    expect(share(afterNoon, ready.length)).toBeGreaterThan(0.35);
    expect(share(afterNoon, ready.length)).toBeLessThan(0.45);
    for (const e of discharged()) expect(e.discharged_at!.slice(11, 16) <= '21:30').toBe(true);
  });

  it('deadlines mostly met: notice 2 within 24 h, SIP invitation within 3 calendar days; some late', () => {
    const withNotice = expected.filter((e) => e.admission_notice_at);
    const onTime = withNotice.filter((e) => instantMs(e.admission_notice_at!) - instantMs(e.admitted_at!) <= 24 * 3_600_000);
    // Only a stay admitted in the month's last days may still lack its notice 2 (it is sent next month).
    for (const e of expected.filter((x) => !x.admission_notice_at)) expect(e.admitted_at! > '2025-03-28').toBe(true);
    expect(withNotice.length).toBeGreaterThan(run.length * 0.98);
    expect(share(onTime.length, withNotice.length)).toBeGreaterThan(0.86);
    expect(share(onTime.length, withNotice.length)).toBeLessThan(0.96);
    const sip = discharged().filter((e) => e.sip_required && e.ready_at);
    const invited = sip.filter((e) => e.sip_invitation_at);
    const sipOnTime = invited.filter((e) => localDay(e.sip_invitation_at!) - localDay(e.ready_at!) <= 3);
    expect(share(sipOnTime.length, sip.length)).toBeGreaterThan(0.82);
    expect(share(sipOnTime.length, sip.length)).toBeLessThan(0.95);
    expect(sip.length - invited.length).toBeGreaterThan(0); // never invited
    expect(invited.length - sipOnTime.length).toBeGreaterThan(0); // late
  });

  it('the exceptional cases all occur, each rarely', () => {
    const n = run.length;
    const count = (f: (e: Episode, s: SyntheticEpisode) => boolean) => expected.filter((e, i) => f(e, run[i]!)).length;
    const withdrawn = count((e) => (e.readiness_notices ?? []).some((r) => r.kind === 'withdrawn'));
    expect(share(withdrawn, n)).toBeGreaterThan(0.015);
    expect(share(withdrawn, n)).toBeLessThan(0.05);
    const refused = count((_e, s) => all(s).some((h) => h.kind === 'samtycke' && h.decision === 'refused'));
    expect(share(refused, n)).toBeGreaterThan(0.05);
    expect(share(refused, n)).toBeLessThan(0.11);
    const label = (l: string) => count((_e, s) => all(s)[0]!.patient.skyddadIdentitet === l);
    expect(label('sekretessmarkering')).toBeGreaterThan(0);
    expect(label('skyddadFolkbokforing')).toBeGreaterThan(0);
    expect(share(label('sekretessmarkering') + label('skyddadFolkbokforing'), n)).toBeLessThan(0.04);
    // Skyddad folkbokföring: only the särskild postadress travels, never a street.
    const lines = new Set(run.flatMap((s) => all(s).filter((h) => h.patient.skyddadIdentitet === 'skyddadFolkbokforing').flatMap((h) => h.patient.folkbokforingsadress?.line ?? [])));
    expect([...lines]).toEqual(['Särskild postadress']);
    const placed = count((e) => !!e.placing_kommunkod);
    expect(placed).toBeGreaterThan(0);
    expect(share(placed, n)).toBeLessThan(0.03);
    for (const e of expected) if (e.placing_kommunkod) expect(e.placing_kommunkod).not.toBe(e.kommunkod);
    const still = expected.filter((e) => !e.discharged_at);
    expect(share(still.length, n)).toBeGreaterThan(0.03);
    expect(share(still.length, n)).toBeLessThan(0.07);
    expect(still.some((e) => e.ready_at)).toBe(true); // ready, still waiting at month end
    expect(still.some((e) => !e.ready_at)).toBe(true); // not yet ready
    const tests = count((_e, s) => all(s)[0]!.patient.identifier.kind === 'personnummer');
    expect(share(tests, n)).toBeGreaterThan(0.01);
    expect(share(tests, n)).toBeLessThan(0.03);
    expect(count((e) => e.social_services_only)).toBeGreaterThan(0);
    // Every episode discharged in the month is settled in it.
    for (const e of discharged()) expect(e.discharged_at!.slice(0, 7)).toBe(MONTH);
  });

  it('every source system and record-system event kind is used', () => {
    const sources = new Set(run.flatMap((e) => all(e).map((h) => h.source)));
    expect([...sources].sort()).toEqual(['cosmic-link', 'hl7v2', 'lifecare-sp', 'samsa']);
    const kinds = new Set(run.flatMap((e) => all(e).map((h) => h.kind)));
    for (const k of [
      'vardbegaran', 'inskrivningsmeddelande', 'samtycke', 'beraknad-utskrivning', 'kvittens', 'fast-vardkontakt', 'kallelse-svpl',
      'utskrivningsklar', 'aterkallad-utskrivningsklar', 'kallelse-sip', 'utskrivningsmeddelande', 'sip-status', 'kommentar',
      'adt-inskrivning', 'adt-overflyttning', 'adt-utskrivning', 'adt-uppdatering',
    ]) expect(kinds.has(k as never), k).toBe(true);
  });
});

function partsOf(h: Handelse): Part[] {
  const out = [h.stay.unit, h.sender, ...h.recipients];
  if (h.kind === 'fast-vardkontakt') out.push(h.contact.unit);
  if (h.kind === 'sip-status') out.push(...h.plan.actions.map((a) => a.performer));
  return out;
}
