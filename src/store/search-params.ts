// The search parameters the store indexes and answers, compiled once from SearchParameter resources
// (the R4 definitions plus the project's own). Only what is registered here is declared in the
// CapabilityStatement, indexed on write and accepted in a search.
import { parseFhirPath, type FhirPathAtom } from '@medplum/core';
import { compileExtractor, type Extractor } from './extract.ts';
import type { SearchParameter } from '@medplum/fhirtypes';

export type IndexedType = 'token' | 'string' | 'date' | 'reference' | 'uri';

export interface IndexedParam {
  code: string;
  type: IndexedType;
  /** The FHIRPath for this resource type only (shared parameters' unions are cut down to this type's branch). */
  expression: string;
  atom: FhirPathAtom;
  /** A direct property walk for simple path expressions; undefined means evaluate `atom` with FHIRPath. */
  extract?: Extractor;
  /** Reference targets, for reference parameters. */
  targets: string[];
  url: string;
  description?: string;
}

/** Resource types served; each gets every token, string, date, reference and uri parameter R4 defines for it. */
export const SERVED_RESOURCE_TYPES = [
  'Patient',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Encounter',
  'Communication',
  'CareTeam',
  'CarePlan',
  'Consent',
  'DocumentReference',
  'Measure',
  'MeasureReport',
  'Subscription',
  'AuditEvent',
] as const;

const INDEXED_TYPES = new Set<string>(['token', 'string', 'date', 'reference', 'uri']);
// Resource-level parameters we answer from index rows; _id and _lastUpdated come from columns.
const RESOURCE_LEVEL = new Set(['_profile', '_security', '_tag', '_source']);
// Column-backed parameters, accepted on every type.
export const COLUMN_PARAMS = {
  _id: { code: '_id', type: 'token' as const, url: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
  _lastUpdated: { code: '_lastUpdated', type: 'date' as const, url: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated' },
};

export class SearchParamRegistry {
  private readonly byType = new Map<string, Map<string, IndexedParam>>();
  readonly resourceTypes: readonly string[];

  constructor(definitions: SearchParameter[], resourceTypes: readonly string[] = SERVED_RESOURCE_TYPES) {
    this.resourceTypes = resourceTypes;
    for (const type of resourceTypes) this.byType.set(type, new Map());
    for (const sp of definitions) this.add(sp);
  }

  /** Adds one SearchParameter (e.g. the project's own); later additions replace earlier ones with the same code. */
  add(sp: SearchParameter): void {
    if (!sp.code || !sp.expression || !sp.type || !INDEXED_TYPES.has(sp.type)) return;
    const bases = (sp.base ?? []) as string[];
    const types = bases.includes('Resource') || bases.includes('DomainResource') ? this.resourceTypes : bases;
    if ((bases.includes('Resource') || bases.includes('DomainResource')) && !RESOURCE_LEVEL.has(sp.code)) return;
    for (const type of types) {
      const params = this.byType.get(type);
      if (!params) continue;
      const expression = expressionFor(type, sp.expression);
      if (!expression) continue;
      params.set(sp.code, {
        code: sp.code,
        type: sp.type as IndexedType,
        expression,
        atom: parseFhirPath(expression),
        extract: compileExtractor(type, expression),
        targets: sp.target ?? [],
        url: sp.url ?? '',
        description: sp.description,
      });
    }
  }

  isServed(resourceType: string): boolean {
    return this.byType.has(resourceType);
  }

  params(resourceType: string): ReadonlyMap<string, IndexedParam> {
    return this.byType.get(resourceType) ?? new Map();
  }

  get(resourceType: string, code: string): IndexedParam | undefined {
    return this.byType.get(resourceType)?.get(code);
  }
}

/** The branch of a (possibly shared, `|`-joined) expression that applies to one resource type. */
function expressionFor(resourceType: string, expression: string): string | undefined {
  const branches = splitUnion(expression).filter(
    (b) => b.startsWith(resourceType + '.') || b.startsWith('(' + resourceType + '.') || b.startsWith('Resource.'),
  );
  // Resource-level expressions (Resource.meta.profile) are rewritten onto the concrete type.
  return branches.length ? branches.map((b) => b.replace(/^Resource\./, resourceType + '.')).join(' | ') : undefined;
}

function splitUnion(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(expression.slice(start).trim());
  return out;
}
