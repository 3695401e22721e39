// What a profile says about an element's *types*, which medplum does not check. Medplum finds a value by the
// base definition's types (its property lookup reads the global R4 schema, not the profile), so a profile
// that narrows `payload.content[x]` to string, or an extension's `value[x]` to dateTime, still accepts
// `contentReference` or `valueString`; and a reference to a resource type the element does not allow is only
// a warning ("Invalid reference"). For every element where a profile narrows its base this checks each value:
// * a choice element (`value[x]`) restricted to some of its base types: a value of another type is an error;
// * a Reference restricted to fewer target types: a literal reference (`Type/id`, relative or absolute) to
//   another type is an error, replacing medplum's warning at the same place. `urn:uuid:`, `#contained`,
//   conditional and identifier-only references say no type that can be checked here and are left alone.
// Elements the profile does not narrow are not sites: what R4 itself says stays as the base pass reports it.
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { InternalSchemaElement, InternalTypeSchema, TypedValue } from '@medplum/core';
import { arrayify, getNestedProperty, isResourceType, tryGetDataType } from '@medplum/core';
import { R4_BASE_SD } from './profiles.ts';
import { canonicalUrl } from './terminology.ts';

type Tv = TypedValue & { path: string };

/** How a profile narrows one element; built once at registration. */
export interface TypeRestriction {
  /** The element's name as written in FHIRPath (`content`, `value`), for messages. */
  readonly name: string;
  /** The profile's name, for messages. */
  readonly profile: string;
  /** The type codes a narrowed choice element allows; undefined when it is not narrowed. */
  readonly types?: ReadonlySet<string>;
  /** The resource types a narrowed Reference may point to; undefined when not narrowed (or not checkable). */
  readonly targets?: ReadonlySet<string>;
}

/** A narrowed element outside slices, addressed by its path below the resource root (`payload.content[x]`). */
export interface TypeSite {
  readonly relPath: string;
  readonly restriction: TypeRestriction;
}

/** Every narrowed element of a profile schema outside slices (slices: `restrictionOf`, from slices.ts). */
export function collectTypeSites(schema: InternalTypeSchema): TypeSite[] {
  const base = tryGetDataType(schema.type);
  if (!base) return [];
  const sites: TypeSite[] = [];
  const add = (relPath: string, key: string, el: InternalSchemaElement, baseOwner: InternalTypeSchema | undefined): void => {
    const restriction = restrictionOf(el, baseOwner && baseElementAt(baseOwner, key), schema.name);
    if (restriction) sites.push({ relPath, restriction });
  };
  for (const [key, el] of Object.entries(schema.elements)) add(key, key, el, base);
  const prefix = schema.path + '.';
  for (const inner of schema.innerTypes) {
    if (!inner.path.startsWith(prefix)) continue;
    const baseInner = base.innerTypes.find((t) => t.path === inner.path);
    const innerRel = inner.path.slice(prefix.length);
    for (const [key, el] of Object.entries(inner.elements)) add(`${innerRel}.${key}`, key, el, baseInner);
  }
  return sites;
}

/**
 * How `el` (a profile's element) narrows `base` (the same element in R4), or undefined when it does not.
 * An unknown base counts as narrowed for a choice element (a value always has one of R4's types, so the
 * check can only fail when the profile's list is shorter) and as not narrowed for a Reference.
 */
export function restrictionOf(el: InternalSchemaElement, base: InternalSchemaElement | undefined, profile: string): TypeRestriction | undefined {
  const leaf = el.path.slice(el.path.lastIndexOf('.') + 1);
  let types: Set<string> | undefined;
  if (leaf.endsWith('[x]') && el.type.length > 0) {
    types = new Set(el.type.map((t) => t.code));
    if (base && base.type.length <= types.size) types = undefined;
  }
  let targets = targetTypes(el);
  if (targets) {
    const baseTargets = base && targetTypes(base);
    if (!base || (baseTargets && baseTargets.size <= targets.size && [...targets].every((t) => baseTargets.has(t)))) targets = undefined;
  }
  if (!types && !targets) return undefined;
  return { name: leaf.replace('[x]', ''), profile, types, targets };
}

