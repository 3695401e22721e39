// Required-binding checks. Medplum's validator collects every value under a required binding
// (`collect.tokens`, keyed by ValueSet URL) but never checks them; this checks them against pre-computed
// expansions. A value we cannot decide on (external code system, unknown ValueSet) is a warning.
import type { Coding, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { TypedValue } from '@medplum/core';
import type { Expansion, Membership } from './terminology.ts';
import { canonicalUrl, membership } from './terminology.ts';

export type ExpansionLookup = (valueSetUrl: string) => Expansion | undefined;

type Json = Record<string, unknown>;

/** A string primitive as medplum hands it over (a String object when it carries `_x` extensions). */
function primitiveString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof String) return v.valueOf();
  return undefined;
}

const describeCoding = (c: { system?: unknown; code?: unknown }): string =>
  `${typeof c.system === 'string' ? c.system : '(no system)'}#${typeof c.code === 'string' ? c.code : '(no code)'}`;

function codingMembership(exp: Expansion, c: unknown): Membership {
  if (!c || typeof c !== 'object') return 'not-member';
  const { system, code } = c as Coding;
  if (typeof code !== 'string') return 'not-member';
  return membership(exp, typeof system === 'string' ? system : undefined, code);
}

/** Checks every collected token; `tokens` is medplum's `collect.tokens` (or an equivalent). */
export function checkTokens(
  tokens: Record<string, (TypedValue & { path: string })[]>,
  lookup: ExpansionLookup,
  issues: OperationOutcomeIssue[],
): void {
  for (const [url, values] of Object.entries(tokens)) {
    for (const tv of values) checkBoundValue(tv, tv.path, url, lookup, issues);
  }
}

/** Checks one value bound (required) to `valueSetUrl`, reporting at `path`. */
export function checkBoundValue(
  tv: TypedValue,
  path: string,
  valueSetUrl: string,
  lookup: ExpansionLookup,
  issues: OperationOutcomeIssue[],
): void {
  const vs = canonicalUrl(valueSetUrl);
  const exp = lookup(vs);
  if (!exp) {
    issues.push(warning(path, `The required value set ${vs} is not available here, so this value was not checked`));
    return;
  }
  const v = tv.value as unknown;
  switch (tv.type) {
    case 'code':
    case 'string':
    case 'uri': {
      const code = primitiveString(v);
      if (code === undefined) return; // only extensions (e.g. data-absent-reason): nothing to check
      report(issues, path, membership(exp, undefined, code), `"${code}"`, vs);
      return;
    }
    case 'Coding':
      report(issues, path, codingMembership(exp, v), `Coding ${describeCoding((v ?? {}) as Json)}`, vs);
      return;
    case 'Quantity': {
      const q = (v ?? {}) as Json;
      if (typeof q.code !== 'string') return;
      report(issues, path, codingMembership(exp, q), `Unit ${describeCoding(q)}`, vs);
      return;
    }
    case 'CodeableConcept': {
      const codings = Array.isArray((v as Json | undefined)?.coding) ? ((v as Json).coding as unknown[]) : [];
      if (codings.length === 0) {
        issues.push(error(path, `A code from the required value set ${vs} is needed, but the concept has no coding`));
        return;
      }
      const results = codings.map((c) => codingMembership(exp, c));
      if (results.includes('member')) return;
      const listed = codings.map((c) => describeCoding((c ?? {}) as Json)).join(', ');
      if (results.includes('unknown')) {
        issues.push(warning(path, `Could not verify that any of ${listed} is in the required value set ${vs}`));
      } else {
        issues.push(error(path, `None of the codings (${listed}) is in the required value set ${vs}`));
      }
      return;
    }
    default:
      return;
  }
}

function report(issues: OperationOutcomeIssue[], path: string, m: Membership, what: string, vs: string): void {
  if (m === 'not-member') issues.push(error(path, `${what} is not in the required value set ${vs}`));
  else if (m === 'unknown') issues.push(warning(path, `Could not verify that ${what} is in the required value set ${vs}`));
}

const error = (path: string, text: string): OperationOutcomeIssue => ({
  severity: 'error',
  code: 'code-invalid',
  details: { text },
  expression: [path],
});

const warning = (path: string, text: string): OperationOutcomeIssue => ({
  severity: 'warning',
  code: 'not-supported',
  details: { text },
  expression: [path],
});
