// Layer 1's structure pass: medplum's validator, run against a schema that is already parsed.
//
// `validateResource(r, { profile })` re-parses the profile StructureDefinition on every call (~1.5 ms for an
// Encounter). Medplum's validator takes its schema from `getDataType(typedValue.type)`, so for a profile we
// put our parsed schema into medplum's type table under a private key for the duration of one synchronous
// call, validate a value typed with that key, and remove the entry in `finally`. Nothing can run in
// between, so no other code ever sees the entry. The result is identical to the re-parsing call (tested).
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { InternalTypeSchema, TypedValue } from '@medplum/core';
import { getAllDataTypes, OperationOutcomeError, validateTypedValue } from '@medplum/core';

export type Tokens = Record<string, (TypedValue & { path: string })[]>;

/** Runs medplum's validator and returns all its issues instead of throwing on errors. */
export function medplumPass(resource: Resource, schema: InternalTypeSchema | undefined, tokens: Tokens): OperationOutcomeIssue[] {
  const options = { collect: { tokens } };
  if (!schema) return capture(() => validateTypedValue({ type: resource.resourceType, value: resource }, options));
  const table = getAllDataTypes();
  const key = `\u0000profile:${schema.url ?? schema.name}`;
  table[key] = schema;
  try {
    return capture(() => validateTypedValue({ type: key, value: resource }, options));
  } finally {
    delete table[key];
  }
}

// Medplum takes everything before the first '/' of a reference as its resource type, so `urn:uuid:...`
// (normal inside transactions) and absolute URLs get a false "Invalid reference" warning. We drop those.
const FALSE_REFERENCE_WARNING = /^Invalid reference: got "[^"/]*:/;

function withoutFalseWarnings(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  return issues.filter((i) => !(i.severity === 'warning' && FALSE_REFERENCE_WARNING.test(i.details?.text ?? '')));
}

function capture(run: () => OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  try {
    return withoutFalseWarnings(run());
  } catch (err) {
    if (err instanceof OperationOutcomeError) return withoutFalseWarnings(err.outcome.issue ?? []);
    if (err instanceof RangeError) {
      return [issue('structure', 'The resource is nested too deeply to be validated')];
    }
    return [issue('processing', `The resource could not be validated: ${err instanceof Error ? err.message : String(err)}`)];
  }
}

const issue = (code: 'structure' | 'processing', text: string): OperationOutcomeIssue => ({
  severity: 'error',
  code,
  details: { text },
  expression: ['$this'],
});
