// The write-time identifier check: every Identifier-shaped value under a Swedish identifier system,
// anywhere in a resource (Reference.identifier, contained resources, Bundle entries, extensions),
// must be valid, and every kommunkod/länskod Coding must be a known code. Runs on every write, so it
// is one recursive walk that builds a path string only when it has something to report.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { identifierKind, SWEDISH_TERM } from './systems.ts';
import { checkIdentifierValue } from './value.ts';

export type CheckOptions = {
  /** YYYY-MM-DD. Lets 10-digit personnummer be read and refuses birth dates after it. */
  today?: string;
};

// Far beyond any real resource; a cyclic or hostile object stops here instead of overflowing the stack.
const MAX_DEPTH = 128;
const MAX_NODES = 2_000_000;

/** Issues for every invalid Swedish identifier or kommunkod/länskod code in `resource`. Never throws. */
export function checkSwedishIdentifiers(resource: unknown, options: CheckOptions = {}): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return issues;
  const rootType = (resource as { resourceType?: unknown }).resourceType;
  // Path as a stack: strings are element names, numbers are array indexes.
  const path: (string | number)[] = [typeof rootType === 'string' && rootType !== '' ? rootType : 'Resource'];
  let nodes = 0;
  let stopped = false;

  const currentPath = (): string => {
    let s = '';
    for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
    return s;
  };

  const stop = (code: OperationOutcomeIssue['code'], text: string): void => {
    stopped = true;
    issues.push({ severity: 'error', code, details: { text }, expression: [currentPath()] });
  };

  const checkNode = (node: Record<string, unknown>): void => {
    const system = node.system;
    if (typeof system !== 'string') return;
    const kind = identifierKind(system);
    if (kind === undefined) return;
    let leaf: 'value' | 'code';
    if (Object.hasOwn(node, 'value')) leaf = 'value';
    else if ((kind === 'kommunkod' || kind === 'lanskod') && Object.hasOwn(node, 'code')) leaf = 'code';
    else return;
    const r = checkIdentifierValue(kind, node[leaf], options);
    if (r.ok) return;
    const at = `${currentPath()}.${leaf}`;
    issues.push({
      severity: 'error',
      code: 'value',
      details: { text: `${at} is not a valid ${SWEDISH_TERM[kind]}: ${r.message}` },
      expression: [at],
    });
  };

  const visit = (node: Record<string, unknown>, depth: number): void => {
    if (stopped) return;
    if (++nodes > MAX_NODES) {
      stop('too-costly', 'The resource is too large to check for Swedish identifiers (personnummer, HSA-id, kommunkod …)');
      return;
    }
    if (depth > MAX_DEPTH) {
      stop('too-costly', `The resource nests deeper than ${MAX_DEPTH} levels; Swedish identifiers below here were not checked`);
      return;
    }
    checkNode(node);
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (child === null || typeof child !== 'object') continue;
      path.push(key);
      if (Array.isArray(child)) visitArray(child, depth + 1);
      else visit(child as Record<string, unknown>, depth + 1);
      path.pop();
      if (stopped) return;
    }
  };

  const visitArray = (arr: readonly unknown[], depth: number): void => {
    for (let i = 0; i < arr.length; i++) {
      const el = arr[i];
      if (el === null || typeof el !== 'object') continue;
      path.push(i);
      if (Array.isArray(el)) visitArray(el, depth + 1);
      else visit(el as Record<string, unknown>, depth + 1);
      path.pop();
      if (stopped) return;
    }
  };

  try {
    visit(resource as Record<string, unknown>, 0);
  } catch {
    // Only hostile objects get here (throwing getters, revoked proxies): report, never throw.
    issues.push({
      severity: 'error',
      code: 'exception',
      details: { text: 'The resource could not be read to check its Swedish identifiers' },
    });
  }
  return issues;
}
