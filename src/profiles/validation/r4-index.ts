// The process-wide index of the R4 definitions.
//
// This is the one piece of module-level state in src/profiles, and it exists because @medplum/core forces
// it: medplum's type schemas and SearchParameters live in its own global registry, which
// `indexStructureDefinitionBundle` fills. Everything we derive from the same definitions (the set of R4
// resource types, the terminology, the compiled datatype invariants, the walk tables) is built in the same
// call and kept next to it, so the two can never disagree. The index is replaced as a whole, never
// mutated; it only changes when new definition bundles are indexed, which in practice happens once.
import type { Bundle, OperationOutcomeIssue, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';
import type { ElementType, InternalSchemaElement, InternalTypeSchema } from '@medplum/core';
import {
  capitalize,
  getAllDataTypes,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isPrimitiveType,
} from '@medplum/core';
import type { CompiledConstraint } from './invariants.ts';
import { compileConstraints } from './invariants.ts';
import { canonicalUrl, TerminologyIndex } from './terminology.ts';

export interface R4Definitions {
  structureDefinitions: Bundle[];
  searchParameters: Bundle[];
  terminology: Bundle[];
}

/** How the walker treats one JSON property of a type. */
export interface Slot {
  /** Element name as it appears in FHIRPath (`value` for `valueQuantity`). */
  readonly name: string;
  /** The value's type; undefined for primitives and for `Resource` slots (typed by `resourceType`). */
  readonly type: TypeInfo | undefined;
  readonly dynamicResource: boolean;
  /** The element repeats (a JSON array). */
  readonly array: boolean;
  /** Invariants of the value's type that medplum does not already check on this element. */
  readonly constraints: readonly CompiledConstraint[];
}

export interface TypeInfo {
  readonly name: string;
  /** The type's own error invariants (empty for backbone types: medplum checks those on the element). */
  readonly constraints: readonly CompiledConstraint[];
  readonly slots: ReadonlyMap<string, Slot>;
}

export interface R4Index {
  readonly resourceTypes: ReadonlySet<string>;
  readonly types: ReadonlyMap<string, TypeInfo>;
  readonly terminology: TerminologyIndex;
  /** Canonical URLs of every ValueSet under a required binding in the R4 definitions (pre-expanded). */
  readonly requiredValueSets: ReadonlySet<string>;
  /** Invariants FHIRPath could not parse (so not enforced), for the record. */
  readonly unparsedConstraints: readonly string[];
}

let current: R4Index | undefined;
// Bundles already folded into `current`, so that indexing the same definitions again is free.
const seen = new WeakSet<Bundle>();
const allDefs: R4Definitions = { structureDefinitions: [], searchParameters: [], terminology: [] };

/** Indexes the R4 definitions (medplum's global schema and ours). Idempotent: known bundles are skipped. */
export function indexR4Definitions(defs: R4Definitions): void {
  const fresh = (bundles: Bundle[]): Bundle[] => bundles.filter((b) => b && !seen.has(b));
  const sds = fresh(defs.structureDefinitions);
  const sps = fresh(defs.searchParameters);
  const terms = fresh(defs.terminology);
  if (current && sds.length === 0 && sps.length === 0 && terms.length === 0) return;
  for (const b of sds) indexStructureDefinitionBundle(b);
  for (const b of sps) indexSearchParameterBundle(b as Bundle<SearchParameter>);
  allDefs.structureDefinitions.push(...sds);
  allDefs.searchParameters.push(...sps);
  allDefs.terminology.push(...terms);
  current = buildIndex(allDefs);
  for (const b of [...sds, ...sps, ...terms]) seen.add(b);
}

/** The current index, or undefined before `indexR4Definitions` has run. */
export function getR4Index(): R4Index | undefined {
  return current;
}

function* resourcesOf(bundles: Bundle[]): Generator<unknown> {
  for (const b of bundles) for (const e of b.entry ?? []) if (e.resource) yield e.resource;
}

const SPECIAL_PROFILE_TYPES: Readonly<Record<string, string>> = {
  'http://hl7.org/fhir/StructureDefinition/SimpleQuantity': 'SimpleQuantity',
  'http://hl7.org/fhir/StructureDefinition/MoneyQuantity': 'MoneyQuantity',
};

function buildIndex(defs: R4Definitions): R4Index {
  const resourceTypes = new Set<string>();
  const topLevel = new Set<string>(); // complex types and resources that have their own invariants
  const requiredValueSets = new Set<string>();
  for (const r of resourcesOf(defs.structureDefinitions)) {
    const sd = r as StructureDefinition;
    if (sd.resourceType !== 'StructureDefinition' || !sd.type) continue;
    const special = sd.url ? SPECIAL_PROFILE_TYPES[sd.url] : undefined;
    if (sd.derivation === 'specialization' || special) {
      if (sd.kind === 'resource' && !sd.abstract) resourceTypes.add(sd.type);
      if (sd.kind === 'resource' || sd.kind === 'complex-type') topLevel.add(special ?? sd.type);
    }
    for (const el of sd.snapshot?.element ?? []) {
      if (el.binding?.strength === 'required' && el.binding.valueSet) requiredValueSets.add(canonicalUrl(el.binding.valueSet));
    }
  }

  const unparsed: string[] = [];
  const schemas = getAllDataTypes();
  const ownConstraints = new Map<string, CompiledConstraint[]>();
  for (const name of topLevel) {
    const schema = schemas[name];
    if (schema) ownConstraints.set(name, compileConstraints(schema.constraints, unparsed));
  }

  const types = new Map<string, TypeInfo>();
  const pending: [InternalTypeSchema, Map<string, Slot>][] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!schema || name.includes('://')) continue; // profiles registered by type URL are not base types
    const slots = new Map<string, Slot>();
    types.set(name, { name, constraints: ownConstraints.get(name) ?? [], slots });
    pending.push([schema, slots]);
  }
  // Second pass: slots point at TypeInfo objects, so every type must exist first.
  for (const [schema, slots] of pending) {
    for (const [key, element] of Object.entries(schema.elements)) {
      if (key.includes('.')) continue;
      addSlots(slots, key, element, types, ownConstraints);
    }
  }

  const terminology = new TerminologyIndex(resourcesOf(defs.terminology));
  for (const url of requiredValueSets) terminology.expand(url); // pre-compute: the write path only looks up
  return { resourceTypes, types, terminology, requiredValueSets, unparsedConstraints: unparsed };
}

