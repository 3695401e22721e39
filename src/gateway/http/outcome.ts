// Every failure leaves as an OperationOutcome with the right status; never a stack trace.
import { getStatus, OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** An error with an explicit HTTP status (getStatus cannot express 405, 406, 413, 415 or 422 by itself). */
export class HttpError extends Error {
  readonly status: number;
  readonly outcome: OperationOutcome;
  readonly headers: Record<string, string>;
  constructor(status: number, outcome: OperationOutcome, headers: Record<string, string> = {}) {
    super(outcome.issue?.[0]?.details?.text ?? `HTTP ${status}`);
    this.status = status;
    this.outcome = outcome;
    this.headers = headers;
  }
}

export function outcome(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
  expression?: string,
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity, code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function httpError(status: number, code: OperationOutcomeIssue['code'], text: string, expression?: string): HttpError {
  return new HttpError(status, outcome('error', code, text, expression));
}

/** Status and outcome for anything thrown; `internal` is true for errors that are our bugs. */
export function toOutcome(err: unknown): { status: number; outcome: OperationOutcome; headers: Record<string, string>; internal: boolean } {
  if (err instanceof HttpError) return { status: err.status, outcome: err.outcome, headers: err.headers, internal: false };
  if (err instanceof OperationOutcomeError) {
    return { status: getStatus(err.outcome), outcome: withoutDiagnostics(err.outcome), headers: {}, internal: false };
  }
  return {
    status: 500,
    outcome: outcome('error', 'exception', 'Internal server error; the request id in the x-request-id header identifies it in the logs'),
    headers: {},
    internal: true,
  };
}

// Medplum's serverError puts err.toString() in diagnostics; nothing internal goes to clients.
function withoutDiagnostics(o: OperationOutcome): OperationOutcome {
  if (!o.issue?.some((i) => i.code === 'exception')) return o;
  return { ...o, issue: o.issue.map(({ diagnostics: _d, ...rest }) => rest) };
}

/**
 * The raw HTTP response for a request Node's parser refused before express saw it (the 'clientError'
 * event): an oversized request line or headers (431), a timeout (408), or malformed HTTP (400). Without
 * this Node answers with an empty body; clients get a FHIR OperationOutcome like for every other error.
 */
export function clientErrorResponse(err: { code?: string }): string {
  const [status, reason, code, text]: [number, string, OperationOutcomeIssue['code'], string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'too-costly', 'The request line and headers are larger than this server accepts (16 kB); send long searches as POST [type]/_search with a form body']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'timeout', 'The request was not received in time']
        : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
          ? [413, 'Payload Too Large', 'too-costly', 'The chunk extensions of the request are too large']
          : [400, 'Bad Request', 'structure', 'The request is not valid HTTP/1.1'];
  const body = JSON.stringify(outcome('error', code, text));
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${FHIR_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
