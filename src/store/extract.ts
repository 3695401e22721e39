// Fast value extraction for search indexing. Most R4 search expressions are plain paths
// (`Encounter.subject`, `Patient.telecom.where(system='phone')`, `Encounter.participant.individual.where(resolve() is Practitioner)`,
// `(Observation.value as Quantity)`): those are compiled here into direct property walks, about a
// microsecond each instead of the ~20 µs a general FHIRPath evaluation costs. Anything else returns
// undefined and the indexer evaluates it with @medplum/core's FHIRPath, so results never differ in kind.

export type Extractor = (resource: unknown) => unknown[];

type Step = { kind: 'prop'; name: string } | { kind: 'resolveIs'; type: string } | { kind: 'whereEq'; field: string; value: string } | { kind: 'as'; type: string };

const NAME = '[a-zA-Z][a-zA-Z0-9]*';
const BRANCH = new RegExp(`^\\(?(${NAME})((?:\\.${NAME})+)(?:\\.where\\(resolve\\(\\) is (${NAME})\\)|\\.where\\((${NAME})\\s*=\\s*'([^']*)'\\)|\\.as\\((${NAME})\\)| as (${NAME})\\))?$`);

/** Compiles an expression (one branch or a `|` union of simple branches) for resourceType, or undefined. */
export function compileExtractor(resourceType: string, expression: string): Extractor | undefined {
  const branches = expression.split('|').map((b) => b.trim());
  const compiled: Step[][] = [];
  for (const branch of branches) {
    const m = BRANCH.exec(branch);
    if (!m) return undefined;
    const [, root, path, resolveIs, whereField, whereValue, asFn, asOp] = m;
    if (root !== resourceType) return undefined;
    // Only `(X.y as T)` is parenthesised; a branch ending in `where(...)` or `.as(T)` ends with ')' unopened.
    if (branch.startsWith('(') && !(asOp && branch.endsWith(')'))) return undefined;
    const steps: Step[] = (path as string).slice(1).split('.').map((name) => ({ kind: 'prop' as const, name }));
    if (resolveIs) steps.push({ kind: 'resolveIs', type: resolveIs });
    if (whereField) steps.push({ kind: 'whereEq', field: whereField, value: whereValue ?? '' });
    const asType = asFn ?? asOp;
    if (asType) steps.push({ kind: 'as', type: asType });
    compiled.push(steps);
  }
  return (resource) => {
    const out: unknown[] = [];
    for (const steps of compiled) walk(resource, steps, 0, out);
    return out;
  };
}

function walk(value: unknown, steps: Step[], i: number, out: unknown[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, steps, i, out);
    return;
  }
  if (i === steps.length) {
    out.push(value);
    return;
  }
  const step = steps[i]!;
  switch (step.kind) {
    case 'prop': {
      if (typeof value !== 'object') return;
      const obj = value as Record<string, unknown>;
      let next = obj[step.name];
      // A choice element: `deceased` matches deceasedBoolean or deceasedDateTime, as FHIRPath does.
      if (next === undefined && !(step.name in obj)) {
        for (const k in obj) {
          if (k.length > step.name.length && k.startsWith(step.name) && isUpper(k.charCodeAt(step.name.length))) {
            next = { [CHOICE]: k.slice(step.name.length), value: obj[k] };
            break;
          }
        }
      }
      if (next !== null && typeof next === 'object' && CHOICE in next) {
        // The `as` step after a choice keeps only the named type; without one the value passes as is.
        const choice = next as { [CHOICE]: string; value: unknown };
        const following = steps[i + 1];
        if (following?.kind === 'as') {
          if (choice[CHOICE].toLowerCase() === following.type.toLowerCase()) walk(choice.value, steps, i + 2, out);
          return;
        }
        walk(choice.value, steps, i + 1, out);
        return;
      }
      walk(next, steps, i + 1, out);
      return;
    }
    case 'resolveIs': {
      const ref = (value as { reference?: unknown }).reference;
      if (typeof ref === 'string' && referenceType(ref) === step.type) walk(value, steps, i + 1, out);
      return;
    }
    case 'whereEq':
      if (typeof value === 'object' && (value as Record<string, unknown>)[step.field] === step.value) walk(value, steps, i + 1, out);
      return;
    case 'as':
      // `as` straight on a plain (non-choice) element: the element has one type, so the value passes.
      walk(value, steps, i + 1, out);
      return;
  }
}

const CHOICE = Symbol('choice');

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** The resource type a reference string points at (`Patient/1`, `https://x/fhir/Patient/1/_history/2`). */
export function referenceType(ref: string): string | undefined {
  const parts = ref.split('?')[0]!.split('/');
  const hist = parts.lastIndexOf('_history');
  const end = hist > 0 ? hist : parts.length;
  const type = parts[end - 2];
  return type && /^[A-Z][A-Za-z]+$/.test(type) ? type : undefined;
}
