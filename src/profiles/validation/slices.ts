// What a profile says *inside* a slice. Medplum recognises slices and checks how many values each slice
// has, but not the slice's own rules (e.g. `identifier:visitNumber.value 1..1`). For each value that matches
// a slice (by medplum's own discriminator matching, so both agree on which value is in which slice) this
// checks the slice's child elements: cardinality, fixed and pattern values, required bindings, error
// invariants and the types the slice narrows (an extension's `value[x]`, type-restrictions.ts); and it
// rejects values that match no slice of a closed slicing.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { InternalSchemaElement, InternalTypeSchema, SliceDefinition, SlicingRules, TypedValue } from '@medplum/core';
import { arrayify, deepEquals, deepIncludes, getNestedProperty, matchDiscriminant, tryGetDataType } from '@medplum/core';
import type { ExpansionLookup } from './bindings.ts';
import { checkBoundValue } from './bindings.ts';
import type { CompiledConstraint, InvariantScope } from './invariants.ts';
import { compileConstraints, evalConstraint } from './invariants.ts';
import type { TypeRestriction } from './type-restrictions.ts';
import { baseElementAt, checkRestrictedValue, restrictionOf } from './type-restrictions.ts';

type Tv = TypedValue & { path: string };

/** A sliced element, addressed by its path below the resource root (e.g. `identifier`, `participant.type`). */
export interface SliceSite {
  readonly relPath: string;
  readonly slicing: SlicingRules;
  /** Error invariants of each slice and its children, pre-parsed; keyed by the element object. */
  readonly constraints: ReadonlyMap<InternalSchemaElement, readonly CompiledConstraint[]>;
  /** What the slice and its children narrow of their base types; keyed by the element object. */
  readonly restrictions: ReadonlyMap<InternalSchemaElement, TypeRestriction>;
}

/** Finds every sliced element of a profile schema, including those inside backbone elements. */
export function collectSliceSites(schema: InternalTypeSchema): SliceSite[] {
  const sites: SliceSite[] = [];
  const add = (relPath: string, element: InternalSchemaElement): void => {
    const slicing = element.slicing;
    if (!slicing || slicing.slices.length === 0) return;
    const constraints = new Map<InternalSchemaElement, readonly CompiledConstraint[]>();
    const restrictions = new Map<InternalSchemaElement, TypeRestriction>();
    const restrict = (el: InternalSchemaElement, base: InternalSchemaElement | undefined): void => {
      const r = restrictionOf(el, base, schema.name);
      if (r) restrictions.set(el, r);
    };
    for (const slice of slicing.slices) {
      constraints.set(slice, compileConstraints(slice.constraints));
      restrict(slice, element);
      const sliceType = slice.type?.length === 1 ? tryGetDataType(slice.type[0]!.code) : undefined;
      for (const [key, child] of Object.entries(slice.elements)) {
        constraints.set(child, compileConstraints(child.constraints));
        restrict(child, sliceType && baseElementAt(sliceType, key));
      }
    }
    sites.push({ relPath, slicing, constraints, restrictions });
  };
  for (const [key, el] of Object.entries(schema.elements)) add(key, el);
  const prefix = schema.path + '.';
  for (const inner of schema.innerTypes) {
    if (!inner.path.startsWith(prefix)) continue;
    const innerRel = inner.path.slice(prefix.length);
    for (const [key, el] of Object.entries(inner.elements)) add(`${innerRel}.${key}`, el);
  }
  return sites;
}

/** Checks the contents of every slice of one profile in `root` (typed as the base resource type). */
export function checkSlices(
  root: Tv,
  sites: readonly SliceSite[],
  lookup: ExpansionLookup,
  issues: OperationOutcomeIssue[],
): void {
  const scope: InvariantScope = { resource: root, rootResource: root };
  for (const site of sites) {
    for (const group of getNestedProperty(root, site.relPath, { withPath: true })) {
      for (const value of arrayify(group) ?? []) {
        if (value?.value === undefined) continue;
        const slice = findSlice(value, site.slicing);
        if (!slice) {
          if (site.slicing.rule === 'closed') {
            issues.push(structure(value.path, `This value matches none of the slices defined for ${site.relPath}, and the slicing is closed`));
          }
          continue;
        }
        checkSliceValue(value, slice, site, lookup, scope, issues);
      }
    }
  }
}

