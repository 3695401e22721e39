// HTTP side of the terminology operations: CodeSystem/$lookup, CodeSystem/$validate-code,
// ValueSet/$validate-code and ValueSet/$expand (type level, and instance level for the last three).
// Parameters come from the query string (GET) or a Parameters body (POST, plus any query parameters);
// the answer is a Parameters or ValueSet resource, and failures are HttpErrors carrying an
// OperationOutcome (400 missing/bad parameter, 404 unknown CodeSystem/ValueSet/code, 422 not answerable here).
// The work is done by the pure TerminologyService (src/profiles/terminology), over the project's
// terminology and the R4 terminology the validator has indexed.
import type { CodeableConcept, Coding, CodeSystem, Parameters, ParametersParameter, Resource, ValueSet } from '@medplum/fhirtypes';
import type { CodingInput, ExpandInput, LookupInput, ValidateCodeInput } from '../../profiles/terminology/index.ts';
import { TerminologyError, TerminologyService, allTerminology } from '../../profiles/terminology/index.ts';
import type { R4Index } from '../../profiles/validation/r4-index.ts';
import { getR4Index } from '../../profiles/validation/r4-index.ts';
import { loadR4Definitions } from '../r4-definitions.ts';
import { HttpError, httpError, outcome } from './outcome.ts';

export type TerminologyType = 'CodeSystem' | 'ValueSet';

/** Every CodeSystem and ValueSet the project owns: register them with the Validator and serve them. */
export { allTerminology };

/** The operations per type; `instance`: also allowed as `/{type}/{id}/{op}`. */
export const TERMINOLOGY_OPERATIONS: Readonly<Record<TerminologyType, Readonly<Record<string, { instance: boolean }>>>> = {
  CodeSystem: { $lookup: { instance: false }, '$validate-code': { instance: true } },
  ValueSet: { $expand: { instance: true }, '$validate-code': { instance: true } },
};

/** Is `op` (with its `$`) a terminology operation on `type`, at type level or (`instance`) instance level? */
export function isTerminologyOperation(type: string, op: string, instance = false): boolean {
  if (type !== 'CodeSystem' && type !== 'ValueSet') return false;
  const def = TERMINOLOGY_OPERATIONS[type][op];
  return def !== undefined && (!instance || def.instance);
}

// Parameters each operation reads; anything else is a 400 (a typo should not silently change the answer).
const SUPPORTED: Record<string, readonly string[]> = {
  'CodeSystem/$lookup': ['system', 'code', 'version', 'coding', 'property'],
  'CodeSystem/$validate-code': ['url', 'system', 'code', 'version', 'display', 'coding'],
  'ValueSet/$validate-code': ['url', 'valueSetVersion', 'system', 'systemVersion', 'code', 'version', 'display', 'coding', 'codeableConcept'],
  'ValueSet/$expand': ['url', 'valueSetVersion', 'filter', 'count', 'offset'],
};
const IGNORED = new Set(['_format', '_pretty']);

let shared: { service: TerminologyService; r4: R4Index | undefined } | undefined;

/**
 * The gateway's service: the project's terminology plus the R4 CodeSystems and ValueSets (displays and
 * $lookup from the R4 bundles; expansions layered on the validator's already-built R4 index).
 */
export function gatewayTerminologyService(): TerminologyService {
  const r4 = getR4Index();
  if (!shared || shared.r4 !== r4) {
    const service = new TerminologyService({
      extra: loadR4Definitions().terminology,
      ...(r4 ? { extraIndex: r4.terminology } : {}),
      now: () => new Date(),
    });
    shared = { service, r4 };
  }
  return shared.service;
}

/** A Parameters resource from query-string pairs (GET): every value a string. */
export function parametersFromQuery(pairs: Iterable<[string, string]>): Parameters {
  const parameter: ParametersParameter[] = [];
  for (const [name, value] of pairs) parameter.push({ name, valueString: value });
  return { resourceType: 'Parameters', parameter };
}

