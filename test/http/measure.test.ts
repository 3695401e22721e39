// Settlement over the store, over HTTP on loopback against a real gateway: stays POSTed as the transaction
// Bundles the source adapters make (buildTransaction), then Measure/$evaluate-measure. The API must give
// the same billable days and kronor as `samverkan settle` on the equivalent episode file (API = CLI).
import type { Bundle, CapabilityStatement, Encounter, Extension, Measure, MeasureReport, OperationOutcomeIssue, Organization } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleCommand } from '../../src/gateway/cli/settle.ts';
import { buildTransaction } from '../../src/mappings/common/transaktion.ts';
import { createValidator } from '../../src/gateway/validation.ts';
import { canonical } from '../../src/profiles/canonical.ts';
import { PROFILE } from '../../src/profiles/definitions/index.ts';
import type { Validator } from '../../src/profiles/validation/index.ts';
import { STAY_IDENTIFIER_SYSTEM } from '../../src/rules/fhir/timeline.ts';
import { SYSTEM } from '../../src/profiles/identifiers/systems.ts';
import type { Episode } from '../../src/rules/episode.ts';
import { EXT } from '../../src/rules/fhir/codes.ts';
import type { Db, QueryResult } from '../../src/store/db.ts';
import { backends, freshDb } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { ISSUER, stayHandelser, type StaySpec } from '../rules/timeline-stays.ts';
import { expectOutcome, Fhir } from './http.ts';

const ORE = canonical.measure('orebro');
const MARCH = 'periodStart=2022-03-01&periodEnd=2022-03-31';

/** Örebro 2022-03 (noon rule, mean > 3.0 → every stay with k > 3 billed k − 3; 9 300 kr a day in 2022). */
const day = (d: string, t: string) => `2022-${d}T${t}:00+01:00`;
const base = (id: string, pnr: string, admitted: string): StaySpec => ({
  id,
  pnr,
  folkbokforingskommun: '1880',
  admittedAt: admitted,
  careContactAt: admitted.replace('T08:00', 'T15:00'),
  readiness: [],
});
const STAYS: StaySpec[] = [
  // k = 7 → 4 billable.
  { ...base('A', '194001012386', day('02-28', '08:00')), readiness: [['utskrivningsklar', day('03-01', '10:00')]], dischargedAt: day('03-08', '10:00') },
  // Notice 8 after noon: calendar 2, noon rule 1.
  { ...base('B', '194503152383', day('03-01', '08:00')), readiness: [['utskrivningsklar', day('03-02', '13:00')]], dischargedAt: day('03-04', '09:00') },
  // A SIP invited: k = 5 → 2 billable.
  { ...base('C', '195009072389', day('03-09', '08:00')), readiness: [['utskrivningsklar', day('03-10', '09:00')]], sip: { at: day('03-11', '09:00') }, dischargedAt: day('03-15', '11:00') },
  // Withdrawn and ready again: k = 2 from 03-08 (5 from the voided notice).
  {
    ...base('D', '193304122389', day('03-04', '08:00')),
    readiness: [['utskrivningsklar', day('03-05', '09:00')], ['aterkallad-utskrivningsklar', day('03-06', '08:00')], ['utskrivningsklar', day('03-08', '11:00')]],
    dischargedAt: day('03-10', '10:00'),
  },
  // No admission notice: excluded (k = 8 would have billed 5).
  { ...base('E', '193806202382', day('03-11', '08:00')), admissionNotice: false, readiness: [['utskrivningsklar', day('03-12', '09:00')]], dischargedAt: day('03-20', '09:00') },
  // Registered in Kumla, placed by Örebro: Örebro pays; k = 4 → 1.
  { ...base('F', '194211112380', day('03-13', '08:00')), folkbokforingskommun: '1881', placingKommun: '1880', readiness: [['utskrivningsklar', day('03-14', '09:00')]], dischargedAt: day('03-18', '09:00') },
  // Only social services: no fast vårdkontakt needed; k = 3 → 0.
  { ...base('G', '194712252388', day('03-19', '08:00')), careContactAt: undefined, socialOnly: true, readiness: [['utskrivningsklar', day('03-20', '09:00')]], dischargedAt: day('03-23', '09:00') },
  // Kumla: k = 2, mean 2.0, not liable.
  { ...base('H', '195202022389', day('03-02', '08:00')), folkbokforingskommun: '1881', readiness: [['utskrivningsklar', day('03-03', '09:00')]], dischargedAt: day('03-05', '09:00') },
  // February: not in March's settlement.
  { ...base('I', '192909092385', day('02-09', '08:00')), readiness: [['utskrivningsklar', day('02-10', '09:00')]], dischargedAt: day('02-20', '09:00') },
  // Still admitted.
  { ...base('J', '193605052384', day('03-24', '08:00')), readiness: [['utskrivningsklar', day('03-25', '09:00')]] },
];

