// The one write pipeline: every entry point (REST, bundles, later the ingest adapters) hands a candidate
// resource here; it is checked (shape, then the validation layers) before the store writes it.
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { HttpError, httpError } from './http/outcome.ts';

export interface ValidationContext {
  now: Date;
}

/** What the pipeline needs of a validator (src/profiles/validation's Validator has this shape). */
export interface ResourceValidator {
  validate(resource: unknown, ctx: ValidationContext, options?: { profiles?: string[] }): OperationOutcomeIssue[];
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: string): boolean {
  return ID.test(id);
}

// Names that JavaScript objects inherit: a schema lookup such as `elements[key]` finds them on every object,
// so a validator written that way takes `constructor` or `__proto__` for a known element (medplum's does).
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * FHIR JSON rules the structure validator does not enforce: no empty objects or arrays (R4 JSON: elements
 * are never empty: `"gender": {}` or `"name": []` is not FHIR), and no element named like an inherited
 * JavaScript property. Depth is already bounded by the body reader.
 */
export function shapeIssues(value: unknown): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return issues;
  const rt = (value as { resourceType?: unknown }).resourceType;
  const visit = (v: unknown, path: string, depth: number): void => {
    if (issues.length >= 100 || depth > 200 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (v.length === 0) issues.push(shapeIssue('An array in FHIR JSON is never empty: leave the element out', path));
      v.forEach((x, i) => visit(x, `${path}[${i}]`, depth + 1));
      return;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) issues.push(shapeIssue('An object in FHIR JSON is never empty: leave the element out', path));
    for (const k of keys) {
      const at = path ? `${path}.${k}` : k;
      if (INHERITED.has(k)) issues.push(shapeIssue(`Invalid additional property "${k}"`, at));
      visit((v as Record<string, unknown>)[k], at, depth + 1);
    }
  };
  visit(value, typeof rt === 'string' && /^[A-Za-z]{1,64}$/.test(rt) ? rt : '', 0);
  return issues;
}

function shapeIssue(text: string, path: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'structure', details: { text }, ...(path ? { expression: [path] } : {}) };
}

export interface Checked<T extends Resource = Resource> {
  resource: T;
  warnings: OperationOutcomeIssue[];
}

export class WritePipeline {
  private readonly validator: ResourceValidator;
  private readonly isServed: (type: string) => boolean;
  private readonly clock: () => Date;

  constructor(validator: ResourceValidator, isServed: (type: string) => boolean, clock: () => Date = () => new Date()) {
    this.validator = validator;
    this.isServed = isServed;
    this.clock = clock;
  }

  /**
   * Checks a candidate for a write of `expectedType` (and `expectedId` for an update):
   * 400 when it is not that resource at all, 422 with every issue when it is invalid.
   */
  check<T extends Resource = Resource>(candidate: unknown, expectedType: string, expectedId?: string): Checked<T> {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
      throw httpError(400, 'structure', 'The body must be a JSON object: a FHIR resource', '');
    }
    const resourceType = (candidate as { resourceType?: unknown }).resourceType;
    if (typeof resourceType !== 'string') throw httpError(400, 'required', 'resourceType is missing', 'resourceType');
    if (resourceType !== expectedType) {
      throw httpError(400, 'invalid', `resourceType is ${resourceType}, but this URL takes ${expectedType}`, 'resourceType');
    }
    const id = (candidate as { id?: unknown }).id;
    if (expectedId !== undefined) {
      if (id === undefined) throw httpError(400, 'required', `An update must carry the id from the URL (${expectedId})`, `${expectedType}.id`);
      if (id !== expectedId) throw httpError(400, 'invalid', `The id ${String(id)} does not match the id in the URL (${expectedId})`, `${expectedType}.id`);
    }
    const issues = [...shapeIssues(candidate), ...this.validator.validate(candidate, { now: this.clock() })];
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    if (errors.length) throw new HttpError(422, { resourceType: 'OperationOutcome', issue: issues });
    return { resource: candidate as T, warnings: issues };
  }

  /** $validate: every issue, never a throw for an invalid resource; an all-clear when there is none. */
  validate(candidate: unknown, profiles?: string[]): OperationOutcome {
    const issues = [...shapeIssues(candidate), ...this.validator.validate(candidate, { now: this.clock() }, profiles?.length ? { profiles } : undefined)];
    return {
      resourceType: 'OperationOutcome',
      issue: issues.length
        ? issues
        : [{ severity: 'information', code: 'informational', details: { text: 'No issues: the resource is valid' } }],
    };
  }

  served(type: string): boolean {
    return this.isServed(type);
  }
}
