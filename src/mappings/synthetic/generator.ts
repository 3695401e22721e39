// Realistic complete discharge episodes as the händelser the source systems would send, for the tests,
// the benchmark and `samverkan demo`. Pure: a seed (and the month) decides everything, and episode i
// depends only on (seed, month, i) and the patients before it, so a longer run starts with the shorter one.
// The distributions and their sources are in docs/mappings/synthetic.md.
import type {
  Adress,
  CareType,
  CompulsoryCare,
  Detalj,
  Handelse,
  Part,
  PatientUppgifter,
  SourceId,
  VardtillfalleUppgifter,
  VisamTrack,
} from '../common/handelse.ts';
import { stockholmIso } from '../common/tid.ts';
import { civilFromDays, daysFromCivil, localDayNumber, localMsOfDay, localToUtc, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../profiles/time/stockholm.ts';
import { kommunByKod } from '../../profiles/identifiers/kommun.ts';
import { AGREEMENT_REGIONS, type AgreementLanskod, isAgreementLanskod, kommunerInLan, NATIONAL, type WeightedKommuner } from './kommuner.ts';
import { homeParties, REGION_PARTIES, type Ward } from './parter.ts';
import { fictitiousPerson, reservnummer, serialsFor, STAFF_FAMILY, STAFF_GIVEN, TEST_PERSONS, type TestPerson } from './patienter.ts';
import { createRng, hash128, type Rng } from './prng.ts';

export type SyntheticMessage = { messageId: string; handelser: Handelse[] };

/** What the generator decided that the händelser cannot always show (see toSettlementEpisode). */
export type SyntheticFacts = {
  /**
   * A SIP is needed (region outpatient care and the kommun both continue, law 4:1; or an LPT/LRV plan).
   * The händelser show it only through an invitation or a plan: a SIP never invited to is invisible.
   */
  sipRequired: boolean;
};

export type SyntheticEpisode = {
  /** The stay key `<issuer>:<stay id>` (keys.ts stayKey). */
  id: string;
  /** Position in the run (0, 1, ...). */
  index: number;
  /** Länskod of the hospital's region. */
  lanskod: AgreementLanskod;
  careType: CareType;
  facts: SyntheticFacts;
  /** The messages, in the order they were sent; empty händelser never occur. */
  messages: SyntheticMessage[];
};

export type GeneratorOptions = {
  /** Share of episodes still admitted at the end of the month (discharge falls after it). */
  stillAdmittedShare?: number;
  psychiatricShare?: number;
  /** Share of episodes whose readiness is withdrawn once and given again. */
  withdrawnShare?: number;
  /** Share of patients who are one of the published test persons (the rest hold a reservnummer). */
  testPersonShare?: number;
  /** Share of patients registered in a kommun anywhere in Sweden rather than in the hospital's region. */
  outOfRegionShare?: number;
  /** Share of patients placed in housing by another kommun, which pays (law 5:2). */
  placingKommunShare?: number;
  /** Include the hospital record system's ADT events (hl7v2): admission, transfer, update, discharge. */
  adt?: boolean;
  /** The coordination system each region's notices travel through (defaults: see SYSTEMS). */
  systems?: Partial<Record<AgreementLanskod, SourceId>>;
};

export type GenerateRequest = {
  seed: string | number;
  count: number;
  /** 'YYYY-MM': the month whose discharges are generated (Europe/Stockholm). */
  month: string;
  /** Länskoder of the agreement regions to generate for (default all five). */
  regions?: readonly string[];
  options?: GeneratorOptions;
};

/**
 * The system a region's notices travel through: SAMSA in VGR and Cosmic Link in Jönköping
 * (identifiers.md); for Örebro, Jämtland and Blekinge no source says, and Lifecare SP is assumed.
 */
export const SYSTEMS: Readonly<Record<AgreementLanskod, SourceId>> = {
  '06': 'cosmic-link',
  '14': 'samsa',
  '18': 'lifecare-sp',
  '23': 'lifecare-sp',
  '10': 'lifecare-sp',
};

const DEFAULTS = {
  stillAdmittedShare: 0.05,
  psychiatricShare: 0.12,
  withdrawnShare: 0.03,
  testPersonShare: 0.02,
  outOfRegionShare: 0.04,
  placingKommunShare: 0.015,
  adt: true,
} as const;

/** The episodes of one run: `count` of them. */
export function generateEpisodes(req: GenerateRequest): SyntheticEpisode[] {
  const out: SyntheticEpisode[] = [];
  for (const e of episodeStream(req)) {
    if (out.length >= req.count) break;
    out.push(e);
  }
  return out;
}

/** Episodes 0, 1, 2, ... without end (`count` is ignored); the first n equal generateEpisodes' n. */
export function* episodeStream(req: Omit<GenerateRequest, 'count'> & { count?: number }): Generator<SyntheticEpisode> {
  const ctx = context(req);
  for (let i = 0; ; i++) yield buildEpisode(ctx, i);
}

// ---- run context ------------------------------------------------------------------------------

type Context = {
  seed: string;
  tag: string;
  firstDay: number;
  lastDay: number;
  /** The last millisecond of the month. */
  cutoff: number;
  regions: AgreementLanskod[];
  regionWeights: number[];
  opts: Required<Omit<GeneratorOptions, 'systems'>> & { systems: Record<AgreementLanskod, SourceId> };
  /** Reservnummer handed out so far: a number names one person only. */
  used: Set<string>;
};

function context(req: Omit<GenerateRequest, 'count'>): Context {
  const m = /^(\d{4})-(\d{2})$/.exec(req.month);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12) throw new Error(`month must be YYYY-MM, not '${req.month}'`);
  const firstDay = daysFromCivil(year, month, 1);
  const lastDay = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) - 1;
  const regions = [...new Set(req.regions ?? AGREEMENT_REGIONS.map((r) => r.lanskod))];
  for (const r of regions) if (!isAgreementLanskod(r)) throw new Error(`not an agreement region's länskod: '${r}' (one of 18, 23, 10, 06, 14)`);
  if (!regions.length) throw new Error('regions must name at least one region');
  const seed = String(req.seed);
  const [h] = hash128(`${seed}|${req.month}`);
  const o = req.options ?? {};
  return {
    seed,
    tag: h.toString(36).padStart(7, '0').slice(-6).toUpperCase(),
    firstDay,
    lastDay,
    cutoff: localToUtc((lastDay + 1) * MS_PER_DAY) - 1,
    regions: regions as AgreementLanskod[],
    regionWeights: (regions as AgreementLanskod[]).map((r) => kommunerInLan(r).total),
    opts: {
      stillAdmittedShare: o.stillAdmittedShare ?? DEFAULTS.stillAdmittedShare,
      psychiatricShare: o.psychiatricShare ?? DEFAULTS.psychiatricShare,
      withdrawnShare: o.withdrawnShare ?? DEFAULTS.withdrawnShare,
      testPersonShare: o.testPersonShare ?? DEFAULTS.testPersonShare,
      outOfRegionShare: o.outOfRegionShare ?? DEFAULTS.outOfRegionShare,
      placingKommunShare: o.placingKommunShare ?? DEFAULTS.placingKommunShare,
      adt: o.adt ?? DEFAULTS.adt,
      systems: { ...SYSTEMS, ...o.systems },
    },
    used: new Set(),
  };
}