/** The first slice whose discriminators all match, exactly as medplum decides it when it counts slices. */
function findSlice(value: TypedValue, slicing: SlicingRules): SliceDefinition | undefined {
  for (const slice of slicing.slices) {
    const matches = slicing.discriminator.every((d) =>
      (arrayify(getNestedProperty(value, d.path)) ?? []).some((v) => matchDiscriminant(v, d, slice)),
    );
    if (matches) return slice;
  }
  return undefined;
}

function checkSliceValue(
  value: Tv,
  slice: SliceDefinition,
  site: SliceSite,
  lookup: ExpansionLookup,
  scope: InvariantScope,
  issues: OperationOutcomeIssue[],
): void {
  if (!checkElementValue(value, slice, slice.name, site, lookup, scope, issues)) return;
  // Below a value of a type the slice does not allow, its children's rules would only repeat the error.
  let wrongType: string[] | undefined;
  for (const [rel, el] of Object.entries(slice.elements)) {
    if (wrongType?.some((w) => rel.startsWith(w + '.'))) continue;
    const dot = rel.lastIndexOf('.');
    const leaf = rel.slice(dot + 1);
    const parents: Tv[] = dot < 0 ? [value] : flatten(getNestedProperty(value, rel.slice(0, dot), { withPath: true }));
    for (const parent of parents) {
      const children = flatten(getNestedProperty(parent, leaf, { withPath: true }));
      if (children.length < el.min || children.length > el.max) {
        const max = Number.isFinite(el.max) ? String(el.max) : '*';
        issues.push(
          structure(
            `${parent.path}.${leaf.replace('[x]', '')}`,
            `Slice '${slice.name}' requires ${el.min}..${max} value(s) of ${rel.replace('[x]', '')}, but found ${children.length}`,
          ),
        );
      }
      for (const child of children) if (!checkElementValue(child, el, slice.name, site, lookup, scope, issues)) (wrongType ??= []).push(rel);
    }
  }
}

/**
 * Narrowed type, fixed[x], pattern[x], required binding and error invariants of one element, on one value.
 * False when the value's type is one the element does not allow (then only that is reported).
 */
function checkElementValue(
  value: Tv,
  el: InternalSchemaElement,
  sliceName: string,
  site: SliceSite,
  lookup: ExpansionLookup,
  scope: InvariantScope,
  issues: OperationOutcomeIssue[],
): boolean {
  const restriction = site.restrictions.get(el);
  if (restriction && !checkRestrictedValue(value, restriction, `Slice '${sliceName}': `, issues)) return false;
  const typed = { type: value.type, value: value.value };
  if (el.fixed && !deepEquals(typed, el.fixed)) {
    issues.push(structure(value.path, `Slice '${sliceName}': the value must be exactly ${JSON.stringify(el.fixed.value)}`));
  }
  if (el.pattern && !deepIncludes(typed, el.pattern)) {
    issues.push(structure(value.path, `Slice '${sliceName}': the value must match the pattern ${JSON.stringify(el.pattern.value)}`));
  }
  if (el.binding?.strength === 'required' && el.binding.valueSet) {
    checkBoundValue(value, value.path, el.binding.valueSet, lookup, issues);
  }
  for (const c of site.constraints.get(el) ?? []) {
    if (!evalConstraint(c, value, value.path, scope, issues)) {
      issues.push({
        severity: 'error',
        code: 'invariant',
        details: { text: `Constraint ${c.key} not met: ${c.description}` },
        expression: [value.path],
        diagnostics: JSON.stringify({ fhirpath: c.expression }),
      });
    }
  }
  return true;
}

function flatten(groups: (Tv | Tv[])[]): Tv[] {
  const out: Tv[] = [];
  for (const g of groups) for (const v of arrayify(g) ?? []) if (v?.value !== undefined) out.push(v);
  return out;
}

const structure = (path: string, text: string): OperationOutcomeIssue => ({
  severity: 'error',
  code: 'structure',
  details: { text },
  expression: [path],
});
