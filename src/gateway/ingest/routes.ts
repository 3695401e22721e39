// HTTP for ingest: POST /ingest/{source} takes one raw source message; the ingest log and its dead
// letters can be listed, read, replayed and discarded. Answers are FHIR JSON (a transaction-response Bundle or an
// OperationOutcome), except where the source has its own acknowledgement (HL7v2 ACK/NACK).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { INGEST_STATUSES, listIngestRecords, shownRecord, type IngestRecord, type IngestStatus } from '../../store/ingest-log.ts';
import { principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import { allowsPermission } from '../auth/scopes.ts';
import { mediaType, readRawBody } from '../http/body.ts';
import { sendError, sendJson } from '../http/fhir-api.ts';
import { httpError, toOutcome } from '../http/outcome.ts';
import { discard } from './retention.ts';
import type { IngestResult, IngestService } from './service.ts';

/** What an ingest writes: a client must be allowed to create and update all of it. */
export const INGEST_WRITES = ['Organization', 'Patient', 'Encounter', 'Communication', 'Consent', 'CareTeam', 'CarePlan'] as const;

const MAX_PAGE = 200;

export interface IngestRoutesOptions {
  service: IngestService;
  maxBodyBytes: number;
  logger: Logger;
  /** A source's own answer to a delivery (HL7v2 answers with an ACK), when it has one. */
  acknowledgement?: (source: string, body: string, result: IngestResult) => { contentType: string; body: string } | undefined;
}

export function ingestRoutes(o: IngestRoutesOptions): express.Router {
  const router = express.Router();
  const run = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

  router.post(
    '/dead-letters/:id/replay',
    run(async (req, res) => {
      const { principal, raw } = await deadLetterAction(req, res, o);
      const original = await o.service.record(String(req.params.id));
      const corrected = raw.length ? { body: raw.toString('utf8'), contentType: mediaType(req.headers['content-type']) } : undefined;
      const result = await o.service.replay(original.id, principal, corrected);
      answer(res, o, original.source, corrected?.body ?? original.body, result);
    }),
  );

  // POST, not DELETE: the record is not deleted (it stays, `discarded`, in the log), and the required reason is
  // a request body, which DELETE does not define (RFC 9110 §9.3.5). Who may replay may discard.
  router.post(
    '/dead-letters/:id/discard',
    run(async (req, res) => {
      const { principal, raw } = await deadLetterAction(req, res, o);
      if (raw.length && mediaType(req.headers['content-type']) !== 'application/json') {
        throw httpError(415, 'not-supported', 'Send the reason as application/json: {"reason": "..."}');
      }
      let reason: unknown;
      try {
        reason = raw.length ? (JSON.parse(raw.toString('utf8')) as { reason?: unknown } | null)?.reason : undefined;
      } catch {
        throw httpError(400, 'invalid', 'The body is not JSON; send {"reason": "..."}', 'reason');
      }
      const record = await discard(o.service, String(req.params.id), principal.clientId, reason);
      sendJson(res, 200, shownRecord(record));
    }),
  );

  router.get(
    ['/messages', '/dead-letters'],
    run(async (req, res) => {
      mayRead(principalOf(res));
      const q = req.query;
      const status = req.path === '/dead-letters' ? 'dead' : one(q.status);
      if (status !== undefined && !INGEST_STATUSES.includes(status as IngestStatus)) {
        throw httpError(400, 'invalid', `status must be one of ${INGEST_STATUSES.join(', ')}`, 'status');
      }
      const count = one(q._count) === undefined ? 50 : Number(one(q._count));
      if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE) throw httpError(400, 'invalid', `_count must be 1 to ${MAX_PAGE}`, '_count');
      const before = one(q.before);
      if (before !== undefined && !/^\d{1,18}$/.test(before)) throw httpError(400, 'invalid', 'before must be an ingest record id', 'before');
      const source = one(q.source);
      const messageId = one(q.messageId);
      const rows = await listIngestRecords(o.service.queryable, {
        limit: count,
        ...(status ? { status: status as IngestStatus } : {}),
        ...(source ? { source } : {}),
        ...(messageId ? { messageId } : {}),
        ...(before ? { before } : {}),
      });
      const last = rows.at(-1);
      const next = rows.length === count && last ? nextLink(req, last.id) : undefined;
      sendJson(res, 200, { items: rows.map(summary), ...(next ? { next } : {}) });
    }),
  );

  router.get(
    ['/messages/:id', '/dead-letters/:id'],
    run(async (req, res) => {
      mayRead(principalOf(res));
      const record = await o.service.record(String(req.params.id));
      if (req.path.startsWith('/dead-letters/') && record.status === 'accepted') throw httpError(404, 'not-found', `Ingest record ${record.id} is not a dead letter`);
      sendJson(res, 200, shownRecord(record));
    }),
  );

  router.post(
    '/:source',
    run(async (req, res) => {
      const principal = mayIngest(principalOf(res));
      const source = String(req.params.source);
      o.service.adapter(source); // 404 for an unknown source before reading the body
      const raw = await readRawBody(req, o.maxBodyBytes);
      const body = raw.toString('utf8');
      let result: IngestResult;
      try {
        result = await o.service.ingest({ source, body, contentType: mediaType(req.headers['content-type']), principal });
      } catch (err) {
        // A failure of ours: a source with its own acknowledgement (HL7v2) still gets one (AR: send again later).
        const { status, outcome } = toOutcome(err);
        if (!o.acknowledgement || status < 500) throw err;
        o.logger.error({ err }, 'ingest failed');
        result = { status, result: 'dead', recordId: '', response: outcome };
      }
      answer(res, o, source, body, result);
    }),
  );

  router.use((req: Request, res: Response) => sendJson(res, 404, httpError(404, 'not-found', `No ingest interaction at ${req.method} ${req.baseUrl}${req.path}`).outcome));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err, o.logger));
  return router;
}

