// Settlement over the store: `Measure/$evaluate-measure` (type level with `measure`, and instance level)
// reads the stays discharged in a calendar month (Encounter + their notices, plans, teams, patients and
// parties), builds Episodes with src/rules/fhir/timeline.ts and answers the settlement engine's
// MeasureReports: one with a subject (a kommun), a Bundle of them without. `store=true` keeps a report as
// its month's basis (MeasureReport/<agreement>-<kommunkod>-<YYYY-MM>, versioned); `difference=true` answers
// the debit/credit report of the recomputed month against that basis. The agreements' Measures are
// conformance resources of the rule packs, not data: they are served read-only at Measure/{agreement id}
// and found by `Measure?url=`, whatever the store holds.
import type { Measure, MeasureReport, Organization, Parameters, Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError } from '@medplum/core';
import type { Request, Response } from 'express';
import { requireScope } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import type { Repository } from '../../store/repository.ts';
import type { WritePipeline } from '../pipeline.ts';
import { parseSearch } from '../../store/search-parse.ts';
import { SYSTEM } from '../../profiles/identifiers/systems.ts';
import { canonical } from '../../profiles/canonical.ts';
import { AGREEMENTS, AGREEMENT_IDS, isAgreementId, type AgreementId } from '../../rules/agreements/index.ts';
import { buildMeasure } from '../../rules/fhir/measure.ts';
import { buildDifferenceReport, buildMeasureReports, measureReportBundle, type ReportType } from '../../rules/fhir/measure-report.ts';
import { EXT } from '../../rules/fhir/codes.ts';
import { episodesFromResources, type Located } from '../../rules/fhir/timeline.ts';
import { monthBounds } from '../../rules/month.ts';
import { EpisodeInputError, SettlementConfigError, settle } from '../../rules/settle.ts';
import { readJsonBody } from './body.ts';
import { searchPairs, ServedFromCode } from './conformance-ops.ts';
import type { Handler, RequestContext } from './fhir-api.ts';
import { httpError, toOutcome } from './outcome.ts';

/** Declared on Measure in the CapabilityStatement (src/gateway/capability.ts). */
export const MEASURE_OPERATIONS = [{ name: 'evaluate-measure', definition: 'http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure' }];

export interface MeasureServices {
  repo: Repository;
  /** Validates a report before it is stored (against SamverkanMeasureReport, which it claims). */
  pipeline: Pick<WritePipeline, 'check'>;
  baseUrl: string;
  maxBodyBytes: number;
}
type MeasureContext = Pick<RequestContext, 'principal'>;
type Send = (res: Response, status: number, body: unknown, headers?: Record<string, string>) => void;
type Methods = (method: string, table: Partial<Record<string, Handler>>) => Handler;

const OPERATION = '$evaluate-measure';
const PARAMS = new Set(['periodStart', 'periodEnd', 'measure', 'subject', 'kommunkod', 'reportType', 'store', 'difference']);
/** reportType: R4's codes (subject, subject-list, population) and MeasureReport.type's summary → what is built. */
const REPORT_TYPES: ReadonlyMap<string, ReportType> = new Map([['summary', 'summary'], ['population', 'summary'], ['subject-list', 'subject-list'], ['subject', 'individual']]);
const IGNORED = new Set(['_format', '_pretty']);
/** Agreements whose month depends on earlier months (Blekinge's state): their whole history is read. */
const STATEFUL: ReadonlySet<AgreementId> = new Set(['blekinge']);
/** Search page sizes: encounters per page, and ids per `encounter=` / `_id=` search (MAX_SEARCH_VALUES is 1000). */
const PAGE = 500;
const IDS_PER_SEARCH = 100;
const MAX_NOTES = 50;

const byUrl = new Map(AGREEMENT_IDS.map((a) => [canonical.measure(a), a]));
/** The rule packs' Measures, served read-only from code like the project's other conformance resources. */
const MEASURES = new ServedFromCode<Measure>('Measure', () => AGREEMENT_IDS.map(buildMeasure));