export interface TerminologyOperationOptions {
  /** Instance level: the id of the CodeSystem or ValueSet in the path. */
  id?: string;
  service?: TerminologyService;
}

/**
 * Runs one operation. `params` is the POST body (a Parameters resource) or `parametersFromQuery(...)`.
 * Returns the answer (Parameters or ValueSet); throws HttpError with an OperationOutcome.
 */
export function terminologyOperation(type: TerminologyType, op: string, params: Parameters, options: TerminologyOperationOptions = {}): Resource {
  const key = `${type}/${op}`;
  const supported = SUPPORTED[key];
  if (!supported || (options.id !== undefined && !isTerminologyOperation(type, op, true))) {
    throw httpError(404, 'not-supported', `Operation ${op} is not supported on ${type}${options.id !== undefined ? '/[id]' : ''}`);
  }
  const service = options.service ?? gatewayTerminologyService();
  try {
    const p = readParameters(params, supported);
    if (options.id !== undefined) {
      const url = service.urlOfId(type, options.id);
      const given = p.string('url');
      if (given !== undefined && given.split('|')[0] !== url) {
        throw httpError(400, 'invalid', `url ${given} is not the url of ${type}/${options.id} (${url})`, 'url');
      }
      p.set('url', url);
    }
    switch (key) {
      case 'CodeSystem/$lookup':
        return service.lookup(lookupInput(p));
      case 'CodeSystem/$validate-code':
        return service.validateCodeInCodeSystem(validateInput(p));
      case 'ValueSet/$validate-code':
        return service.validateCodeInValueSet(validateInput(p));
      default:
        return service.expand(expandInput(p));
    }
  } catch (err) {
    if (err instanceof TerminologyError) throw httpError(err.status, err.code, err.message, err.expression);
    throw err;
  }
}

/**
 * Convenience for the dispatcher: GET reads the query pairs, POST the Parameters body plus the query
 * pairs. Returns the resource to send with status 200; throws HttpError.
 */
export function terminologyRequest(
  method: string,
  type: TerminologyType,
  op: string,
  query: Iterable<[string, string]>,
  body: unknown,
  options: TerminologyOperationOptions = {},
): Resource {
  const fromQuery = parametersFromQuery(query);
  if (method === 'GET' || method === 'HEAD') return terminologyOperation(type, op, fromQuery, options);
  if (method !== 'POST') {
    throw new HttpError(405, outcome('error', 'not-supported', `${method} is not allowed here; allowed: GET, POST`), { Allow: 'GET, POST' });
  }
  if (!body || typeof body !== 'object' || (body as { resourceType?: unknown }).resourceType !== 'Parameters') {
    throw httpError(400, 'invalid', `The body of ${type}/${op} must be a Parameters resource`, 'resourceType');
  }
  const fromBody = body as Parameters;
  const merged: Parameters = { resourceType: 'Parameters', parameter: [...(fromBody.parameter ?? []), ...(fromQuery.parameter ?? [])] };
  return terminologyOperation(type, op, merged, options);
}

// ---- reading parameters -------------------------------------------------------------------------

class Params {
  readonly #values = new Map<string, ParametersParameter[]>();
  constructor(list: ParametersParameter[]) {
    for (const p of list) {
      const l = this.#values.get(p.name);
      if (l) l.push(p);
      else this.#values.set(p.name, [p]);
    }
  }

