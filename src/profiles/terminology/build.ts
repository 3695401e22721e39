// Builders for the project's CodeSystems and ValueSets: concept specs (Swedish display, English name and
// definition, source) in, FHIR R4 JSON out. Pure data, no clock: the date and version are constants that
// change only when the terminology does.
import type { CodeSystem, CodeSystemConcept, CodeSystemConceptProperty, CodeSystemProperty, ValueSet } from '@medplum/fhirtypes';
import { canonical } from '../canonical.ts';

/** Version of every CodeSystem and ValueSet here; bump it with any change of codes or meaning. */
export const TERMINOLOGY_VERSION = '0.1.0';
/** The date of that version (FHIR `date`, and the default expansion timestamp: no clock in src/profiles). */
export const TERMINOLOGY_DATE = '2025-03-01';
export const PUBLISHER = 'samverkan-gateway';

type PropertyValue = string | number | boolean;

export interface ConceptSpec {
  /** ASCII, lower case with `-` (plan types keep the RIVTA upper-case codes). Never changes once published. */
  code: string;
  /** Swedish display. */
  display: string;
  /** English name (an `en` designation). */
  en: string;
  /** English definition. */
  definition: string;
  /** Where the concept comes from: agreements.md section, law, RIVTA. */
  source: string;
  /** Further properties, declared in the CodeSystem's `properties`. Arrays repeat the property. */
  properties?: Record<string, PropertyValue | readonly PropertyValue[]>;
}

export interface PropertySpec {
  code: string;
  type: 'code' | 'string' | 'integer' | 'boolean';
  description: string;
}

export interface CodeSystemSpec {
  /** URL slug and id: `canonical.codeSystem(name)`. */
  name: string;
  title: string;
  description: string;
  concepts: readonly ConceptSpec[];
  properties?: readonly PropertySpec[];
}

/**
 * An external code system held in full: its owner's URL, codes and displays (no Swedish display, English
 * designation or per-concept source: the copy has one source). Built with the project's date and publisher (of
 * the copy) but no version: the version is the owner's.
 */
export interface ExternalCodeSystemSpec {
  id: string;
  url: string;
  title: string;
  description: string;
  /** The owner's (or HL7's) ValueSet of all its codes. */
  valueSet: string;
  /** Where this copy of the codes comes from. */
  source: string;
  copyright: string;
  properties?: readonly PropertySpec[];
  concepts: readonly { code: string; display: string; properties?: Record<string, PropertyValue> }[];
}

const SOURCE_PROPERTY: PropertySpec = {
  code: 'source',
  type: 'string',
  description: 'Where the concept comes from (agreements.md section, law, RIVTA specification).',
};

