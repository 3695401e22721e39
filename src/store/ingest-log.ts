// The ingest log (migration 2): every inbound source message, raw, with what became of it. Accepted rows
// are written through the same transaction as the resources they produced (Repository.statement), so a
// message is recorded as accepted exactly when its resources exist. Refused messages are dead letters.
// Personal data does not stay forever (migration 3): a dead letter can be discarded, and the retention purge
// erases the bodies of old rows; an accepted row's händelser are never erased (docs/ingest.md).
import type { Queryable } from './db.ts';

export type IngestStatus = 'accepted' | 'dead' | 'resolved' | 'superseded' | 'discarded';

export const INGEST_STATUSES: readonly IngestStatus[] = ['accepted', 'dead', 'resolved', 'superseded', 'discarded'];

export interface IngestRecord {
  id: string;
  source: string;
  /** The sending unit's HSA-id or kommunkod, when the message could be mapped: the scope of its message id. */
  sender: string | null;
  messageId: string | null;
  receivedAt: string;
  contentType: string;
  /** The body as received; '' once erased (erasedAt says so: show it as null). */
  body: string;
  bodySha256: string;
  status: IngestStatus;
  httpStatus: number;
  stayKey: string | null;
  patientKey: string | null;
  /** The normalized händelser (accepted messages). */
  handelser: unknown[] | null;
  /** OperationOutcome (refused) or a summary of the transaction-response (accepted). */
  outcome: unknown;
  /** `Type/id/_history/v` of every resource written. */
  resources: string[] | null;
  replayOf: string | null;
  resolvedBy: string | null;
  /** When the body (and for a refused message its händelser, keys and issue texts) was erased. */
  erasedAt: string | null;
  /** A discarded dead letter: when, by whom (client id), why. */
  discardedAt: string | null;
  discardedBy: string | null;
  discardReason: string | null;
}

type Erasure = 'erasedAt' | 'discardedAt' | 'discardedBy' | 'discardReason';
export type NewIngestRecord = Omit<IngestRecord, 'id' | 'resolvedBy' | Erasure>;

type Row = {
  id: string | number;
  source: string;
  sender: string | null;
  message_id: string | null;
  received_at: string | Date;
  content_type: string;
  body: string | null;
  body_encoding: 'text' | 'base64';
  body_sha256: string;
  status: IngestStatus;
  http_status: number;
  stay_key: string | null;
  patient_key: string | null;
  handelser: unknown;
  outcome: unknown;
  resources: unknown;
  replay_of: string | number | null;
  resolved_by: string | number | null;
  erased_at: string | Date | null;
  discarded_at: string | Date | null;
  discarded_by: string | null;
  discard_reason: string | null;
};

const COLUMNS =
  'id, source, sender, message_id, received_at, content_type, body, body_encoding, body_sha256, status, http_status, stay_key, patient_key, handelser, outcome, resources, replay_of, resolved_by, erased_at, discarded_at, discarded_by, discard_reason';

/** jsonb comes back parsed from node-postgres and PGlite alike; text would be parsed here. */
const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

const iso = (t: string | Date) => (t instanceof Date ? t : new Date(t)).toISOString();

function toRecord(r: Row): IngestRecord {
  return {
    id: String(r.id),
    source: r.source,
    sender: r.sender,
    messageId: r.message_id,
    receivedAt: iso(r.received_at),
    contentType: r.content_type,
    body: r.body === null ? '' : r.body_encoding === 'base64' ? Buffer.from(r.body, 'base64').toString('utf8') : r.body,
    bodySha256: r.body_sha256,
    status: r.status,
    httpStatus: Number(r.http_status),
    stayKey: r.stay_key,
    patientKey: r.patient_key,
    handelser: (json(r.handelser) as unknown[] | null) ?? null,
    outcome: json(r.outcome),
    resources: (json(r.resources) as string[] | null) ?? null,
    replayOf: r.replay_of === null ? null : String(r.replay_of),
    resolvedBy: r.resolved_by === null ? null : String(r.resolved_by),
    erasedAt: r.erased_at === null ? null : iso(r.erased_at),
    discardedAt: r.discarded_at === null ? null : iso(r.discarded_at),
    discardedBy: r.discarded_by,
    discardReason: r.discard_reason,
  };
}

