// Shared set-up for the validation tests: the R4 definitions indexed once per test file, a context with a
// fixed time, and small helpers to pick issues out of a result.
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import { indexR4Definitions } from '../../src/gateway/r4-definitions.ts';
import type { ValidationContext } from '../../src/profiles/validation/index.ts';

export function loadR4(): void {
  indexR4Definitions();
}

export const ctx: ValidationContext = { now: new Date('2025-03-01T12:00:00Z') };

export const errors = (issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] => issues.filter((i) => i.severity === 'error');

/** Issues whose expression is exactly `expression`. */
export const at = (issues: OperationOutcomeIssue[], expression: string): OperationOutcomeIssue[] =>
  issues.filter((i) => i.expression?.includes(expression));

/** What @medplum/core's validator alone says: its issues, whether it returns or throws them. */
export function medplumIssues(resource: Resource): OperationOutcomeIssue[] {
  try {
    return validateResource(resource);
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? [];
    throw err;
  }
}

/** A deterministic Encounter like the peer benchmark's (see /work/shared/peer/fixtures.mjs). */
export function encounter(overrides: Record<string, unknown> = {}): Resource {
  return {
    resourceType: 'Encounter',
    identifier: [{ use: 'official', system: 'http://hospital.example.org/fhir/sid/visit-number', value: 'V00000001' }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: 'Patient/pat-1' },
    period: { start: '2024-03-01T08:00:00Z', end: '2024-03-05T10:00:00Z' },
    serviceProvider: { reference: 'Organization/org-1' },
    ...overrides,
  } as Resource;
}