/** The resource types an element's Reference may point to; undefined for any (`Resource`, or a profile we cannot resolve). */
function targetTypes(el: InternalSchemaElement): Set<string> | undefined {
  const profiles = el.type.find((t) => t.code === 'Reference')?.targetProfile;
  if (!profiles?.length) return undefined;
  const out = new Set<string>();
  for (const url of profiles) {
    const u = canonicalUrl(url);
    const type = u.startsWith(R4_BASE_SD) ? u.slice(R4_BASE_SD.length) : '';
    if (!isResourceType(type)) return undefined; // Resource, DomainResource or a profile of some type
    out.add(type);
  }
  return out;
}

/** The element at `key` (e.g. `content[x]`, `subject.identifier`) of an R4 type, following datatypes for dotted keys. */
export function baseElementAt(owner: InternalTypeSchema, key: string): InternalSchemaElement | undefined {
  const direct = owner.elements[key];
  if (direct) return direct;
  for (let dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
    const head = owner.elements[key.slice(0, dot)];
    if (!head) continue;
    if (head.type.length !== 1) return undefined; // below a choice element: which type is meant is not known here
    const code = head.type[0]?.code ?? '';
    const next = owner.innerTypes.find((t) => t.name === code) ?? tryGetDataType(code);
    return next && baseElementAt(next, key.slice(dot + 1));
  }
  return undefined;
}

/** Checks the narrowed elements of one profile outside its slices. */
export function checkTypeSites(root: Tv, sites: readonly TypeSite[], issues: OperationOutcomeIssue[]): void {
  for (const site of sites) {
    for (const group of getNestedProperty(root, site.relPath, { withPath: true })) {
      for (const value of arrayify(group) ?? []) {
        if (value?.value !== undefined) checkRestrictedValue(value, site.restriction, '', issues);
      }
    }
  }
}

// A literal reference: `Type/id` or `http(s)://server/path/Type/id`, optionally with `/_history/vid` (FHIR R4 §2.3.0.2).
const LITERAL_REFERENCE = /^(?:https?:\/\/\S*\/)?([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const MEDPLUM_REFERENCE_WARNING = 'Invalid reference: got ';

/**
 * One value against one restriction; `prefix` goes before the message (e.g. `Slice 'x': `). False when the
 * value breaks it (the error is in `issues`).
 */
export function checkRestrictedValue(value: Tv, r: TypeRestriction, prefix: string, issues: OperationOutcomeIssue[]): boolean {
  if (r.types && !r.types.has(value.type)) {
    issues.push(error(value.path, `${prefix}${r.name} is of type ${value.type}, but profile ${r.profile} allows only ${list(r.types)} here`));
    return false;
  }
  if (!r.targets || value.type !== 'Reference') return true;
  const reference = (value.value as { reference?: unknown }).reference;
  const type = typeof reference === 'string' ? LITERAL_REFERENCE.exec(reference)?.[1] : undefined;
  if (!type || r.targets.has(type) || !isResourceType(type)) return true;
  // Medplum reports the same mismatch as a warning at the same place; the error replaces it.
  const i = issues.findIndex(
    (x) => x.severity === 'warning' && x.expression?.[0] === value.path && x.details?.text?.startsWith(MEDPLUM_REFERENCE_WARNING),
  );
  if (i >= 0) issues.splice(i, 1);
  issues.push(
    error(value.path, `${prefix}${r.name} refers to ${type} (${reference as string}), but profile ${r.profile} allows only a reference to ${list(r.targets)} here`),
  );
  return false;
}

/** `a`, `a or b`, `a, b or c`. */
function list(items: ReadonlySet<string>): string {
  const all = [...items];
  return all.length < 2 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
}

const error = (path: string, text: string): OperationOutcomeIssue => ({ severity: 'error', code: 'structure', details: { text }, expression: [path] });