/** A record as the API and the CLI show it: an erased body is null, not ''. */
export function shownRecord(r: IngestRecord): Omit<IngestRecord, 'body'> & { body: string | null } {
  return { ...r, body: r.erasedAt ? null : r.body };
}

/**
 * JSON that jsonb takes: jsonb refuses the escapes \u0000 and lone surrogates, which a refused message's
 * outcome may quote; they become U+FFFD. (Accepted händelser never hold them: the service refuses those.)
 */
function jsonb(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? text(v) : v));
}

/** Text PostgreSQL takes: no NUL, no lone surrogate (both become U+FFFD). */
function text(s: string): string {
  return s.toWellFormed().replaceAll('\0', '\uFFFD');
}

const INSERT_COLUMNS =
  'source, sender, message_id, received_at, content_type, body, body_encoding, body_sha256, status, http_status, stay_key, patient_key, handelser, outcome, resources, replay_of';

/** One record's values, in INSERT_COLUMNS order, made storable. */
function insertValues(r: NewIngestRecord): unknown[] {
  return [
    text(r.source),
    r.sender === null ? null : text(r.sender),
    r.messageId === null ? null : text(r.messageId),
    r.receivedAt,
    text(r.contentType),
    r.body.includes('\0') ? Buffer.from(r.body, 'utf8').toString('base64') : r.body,
    r.body.includes('\0') ? 'base64' : 'text',
    r.bodySha256,
    r.status,
    r.httpStatus,
    r.stayKey,
    r.patientKey,
    r.handelser === null ? null : jsonb(r.handelser),
    jsonb(r.outcome),
    r.resources === null ? null : jsonb(r.resources),
    r.replayOf,
  ];
}

const PER_ROW = 16;
const placeholders = (row: number) =>
  `(${Array.from({ length: PER_ROW }, (_, c) => `$${row * PER_ROW + c + 1}${c >= 12 && c <= 14 ? '::jsonb' : ''}`).join(', ')})`;

export async function insertIngestRecord(q: Queryable, r: NewIngestRecord): Promise<string> {
  return (await insertIngestRecords(q, [r]))[0]!;
}

/** Several records in one statement (a group of accepted messages); their ids in the order given. */
export async function insertIngestRecords(q: Queryable, records: readonly NewIngestRecord[]): Promise<string[]> {
  if (!records.length) return [];
  const { rows } = await q.query<{ id: string | number }>(
    `insert into ingest_message (${INSERT_COLUMNS}) values ${records.map((_, i) => placeholders(i)).join(', ')} returning id`,
    records.flatMap(insertValues),
  );
  // Ids come from one sequence in the order the VALUES rows are inserted, which is the order given.
  return rows.map((r) => String(r.id)).sort((a, b) => Number(a) - Number(b));
}

/** The accepted delivery of (source, sender, message id), if any. */
export async function findAccepted(q: Queryable, source: string, sender: string, messageId: string): Promise<IngestRecord | undefined> {
  return (await findAcceptedAny(q, [{ source, sender, messageId }]))[0];
}