/** `notice-kind` → `NoticeKind` (a computer-friendly name, invariant csd-0 / vsd-0). */
export function computableName(slug: string): string {
  return slug
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function propertyValue(code: string, type: PropertySpec['type'], v: PropertyValue): CodeSystemConceptProperty {
  switch (type) {
    case 'code':
      return { code, valueCode: String(v) };
    case 'string':
      return { code, valueString: String(v) };
    case 'integer':
      return { code, valueInteger: Number(v) };
    case 'boolean':
      return { code, valueBoolean: Boolean(v) };
  }
}

export function codeSystem(spec: CodeSystemSpec): CodeSystem {
  const declared = [...(spec.properties ?? []), SOURCE_PROPERTY];
  const types = new Map(declared.map((p) => [p.code, p.type]));
  const codes = new Set<string>();
  const concept: CodeSystemConcept[] = spec.concepts.map((c) => {
    if (codes.has(c.code)) throw new Error(`${spec.name}: duplicate code ${c.code}`);
    codes.add(c.code);
    const property: CodeSystemConceptProperty[] = [];
    for (const [k, value] of Object.entries(c.properties ?? {})) {
      const type = types.get(k);
      if (!type) throw new Error(`${spec.name}/${c.code}: undeclared property ${k}`);
      const values: readonly PropertyValue[] = Array.isArray(value) ? value : [value as PropertyValue];
      for (const v of values) property.push(propertyValue(k, type, v));
    }
    property.push({ code: 'source', valueString: c.source });
    return {
      code: c.code,
      display: c.display,
      definition: c.definition,
      designation: [{ language: 'en', value: c.en }],
      property,
    };
  });
  const property: CodeSystemProperty[] = declared.map((p) => ({
    code: p.code,
    uri: `${canonical.codeSystem(spec.name)}#${p.code}`,
    description: p.description,
    type: p.type,
  }));
  return {
    resourceType: 'CodeSystem',
    id: spec.name,
    url: canonical.codeSystem(spec.name),
    version: TERMINOLOGY_VERSION,
    name: computableName(spec.name),
    title: spec.title,
    status: 'active',
    experimental: false,
    date: TERMINOLOGY_DATE,
    publisher: PUBLISHER,
    description: spec.description,
    caseSensitive: true,
    valueSet: canonical.valueSet(spec.name),
    content: 'complete',
    count: concept.length,
    property,
    concept,
  };
}

export function externalCodeSystem(spec: ExternalCodeSystemSpec): CodeSystem {
  const declared = spec.properties ?? [];
  const types = new Map(declared.map((p) => [p.code, p.type]));
  const codes = new Set<string>();
  const concept: CodeSystemConcept[] = spec.concepts.map((c) => {
    if (codes.has(c.code)) throw new Error(`${spec.url}: duplicate code ${c.code}`);
    codes.add(c.code);
    const property = Object.entries(c.properties ?? {}).map(([k, v]) => {
      const type = types.get(k);
      if (!type) throw new Error(`${spec.url}/${c.code}: undeclared property ${k}`);
      return propertyValue(k, type, v);
    });
    return { code: c.code, display: c.display, ...(property.length ? { property } : {}) };
  });
  return {
    resourceType: 'CodeSystem',
    id: spec.id,
    url: spec.url,
    name: computableName(spec.id),
    title: spec.title,
    status: 'active',
    experimental: false,
    date: TERMINOLOGY_DATE,
    publisher: PUBLISHER,
    description: `${spec.description} Source: ${spec.source}.`,
    copyright: spec.copyright,
    caseSensitive: true,
    valueSet: spec.valueSet,
    content: 'complete',
    count: concept.length,
    ...(declared.length ? { property: declared.map((p) => ({ code: p.code, description: p.description, type: p.type })) } : {}),
    concept,
  };
}

/** The ValueSet of all codes of a CodeSystem, at the same name (`canonical.valueSet(cs.id)`). */
export function allCodesValueSet(cs: CodeSystem): ValueSet {
  const name = cs.id as string;
  return {
    resourceType: 'ValueSet',
    id: name,
    url: canonical.valueSet(name),
    version: TERMINOLOGY_VERSION,
    name: computableName(name),
    title: cs.title ?? name,
    status: 'active',
    experimental: false,
    date: TERMINOLOGY_DATE,
    publisher: PUBLISHER,
    description: `All codes of the CodeSystem ${cs.url}.`,
    immutable: false,
    compose: { include: [{ system: cs.url as string }] },
  };
}

/** A ValueSet of some codes of one CodeSystem, listed (with their Swedish display) in the given order. */
export function subsetValueSet(name: string, title: string, description: string, cs: CodeSystem, codes: readonly string[]): ValueSet {
  const byCode = new Map((cs.concept ?? []).map((c) => [c.code, c]));
  const concept = codes.map((code) => {
    const c = byCode.get(code);
    if (!c) throw new Error(`${name}: ${code} is not a code of ${cs.url}`);
    return { code, display: c.display as string };
  });
  return {
    resourceType: 'ValueSet',
    id: name,
    url: canonical.valueSet(name),
    version: TERMINOLOGY_VERSION,
    name: computableName(name),
    title,
    status: 'active',
    experimental: false,
    date: TERMINOLOGY_DATE,
    publisher: PUBLISHER,
    description,
    compose: { include: [{ system: cs.url as string, concept }] },
  };
}