/** An agreement's Measure, served read-only from the rule packs (undefined for any other id). */
export function agreementMeasure(id: string): Measure | undefined {
  return MEASURES.byId(id);
}

/**
 * The handler for a Measure path this module answers, or undefined to let the REST routing go on.
 * `search` is the store's own search, for `GET Measure` queries that are not about the rule packs.
 */
export function measureRoute(
  s: MeasureServices,
  method: string,
  seg: readonly string[],
  deps: { methods: Methods; send: Send; search: Handler },
): Handler | undefined {
  const [, b, c] = seg;
  const { methods, send } = deps;
  const evaluate: Handler = (req, res, ctx) => evaluateMeasure(s, req, res, ctx, send, seg.length === 3 ? b : undefined);
  if ((seg.length === 2 && b === OPERATION) || (seg.length === 3 && c === OPERATION)) return methods(method, { GET: evaluate, POST: evaluate });
  // Read-only: a rule pack's Measure changes with the code, not through the API.
  if (seg.length === 2 && b && isAgreementId(b)) return MEASURES.read(b, method, { methods, send });
  if (seg.length === 1 && (method === 'GET' || method === 'HEAD')) {
    return async (req, res, ctx) => {
      if (!MEASURES.sendByUrl(s.baseUrl, searchPairs(req), ctx, res, send)) await deps.search(req, res, ctx);
    };
  }
  return undefined;
}

function authorize(ctx: MeasureContext, interaction: 'read' | 'search-type' | 'update', type: string): void {
  const denied = requireScope(ctx.principal, interaction, type);
  if (denied) throw new OperationOutcomeError(denied);
}

/** The operation's inputs, from the query string (GET) or a Parameters body plus the query (POST). */
async function inputs(s: MeasureServices, req: Request): Promise<Map<string, string>> {
  const pairs: [string, string][] = [...new URL(req.url, 'http://x').searchParams];
  if (req.method === 'POST') {
    const body = (await readJsonBody(req, s.maxBodyBytes)) as Parameters;
    if (body?.resourceType !== 'Parameters') throw httpError(400, 'invalid', `POST ${OPERATION} takes a Parameters resource`);
    for (const p of body.parameter ?? []) {
      const v = p.valueString ?? p.valueDate ?? p.valueDateTime ?? p.valueCode ?? p.valueCanonical ?? p.valueUri ?? p.valueReference?.reference ?? (typeof p.valueBoolean === 'boolean' ? String(p.valueBoolean) : undefined);
      if (typeof v !== 'string') throw httpError(400, 'invalid', `Parameter '${p.name}' needs a value (string, date, code, canonical, reference or boolean)`, p.name);
      pairs.push([p.name, v]);
    }
  }
  const out = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (IGNORED.has(k)) continue;
    // A typo should not silently change the answer.
    if (!PARAMS.has(k)) throw httpError(400, 'not-supported', `${OPERATION} does not take '${k}' (it takes ${[...PARAMS].join(', ')})`, k);
    if (out.has(k) && out.get(k) !== v) throw httpError(400, 'invalid', `'${k}' is given twice`, k);
    out.set(k, v);
  }
  return out;
}

