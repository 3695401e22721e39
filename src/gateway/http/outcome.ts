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
