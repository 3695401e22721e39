// Closing dead letters that will never be replayed: discard erases a dead letter's personal data and records
// who closed it and why (the row stays, status `discarded`). Shared by POST /ingest/dead-letters/{id}/discard
// and `samverkan dead-letters discard`. The retention purge is `samverkan ingest-log purge` (cli/ingest-log.ts).
import { discardDeadLetter, type IngestRecord } from '../../store/ingest-log.ts';
import { httpError } from '../http/outcome.ts';
import type { IngestService } from './service.ts';

/** Longest discard reason: a sentence or two for the data-protection record, not a document. */
export const MAX_REASON_LENGTH = 1000;

/** The required reason, checked: 400 naming `reason` when it is missing, blank, not text or too long. */
export function discardReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (!reason) throw httpError(400, 'required', 'Discarding a dead letter needs a reason: non-empty text (the JSON body {"reason": "..."}, or --reason in the CLI)', 'reason');
  if (reason.length > MAX_REASON_LENGTH) throw httpError(400, 'invalid', `The reason is at most ${MAX_REASON_LENGTH} characters`, 'reason');
  return reason;
}

/** Discards dead letter `id` (404: no such record; 409: not a dead letter). */
export async function discard(service: IngestService, id: string, by: string, reason: unknown, at = new Date()): Promise<IngestRecord> {
  const r = await discardDeadLetter(service.queryable, id, by, discardReason(reason), at);
  if (r.discarded) return r.record;
  if (!r.status) throw httpError(404, 'not-found', `No ingest record ${id}`);
  throw httpError(409, 'conflict', `Ingest record ${id} is ${r.status}, not a dead letter; only dead letters are discarded`);
}