async function evaluateMeasure(s: MeasureServices, req: Request, res: Response, ctx: MeasureContext, send: Send, id?: string) {
  const p = await inputs(s, req);
  authorize(ctx, 'read', 'Measure');
  const agreement = await agreementOf(s, ctx, id, p.get('measure'));
  const month = monthOf(p.get('periodStart'), p.get('periodEnd'));
  const reportType = REPORT_TYPES.get(p.get('reportType') ?? 'summary');
  if (!reportType) {
    throw httpError(400, 'not-supported', `reportType must be subject, subject-list or population (or summary, the same as population)`, 'reportType');
  }
  const store = flag(p, 'store');
  const difference = flag(p, 'difference');
  const kommun = await kommunOf(s, ctx, p.get('subject'), p.get('kommunkod'));
  if (kommun === null && reportType === 'individual') throw httpError(400, 'required', `reportType subject is the report on one kommun: give subject (Organization/{id}) or kommunkod`, 'subject');
  if (kommun === null && difference) throw httpError(400, 'required', `difference compares one kommun's stored report: give subject (Organization/{id}) or kommunkod`, 'subject');
  if (store) authorize(ctx, 'update', 'MeasureReport');
  if (difference) authorize(ctx, 'read', 'MeasureReport');

  const items = await readStays(s, ctx.principal, agreement, month);
  const { episodes, skipped, warnings } = episodesFromResources(items);
  const date = new Date().toISOString();
  let reports: MeasureReport[];
  let engineWarnings: string[];
  try {
    const result = settle({ agreement, month, episodes, kommun });
    engineWarnings = result.warnings;
    reports = buildMeasureReports(result, { reportType, date });
  } catch (err) {
    if (err instanceof SettlementConfigError || err instanceof EpisodeInputError) throw httpError(422, 'processing', err.message);
    throw err;
  }
  // What the stored data could not say goes on every report: finance must see that the month is incomplete.
  const notes = [...skipped.map((x) => `stay ${x.episodeId || '(no id)'} not settled: ${x.reason}`), ...warnings];
  const shown = notes.slice(0, MAX_NOTES);
  if (notes.length > MAX_NOTES) shown.push(`… and ${notes.length - MAX_NOTES} more`);
  for (const r of reports) r.extension = [...(r.extension ?? []), ...shown.map((w) => ({ url: EXT.warning, valueString: w }))];

  if (kommun === null) {
    const out: MeasureReport[] = [];
    for (const r of reports) out.push(store ? await storeReport(s, r) : r);
    send(res, 200, measureReportBundle(out, date));
    return;
  }
  const report = reports[0];
  if (!report) {
    // The engine names why (another agreement governs the kommun that month).
    throw httpError(422, 'processing', engineWarnings.find((w) => w.startsWith(`kommun ${kommun}`)) ?? `kommun ${kommun} is not settled under ${agreement} in ${month}`);
  }
  if (difference) {
    send(res, 200, await differenceOf(s, ctx, report, store, date));
    return;
  }
  send(res, 200, store ? await storeReport(s, report) : report);
}

function flag(p: Map<string, string>, name: string): boolean {
  const v = p.get(name);
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw httpError(400, 'invalid', `'${name}' is true or false, not '${v}'`, name);
}

// ---- stored reports and differences ---------------------------------------------------------------

/**
 * Stores a report as the basis of its measure, kommun and month: at MeasureReport/<agreement>-<kommunkod>-<month>
 * (its id and settlement-report identifier), a new version each time. Validated like any write.
 */
async function storeReport(s: MeasureServices, report: MeasureReport, ifMatch?: string): Promise<MeasureReport> {
  const { resource } = s.pipeline.check<MeasureReport>(report, 'MeasureReport', report.id);
  return (await s.repo.update(resource, ifMatch)).resource as MeasureReport;
}

/**
 * The recomputed report against the stored basis of the same measure, kommun and month: a difference report
 * (positive = debit, negative = credit) referencing the stored version. With store: the difference report is
 * stored too (a new MeasureReport), and the recomputed report becomes the new basis (a new version of it,
 * only if the basis is still the version compared against: else 412), so the next difference is taken from
 * what has been invoiced by then.
 */