function answer(res: Response, o: IngestRoutesOptions, source: string, body: string, result: IngestResult): void {
  const headers: Record<string, string> = result.recordId ? { 'X-Ingest-Record': result.recordId, 'X-Ingest-Result': result.result } : {};
  const ack = o.acknowledgement?.(source, body, result);
  if (ack) {
    res.status(result.status).set(headers).type(ack.contentType).send(ack.body);
    return;
  }
  sendJson(res, result.status, result.response, headers);
}

function summary(r: IngestRecord) {
  return {
    id: r.id,
    source: r.source,
    sender: r.sender,
    messageId: r.messageId,
    receivedAt: r.receivedAt,
    status: r.status,
    httpStatus: r.httpStatus,
    stayKey: r.stayKey,
    resources: r.resources,
    replayOf: r.replayOf,
    resolvedBy: r.resolvedBy,
    erasedAt: r.erasedAt,
    ...(r.status === 'accepted' ? {} : { outcome: r.outcome }),
    ...(r.status === 'discarded' ? { discardedAt: r.discardedAt, discardedBy: r.discardedBy, discardReason: r.discardReason } : {}),
  };
}

function one(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw httpError(400, 'invalid', 'A query parameter was given more than once or with brackets');
  return v;
}

function nextLink(req: Request, before: string): string {
  const params = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== 'before' && typeof v === 'string') as [string, string][]);
  params.set('before', before);
  return `${req.baseUrl}${req.path}?${params.toString()}`;
}

function mayIngest(p: Principal): Principal {
  for (const type of INGEST_WRITES) {
    if (!allowsPermission(p.scopes, type, 'c') || !allowsPermission(p.scopes, type, 'u')) {
      throw httpError(403, 'forbidden', `Ingest writes ${INGEST_WRITES.join(', ')}: the token needs create and update scopes on ${type}`);
    }
  }
  return p;
}

/** The ingest log holds raw messages with personal data: region administrators and auditors only. */
function mayRead(p: Principal): void {
  if (p.role !== 'region-admin' && p.role !== 'auditor') throw httpError(403, 'forbidden', 'The ingest log is for region administrators and auditors');
}

/** The caller of a replay or discard, checked (who may replay may discard), and the request body. */
async function deadLetterAction(req: Request, res: Response, o: IngestRoutesOptions): Promise<{ principal: Principal; raw: Buffer }> {
  const principal = mayIngest(principalOf(res));
  mayAdminister(principal);
  return { principal, raw: await readRawBody(req, o.maxBodyBytes) };
}

function mayAdminister(p: Principal): void {
  if (p.role !== 'region-admin') throw httpError(403, 'forbidden', 'Replaying and discarding dead letters is for region administrators');
}
