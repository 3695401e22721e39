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
  getIngestRecord,
  insertIngestRecord,
  settleDeadLetter,
  stayAndPatientHandelser,
  type IngestRecord,
  type NewIngestRecord,
} from '../../store/ingest-log.ts';
import type { Queryable } from '../../store/db.ts';
import type { Repository } from '../../store/repository.ts';
import type { Principal } from '../auth/principal.ts';
import { processBundle } from '../http/bundle.ts';
import { httpError, HttpError, toOutcome } from '../http/outcome.ts';
import type { WritePipeline } from '../pipeline.ts';

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
}

/** What is known of a delivery before its outcome. */
type Delivery = Pick<NewIngestRecord, 'source' | 'receivedAt' | 'contentType' | 'body' | 'bodySha256' | 'replayOf'> & { sender?: string | null };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A statement seam over a repository, so the log's SQL joins the repository's transaction. */
const queryable = (repo: Repository): Queryable => ({ query: (sql, params) => repo.statement(sql, params) });

export class IngestService {
  private readonly s: IngestServices;
  private readonly clock: () => Date;

  constructor(s: IngestServices) {
    this.s = s;
    this.clock = s.clock ?? (() => new Date());
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
    try {
      return await this.s.repo.transaction(async (tx) => {
        const q = queryable(tx);
        // The message, its patient and its stay, sorted: one order everywhere, so two messages never wait for
        // each other in a cycle. The message's own key covers a repeat that names another stay.
        await tx.lockAll([`ingest:message:${req.source}:${sender}:${mapped.messageId}`, `ingest:patient:${pkey}`, `ingest:stay:${key}`].sort());
        // Under the locks: a concurrent delivery of the same message may have won.
        const earlier = await findAccepted(q, req.source, sender, mapped.messageId);
        if (earlier) return this.repeated(base, mapped.messageId, earlier);
        const history = await stayAndPatientHandelser(q, key, pkey);
        const stay = [...(history.stay as Handelse[]), ...handelser];
        const patient = [...(history.patient as Handelse[]), ...handelser];
        const bundle = buildTransaction(stay, handelser, patient);
        const response = await processBundle({ repo: tx, pipeline: this.s.pipeline, baseUrl: this.s.baseUrl }, bundle, req.principal, {
          return: 'minimal',
          handling: 'strict',
        });
        const resources = (response.entry ?? []).flatMap((e) => (e.response?.location ? [e.response.location] : []));
        const recordId = await insertIngestRecord(q, {
          ...base,
          sender,
          messageId: mapped.messageId,
          status: 'accepted',
          httpStatus: 200,
          stayKey: key,
          patientKey: pkey,
          handelser,
          outcome: response,
          resources,
        });
        if (req.replayOf) await settleDeadLetter(q, req.replayOf, recordId, 'resolved');
        return { status: 200, result: 'accepted' as const, recordId, messageId: mapped.messageId, response };
      });
    } catch (err) {
      const { status, outcome } = toOutcome(err);
      // Refused content (a profile or identifier error in what the message says) is the sender's to fix;
      // a failure of ours is kept too, so the message can be replayed once it is fixed.
      const kept = await this.dead({ ...base, sender }, mapped.messageId, status, outcome, key);
      if (status >= 500) throw err;
      return kept;
    }
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