async function differenceOf(s: MeasureServices, ctx: MeasureContext, report: MeasureReport, store: boolean, date: string): Promise<MeasureReport> {
  const id = report.id!;
  let stored: { content: string; versionId: string };
  try {
    stored = await s.repo.readWithMeta('MeasureReport', id, ctx.principal);
  } catch (err) {
    if (err instanceof OperationOutcomeError) {
      throw httpError(404, 'not-found', `No stored report MeasureReport/${id} to take a difference from: store the month first (store=true)`, 'difference');
    }
    throw err;
  }
  const storedRef = `MeasureReport/${id}/_history/${stored.versionId}`;
  const diff = buildDifferenceReport(JSON.parse(stored.content) as MeasureReport, report, storedRef, date);
  if (!store) return s.pipeline.check<MeasureReport>(diff, 'MeasureReport').resource;
  return s.repo.transaction(async (tx) => {
    const { resource } = s.pipeline.check<MeasureReport>(diff, 'MeasureReport');
    const written = await tx.create(resource);
    await storeReport({ ...s, repo: tx }, report, stored.versionId).catch((err: unknown) => {
      // Another correction (or a write) stored a new basis after this difference was taken from the old one.
      if (toOutcome(err).status !== 412) throw err;
      throw httpError(
        412,
        'conflict',
        `MeasureReport/${id} changed after this difference was taken from version ${stored.versionId}; nothing was stored: ask again to take the difference from the current version`,
        'difference',
      );
    });
    return written.resource as MeasureReport;
  });
}

async function agreementOf(s: MeasureServices, ctx: MeasureContext, id: string | undefined, measure: string | undefined): Promise<AgreementId> {
  if (id !== undefined) {
    if (measure !== undefined) throw httpError(400, 'invalid', `'measure' is for the type-level operation; Measure/${id} names the measure already`, 'measure');
    if (isAgreementId(id)) return id;
    // A stored copy of a settlement Measure evaluates as the agreement its url names.
    const stored = JSON.parse(await s.repo.read('Measure', id, ctx.principal)) as Measure;
    const a = stored.url ? byUrl.get(stored.url) : undefined;
    if (!a) throw httpError(422, 'not-supported', `Measure/${id} is not a settlement Measure (its url is not one of ${[...byUrl.keys()].join(', ')})`);
    return a;
  }
  if (!measure) throw httpError(400, 'required', `${OPERATION} at type level needs 'measure' (e.g. ${canonical.measure('orebro')})`, 'measure');
  const a = byUrl.get(measure.split('|')[0]!);
  if (!a) throw httpError(404, 'not-found', `No settlement Measure with url '${measure}' (known: ${[...byUrl.keys()].join(', ')})`, 'measure');
  return a;
}

/** periodStart and periodEnd must span one calendar month: YYYY-MM-01 … its last day, or YYYY-MM twice. */
function monthOf(start: string | undefined, end: string | undefined): string {
  if (!start || !end) throw httpError(400, 'required', `${OPERATION} needs periodStart and periodEnd (one calendar month)`, start ? 'periodEnd' : 'periodStart');
  const m = /^(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{2})?$/.exec(start);
  const month = m?.[1];
  const bounds = month ? monthBounds(month) : undefined;
  const ok = bounds && (start === month || start === bounds.start) && (end === month || end === bounds.end);
  if (!ok) throw httpError(400, 'invalid', `periodStart ${start} and periodEnd ${end} are not one calendar month (e.g. 2024-03-01 and 2024-03-31): settlement is monthly`, 'periodStart');
  return month!;
}

/** The subject kommun: an Organization with a kommunkod identifier, or the kommunkod itself; null = every kommun. */
async function kommunOf(s: MeasureServices, ctx: MeasureContext, subject: string | undefined, kod: string | undefined): Promise<string | null> {
  if (kod !== undefined && !/^\d{4}$/.test(kod)) throw httpError(400, 'invalid', `kommunkod '${kod}' is not a 4-digit SCB kommunkod`, 'kommunkod');
  if (subject === undefined) return kod ?? null;
  const m = /^Organization\/([A-Za-z0-9\-.]{1,64})$/.exec(subject);
  if (!m) throw httpError(400, 'invalid', `subject must be Organization/{id} (a kommun); or use kommunkod`, 'subject');
  authorize(ctx, 'read', 'Organization');
  const org = JSON.parse(await s.repo.read('Organization', m[1]!, ctx.principal)) as Organization;
  const fromOrg = org.identifier?.find((i) => i.system === SYSTEM.kommunkod)?.value;
  if (!fromOrg) throw httpError(400, 'invalid', `${subject} is not a kommun (it has no ${SYSTEM.kommunkod} identifier)`, 'subject');
  if (kod !== undefined && kod !== fromOrg) throw httpError(400, 'invalid', `subject ${subject} is kommun ${fromOrg}, but kommunkod says ${kod}`, 'kommunkod');
  return fromOrg;
}

