// Ingest: a source message in, its FHIR resources and its ingest-log row out, or a dead letter.
//
// The message is parsed and mapped by its source adapter (pure), then, under a lock on its stay, the
// stay's earlier händelser are read, the transaction Bundle is built over all of them (so the stay is
// projected from its whole history, whatever order the messages came in) and run through the same
// transaction code a FHIR client's Bundle goes through. The accepted log row is written in that same
// database transaction. Anything refused is logged as a dead letter before the answer goes out.
import type { Bundle, OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import type { MappingIssue, SourceAdapter } from '../../mappings/common/adapter.ts';
import type { Handelse } from '../../mappings/common/handelse.ts';
import { patientKey, senderKey, stayKey } from '../../mappings/common/keys.ts';
import { buildTransaction } from '../../mappings/common/transaktion.ts';
import {
  findAccepted,
  findAcceptedAny,
  getIngestRecord,
  handelserOf,
  insertIngestRecord,
  insertIngestRecords,
  settleDeadLetter,
  type IngestRecord,
  type NewIngestRecord,
} from '../../store/ingest-log.ts';
import type { Queryable } from '../../store/db.ts';
import type { Repository } from '../../store/repository.ts';
import type { Principal } from '../auth/principal.ts';
import { processBundle } from '../http/bundle.ts';
import { httpError, HttpError, toOutcome } from '../http/outcome.ts';
import type { WritePipeline } from '../pipeline.ts';
import { IngestGroups } from './groups.ts';
import { mergeTransactions, NotGroupable } from './merge.ts';

export interface IngestRequest {
  source: string;
  body: string;
  /** Media type without parameters. */
  contentType: string;
  principal: Principal;
  /** The dead letter this delivery corrects or replays. */
  replayOf?: string;
}

export interface IngestResult {
  /** The HTTP status the delivery is answered with. */
  status: number;
  /** accepted: written now; duplicate: accepted before (nothing written); dead: refused and kept as a dead letter. */
  result: 'accepted' | 'duplicate' | 'dead';
  /** The ingest-log row (for a duplicate: the row of the first, accepted, delivery). */
  recordId: string;
  messageId?: string;
  /** The transaction-response (accepted, duplicate) or the OperationOutcome (dead). */
  response: Bundle | OperationOutcome;
  /** The adapter's own issues when it refused the message (they may carry a source error code, e.g. HL7 table 0357). */
  mappingIssues?: MappingIssue[];
}

export interface IngestServices {
  repo: Repository;
  pipeline: WritePipeline;
  baseUrl: string;
  adapters: ReadonlyMap<string, SourceAdapter>;
  clock?: () => Date;
  /** Most messages committed together (1: each in its own transaction). */
  maxGroupSize?: number;
}

/** A message mapped and checked, waiting for its transaction. */
interface Mapped {
  req: IngestRequest;
  base: Delivery;
  messageId: string;
  handelser: Handelse[];
  stayKey: string;
  patientKey: string;
  sender: string;
  /** Advisory lock keys; also what two messages of one group must not share. */
  locks: string[];
  groupKey: string;
  alone: boolean;
}

const PREFER = { return: 'minimal', handling: 'strict' } as const;

/** The accepted log row of a message and the transaction-response its resources got. */
function accepted(m: Mapped, response: Bundle): NewIngestRecord {
  return {
    ...m.base,
    sender: m.sender,
    messageId: m.messageId,
    status: 'accepted',
    httpStatus: 200,
    stayKey: m.stayKey,
    patientKey: m.patientKey,
    handelser: m.handelser,
    outcome: response,
    resources: (response.entry ?? []).flatMap((e) => (e.response?.location ? [e.response.location] : [])),
  };
}

/** What is known of a delivery before its outcome. */
type Delivery = Pick<NewIngestRecord, 'source' | 'receivedAt' | 'contentType' | 'body' | 'bodySha256' | 'replayOf'> & { sender?: string | null };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A statement seam over a repository, so the log's SQL joins the repository's transaction. */
const queryable = (repo: Repository): Queryable => ({ query: (sql, params) => repo.statement(sql, params) });

export class IngestService {
  private readonly s: IngestServices;
  private readonly clock: () => Date;

  private readonly groups: IngestGroups<Mapped, IngestResult>;

  constructor(s: IngestServices) {
    this.s = s;
    this.clock = s.clock ?? (() => new Date());
    this.groups = new IngestGroups((group) => this.acceptGroup(group), { maxSize: s.maxGroupSize ?? 32 });
  }

  /** How many transactions the accepted messages took (group commit), for operations and tests. */
  get groupStats(): { groups: number; messages: number; largest: number } {
    return this.groups.stats;
  }

  /** The ingest log's SQL on the service's store (for listing). */
  get queryable(): Queryable {
    return queryable(this.s.repo);
  }

  adapter(source: string): SourceAdapter {
    const a = this.s.adapters.get(source);
    if (!a) {
      throw httpError(404, 'not-found', `No source '${source}'; sources: ${[...this.s.adapters.keys()].join(', ')}`);
    }
    return a;
  }

  async ingest(req: IngestRequest): Promise<IngestResult> {
    const adapter = this.adapter(req.source);
    const base = {
      source: req.source,
      receivedAt: this.clock().toISOString(),
      contentType: req.contentType,
      body: req.body,
      bodySha256: sha256(req.body),
      replayOf: req.replayOf ?? null,
    };
    if (!adapter.contentTypes.includes(req.contentType)) {
      return this.dead(base, null, 415, outcomeOf([issue('not-supported', `Content-Type ${req.contentType || '(none)'} is not accepted from ${req.source}; send ${adapter.contentTypes.join(' or ')}`)]));
    }
    const mapped = adapter.map(req.body, req.contentType);
    if (!mapped.ok) {
      const kept = await this.dead(base, mapped.messageId ?? null, 400, outcomeOf(mapped.issues.map((i) => issue('invalid', i.message, i.path))));
      return { ...kept, mappingIssues: mapped.issues };
    }
    const handelser = mapped.handelser;
    const unstorable = unstorableText(handelser, 'handelser');
    if (unstorable) {
      return this.dead(base, mapped.messageId, 400, outcomeOf([issue('invalid', `${unstorable}: text holds a NUL character or an unpaired surrogate (an XML character reference or JSON escape), which no record can store`)]));
    }
    const key = handelser[0] ? stayKey(handelser[0].stay) : undefined;
    if (!key || handelser.some((h) => stayKey(h.stay) !== key)) {
      return this.dead(base, mapped.messageId, 400, outcomeOf([issue('invalid', 'A message must concern exactly one vårdtillfälle')]));
    }
    // A token acting for one organisation sends only that organisation's messages (a coordination system
    // sending for every party uses a client that acts for none).
    const actingFor = req.principal.organizationHsaId;
    const foreign = actingFor ? handelser.find((h) => h.sender.hsaId !== actingFor) : undefined;
    if (foreign) {
      return this.dead(base, mapped.messageId, 403, outcomeOf([
        { ...issue('forbidden', `The token acts for ${actingFor}; this message is sent by ${foreign.sender.hsaId ?? `kommun ${foreign.sender.kommunkod}`}`), expression: ['sender'] },
      ]));
    }
    const pkey = patientKey(handelser[0]!.patient);
    // Message ids are unique per sender (an HL7v2 MSH-10 per sending system), so the sender scopes them.
    const sender = senderKey(handelser[0]!.sender);
    if (handelser.some((h) => patientKey(h.patient) !== pkey)) {
      return this.dead(base, mapped.messageId, 400, outcomeOf([issue('invalid', 'A message must concern exactly one patient')]));
    }
    return this.groups.push({
      req,
      base,
      messageId: mapped.messageId,
      handelser,
      stayKey: key,
      patientKey: pkey,
      sender,
      // The message, its patient and its stay: one order everywhere (sorted where taken), so two messages never
      // wait for each other in a cycle. The message's own key covers a repeat that names another stay.
      locks: [`ingest:message:${req.source}:${sender}:${mapped.messageId}`, `ingest:patient:${pkey}`, `ingest:stay:${key}`],
      // One principal per transaction Bundle: its scopes and access policy apply to every entry.
      groupKey: JSON.stringify([req.principal.clientId, req.principal.organizationHsaId, req.principal.role, req.principal.scopes]),
      alone: req.replayOf !== undefined,
    });
  }

  /** One message in its own database transaction: the path every message can take, and the one a group falls back to. */
  private async acceptOne(m: Mapped): Promise<IngestResult> {
    const { req, base, messageId, stayKey: key, sender } = m;
    try {
      return await this.s.repo.transaction(async (tx) => {
        await tx.lockAll([...m.locks].sort());
        // Under the locks: a concurrent delivery of the same message may have won.
        const earlier = await findAccepted(queryable(tx), req.source, sender, messageId);
        if (earlier) return this.repeated(base, messageId, earlier);
        const [result] = await this.write(tx, [m]);
        if (req.replayOf) await settleDeadLetter(queryable(tx), req.replayOf, result!.recordId, 'resolved');
        return result!;
      });
    } catch (err) {
      const { status, outcome } = toOutcome(err);
      // Refused content (a profile or identifier error in what the message says) is the sender's to fix;
      // a failure of ours is kept too, so the message can be replayed once it is fixed.
      const kept = await this.dead({ ...base, sender }, messageId, status, outcome, key);
      if (status >= 500) throw err;
      return kept;
    }
  }

  /**
   * Messages of different stays and patients in ONE database transaction (group commit): one lock statement,
   * one duplicate check, then write. Each gets the answer it would have had alone; when anything in the group
   * is refused or is a repeat, every message goes its own way instead.
   */
  private async acceptGroup(group: readonly Mapped[]): Promise<PromiseSettledResult<IngestResult>[]> {
    if (group.length === 1) return Promise.allSettled([this.acceptOne(group[0]!)]);
    try {
      const results = await this.s.repo.transaction(async (tx) => {
        await tx.lockAll([...new Set(group.flatMap((m) => m.locks))].sort());
        const earlier = await findAcceptedAny(queryable(tx), group.map((m) => ({ source: m.req.source, sender: m.sender, messageId: m.messageId })));
        if (earlier.length) throw new NotGroupable('a message of the group was accepted before');
        return this.write(tx, group);
      });
      return results.map((value) => ({ status: 'fulfilled', value }));
    } catch {
      // Which message was refused, and why, is what each one's own transaction says.
      return Promise.allSettled(group.map((m) => this.acceptOne(m)));
    }
  }

  /**
   * Under the locks, in `tx`: one history read, each message's transaction Bundle built over its stay's and
   * patient's händelser, the Bundles merged into one (organisations they share created once) and written, and
   * one insert of their log rows.
   */
  private async write(tx: Repository, group: readonly Mapped[]): Promise<IngestResult[]> {
    const q = queryable(tx);
    const histories = await handelserOf(q, group.map((m) => ({ stayKey: m.stayKey, patientKey: m.patientKey })));
    const merged = mergeTransactions(
      group.map((m, i) => buildTransaction([...(histories[i]!.stay as Handelse[]), ...m.handelser], m.handelser, [...(histories[i]!.patient as Handelse[]), ...m.handelser])),
    );
    const response = await processBundle({ repo: tx, pipeline: this.s.pipeline, baseUrl: this.s.baseUrl }, merged.bundle, group[0]!.req.principal, PREFER);
    const responses = merged.split(response);
    const ids = await insertIngestRecords(q, group.map((m, i) => accepted(m, responses[i]!)));
    return group.map((m, i): IngestResult => ({ status: 200, result: 'accepted', recordId: ids[i]!, messageId: m.messageId, response: responses[i]! }));
  }

  /** Replays a dead letter, as it was or with a corrected body; the dead letter is resolved when accepted. */
  async replay(id: string, principal: Principal, corrected?: { body: string; contentType: string }): Promise<IngestResult> {
    const record = await this.record(id);
    if (record.status !== 'dead') {
      throw httpError(409, 'conflict', `Ingest record ${id} is ${record.status}, not a dead letter; only dead letters are replayed`);
    }
    const result = await this.ingest({
      source: record.source,
      body: corrected?.body ?? record.body,
      contentType: corrected?.contentType ?? record.contentType,
      principal,
      replayOf: id,
    });
    const q = queryable(this.s.repo);
    // A duplicate means the message was accepted some other way: the dead letter is settled all the same.
    if (result.result === 'duplicate') await settleDeadLetter(q, id, result.recordId, 'resolved');
    // A refused replay is the dead letter now; the earlier one stays in the log, superseded.
    if (result.result === 'dead') await settleDeadLetter(q, id, result.recordId, 'superseded');
    return result;
  }

  async record(id: string): Promise<IngestRecord> {
    const record = await getIngestRecord(queryable(this.s.repo), id);
    if (!record) throw httpError(404, 'not-found', `No ingest record ${id}`);
    return record;
  }

  /** A message accepted before: the same content is a duplicate; other content under its id is refused (409). */
  private repeated(base: Delivery, messageId: string, earlier: IngestRecord): IngestResult {
    if (earlier.bodySha256 === base.bodySha256) {
      return { status: 200, result: 'duplicate', recordId: earlier.id, messageId, response: earlier.outcome as Bundle };
    }
    throw new HttpError(
      409,
      outcomeOf([
        issue('duplicate', `Message id ${messageId} from ${base.source} was accepted before (ingest record ${earlier.id}) with other content; a correction needs a new message id`),
      ]),
    );
  }

  private async dead(
    base: Delivery,
    messageId: string | null,
    status: number,
    outcome: OperationOutcome,
    key?: string,
  ): Promise<IngestResult> {
    const recordId = await insertIngestRecord(queryable(this.s.repo), {
      sender: null,
      ...base,
      messageId,
      status: 'dead',
      httpStatus: status,
      stayKey: key ?? null,
      patientKey: null,
      handelser: null,
      outcome,
      resources: null,
    });
    return { status, result: 'dead', recordId, ...(messageId ? { messageId } : {}), response: outcome };
  }
}

/** Where the first string with a NUL or an unpaired surrogate is (PostgreSQL text and FHIR strings hold neither). */
function unstorableText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') || !value.isWellFormed() ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = unstorableText(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

function issue(code: OperationOutcomeIssue['code'], text: string, expression?: string): OperationOutcomeIssue {
  return { severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) };
}

function outcomeOf(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}
