// One pass over the resource JSON, typed by the R4 schemas, that evaluates the invariants of every nested
// datatype and nested resource (medplum only evaluates a type's own invariants at the validation root).
// It visits only the properties present, looks types up in precomputed tables, and runs FHIRPath only for
// types that have invariants and only when a guard cannot prove them satisfied. It also finds what would
// stop medplum's validator cold (unknown nested resource types, absurd nesting) before it runs.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { TypedValue } from '@medplum/core';
import type { InvariantScope } from './invariants.ts';
import { checkConstraints } from './invariants.ts';
import type { R4Index, Slot, TypeInfo } from './r4-index.ts';

/** Deeper than any real FHIR resource nests; beyond it we refuse rather than risk the stack. */
export const MAX_DEPTH = 100;

type Json = Record<string, unknown>;

interface Walk extends InvariantScope {
  readonly index: R4Index;
  readonly issues: OperationOutcomeIssue[];
  resource: TypedValue | undefined;
  rootResource: TypedValue | undefined;
  /** Set when medplum's validator must not run on this input (it would throw or recurse too deep). */
  blocked: boolean;
}

/** Walks a resource whose root type is known; returns true if the structure pass must be skipped. */
export function walkResource(resource: Json, info: TypeInfo, index: R4Index, issues: OperationOutcomeIssue[]): boolean {
  const root: TypedValue = { type: info.name, value: resource };
  const walk: Walk = { index, issues, resource: root, rootResource: root, blocked: false };
  // The root's own invariants are medplum's job; we start with its properties.
  walkObject(walk, resource, info, info.name, 1);
  return walk.blocked;
}

function walkObject(walk: Walk, obj: Json, info: TypeInfo, path: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    walk.blocked = true;
    walk.issues.push({
      severity: 'error',
      code: 'structure',
      details: { text: `The resource is nested more than ${MAX_DEPTH} levels deep` },
      expression: [path],
    });
    return;
  }
  for (const key in obj) {
    const raw = obj[key];
    if (key.charCodeAt(0) === 95 /* _ */) {
      visitPrimitiveExtension(walk, key, raw, info, path, depth);
      continue;
    }
    // Primitives hold no datatypes; wrong JSON types are reported by medplum's structure pass.
    if (raw === null || typeof raw !== 'object') continue;
    const slot = info.slots.get(key);
    // Unknown properties are medplum's to report; primitives hold no datatypes.
    if (slot === undefined || (!slot.type && !slot.dynamicResource)) continue;
    const base = path + '.' + slot.name;
    if (Array.isArray(raw)) {
      for (let i = 0; i < raw.length; i++) visitValue(walk, raw[i], slot, base + '[' + i + ']', depth);
    } else {
      visitValue(walk, raw, slot, base, depth);
    }
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An Element as found in `_name`: only `id` and `extension` are allowed. */
const isElementObject = (v: unknown): boolean => {
  if (!isObject(v)) return false;
  for (const k in v) if (k !== 'id' && k !== 'extension') return false;
  return true;
};

/**
 * `_name` carries the id and extensions of primitive `name`: an object, or for a list an array of objects
 * and nulls, with only `id` and `extension` in them. Anything else can make medplum's validator throw, so
 * it is reported here and blocks that pass.
 */
function visitPrimitiveExtension(walk: Walk, key: string, raw: unknown, info: TypeInfo, path: string, depth: number): void {
  const base = info.slots.get(key.slice(1));
  if (!base) return; // unknown property: medplum reports it
  const elementPath = path + '.' + base.name;
  const primitive = !base.type && !base.dynamicResource;
  const wellFormed =
    primitive &&
    (base.array ? Array.isArray(raw) && raw.every((x) => x === null || isElementObject(x)) : isElementObject(raw));
  if (!wellFormed) {
    walk.blocked = true;
    const expected = base.array ? 'a list of objects (or nulls)' : 'an object';
    walk.issues.push({
      severity: 'error',
      code: 'structure',
      details: {
        text: primitive
          ? `"${key}" must be ${expected} with only the id and extensions of ${base.name}`
          : `"${key}" is not allowed: ${base.name} is not a primitive element`,
      },
      expression: [elementPath],
    });
    return;
  }
  const element = walk.index.types.get('Element');
  if (!element) return;
  const slot: Slot = { name: base.name, type: element, dynamicResource: false, array: base.array, constraints: element.constraints };
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) visitValue(walk, raw[i], slot, elementPath + '[' + i + ']', depth);
  } else {
    visitValue(walk, raw, slot, elementPath, depth);
  }
}

function visitValue(walk: Walk, v: unknown, slot: Slot, path: string, depth: number): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
  const obj = v as Json;
  if (slot.dynamicResource) {
    visitResource(walk, obj, slot, path, depth);
    return;
  }
  const type = slot.type as TypeInfo;
  if (slot.constraints.length > 0) checkConstraints(slot.constraints, { type: type.name, value: obj }, path, walk, walk.issues);
  walkObject(walk, obj, type, path, depth + 1);
}

function visitResource(walk: Walk, obj: Json, slot: Slot, path: string, depth: number): void {
  const rt = obj.resourceType;
  const info = typeof rt === 'string' && walk.index.resourceTypes.has(rt) ? walk.index.types.get(rt) : undefined;
  if (!info) {
    walk.issues.push({
      severity: 'error',
      code: 'structure',
      details: {
        text:
          typeof rt === 'string'
            ? `Unknown resource type "${rt}" in a nested resource`
            : 'A nested resource must have a resourceType',
      },
      expression: [path + '.resourceType'],
    });
    // medplum's validator throws on an unknown nested type instead of reporting it.
    if (typeof rt === 'string') walk.blocked = true;
    return;
  }
  const saved = [walk.resource, walk.rootResource];
  const typed: TypedValue = { type: info.name, value: obj };
  walk.resource = typed;
  // A contained resource's %rootResource is its container; a Bundle entry is its own root.
  if (slot.name !== 'contained') walk.rootResource = typed;
  if (info.constraints.length > 0) checkConstraints(info.constraints, typed, path, walk, walk.issues);
  walkObject(walk, obj, info, path, depth + 1);
  [walk.resource, walk.rootResource] = saved;
}
