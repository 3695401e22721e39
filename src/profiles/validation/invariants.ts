// Datatype and resource invariants (FHIRPath `constraint`s of severity error), compiled once.
// Medplum evaluates a type's own invariants only at the validation root; we evaluate them on every nested
// occurrence. Each invariant is a pre-parsed FHIRPath atom, optionally fronted by a cheap JS guard that
// proves the common case satisfied without running FHIRPath (ref-1 on a non-contained reference, ...).
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { FhirPathAtom, TypedValue } from '@medplum/core';
import { createConstraintIssue, evalFhirPathTyped, parseFhirPath } from '@medplum/core';

/** Keys medplum skips on purpose (see medplum-notes.md §2); we follow it so both layers agree. */
export const SKIPPED_CONSTRAINTS: ReadonlySet<string> = new Set(['ele-1', 'dom-3', 'org-1', 'sdf-19']);

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

type Json = Record<string, unknown>;

export interface CompiledConstraint {
  readonly key: string;
  readonly expression: string;
  readonly description: string;
  readonly atom: FhirPathAtom;
  /** true = definitely satisfied, so FHIRPath can be skipped; false = ask FHIRPath. Must be sound. */
  readonly guard?: (v: Json) => boolean;
  /** A full JS decision that replaces FHIRPath (used where FHIRPath gives false errors, see per-1). */
  readonly native?: (v: Json) => boolean;
}

const absent = (v: Json, key: string): boolean => v[key] === undefined && v['_' + key] === undefined;
const hasKeyPrefix = (v: Json, prefix: string): boolean => {
  for (const k in v) if (k.startsWith(prefix) && v[k] !== undefined) return true;
  return false;
};

// The JSON names of Extension.value[x] in R4: only these count as "value exists" in FHIRPath.
const EXTENSION_VALUE_KEYS: ReadonlySet<string> = new Set(
  (
    'Base64Binary Boolean Canonical Code Date DateTime Decimal Id Instant Integer Markdown Oid PositiveInt String Time ' +
    'UnsignedInt Uri Url Uuid Address Age Annotation Attachment CodeableConcept Coding ContactPoint Count Distance ' +
    'Duration HumanName Identifier Money Period Quantity Range Ratio Reference SampledData Signature Timing ' +
    'ContactDetail Contributor DataRequirement Expression ParameterDefinition RelatedArtifact TriggerDefinition ' +
    'UsageContext Dosage Meta'
  )
    .split(' ')
    .map((t) => 'value' + t),
);
const hasExtensionValue = (v: Json): boolean => {
  for (const k in v) if (EXTENSION_VALUE_KEYS.has(k) && v[k] !== undefined) return true;
  return false;
};

/** Guards for the invariants that occur on almost every resource. Each is checked against FHIRPath in tests. */
const GUARDS: Readonly<Record<string, (v: Json) => boolean>> = {
  // R4's ref-1 evaluates to empty ("not met") for a Reference without `reference` (identifier or display
  // only), which is valid FHIR; R5 words it `reference.exists() implies (...)`, which is what this follows.
  'ref-1': (v) => typeof v.reference !== 'string' || !v.reference.startsWith('#'),
  'ext-1': (v) => {
    if (v.extension !== undefined && !Array.isArray(v.extension)) return false;
    const hasExt = Array.isArray(v.extension) && v.extension.length > 0;
    // Anything unusual (a primitive extension on the value, an unknown valueXxx key) goes to FHIRPath.
    return hasExt ? !hasKeyPrefix(v, 'value') && !hasKeyPrefix(v, '_value') : hasExtensionValue(v);
  },
  'qty-3': (v) => absent(v, 'code') || typeof v.system === 'string',
  'att-1': (v) => absent(v, 'data') || typeof v.contentType === 'string',
  'cpt-2': (v) => absent(v, 'value') || typeof v.system === 'string',
  'sqty-1': (v) => absent(v, 'comparator'),
  'dom-2': (v) => v.contained === undefined,
  'dom-4': (v) => v.contained === undefined,
  'dom-5': (v) => v.contained === undefined,
  'exp-1': (v) => typeof v.expression === 'string' || typeof v.reference === 'string',
};

/**
 * per-1 decided in JS with boundary semantics. R4's `start <= end` is empty (so "not met") when the two
 * have different precisions, e.g. start 2024-02-02T10:00:00Z and end 2024-02-02, although that period is
 * valid; R5 fixed the invariant to `start.lowBoundary() <= end.highBoundary()`, which is what this does.
 * Values that are not well-formed dateTimes are left to medplum's format check.
 */
