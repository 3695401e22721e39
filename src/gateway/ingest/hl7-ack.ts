// What an HL7v2 sender gets back, over HTTP and MLLP alike: an ACK whose MSA-1 says what became of the
// message. AA: accepted (or accepted before: a repeat is harmless). AE: the content was refused; ERR names
// the fields; it is kept as a dead letter. AR: the message could not be read or the gateway failed, so a
// later resend may succeed.
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ackFor, buildAck, type AckCode, type AckIssue } from '../../mappings/hl7v2/ack.ts';
import type { IngestResult } from './service.ts';

export const HL7_CONTENT_TYPE = 'x-application/hl7-v2+er7';

export function hl7Acknowledgement(body: string, result: IngestResult, now: Date = new Date()): string {
  if (result.result !== 'dead') return buildAck(body, 'AA', [], { now });
  // Refused by the adapter: its own issues, with their HL7 error codes, decide AE or AR.
  if (result.mappingIssues) return ackFor(body, { ok: false, ...(result.messageId ? { messageId: result.messageId } : {}), issues: result.mappingIssues }, { now });
  const outcome = result.response as OperationOutcome;
  // A message id accepted before with other content: HL7 table 0357 code 205, duplicate key, at MSH-10.
  const issues: AckIssue[] = (outcome.issue ?? []).map((i) =>
    result.status === 409
      ? { path: 'MSH-10', message: i.details?.text ?? 'duplicate message control id', code: '205' }
      : { path: i.expression?.[0] ?? 'MSH', message: i.details?.text ?? i.diagnostics ?? 'refused' },
  );
  // Refused after mapping (profile, identifier, conflict): content errors; our failures and media types: AR.
  const code: AckCode = result.status >= 500 || result.status === 415 ? 'AR' : 'AE';
  return buildAck(body, code, issues, { now });
}
