// Final shaping of the issues from every pass: FHIRPath-valid expressions and no duplicates.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * Medplum names choice elements `value[x]`, which is not FHIRPath; `value` is. It also reports a few
 * issues without an expression; those get the root so every issue names an element.
 */
function normalise(issue: OperationOutcomeIssue, root: string): OperationOutcomeIssue {
  const expression = issue.expression?.length ? issue.expression.map((e) => e.replaceAll('[x]', '')) : [root];
  const text = issue.details?.text ?? issue.diagnostics ?? 'Invalid resource';
  return { ...issue, details: { ...issue.details, text }, expression };
}

/** Normalises and removes issues that more than one pass reported (same severity, code, place and text). */
export function finishIssues(issues: readonly OperationOutcomeIssue[], root: string): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  const out: OperationOutcomeIssue[] = [];
  for (const raw of issues) {
    const issue = normalise(raw, root);
    const key = `${issue.severity}\u0000${issue.code}\u0000${issue.expression?.join(',')}\u0000${issue.details?.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}