// ---- distributions ----------------------------------------------------------------------------

/**
 * Calendar days from the standing readiness to discharge (k). Somatic: 67 % on day 0 and a mean of
 * 2.1 (identifiers.md, 2020); psychiatric: mean 4.0 (same source), 45 % on day 0 (no source: a reading).
 * Both have a long geometric tail from day 4, which is what such a mean with so many day-0 stays needs.
 */
export function daysReadyToDischarge(rng: Rng, care: CareType): number {
  const r = rng.next();
  const [p0, p1, p2, p3, tailMean] = care === 'somatic' ? [0.67, 0.77, 0.82, 0.85, 8.1] : [0.45, 0.57, 0.65, 0.71, 8.2];
  if (r < p0) return 0;
  if (r < p1) return 1;
  if (r < p2) return 2;
  if (r < p3) return 3;
  return Math.min(90, 4 + rng.geometric(tailMean));
}

/** Hour weights for the readiness notice: the ward round's morning, 40 % after 12:00 (the noon rule). */
const READY_HOURS: readonly [number, number][] = [
  [8, 8], [9, 16], [10, 19], [11, 17], [12, 8], [13, 9], [14, 9], [15, 6], [16, 4], [17, 2], [18, 1], [19, 1],
];
/** Admissions come round the clock, most in the afternoon and evening (emergency care). */
const ADMIT_HOURS: readonly [number, number][] = Array.from({ length: 24 }, (_, h) => [h, h < 7 ? 1.5 : h < 10 ? 3 : h < 22 ? 6 : 3] as [number, number]);
/** Discharges on later days: late morning to afternoon. */
const DISCHARGE_HOURS: readonly [number, number][] = [[9, 8], [10, 14], [11, 16], [12, 14], [13, 16], [14, 14], [15, 10], [16, 6], [17, 2]];