/** The accepted deliveries among several (source, sender, message id), in one read. */
export async function findAcceptedAny(q: Queryable, keys: readonly { source: string; sender: string; messageId: string }[]): Promise<IngestRecord[]> {
  if (!keys.length) return [];
  // Index-driven `= any` on the unique index's columns; the exact triple as a filter.
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from ingest_message
     where status = 'accepted' and source = any($1::text[]) and sender = any($2::text[]) and message_id = any($3::text[])
       and source || chr(10) || sender || chr(10) || message_id = any($4::text[])`,
    [
      [...new Set(keys.map((k) => k.source))],
      [...new Set(keys.map((k) => k.sender))],
      [...new Set(keys.map((k) => k.messageId))],
      keys.map((k) => `${k.source}\n${k.sender}\n${k.messageId}`),
    ],
  );
  return rows.map(toRecord);
}

/**
 * For each (stay, patient): every accepted händelse of the stay, and every one naming the patient in any stay,
 * all in one read (the projection sorts them; the order here is acceptance order).
 */
export async function handelserOf(q: Queryable, wanted: readonly { stayKey: string; patientKey: string }[]): Promise<{ stay: unknown[]; patient: unknown[] }[]> {
  const out = wanted.map(() => ({ stay: [] as unknown[], patient: [] as unknown[] }));
  if (!wanted.length) return out;
  const { rows } = await q.query<{ stay_key: string | null; patient_key: string | null; handelser: unknown }>(
    `select stay_key, patient_key, handelser from ingest_message
     where (stay_key = any($1::text[]) or patient_key = any($2::text[])) and status = 'accepted' order by id`,
    [[...new Set(wanted.map((w) => w.stayKey))], [...new Set(wanted.map((w) => w.patientKey))]],
  );
  for (const r of rows) {
    const hs = (json(r.handelser) as unknown[] | null) ?? [];
    wanted.forEach((w, i) => {
      if (r.stay_key === w.stayKey) out[i]!.stay.push(...hs);
      if (r.patient_key === w.patientKey) out[i]!.patient.push(...hs);
    });
  }
  return out;
}

export async function getIngestRecord(q: Queryable, id: string): Promise<IngestRecord | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await q.query<Row>(`select ${COLUMNS} from ingest_message where id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export interface IngestQuery {
  status?: IngestStatus;
  source?: string;
  messageId?: string;
  /** Rows with a smaller id than this (paging newest first). */
  before?: string;
  limit: number;
}

/** Newest first. */
export async function listIngestRecords(q: Queryable, query: IngestQuery): Promise<IngestRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.status) add('status = ?', query.status);
  if (query.source) add('source = ?', query.source);
  if (query.messageId) add('message_id = ?', query.messageId);
  if (query.before) add('id < ?', query.before);
  params.push(query.limit);
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from ingest_message${where.length ? ` where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

/**
 * Settles a dead letter: `resolved` when its replay (or another delivery) was accepted, `superseded` when its
 * replay was refused again and `by` is the dead letter now. Only a dead row changes, so nothing reopens it.
 */
export async function settleDeadLetter(q: Queryable, id: string, by: string, status: 'resolved' | 'superseded'): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    `update ingest_message set status = $3, resolved_by = $2 where id = $1 and status = 'dead' returning id`,
    [id, by, status],
  );
  return rows.length === 1;
}

export async function countIngestRecords(q: Queryable): Promise<Record<IngestStatus, number>> {
  const { rows } = await q.query<{ status: IngestStatus; n: string | number }>('select status, count(*) as n from ingest_message group by status');
  return countsOf(rows);
}

/** Rows of (status, n) as a count for every status. */
function countsOf(rows: readonly { status: IngestStatus; n: string | number }[]): Record<IngestStatus, number> {
  const out = Object.fromEntries(INGEST_STATUSES.map((s) => [s, 0])) as Record<IngestStatus, number>;
  for (const r of rows) out[r.status] += Number(r.n);
  return out;
}

// ---- Erasure: discard and the retention purge ----

/**
 * What an erased refused row keeps of its OperationOutcome: each issue's severity, code and expression (a path,
 * e.g. `PID-3` or `Bundle.entry[2].resource.identifier[0]`), not its text, which may quote the message.
 */
const STRIPPED_OUTCOME = `jsonb_build_object('resourceType', 'OperationOutcome', 'issue', coalesce((
  select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('severity', i -> 'severity', 'code', i -> 'code', 'expression', i -> 'expression')))
  from jsonb_array_elements(case jsonb_typeof(m.outcome -> 'issue') when 'array' then m.outcome -> 'issue' else '[]'::jsonb end) i), '[]'::jsonb))`;

/** `column = case when cond then value else m.column end`: set where cond holds, kept elsewhere. */
const setWhen = (cond: string, column: string, value: string) => `${column} = case when ${cond} then ${value} else m.${column} end`;

/**
 * The SET list that erases a row (aliased m) at time `at`: its body always; where `refused` holds (a dead,
 * resolved, superseded or discarded row) also its händelser, stay and patient keys and issue texts. Kept: id,
 * source, sender, message id, times, SHA-256, content type, status, HTTP status, replay links, resources, who
 * discarded it and why. An accepted row keeps its händelser, keys and transaction-response.
 */
const eraseSet = (refused: string, at: string) =>
  [
    `body = null, body_encoding = 'text', erased_at = ${at}`,
    ...['handelser', 'stay_key', 'patient_key'].map((c) => setWhen(refused, c, 'null')),
    setWhen(refused, 'outcome', STRIPPED_OUTCOME),
  ].join(', ');

/** The SET list that discards a dead letter (where `dead` holds): status, when, by whom ($by), why ($reason). */
const discardSet = (dead: string, at: string, by: string, reason: string) =>
  [setWhen(dead, 'status', `'discarded'`), setWhen(dead, 'discarded_at', at), setWhen(dead, 'discarded_by', by), setWhen(dead, 'discard_reason', reason)].join(', ');

export type Discarded = { discarded: true; record: IngestRecord } | { discarded: false; status?: IngestStatus };

/**
 * Discards a dead letter that will never be replayed: status `discarded`, its personal data erased, who and why
 * recorded. Only a `dead` row changes (in one statement, so a concurrent replay or discard cannot both win);
 * otherwise says what the row is (no status: there is none).
 */
export async function discardDeadLetter(q: Queryable, id: string, by: string, reason: string, at: Date): Promise<Discarded> {
  if (!/^\d{1,18}$/.test(id)) return { discarded: false };
  const { rows } = await q.query<Row>(
    `update ingest_message m set ${eraseSet('true', '$1::timestamptz')}, ${discardSet('true', '$1::timestamptz', '$3', '$4')}
     where id = $2 and status = 'dead' returning ${COLUMNS}`,
    [at.toISOString(), id, text(by), text(reason)],
  );
  if (rows[0]) return { discarded: true, record: toRecord(rows[0]) };
  const found = await getIngestRecord(q, id);
  return found ? { discarded: false, status: found.status } : { discarded: false };
}

export interface PurgeOptions {
  /** Rows received before this time. */
  before: Date;
  /** Of these statuses. `accepted` erases only the raw body: the händelser stays are projected from stay. */
  statuses: readonly IngestStatus[];
  /** Rows per statement (one statement, so one transaction, per batch). */
  batchSize: number;
  /** Count what would be erased, erase nothing. */
  dryRun?: boolean;
  /** Who purges, recorded on dead letters the purge discards. */
  by: string;
  /** The time recorded as erasedAt (default now). */
  now?: Date;
  onBatch?: (erased: number) => void;
}

export interface PurgeResult {
  /** Rows erased (or, dry run, to erase) by status before the purge. */
  counts: Record<IngestStatus, number>;
  total: number;
  batches: number;
}

/** Rows the purge takes: of a status, received before a time, body not yet erased (index ingest_message_unerased). */
const PURGEABLE = `status = any($1::text[]) and received_at < $2 and erased_at is null`;

/**
 * The retention purge: erases the raw bodies of rows of the given statuses received before a time, batch by
 * batch. Refused rows lose what eraseSet erases, and an old `dead` letter, which cannot be replayed without
 * its body, becomes `discarded` (by `by`, the reason naming the retention). An accepted row loses its body only:
 * its händelser, keys and transaction-response are the facts its stay and patient are projected from, and what
 * a repeat is answered with (its SHA-256 still tells a duplicate from a reused id).
 */
export async function purgeIngestLog(q: Queryable, o: PurgeOptions): Promise<PurgeResult> {
  const statuses = [...new Set(o.statuses)];
  if (o.dryRun) {
    const { rows } = await q.query<{ status: IngestStatus; n: string | number }>(
      `select status, count(*) as n from ingest_message where ${PURGEABLE} group by status`,
      [statuses, o.before.toISOString()],
    );
    const counts = countsOf(rows);
    return { counts, total: sum(counts), batches: 0 };
  }
  const at = (o.now ?? new Date()).toISOString();
  const reason = `retention: received before ${o.before.toISOString()}`;
  const counts = countsOf([]);
  let batches = 0;
  for (;;) {
    // The batch's rows are locked; rows another transaction holds are left for the next run.
    const { rows } = await q.query<{ status: IngestStatus }>(
      `with batch as (select id, status from ingest_message where ${PURGEABLE} limit $3 for update skip locked)
       update ingest_message m set ${eraseSet(`b.status <> 'accepted'`, '$4::timestamptz')},
         ${discardSet(`b.status = 'dead'`, '$4::timestamptz', '$5', '$6')}
       from batch b where m.id = b.id returning b.status`,
      [statuses, o.before.toISOString(), o.batchSize, at, text(o.by), reason],
    );
    if (!rows.length) break;
    batches++;
    for (const r of rows) counts[r.status]++;
    o.onBatch?.(rows.length);
    if (rows.length < o.batchSize) break;
  }
  return { counts, total: sum(counts), batches };
}

const sum = (counts: Record<IngestStatus, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