  #one(name: string): ParametersParameter | undefined {
    const l = this.#values.get(name);
    if (l && l.length > 1) throw httpError(400, 'invalid', `The parameter "${name}" may be given only once`, name);
    return l?.[0];
  }

  set(name: string, value: string): void {
    this.#values.set(name, [{ name, valueString: value }]);
  }

  string(name: string): string | undefined {
    const p = this.#one(name);
    if (!p) return undefined;
    const v = p.valueString ?? p.valueUri ?? p.valueCode ?? p.valueCanonical ?? p.valueUrl ?? p.valueId;
    if (typeof v !== 'string') throw httpError(400, 'invalid', `The parameter "${name}" must be a string, code or uri`, name);
    return v;
  }

  strings(name: string): string[] {
    return (this.#values.get(name) ?? []).map((p) => {
      const v = p.valueCode ?? p.valueString ?? p.valueUri;
      if (typeof v !== 'string') throw httpError(400, 'invalid', `The parameter "${name}" must be a code`, name);
      return v;
    });
  }

  integer(name: string): number | undefined {
    const p = this.#one(name);
    if (!p) return undefined;
    if (typeof p.valueInteger === 'number') {
      if (p.valueInteger < 0) throw httpError(400, 'invalid', `${name} must be a non-negative integer`, name);
      return p.valueInteger;
    }
    const s = p.valueString ?? p.valueCode;
    if (typeof s !== 'string' || !/^\d{1,9}$/.test(s)) throw httpError(400, 'invalid', `${name} must be a non-negative integer`, name);
    return Number(s);
  }

  coding(name: string): CodingInput | undefined {
    const p = this.#one(name);
    if (!p) return undefined;
    if (!p.valueCoding || typeof p.valueCoding !== 'object') throw httpError(400, 'invalid', `The parameter "${name}" must be a Coding (valueCoding)`, name);
    return codingInput(p.valueCoding);
  }

  codeableConcept(name: string): { coding: CodingInput[] } | undefined {
    const p = this.#one(name);
    if (!p) return undefined;
    const cc: CodeableConcept | undefined = p.valueCodeableConcept;
    if (!cc || typeof cc !== 'object') throw httpError(400, 'invalid', `The parameter "${name}" must be a CodeableConcept`, name);
    return { coding: (cc.coding ?? []).map(codingInput) };
  }
}

function codingInput(c: Coding): CodingInput {
  const out: CodingInput = {};
  if (typeof c.system === 'string') out.system = c.system;
  if (typeof c.code === 'string') out.code = c.code;
  if (typeof c.display === 'string') out.display = c.display;
  if (typeof c.version === 'string') out.version = c.version;
  return out;
}

function readParameters(params: Parameters, supported: readonly string[]): Params {
  if (!params || params.resourceType !== 'Parameters') throw httpError(400, 'invalid', 'The operation needs a Parameters resource', 'resourceType');
  const list = (params.parameter ?? []).filter((p) => !IGNORED.has(p?.name));
  for (const p of list) {
    if (!p || typeof p.name !== 'string') throw httpError(400, 'invalid', 'Every parameter needs a name', 'Parameters.parameter');
    if (!supported.includes(p.name)) {
      throw httpError(400, 'not-supported', `The parameter "${p.name}" is not supported here; supported: ${supported.join(', ')}`, p.name);
    }
  }
  return new Params(list);
}

function assign<T extends object>(target: T, key: keyof T, value: T[keyof T] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function lookupInput(p: Params): LookupInput {
  const input: LookupInput = {};
  assign(input, 'system', p.string('system'));
  assign(input, 'code', p.string('code'));
  assign(input, 'version', p.string('version'));
  assign(input, 'coding', p.coding('coding'));
  const property = p.strings('property');
  if (property.length > 0) input.property = property;
  return input;
}

function validateInput(p: Params): ValidateCodeInput {
  const input: ValidateCodeInput = {};
  assign(input, 'url', p.string('url'));
  assign(input, 'system', p.string('system'));
  assign(input, 'code', p.string('code'));
  assign(input, 'display', p.string('display'));
  assign(input, 'coding', p.coding('coding'));
  assign(input, 'codeableConcept', p.codeableConcept('codeableConcept'));
  return input;
}

function expandInput(p: Params): ExpandInput {
  const input: ExpandInput = {};
  assign(input, 'url', p.string('url'));
  assign(input, 'filter', p.string('filter'));
  assign(input, 'count', p.integer('count'));
  assign(input, 'offset', p.integer('offset'));
  return input;
}

/** For serving: the project's CodeSystem or ValueSet with this id (read interaction), if any. */
export function terminologyResource(type: TerminologyType, id: string): CodeSystem | ValueSet | undefined {
  return allTerminology().find((r) => r.resourceType === type && r.id === id);
}