// ---- reading the store ---------------------------------------------------------------------------

/**
 * The finished stays that may be discharged in `month` (all months back to the agreement's start for a
 * stateful one), with everything timeline.ts reads. Encounters are found by their period (the date
 * search is in UTC, so the window is a day wider on each side; the engine picks the Stockholm month).
 */
async function readStays(s: MeasureServices, principal: Principal, agreement: AgreementId, month: string): Promise<Located[]> {
  for (const t of ['Encounter', 'Communication', 'CarePlan', 'CareTeam', 'Patient', 'Organization']) authorize({ principal }, 'search-type', t);
  const from = STATEFUL.has(agreement) ? AGREEMENTS[agreement].settlesFrom : month;
  const window = [
    ['status', 'finished'],
    ['date', `ge${shiftDay(monthBounds(from).start, -1)}`],
    ['date', `le${shiftDay(monthBounds(month).end, 1)}`],
  ] as [string, string][];
  const items: Located[] = [];
  const orgIds = new Set<string>();
  const seenOrgs = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await search(s, principal, 'Encounter', [...window, ['_count', String(PAGE)], ['_offset', String(offset)]]);
    const encounters = page.resources;
    items.push(...encounters.map((resource) => ({ resource })));
    const refs = encounters.map((e) => `Encounter/${e.id}`);
    const patients = encounters.flatMap((e) => (e.resourceType === 'Encounter' && e.subject?.reference?.startsWith('Patient/') ? [e.subject.reference.slice(8)] : []));
    for (const e of encounters) if (e.resourceType === 'Encounter') addOrg(orgIds, e.serviceProvider?.reference);
    for (const type of ['Communication', 'CarePlan', 'CareTeam']) {
      for (const r of await searchIn(s, principal, type, 'encounter', refs)) {
        items.push({ resource: r });
        if (r.resourceType === 'Communication') for (const x of [r.sender, ...(r.recipient ?? [])]) addOrg(orgIds, x?.reference);
      }
    }
    items.push(...(await searchIn(s, principal, 'Patient', '_id', [...new Set(patients)])).map((resource) => ({ resource })));
    if (!page.hasMore) break;
  }
  // The parties, and the organisations they are part of (a region's länskod), a few levels up.
  for (let depth = 0; depth < 4 && orgIds.size; depth++) {
    const ids = [...orgIds].filter((i) => !seenOrgs.has(i));
    orgIds.clear();
    for (const i of ids) seenOrgs.add(i);
    for (const org of await searchIn(s, principal, 'Organization', '_id', ids)) {
      items.push({ resource: org });
      if (org.resourceType === 'Organization') addOrg(orgIds, org.partOf?.reference);
    }
  }
  return items;
}

function addOrg(ids: Set<string>, ref: string | undefined): void {
  if (ref?.startsWith('Organization/')) ids.add(ref.slice('Organization/'.length));
}

function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function search(s: MeasureServices, principal: Principal, type: string, pairs: [string, string][]): Promise<{ resources: Resource[]; hasMore: boolean }> {
  const result = await s.repo.search(parseSearch(type, pairs, s.repo.registry), principal);
  return { resources: result.matches.map((m) => JSON.parse(m.content) as Resource), hasMore: result.hasMore };
}

/** Every `type` whose `param` is one of `values`, in chunks and pages. */
async function searchIn(s: MeasureServices, principal: Principal, type: string, param: string, values: readonly string[]): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let i = 0; i < values.length; i += IDS_PER_SEARCH) {
    const chunk = values.slice(i, i + IDS_PER_SEARCH).join(',');
    for (let offset = 0; ; offset += PAGE) {
      const page = await search(s, principal, type, [[param, chunk], ['_count', String(PAGE)], ['_offset', String(offset)]]);
      out.push(...page.resources);
      if (!page.hasMore) break;
    }
  }
  return out;
}