function atHour(rng: Rng, day: number, hours: readonly [number, number][]): number {
  const [hour] = hours[rng.weighted(hours.map(([, w]) => w))]!;
  return wall(day, hour * 60 + rng.int(0, 59), rng.int(0, 59));
}

/** Stockholm wall-clock day and minute to an instant. */
function wall(day: number, minute: number, second = 0): number {
  return localToUtc(day * MS_PER_DAY + minute * MS_PER_MINUTE + second * 1000);
}

/** Sunday = 0 (1970-01-01 was a Thursday). */
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number) => weekday(day) === 0 || weekday(day) === 6;

/** The next moment in office hours (weekdays 08–17) at or after t, a little after the hour opens. */
function officeHours(rng: Rng, t: number): number {
  const day = localDayNumber(t);
  const min = localMsOfDay(t) / MS_PER_MINUTE;
  if (!isWeekend(day) && min >= 8 * 60 && min < 17 * 60) return t;
  let d = min >= 17 * 60 || isWeekend(day) ? day + 1 : day;
  while (isWeekend(d)) d++;
  return wall(d, 8 * 60 + rng.int(0, 90), rng.int(0, 59));
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + rng.next() * (hi - lo);
const iso = (t: number) => stockholmIso(t);
const isoDay = (day: number) => {
  const c = civilFromDays(day);
  return `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
};

const SOMATIC_REASONS = ['Fall i hemmet, höftfraktur', 'Pneumoni', 'Hjärtsvikt, försämring', 'Stroke', 'Urinvägsinfektion med konfusion', 'KOL-exacerbation', 'Nedsatt allmäntillstånd'];
const PSYCH_REASONS = ['Psykos', 'Svår depression med suicidrisk', 'Bipolär sjukdom, manisk episod', 'Ångestsyndrom, akut försämring'];

// ---- one episode --------------------------------------------------------------------------------

type Draft = { msg: number; at: number; sent: number; detail: Detalj; sender: Part; recipients: Part[]; adt: boolean };

function buildEpisode(ctx: Context, index: number): SyntheticEpisode {
  const rng = createRng(`${ctx.seed}|${ctx.tag}|${index}`);
  const o = ctx.opts;

  // Who and where.
  let test: TestPerson | undefined;
  if (rng.chance(o.testPersonShare)) {
    const candidates = TEST_PERSONS.filter((p) => ctx.regions.includes(kommunByKod(p.kommunkod)!.lanskod as AgreementLanskod));
    if (candidates.length) test = rng.pick(candidates);
  }
  let lanskod: AgreementLanskod;
  let kommunkod: string;
  if (test) {
    kommunkod = test.kommunkod;
    lanskod = kommunByKod(kommunkod)!.lanskod as AgreementLanskod;
  } else {
    lanskod = ctx.regions[rng.weighted(ctx.regionWeights)]!;
    kommunkod = pickKommun(rng, rng.chance(o.outOfRegionShare) ? NATIONAL : kommunerInLan(lanskod));
  }
  const careType: CareType = rng.chance(o.psychiatricShare) ? 'psychiatric' : 'somatic';
  let compulsory: CompulsoryCare | undefined;
  let openAfter: CompulsoryCare | undefined;
  if (careType === 'psychiatric') {
    const r = rng.next();
    if (r < 0.18) compulsory = 'lpt';
    else if (r < 0.22) compulsory = 'lrv';
    if (compulsory === 'lpt' && rng.chance(0.3)) openAfter = 'oppen-lpt';
    if (compulsory === 'lrv' && rng.chance(0.4)) openAfter = 'oppen-lrv';
  }
  const region = REGION_PARTIES[lanskod];
  const wardCare: Ward['care'] = careType === 'somatic' ? 'somatic' : compulsory === 'lrv' ? 'forensic' : 'psychiatric';
  const hospitals = region.hospitals.filter((h) => h.wards.some((w) => w.care === wardCare));
  const hospital = hospitals[rng.weighted(hospitals.map((h) => h.weight))]!;
  const wards = hospital.wards.filter((w) => w.care === wardCare);
  const ward1 = asPart(rng.pick(wards));
  const transfer = careType === 'somatic' && rng.chance(0.08);
  const ward2 = transfer ? asPart(rng.pick(wards.filter((w) => w.hsaId !== ward1.hsaId))) : ward1;

  // When: discharge day D first (the month is the month of discharge), then back to readiness and admission.
  const still = rng.chance(o.stillAdmittedShare);
  const dDay = still ? ctx.lastDay + rng.int(1, 10) : pickDischargeDay(rng, ctx);
  const k = daysReadyToDischarge(rng, careType);
  const tDay = dDay - k;
  const T = atHour(rng, tDay, READY_HOURS);
  let D: number;
  if (k === 0) {
    const latest = wall(tDay, 21 * 60 + 30);
    D = T + uniform(rng, 30 * MS_PER_MINUTE, Math.min(6 * MS_PER_HOUR, latest - T));
  } else {
    D = atHour(rng, dDay, DISCHARGE_HOURS);
  }
  const withdrawn = rng.chance(o.withdrawnShare);
  let T0 = T;
  let W = 0;
  if (withdrawn) {
    T0 = atHour(rng, tDay - rng.int(2, 6), READY_HOURS);
    W = T0 + (T - T0 - 2 * MS_PER_HOUR) * uniform(rng, 0.1, 0.9);
  }
  let losDays = careType === 'somatic' ? 1 + Math.min(40, rng.geometric(3.5)) : 2 + Math.min(120, rng.geometric(compulsory ? 22 : 12));
  // A stay still admitted at month end began in the month at the latest.
  if (still) losDays = Math.max(losDays, localDayNumber(T0) - ctx.lastDay + rng.int(0, 2));
  // Admission is on an earlier day than the first readiness: every stay spans more than one day.
  const A = atHour(rng, localDayNumber(T0) - losDays, ADMIT_HOURS);
  const transferAt = transfer ? A + (T0 - A) * uniform(rng, 0.2, 0.6) : Infinity;

  // The patient.
  const patient = makePatient(rng, ctx, test, kommunkod, careType);
  const placing = !test && rng.chance(o.placingKommunShare) ? pickPlacing(rng, kommunkod) : undefined;

  // The parties this patient's planning involves.
  const home = homeParties(kommunkod);
  const soc = rng.chance(0.88);
  const hsl = rng.chance(careType === 'somatic' ? 0.65 : 0.25) || !soc;
  const planLptLrv = openAfter !== undefined;
  // Open compulsory care is given by the psychiatric outpatient clinic, so it always takes part.
  const oppenInvolved = planLptLrv || (careType === 'psychiatric' ? rng.chance(0.8) : rng.chance(hsl ? 0.75 : 0.4));
  const oppen = careType === 'psychiatric' ? home.psykiatriMottagning : home.vardcentral;
  const kommunUnits = [...(soc ? [home.socialtjanst] : []), ...(hsl ? [home.kommunalHsl] : [])];
  const noticeTo = [...kommunUnits, ...(oppenInvolved ? [oppen] : [])];
  // A SIP when both region outpatient care and the kommun continue (law 4:1); the LPT/LRV plan counts as one.
  const sipRequired = planLptLrv || (oppenInvolved && rng.chance(careType === 'somatic' ? 0.45 : 0.6));
  const fvk = oppenInvolved && rng.chance(0.94);

  const stayId = `${ctx.tag}${index.toString(36).toUpperCase().padStart(6, '0')}`;
  const system = o.systems[lanskod];
  const visam: VisamTrack | undefined = lanskod === '18' && careType === 'somatic' ? (['green', 'yellow', 'red'] as const)[rng.weighted([70, 20, 10])] : undefined;
  const stayAt = (t: number, adt: boolean): VardtillfalleUppgifter => ({
    issuer: region.issuer,
    id: stayId,
    admittedAt: iso(A),
    unit: transfer && t >= transferAt ? ward2 : ward1,
    careType,
    ...(compulsory ? { compulsoryCare: openAfter && t >= T ? openAfter : compulsory } : {}),
    ...(visam ? { visamTrack: visam } : {}),
    ...(placing ? { placingKommun: placing } : {}),
    ...(adt ? {} : { sourceCaseId: `SA-${stayId}` }),
  });
  const wardAt = (t: number) => (transfer && t >= transferAt ? ward2 : ward1);

  const drafts: Draft[] = [];
  let msgNo = 0;
  const notice = (at: number, detail: Detalj, sender: Part, recipients: Part[], sent = at, msg = msgNo++) =>
    drafts.push({ msg, at, sent, detail, sender, recipients, adt: false });
  const adt = (at: number, detail: Detalj) => {
    if (o.adt) drafts.push({ msg: msgNo++, at, sent: at + rng.int(5, 120) * 1000, detail, sender: wardAt(at), recipients: [], adt: true });
  };

  adt(A, { kind: 'adt-inskrivning' });
  if (transfer) adt(transferAt, { kind: 'adt-overflyttning' });

  // Notice 1: a care request from the kommun that already knew the patient.
  if (kommunUnits.length && rng.chance(0.15)) {
    const at = A + uniform(rng, 1, 20) * MS_PER_HOUR;
    if (at < T0) notice(at, { kind: 'vardbegaran', text: 'Vårdbegäran: pågående hemtjänst, behöver bedömning av fortsatt stöd.' }, rng.pick(kommunUnits), [ward1]);
  }

  // Notice 2 within 24 h of admission, about 9 % late; never after the first readiness.
  const late2 = rng.chance(0.09);
  let N2 = A + (late2 ? uniform(rng, 25, 70) : uniform(rng, 0.25, 23)) * MS_PER_HOUR;
  if (N2 >= T0 - 15 * MS_PER_MINUTE) N2 = A + (T0 - A) / 2;
  const decision = (['given', 'refused', 'cannot-be-obtained'] as const)[rng.weighted([85, 8, 7])]!;
  const consentTogether = rng.chance(0.6);
  const estimate = isoDay(localDayNumber(T0) + rng.int(-1, 3));
  const reason = decision === 'given' && consentTogether ? rng.pick(careType === 'somatic' ? SOMATIC_REASONS : PSYCH_REASONS) : undefined;
  const n2Msg = msgNo++;
  notice(N2, { kind: 'inskrivningsmeddelande', estimatedDischarge: estimate, ...(reason ? { reason } : {}) }, wardAt(N2), noticeTo, N2, n2Msg);
  // Notice 3: consent, in the same message as notice 2 or later on its own.
  if (consentTogether) notice(N2, { kind: 'samtycke', decision }, wardAt(N2), noticeTo, N2, n2Msg);
  else {
    const at = Math.max(N2 + MS_PER_MINUTE, Math.min(N2 + uniform(rng, 1, 30) * MS_PER_HOUR, D - 10 * MS_PER_MINUTE));
    notice(at, { kind: 'samtycke', decision }, wardAt(at), noticeTo);
  }
  // Notice 5: each recipient acknowledges in office hours; a kommun may not know the patient.
  for (const unit of noticeTo) {
    const at = officeHours(rng, N2 + uniform(rng, 10, 8 * 60) * MS_PER_MINUTE);
    const kvittens = unit.kind !== 'oppenvard' && rng.chance(0.1) ? 'ej-kand' : 'kvittens';
    notice(at, { kind: 'kvittens', kvittens, ...(kvittens === 'ej-kand' ? { text: 'Personen är inte känd av socialtjänsten.' } : {}) }, unit, [wardAt(at)]);
  }
  // Notice 4 at the first ward round after admission, sometimes updated later; A08 with the same estimate.
  if (rng.chance(0.8)) {
    const aDay = localDayNumber(A);
    const round = wall(localMsOfDay(A) < 6 * MS_PER_HOUR ? aDay : aDay + 1, 8 * 60 + rng.int(0, 180));
    if (round < T0 - 30 * MS_PER_MINUTE) {
      notice(round, { kind: 'beraknad-utskrivning', estimatedDischarge: estimate }, wardAt(round), noticeTo);
      if (rng.chance(0.3)) adt(round + 5 * MS_PER_MINUTE, { kind: 'adt-uppdatering', estimatedDischarge: estimate });
      if (rng.chance(0.25)) {
        const again = round + (T0 - round) * uniform(rng, 0.3, 0.9);
        notice(again, { kind: 'beraknad-utskrivning', estimatedDischarge: isoDay(tDay + rng.int(0, 1)) }, wardAt(again), noticeTo);
      }
    }
  }
  // Notice 7: planning material when new needs are found.
  if ((hsl || losDays > 7) && rng.chance(0.25)) {
    const at = N2 + (T0 - N2) * uniform(rng, 0.2, 0.8);
    notice(at, { kind: 'kallelse-svpl', text: 'Kallelse till samordnad vårdplanering: arbetsterapeut och sjuksköterska. ADL: behöver hjälp vid förflyttning.' }, wardAt(at), noticeTo);
  }
  // The SIP invitation (notice 10): within 3 calendar days of the standing readiness and before
  // discharge (88 %), late (9 %, days 4–6) or never (3 %).
  // Open compulsory care: the LPT/LRV plan is made at a meeting before readiness (agreements.md §2).
  let K: number | undefined;
  let planAt = 0;
  if (planLptLrv) {
    planAt = N2 + (T0 - N2) * uniform(rng, 0.5, 0.9);
    K = N2 + (planAt - N2) * uniform(rng, 0.2, 0.6);
  } else if (sipRequired) {
    const r = rng.next();
    if (r < 0.88) K = T + 5 * MS_PER_MINUTE + (Math.min(D - 5 * MS_PER_MINUTE, wall(tDay + 4, 0) - 1) - T - 5 * MS_PER_MINUTE) * rng.next();
    else if (r < 0.97) K = atHour(rng, tDay + rng.int(4, 6), DISCHARGE_HOURS);
  }
  // Notice 6: the named care contact, mostly within 3 days of notice 2; always before the invitation it sends.
  if (fvk) {
    let at = N2 + (rng.chance(0.88) ? uniform(rng, 2, 72) : uniform(rng, 72, 168)) * MS_PER_HOUR;
    if (K !== undefined) at = Math.min(at, K - 10 * MS_PER_MINUTE);
    at = Math.max(at, N2 + MS_PER_MINUTE);
    const who = `${rng.pick(STAFF_GIVEN)} ${rng.pick(STAFF_FAMILY)}`;
    const role = careType === 'somatic' ? 'Distriktssköterska' : 'Kontaktperson, psykiatrisk öppenvård';
    notice(at, { kind: 'fast-vardkontakt', contact: { name: who, role, unit: oppen, telecom: [{ system: 'phone', value: `070-17406${String(rng.int(5, 99)).padStart(2, '0')}` }] } }, oppen, [wardAt(at), ...kommunUnits]);
  }
  // The LPT/LRV plan replaces the SIP: invited to, and in place before readiness.
  if (planLptLrv && K !== undefined) {
    const place = oppen.name;
    notice(K, { kind: 'kallelse-sip', purpose: 'Samordnad vårdplan inför öppen tvångsvård', meeting: { time: iso(planAt - MS_PER_HOUR), place, form: 'FACE' } }, oppen, [wardAt(K), ...kommunUnits]);
    const at = planAt;
    const plan = {
      id: `PL-${stayId}`,
      type: 'SPLPTLRV' as const,
      status: 'upprattad' as const,
      actions: [
        { description: 'Öppen tvångsvård: läkemedelsuppföljning och besök varannan vecka', performer: oppen },
        ...(soc ? [{ description: 'Boendestöd', performer: home.socialtjanst }] : []),
      ],
      followUp: isoDay(tDay + 30),
    };
    notice(at, { kind: 'sip-status', plan }, oppen, [wardAt(at), ...kommunUnits]);
  }
  // Notices 8 and 9: readiness, possibly withdrawn and given again.
  if (withdrawn) {
    notice(T0, { kind: 'utskrivningsklar' }, wardAt(T0), noticeTo);
    notice(W, { kind: 'aterkallad-utskrivningsklar', text: 'Patientens tillstånd har försämrats.' }, wardAt(W), noticeTo);
  }
  notice(T, { kind: 'utskrivningsklar' }, wardAt(T), noticeTo);
  if (K !== undefined && !planLptLrv) {
    const meetingDay = localDayNumber(K) + rng.int(1, 10);
    const meeting = wall(meetingDay, 9 * 60 + rng.int(0, 6 * 60));
    const form = (['FACE', 'VIDEOCONF', 'PHONE'] as const)[rng.weighted([60, 25, 15])]!;
    const place = form === 'FACE' ? oppen.name : form === 'VIDEOCONF' ? 'Videomöte' : 'Telefonmöte';
    notice(K, { kind: 'kallelse-sip', purpose: 'Samordnad individuell plan inför och efter utskrivning', meeting: { time: iso(meeting), place, form } }, oppen, [wardAt(K), ...kommunUnits]);
    const done = meeting + uniform(rng, 1, 3) * MS_PER_HOUR;
    const plan = {
      id: `SIP-${stayId}`,
      type: 'SIP' as const,
      status: 'upprattad' as const,
      actions: [
        { description: 'Uppföljning av läkemedel och hälsotillstånd', performer: oppen },
        ...kommunUnits.map((u) => ({ description: u.kind === 'socialtjanst' ? 'Hemtjänst morgon och kväll' : 'Hemsjukvård, såromläggning', performer: u })),
      ],
      followUp: isoDay(meetingDay + 28),
    };
    notice(done, { kind: 'sip-status', plan }, oppen, [...kommunUnits]);
  }
  // Notice 11 and A03: the patient leaves.
  notice(D, { kind: 'utskrivningsmeddelande' }, wardAt(D), noticeTo, D + rng.int(0, 20) * MS_PER_MINUTE);
  adt(D, { kind: 'adt-utskrivning' });
  if (rng.chance(0.05)) {
    const at = A + (D - A) * rng.next();
    notice(at, { kind: 'kommentar', text: 'Anhörig önskar bli kontaktad inför utskrivning.' }, wardAt(at), noticeTo);
  }

  return {
    id: `${region.issuer}:${stayId}`,
    index,
    lanskod,
    careType,
    facts: { sipRequired },
    messages: toMessages(ctx, index, drafts, patient, stayAt, system),
  };
}

function asPart(w: Ward): Part {
  return { kind: w.kind, hsaId: w.hsaId, name: w.name };
}

function pickKommun(rng: Rng, w: WeightedKommuner): string {
  return w.kommuner[rng.weighted(w.weights)]!.kod;
}

/** Another kommun of the same län, which placed the patient in housing where they now live. */
function pickPlacing(rng: Rng, kommunkod: string): string | undefined {
  const lan = kommunerInLan(kommunByKod(kommunkod)!.lanskod);
  const others = lan.kommuner.filter((k) => k.kod !== kommunkod);
  return others.length ? rng.pick(others).kod : undefined;
}

/** A day of the month; fewer discharges at weekends. */
function pickDischargeDay(rng: Rng, ctx: Context): number {
  const days: number[] = [];
  for (let d = ctx.firstDay; d <= ctx.lastDay; d++) days.push(d);
  return days[rng.weighted(days.map((d) => (weekday(d) === 6 ? 0.45 : weekday(d) === 0 ? 0.4 : 1)))]!;
}

function makePatient(rng: Rng, ctx: Context, test: TestPerson | undefined, kommunkod: string, care: CareType): PatientUppgifter {
  const city = kommunByKod(kommunkod)!.name;
  if (test) {
    return {
      identifier: { kind: 'personnummer', value: test.personnummer },
      family: test.family,
      given: test.given,
      folkbokforingsadress: address(rng, test.skyddadIdentitet, 'Tolvansgatan 12', kommunkod, city),
      folkbokforingskommun: kommunkod,
      skyddadIdentitet: test.skyddadIdentitet,
    };
  }
  // Somatic patients waiting for municipal care are mostly old; psychiatric ones adults of any age.
  const age = care === 'somatic' ? (rng.chance(0.75) ? rng.int(65, 97) : rng.int(20, 64)) : rng.int(18, 80);
  const birth = isoDay(ctx.firstDay - Math.floor(age * 365.25) - rng.int(0, 364));
  const person = fictitiousPerson(rng, birth);
  const serials = serialsFor(person.letter);
  const start = rng.int(0, serials.length - 1);
  let value = '';
  for (let i = 0; i < serials.length && !value; i++) {
    const candidate = reservnummer(birth, person.letter, serials[(start + i) % serials.length]!);
    if (!ctx.used.has(candidate)) value = candidate;
  }
  // Every serial of that birth date and sex is taken (about 37 patients born the same day): draw again.
  if (!value) return makePatient(rng, ctx, test, kommunkod, care);
  ctx.used.add(value);
  const protection = rng.weighted([98.8, 1.0, 0.2]);
  const skyddadIdentitet = (['none', 'sekretessmarkering', 'skyddadFolkbokforing'] as const)[protection]!;
  return {
    identifier: { kind: 'nationelltReservnummer', value },
    family: person.family,
    given: person.given,
    folkbokforingsadress: address(rng, skyddadIdentitet, person.street, kommunkod, city),
    folkbokforingskommun: kommunkod,
    skyddadIdentitet,
  };
}

/**
 * Notice 2 must carry the folkbokföringsadress (law 2:2; the profile requires it). Sekretessmarkering
 * keeps the real (here made-up) address, which the gateway must protect; skyddad folkbokföring has only
 * the särskild postadress through which Skatteverket forwards mail, which says nothing of where one lives.
 */
function address(rng: Rng, label: NonNullable<PatientUppgifter['skyddadIdentitet']>, street: string, kommunkod: string, city: string): Adress {
  if (label === 'skyddadFolkbokforing') return { line: ['Särskild postadress'], postalCode: postalCode(rng, kommunkod), city };
  return { line: [street], postalCode: postalCode(rng, kommunkod), city };
}

/** The first two digits of postal codes in the five regions' main towns; elsewhere any plausible code. */
const POSTAL_PREFIX: Readonly<Record<string, number>> = { '06': 55, '10': 37, '14': 41, '18': 70, '23': 83 };

/** A postal code `NNN NN` of the right area: an address for nobody needs no more. */
function postalCode(rng: Rng, kommunkod: string): string {
  const prefix = POSTAL_PREFIX[kommunkod.slice(0, 2)];
  const n = prefix !== undefined ? prefix * 1000 + rng.int(0, 999) : rng.int(10_000, 98_499);
  const digits = String(n);
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** Drafts to messages: drop what is sent after the month, number the händelser, order by sending. */
function toMessages(
  ctx: Context,
  index: number,
  drafts: Draft[],
  patient: PatientUppgifter,
  stayAt: (t: number, adt: boolean) => VardtillfalleUppgifter,
  system: SourceId,
): SyntheticMessage[] {
  const groups = new Map<number, Draft[]>();
  for (const d of drafts) {
    if (d.sent > ctx.cutoff) continue;
    const g = groups.get(d.msg);
    if (g) g.push(d);
    else groups.set(d.msg, [d]);
  }
  const ordered = [...groups.entries()].sort(([a, ga], [b, gb]) => ga[0]!.sent - gb[0]!.sent || a - b);
  return ordered.map(([msg, group]) => {
    const messageId = `${ctx.tag}-${index.toString(36)}-${msg}`;
    return {
      messageId,
      handelser: group.map(
        (d, seq) =>
          ({
            source: d.adt ? 'hl7v2' : system,
            messageId,
            seq,
            occurredAt: iso(d.at),
            sentAt: iso(d.sent),
            patient,
            stay: stayAt(d.at, d.adt),
            sender: d.sender,
            recipients: d.recipients,
            ...d.detail,
          }) as Handelse,
      ),
    };
  });
}