function addSlots(
  slots: Map<string, Slot>,
  key: string,
  element: InternalSchemaElement,
  types: ReadonlyMap<string, TypeInfo>,
  ownConstraints: ReadonlyMap<string, CompiledConstraint[]>,
): void {
  // Invariants medplum already evaluates on this element (e.g. ext-1 on `extension`) are not repeated.
  const elementKeys = new Set((element.constraints ?? []).map((c) => c.key));
  const slotFor = (name: string, t: ElementType): Slot => {
    const dynamicResource = t.code === 'Resource' || t.code === 'DomainResource';
    const primitive = isPrimitiveType(t.code);
    const profileType = t.profile?.map((p) => SPECIAL_PROFILE_TYPES[p]).find((x) => x !== undefined);
    const own = ownConstraints.get(profileType ?? t.code) ?? [];
    return {
      name,
      type: primitive || dynamicResource ? undefined : types.get(t.code),
      dynamicResource,
      array: element.isArray === true,
      constraints: own.filter((c) => !elementKeys.has(c.key)),
    };
  };
  if (key.endsWith('[x]')) {
    const base = key.slice(0, -3);
    for (const t of element.type) slots.set(base + capitalize(t.code), slotFor(base, t));
  } else if (element.type[0]) {
    slots.set(key, slotFor(key, element.type[0]));
  }
}

/** An error issue for validating before the definitions are loaded: a deployment fault, said plainly. */
export function notIndexedIssue(): OperationOutcomeIssue {
  return {
    severity: 'error',
    code: 'exception',
    details: { text: 'The FHIR R4 definitions have not been loaded, so nothing can be validated' },
    expression: ['$this'],
  };
}