const NATIVE: Readonly<Record<string, (v: Json) => boolean>> = {
  'per-1': (v) => {
    if (typeof v.start !== 'string' || typeof v.end !== 'string') return true;
    // Two dates are in the same (local) calendar; only a date against an instant has an unknown offset.
    const widen = hasTimeZone(v.start) !== hasTimeZone(v.end);
    const lo = dateTimeBoundary(v.start, 'low', widen);
    const hi = dateTimeBoundary(v.end, 'high', widen);
    return lo === undefined || hi === undefined || lo <= hi;
  },
};

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const hasTimeZone = (s: string): boolean => /(Z|[+-]\d{2}:\d{2})$/.test(s);

/**
 * Earliest (low) or latest (high) instant, in epoch ms, that a FHIR date/dateTime can denote. A value
 * without a time zone is read as UTC, or, with `widen`, stretched by the extreme offsets (+14:00 / -12:00)
 * so that comparing it with a zoned instant can never be a false error.
 */
export function dateTimeBoundary(s: string, side: 'low' | 'high', widen = false): number | undefined {
  const m = DATE_TIME.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, hh, mi, ss, frac, tz] = m;
  const year = Number(y);
  const low = side === 'low';
  const month = mo === undefined ? (low ? 1 : 12) : Number(mo);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = d === undefined ? (low ? 1 : lastDay) : Number(d);
  let ms: number;
  if (hh === undefined) {
    ms = Date.UTC(year, month - 1, day, low ? 0 : 23, low ? 0 : 59, low ? 0 : 59, low ? 0 : 999);
  } else {
    const sec = ss === undefined ? (low ? 0 : 59) : Number(ss);
    const milli = frac === undefined ? (ss === undefined && !low ? 999 : 0) : Number(frac.slice(0, 3).padEnd(3, '0'));
    ms = Date.UTC(year, month - 1, day, Number(hh), Number(mi), sec, milli);
  }
  if (tz === undefined) return widen ? ms + (low ? -14 : 12) * 3_600_000 : ms;
  if (tz === 'Z') return ms;
  const sign = tz.startsWith('-') ? -1 : 1;
  const offset = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) * 60_000;
  return ms - offset;
}

/** Compiles the error-severity invariants; ones FHIRPath cannot parse are returned in `unparsed`. */
export function compileConstraints(
  constraints: readonly { key: string; severity: string; expression: string; description: string }[] | undefined,
  unparsed?: string[],
): CompiledConstraint[] {
  const out: CompiledConstraint[] = [];
  for (const c of constraints ?? []) {
    if (c.severity !== 'error' || SKIPPED_CONSTRAINTS.has(c.key) || !c.expression) continue;
    let atom: FhirPathAtom;
    try {
      atom = parseFhirPath(c.expression);
    } catch {
      unparsed?.push(c.key);
      continue;
    }
    const guard = GUARDS[c.key];
    const native = NATIVE[c.key];
    out.push({ key: c.key, expression: c.expression, description: c.description, atom, ...(guard && { guard }), ...(native && { native }) });
  }
  return out;
}

/** FHIRPath environment for one evaluation, as medplum's validator sets it up. */
export interface InvariantScope {
  readonly resource: TypedValue | undefined;
  readonly rootResource: TypedValue | undefined;
}

const UCUM_TV: TypedValue = { type: 'uri', value: UCUM_SYSTEM };

/** Evaluates the constraints against one value; appends an issue per violated constraint. */
export function checkConstraints(
  constraints: readonly CompiledConstraint[],
  typed: TypedValue,
  path: string,
  scope: InvariantScope,
  issues: OperationOutcomeIssue[],
): void {
  const v = typed.value as Json;
  for (const c of constraints) {
    if (c.native) {
      if (!c.native(v)) issues.push(constraintIssue(path, c));
      continue;
    }
    if (c.guard?.(v)) continue;
    if (!evalConstraint(c, typed, path, scope, issues)) issues.push(constraintIssue(path, c));
  }
}

/** Runs the FHIRPath of one constraint; true when satisfied. Evaluation failures become warnings. */
export function evalConstraint(
  c: CompiledConstraint,
  typed: TypedValue,
  path: string,
  scope: InvariantScope,
  issues: OperationOutcomeIssue[],
): boolean {
  const context = { ...typed, path };
  const variables: Record<string, TypedValue> = { '%context': context, '%ucum': UCUM_TV };
  if (scope.resource) variables['%resource'] = scope.resource;
  if (scope.rootResource) variables['%rootResource'] = scope.rootResource;
  try {
    const result = evalFhirPathTyped(c.atom, [context], variables);
    return result.length === 1 && result[0]?.value === true;
  } catch (err) {
    // A FHIRPath engine limitation is not a fault in the data: say so, but do not reject the write.
    issues.push({
      severity: 'warning',
      code: 'processing',
      details: { text: `Constraint ${c.key} could not be evaluated: ${err instanceof Error ? err.message : String(err)}` },
      expression: [path],
    });
    return true;
  }
}

function constraintIssue(path: string, c: CompiledConstraint): OperationOutcomeIssue {
  return createConstraintIssue(path, { key: c.key, severity: 'error', expression: c.expression, description: c.description });
}