/** Karlskrona (Blekinge), one stay a month with k = 5, January to April 2022: over 3.0 three months running, liable in April. */
const BLEKINGE: StaySpec[] = ['193101014573', '193202024570', '193403034576', '193504044573'].map((pnr, i) => ({
  ...base(`K${i + 1}`, pnr, day(`0${i + 1}-09`, '08:00')),
  folkbokforingskommun: '1080',
  readiness: [['utskrivningsklar', day(`0${i + 1}-10`, '09:00')]],
  dischargedAt: day(`0${i + 1}-15`, '09:00'),
}));

/** The same facts as the CLI's input row, written from the spec by hand (not by timeline.ts). */
function episodeOf(s: StaySpec): Episode {
  const lastWithdrawal = s.readiness.map(([k]) => k).lastIndexOf('aterkallad-utskrivningsklar');
  const ready = s.readiness.slice(lastWithdrawal + 1).filter(([k]) => k === 'utskrivningsklar').at(-1)?.[1] ?? null;
  const admittedMs = Date.parse(s.admittedAt) + 3_600_000;
  return {
    episode_id: `${ISSUER}:${s.id}`,
    kommunkod: s.folkbokforingskommun,
    care_type: s.careType ?? 'somatic',
    admitted_at: s.admittedAt,
    admission_notice_at: s.admissionNotice === false ? null : new Date(admittedMs).toISOString(),
    estimated_discharge_notice_at: null,
    ready_at: ready,
    discharged_at: s.dischargedAt ?? null,
    sip_required: !!s.sip,
    sip_invitation_at: s.sip?.at ?? null,
    care_contact_at: s.careContactAt ?? null,
    home_ready: ready !== null,
    social_services_only: !!s.socialOnly,
    outpatient_unavailable: false,
    placing_kommunkod: s.placingKommun ?? null,
  };
}

async function cli(args: string[], input: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await settleCommand([...args, '--input', 'in.ndjson'], { readFile: async () => input, out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('\n') };
}

const ext = (exts: Extension[] | undefined, url: string) => exts?.filter((e) => e.url === url) ?? [];
/** What finance invoices on, per group: the figures that must agree between API and CLI. */
const figures = (r: MeasureReport) =>
  (r.group ?? []).map((g) => ({
    group: g.id,
    populations: g.population?.map((p) => [p.id, p.count]),
    score: g.measureScore?.value,
    liable: ext(g.extension, EXT.liable)[0]?.valueBoolean,
    billable: ext(g.extension, EXT.billableDays)[0]?.valueQuantity?.value,
    average: ext(g.extension, EXT.billableDaysAverage)[0]?.valueQuantity?.value,
    individual: ext(g.extension, EXT.billableDaysIndividual)[0]?.valueQuantity?.value,
    amount: ext(g.extension, EXT.amount)[0]?.valueMoney,
  }));

const errorsOf = (issues: OperationOutcomeIssue[]) =>
  issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);

describe.each(backends())('Measure/$evaluate-measure over the store on %s', (backend) => {
  let gw: TestGateway;
  let fhir: Fhir;
  let validator: Validator;
  /** A report claims SamverkanMeasureReport and validates against it with no error. */
  const expectValid = (r: MeasureReport) => {
    expect(r.meta?.profile).toEqual([PROFILE.measureReport]);
    expect(errorsOf(validator.validate(r, { now: new Date() })), r.id).toEqual([]);
  };
  beforeAll(async () => {
    validator = createValidator();
    gw = await startTestGateway(backend);
    fhir = new Fhir(gw.base);
    for (const [i, s] of [...STAYS, ...BLEKINGE].entries()) {
      const hs = stayHandelser(s);
      // The first stay message by message, as an adapter sends them; the others whole.
      const bundles = i === 0 ? hs.map((h, j) => buildTransaction(hs.slice(0, j + 1), [h])) : [buildTransaction(hs, hs)];
      for (const b of bundles) {
        const a = await fhir.post<Bundle>('', b);
        expect(a.status, a.text.slice(0, 800)).toBe(200);
      }
    }
  });
  afterAll(async () => gw?.stop());

  it('Örebro 1880, March 2022: 7 billable days, 65 100 kr, the same as samverkan settle on the episode file', async () => {
    const a = await fhir.get<MeasureReport>(`Measure/$evaluate-measure?measure=${encodeURIComponent(ORE)}&${MARCH}&kommunkod=1880`);
    expect(a.status, a.text.slice(0, 800)).toBe(200);
    const api = a.body;
    expect(api.resourceType).toBe('MeasureReport');
    expect(api.type).toBe('summary');
    expect(api.subject?.identifier?.value).toBe('1880');
    const [somatic] = figures(api);
    // By hand: eligible k = 7, 1, 5, 2, 4, 3 (E excluded): mean 22/6 > 3; A 4 + C 2 + F 1 = 7 days × 9 300 kr.
    expect(somatic).toMatchObject({ group: 'somatic', liable: true, billable: 7, average: 7, individual: 0, amount: { value: 65100, currency: 'SEK' } });
    expect(somatic!.populations).toEqual([
      ['initial-population', 7],
      ['numerator', 22],
      ['denominator', 6],
      ['denominator-exclusion-individual', 0],
      ['denominator-exclusion-precondition', 1],
    ]);

    const file = STAYS.map((s) => JSON.stringify(episodeOf(s))).join('\n') + '\n';
    const c = await cli(['--agreement', 'orebro', '--month', '2022-03', '--kommun', '1880', '--format', 'json'], file);
    expect(c.code, c.err).toBe(0);
    const [cliReport] = (JSON.parse(c.out) as Bundle<MeasureReport>).entry!.map((e) => e.resource!);
    expect(figures(api)).toEqual(figures(cliReport!));
    const csv = await cli(['--agreement', 'orebro', '--month', '2022-03', '--kommun', '1880', '--format', 'csv'], file);
    expect(csv.out).toContain('1880,Örebro,2022-03,somatic,6,3.67,true,7,0,7,9300.00,65100.00');
  });

  it('subject-list names each stay with its evaluation; the withdrawn readiness counts from the later notice', async () => {
    const a = await fhir.get<MeasureReport>(`Measure/orebro/$evaluate-measure?${MARCH}&kommunkod=1880&reportType=subject-list`);
    expect(a.status, a.text.slice(0, 800)).toBe(200);
    const initial = a.body.contained?.find((c) => c.id === 'initial-somatic');
    expect(initial?.resourceType).toBe('List');
    const entries = initial?.resourceType === 'List' ? initial.entry ?? [] : [];
    expect(entries.map((e) => e.item.identifier?.value).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((x) => `${ISSUER}:${x}`));
    const d = entries.find((e) => e.item.identifier?.value === `${ISSUER}:D`)!;
    const days = d.extension?.[0]?.extension?.find((x) => x.url === 'days')?.valueInteger;
    expect(days).toBe(2);
  });

  it('without a subject: a Bundle with a report per kommun settled in the month', async () => {
    const a = await fhir.get<Bundle<MeasureReport>>(`Measure/$evaluate-measure?measure=${encodeURIComponent(ORE)}&periodStart=2022-03&periodEnd=2022-03`);
    expect(a.status, a.text.slice(0, 800)).toBe(200);
    expect(a.body.type).toBe('collection');
    const reports = a.body.entry!.map((e) => e.resource!);
    expect(reports.map((r) => r.subject?.identifier?.value)).toEqual(['1880', '1881']);
    expect(figures(reports[1]!)[0]).toMatchObject({ liable: false, billable: 0, score: 2 });
  });

  it('POST with Parameters and subject = the kommun Organization', async () => {
    const orgs = await fhir.search(`Organization?identifier=${encodeURIComponent(`${SYSTEM.kommunkod}|1880`)}`);
    const org = orgs.entry?.[0]?.resource as Organization;
    expect(org?.id).toBeTruthy();
    const a = await fhir.post<MeasureReport>('Measure/$evaluate-measure', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'measure', valueCanonical: ORE },
        { name: 'periodStart', valueDate: '2022-03-01' },
        { name: 'periodEnd', valueDate: '2022-03-31' },
        { name: 'subject', valueReference: { reference: `Organization/${org.id}` } },
      ],
    });
    expect(a.status, a.text.slice(0, 800)).toBe(200);
    expect(figures(a.body)[0]?.billable).toBe(7);
  });

  it('February: the February stay alone', async () => {
    const a = await fhir.get<MeasureReport>(`Measure/orebro/$evaluate-measure?periodStart=2022-02-01&periodEnd=2022-02-28&kommunkod=1880`);
    expect(a.status).toBe(200);
    // k = 10 → mean 10 > 3 → 7 days.
    expect(figures(a.body)[0]).toMatchObject({ billable: 7, populations: expect.arrayContaining([['initial-population', 1]]) });
  });

  it('Blekinge: the months before are read from the store, so April is liable as the CLI says from the same file', async () => {
    const q = (m: string) => fhir.get<MeasureReport>(`Measure/blekinge/$evaluate-measure?periodStart=2022-${m}&periodEnd=2022-${m}&kommunkod=1080`);
    const april = await q('04');
    expect(april.status, april.text.slice(0, 800)).toBe(200);
    // k = 5: 5 − 3 = 2 days × 9 300 kr, billed because January to March were over 3.0.
    expect(figures(april.body)[0]).toMatchObject({ liable: true, billable: 2, amount: { value: 18600, currency: 'SEK' } });
    expect(figures((await q('03')).body)[0]).toMatchObject({ liable: false, billable: 0 });
    const file = BLEKINGE.map((s) => JSON.stringify(episodeOf(s))).join('\n') + '\n';
    const c = await cli(['--agreement', 'blekinge', '--month', '2022-04', '--kommun', '1080', '--format', 'json'], file);
    expect(c.code, c.err).toBe(0);
    expect(figures(april.body)).toEqual(figures((JSON.parse(c.out) as Bundle<MeasureReport>).entry![0]!.resource!));
  });

  it('refuses what it cannot answer, saying why', async () => {
    const q = (s: string) => fhir.get(`Measure/$evaluate-measure?${s}`);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&periodStart=2022-03-01&periodEnd=2022-04-30`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&periodStart=2022-03-02&periodEnd=2022-03-31`), 400);
    expectOutcome(await q(`${MARCH}`), 400);
    expectOutcome(await q(`measure=https://example.org/Measure/x&${MARCH}`), 404);
    // subject is the report on one kommun: it needs the kommun.
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&reportType=subject`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&reportType=data-collection`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&reportType=toString`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&kommunkod=1880&store=yes`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&difference=true`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&lastReceivedOn=2022-04-01`), 400);
    expectOutcome(await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&kommunkod=18`), 400);
    // Stockholm is not an Örebro kommun: the engine says which agreement governs it.
    const other = await q(`measure=${encodeURIComponent(ORE)}&${MARCH}&kommunkod=0180`);
    expectOutcome(other, 422);
    expect(other.text).toMatch(/0180/);
  });

  it('the agreements\' Measures: read-only at Measure/{id}, found by url, declared with the operation', async () => {
    const m = await fhir.get<Measure>('Measure/orebro');
    expect(m.status).toBe(200);
    expect(m.body.url).toBe(ORE);
    expect(m.body.group?.map((g) => g.id)).toEqual(['somatic', 'psychiatric']);
    const found = await fhir.search(`Measure?url=${encodeURIComponent(canonical.measure('blekinge'))}`);
    expect(found.entry?.map((e) => e.resource?.id)).toEqual(['blekinge']);
    // Any other url is the store's search.
    expect((await fhir.search('Measure?url=https://example.org/none')).entry ?? []).toEqual([]);
    const put = await fhir.put('Measure/orebro', { ...m.body });
    expectOutcome(put, 405);
    expect(put.headers.get('allow')).toBe('GET');
    const cs = await fhir.get<CapabilityStatement>('metadata');
    const measure = cs.body.rest?.[0]?.resource?.find((r) => r.type === 'Measure');
    expect(measure?.operation?.map((o) => o.name)).toContain('evaluate-measure');
  });

  it('every report validates against SamverkanMeasureReport: summary, population, subject-list, subject, the Bundle, the CLI\'s', async () => {
    const q = (x: string) => fhir.get<MeasureReport>(`Measure/orebro/$evaluate-measure?${MARCH}&${x}`);
    const summary = (await q('kommunkod=1880')).body;
    const population = (await q('kommunkod=1880&reportType=population')).body;
    const list = (await q('kommunkod=1880&reportType=subject-list')).body;
    const individual = (await q('kommunkod=1880&reportType=subject')).body;
    const all = (await fhir.get<Bundle<MeasureReport>>(`Measure/orebro/$evaluate-measure?${MARCH}`)).body.entry!.map((e) => e.resource!);
    for (const r of [summary, population, list, individual, ...all]) expectValid(r);
    expect(all).toHaveLength(2);
    expect(population.type).toBe('summary');
    expect(figures(population)).toEqual(figures(summary));
    // subject: the report on the one subject kommun, R4's individual report: its figures and the stays evaluated for it.
    expect(individual.type).toBe('individual');
    expect(individual.subject?.identifier?.value).toBe('1880');
    expect(figures(individual)).toEqual(figures(summary));
    expect(individual.evaluatedResource?.map((r) => r.identifier?.value).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((x) => `${ISSUER}:${x}`));
    // The CLI's json output (subject-list reports with each stay's evaluation) validates too.
    const file = [...STAYS, ...BLEKINGE].map((s) => JSON.stringify(episodeOf(s))).join('\n') + '\n';
    for (const [agreement, month] of [['orebro', '2022-03'], ['blekinge', '2022-04']] as const) {
      const c = await cli(['--agreement', agreement, '--month', month, '--format', 'json'], file);
      expect(c.code, c.err).toBe(0);
      const reports = (JSON.parse(c.out) as Bundle<MeasureReport>).entry!.map((e) => e.resource!);
      expect(reports.length, agreement).toBeGreaterThan(0);
      for (const r of reports) expectValid(r);
    }
  });

  it('stores March; after a corrected discharge the difference is a credit of exactly 18 600 kr against the stored version', async () => {
    const q = `Measure/orebro/$evaluate-measure?${MARCH}&kommunkod=1880`;
    const basis = 'MeasureReport/orebro-1880-2022-03';
    expectOutcome(await fhir.get(`${q}&difference=true`), 404);

    const stored = await fhir.get<MeasureReport>(`${q}&store=true`);
    expect(stored.status, stored.text.slice(0, 800)).toBe(200);
    expect(stored.body.id).toBe('orebro-1880-2022-03');
    expect(stored.body.meta?.versionId).toBe('1');
    const read = await fhir.get<MeasureReport>(basis);
    expect(read.status).toBe(200);
    expect(figures(read.body)[0]?.amount).toEqual({ value: 65100, currency: 'SEK' });
    // Nothing changed: a zero difference.
    const none = await fhir.get<MeasureReport>(`${q}&difference=true`);
    expect(none.status, none.text.slice(0, 800)).toBe(200);
    expect(figures(none.body)[0]).toMatchObject({ billable: 0, average: 0, individual: 0, amount: { value: 0, currency: 'SEK' } });

    // The hospital corrects stay A: discharged 03-06 10:00, not 03-08 (k = 5, not 7: 2 billable days, not 4).
    const found = await fhir.search(`Encounter?identifier=${encodeURIComponent(`${STAY_IDENTIFIER_SYSTEM}|${ISSUER}:A`)}`);
    const enc = found.entry?.[0]?.resource as Encounter;
    expect(enc?.period?.end).toBe(day('03-08', '10:00'));
    const put = await fhir.put(`Encounter/${enc.id}`, { ...enc, period: { ...enc.period, end: day('03-06', '10:00') } });
    expect(put.status, put.text.slice(0, 800)).toBe(200);

    // By hand: k = 5, 1, 5, 2, 4, 3: mean 20/6 > 3, still liable; A 2 + C 2 + F 1 = 5 days = 46 500 kr; 65 100 − 46 500 = 18 600 credited.
    const diff = await fhir.get<MeasureReport>(`${q}&difference=true`);
    expect(diff.status, diff.text.slice(0, 800)).toBe(200);
    expectValid(diff.body);
    expect(diff.body.id).toBeUndefined();
    expect(diff.body.identifier).toBeUndefined();
    expect(ext(diff.body.extension, EXT.corrects)[0]?.valueReference?.reference).toBe(`${basis}/_history/1`);
    expect(figures(diff.body)[0]).toMatchObject({ liable: true, billable: -2, average: -2, individual: 0, amount: { value: -18600, currency: 'SEK' } });
    expect(ext(diff.body.group![0]!.extension, EXT.explanation).map((e) => e.valueString)).toContain('Credit 18600.00 SEK (65100.00 SEK → 46500.00 SEK).');

    // Stored: the difference report is kept, and the corrected month becomes the basis (version 2).
    const kept = await fhir.post<MeasureReport>('Measure/orebro/$evaluate-measure', {
      resourceType: 'Parameters',
      parameter: [
        { name: 'periodStart', valueDate: '2022-03-01' },
        { name: 'periodEnd', valueDate: '2022-03-31' },
        { name: 'kommunkod', valueString: '1880' },
        { name: 'difference', valueBoolean: true },
        { name: 'store', valueBoolean: true },
      ],
    });
    expect(kept.status, kept.text.slice(0, 800)).toBe(200);
    expect(kept.body.id).toMatch(/^[A-Za-z0-9\-.]+$/);
    expect(kept.body.id).not.toBe('orebro-1880-2022-03');
    expect(figures((await fhir.get<MeasureReport>(`MeasureReport/${kept.body.id}`)).body)[0]?.amount).toEqual({ value: -18600, currency: 'SEK' });
    const now = await fhir.get<MeasureReport>(basis);
    expect(now.body.meta?.versionId).toBe('2');
    expect(figures(now.body)[0]).toMatchObject({ billable: 5, amount: { value: 46500, currency: 'SEK' } });
    // The next difference is taken from what has been invoiced by then: nothing.
    const after = await fhir.get<MeasureReport>(`${q}&difference=true`);
    expect(ext(after.body.extension, EXT.corrects)[0]?.valueReference?.reference).toBe(`${basis}/_history/2`);
    expect(figures(after.body)[0]).toMatchObject({ billable: 0, amount: { value: 0, currency: 'SEK' } });
  });
});

/**
 * A store whose next read of one resource (Repository.readWithMeta's statement, outside any transaction) can
 * be held after it has run: what the operation read stays read, and the test moves the resource before the
 * operation goes on to its write. Nothing else is changed; transactions pass straight through.
 */
function holdableDb(db: Db) {
  let held: { id: string; reached: () => void; released: Promise<void> } | undefined;
  const wrapped: Db = {
    kind: db.kind,
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const result = await db.query<R>(sql, params);
      const h = held;
      if (h && sql.startsWith('select r.deleted, r.content, r.version_id') && params?.[0] === 'MeasureReport' && params?.[1] === h.id) {
        held = undefined;
        h.reached();
        await h.released;
      }
      return result;
    },
    transaction: (fn) => db.transaction(fn),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
  /** Holds the next read of MeasureReport/{id}: `reached` when it has been read, `release` lets it go on. */
  const hold = (id: string) => {
    let reached!: () => void;
    let release!: () => void;
    const r = new Promise<void>((resolve) => (reached = resolve));
    held = { id, reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: r, release };
  };
  return { db: wrapped, hold };
}

/**
 * `difference=true&store=true` against a basis that moves between the operation's read of it and its write:
 * the write is refused with 412 (the basis version is checked again under the row lock in the transaction,
 * Repository.update's ifMatch), and the refused request leaves nothing behind. The API takes no If-Match for the
 * operation: the version it checks is the one it read itself.
 */
describe.each(backends())('Measure/$evaluate-measure: the basis moves between the read and the write, on %s', (backend) => {
  let gw: TestGateway;
  let fhir: Fhir;
  let hold: ReturnType<typeof holdableDb>['hold'];
  const id = 'orebro-1880-2022-03';
  const basis = `MeasureReport/${id}`;
  const q = `Measure/orebro/$evaluate-measure?${MARCH}&kommunkod=1880`;
  const differenceAndStore = () => fhir.get<MeasureReport>(`${q}&difference=true&store=true`);
  const amountOf = (r: MeasureReport) => figures(r)[0]?.amount?.value;
  const correctsOf = (r: MeasureReport) => ext(r.extension, EXT.corrects)[0]?.valueReference?.reference;

  /** Moves stay A's discharge, so the month's figures change. */
  async function discharge(at: string) {
    const found = await fhir.search(`Encounter?identifier=${encodeURIComponent(`${STAY_IDENTIFIER_SYSTEM}|${ISSUER}:A`)}`);
    const enc = found.entry?.[0]?.resource as Encounter;
    const put = await fhir.put(`Encounter/${enc.id}`, { ...enc, period: { ...enc.period, end: at } });
    expect(put.status, put.text.slice(0, 800)).toBe(200);
  }

  /**
   * What is stored, read back: every version of the basis and every difference report of the month. They must
   * chain: each difference corrects one basis version, and that version plus the difference is the next one,
   * so the first basis plus all stored differences is the current basis. `direct`: versions written by a plain
   * update of the basis (no difference report leads to them).
   */
  async function stored(direct: readonly string[] = []) {
    const history = await fhir.get<Bundle>(`${basis}/_history?_count=100`);
    expect(history.status, history.text.slice(0, 500)).toBe(200);
    const versions = (history.body.entry ?? []).map((e) => e.resource as MeasureReport).sort((a, b) => Number(a.meta!.versionId) - Number(b.meta!.versionId));
    const all = await fhir.search(`MeasureReport?measure=${encodeURIComponent(ORE)}&_count=100`);
    const reports = (all.entry ?? []).map((e) => e.resource as MeasureReport);
    expect(reports.filter((r) => r.identifier?.length).map((r) => r.id)).toEqual([id]);
    const differences = reports.filter((r) => !r.identifier?.length);
    const corrected = differences.map((d) => Number(/\/_history\/(\d+)$/.exec(correctsOf(d) ?? '')?.[1]));
    // One difference per step from one basis version to the next, none left over.
    const steps = versions.slice(1).filter((v) => !direct.includes(v.meta!.versionId!));
    expect([...corrected].sort((a, b) => a - b)).toEqual(steps.map((v) => Number(v.meta!.versionId) - 1));
    for (const [i, d] of differences.entries()) {
      const from = versions.find((v) => Number(v.meta!.versionId) === corrected[i])!;
      const to = versions.find((v) => Number(v.meta!.versionId) === corrected[i]! + 1)!;
      expect(amountOf(from)! + amountOf(d)!, `${d.id} corrects ${correctsOf(d)}`).toBe(amountOf(to));
    }
    return { versions, differences };
  }

  beforeAll(async () => {
    const h = holdableDb(await freshDb(backend));
    hold = h.hold;
    gw = await startTestGateway(backend, {}, {}, h.db);
    fhir = new Fhir(gw.base);
    for (const s of STAYS.filter((x) => ['A', 'B', 'C', 'D', 'E', 'F', 'G'].includes(x.id))) {
      const hs = stayHandelser(s);
      const a = await fhir.post<Bundle>('', buildTransaction(hs, hs));
      expect(a.status, a.text.slice(0, 800)).toBe(200);
    }
  });
  afterAll(async () => gw?.stop());

  it('two corrections of the same month: the one that writes first wins, the other gets 412 and writes nothing', async () => {
    const v1 = await fhir.get<MeasureReport>(`${q}&store=true`);
    expect(v1.status, v1.text.slice(0, 800)).toBe(200);
    expect(v1.body.meta?.versionId).toBe('1');
    expect(amountOf(v1.body)).toBe(65100);
    // Stay A discharged two days earlier: k 7 → 5, 2 days (18 600 kr) fewer.
    await discharge(day('03-06', '10:00'));

    // The first request reads basis version 1 and is held there; the second runs to the end meanwhile.
    const h = hold(id);
    const loser = differenceAndStore();
    await h.reached;
    const winner = await differenceAndStore();
    expect(winner.status, winner.text.slice(0, 800)).toBe(200);
    expect(correctsOf(winner.body)).toBe(`${basis}/_history/1`);
    expect(amountOf(winner.body)).toBe(-18600);
    h.release();
    // The held one compared against version 1, which is no longer current.
    const refused = await loser;
    const outcome = expectOutcome(refused, 412);
    expect(outcome.issue?.[0]?.details?.text).toMatch(/changed after this difference was taken from version 1; nothing was stored/);
    expect(outcome.issue?.[0]?.expression).toEqual(['difference']);
    expect(outcome.issue?.[0]?.severity).toBe('error');

    // Read back: the basis is version 2 (46 500 kr) and the winner's difference is the only one stored.
    const now = await fhir.get<MeasureReport>(basis);
    expect(now.body.meta?.versionId).toBe('2');
    expect(amountOf(now.body)).toBe(46500);
    const { versions, differences } = await stored();
    expect(versions.map((v) => [v.meta?.versionId, amountOf(v)])).toEqual([['1', 65100], ['2', 46500]]);
    expect(differences.map((d) => [d.id, correctsOf(d), amountOf(d)])).toEqual([[winner.body.id, `${basis}/_history/1`, -18600]]);

    // Asked again, the refused correction is taken against version 2: nothing left to invoice.
    const again = await differenceAndStore();
    expect(again.status, again.text.slice(0, 800)).toBe(200);
    expect(correctsOf(again.body)).toBe(`${basis}/_history/2`);
    expect(amountOf(again.body)).toBe(0);
    expect((await stored()).versions.map((v) => v.meta?.versionId)).toEqual(['1', '2', '3']);
  });

  it('two at once, not held: whatever the interleaving, at most one difference per basis version and they chain', async () => {
    const before = await stored();
    // Stay A back to 03-08: a debit of 18 600 kr against the current basis (46 500 kr).
    await discharge(day('03-08', '10:00'));
    const answers = await Promise.all([differenceAndStore(), differenceAndStore()]);
    const statuses = answers.map((a) => a.status).sort();
    // Both succeed when the second reads the basis after the first has committed (it then corrects by 0);
    // else the second is refused. Never two differences against the same version.
    expect([[200, 200], [200, 412]]).toContainEqual(statuses);
    for (const a of answers) if (a.status === 412) expectOutcome(a, 412);
    const after = await stored();
    const ok = answers.filter((a) => a.status === 200).length;
    expect(after.versions).toHaveLength(before.versions.length + ok);
    expect(after.differences).toHaveLength(before.differences.length + ok);
    expect(amountOf(after.versions.at(-1)!)).toBe(65100);
  });

  it('a correction that moved the basis with a plain PUT meanwhile also makes the difference 412', async () => {
    const before = await stored();
    const current = (await fhir.get<MeasureReport>(basis)).body;
    await discharge(day('03-06', '10:00'));
    const h = hold(id);
    const loser = differenceAndStore();
    await h.reached;
    // Someone writes the basis directly (an update with the `update` scope), between the read and the write.
    const put = await fhir.put<MeasureReport>(basis, { ...current, meta: undefined });
    expect(put.status, put.text.slice(0, 800)).toBe(200);
    h.release();
    expectOutcome(await loser, 412);
    // Only the PUT's version was added (a step no difference report accounts for); none for the refused request.
    const after = await stored([put.body.meta!.versionId!]);
    expect(after.versions).toHaveLength(before.versions.length + 1);
    expect(after.differences.map((d) => d.id).sort()).toEqual(before.differences.map((d) => d.id).sort());
  });
});
