// Local terminology operations, pure: CodeSystem/$lookup, CodeSystem/$validate-code,
// ValueSet/$validate-code and ValueSet/$expand over the project's terminology, plus any other
// CodeSystems and ValueSets handed in (the R4 terminology, when the gateway passes its bundles).
// Expansion reuses the validator's TerminologyIndex, so $expand and $validate-code agree with what
// the validator enforces on a required binding. Failures are TerminologyErrors with an HTTP status.
import type {
  CodeSystem,
  CodeSystemConcept,
  OperationOutcomeIssue,
  Parameters,
  ParametersParameter,
  ValueSet,
  ValueSetExpansionContains,
} from '@medplum/fhirtypes';
import { canonicalUrl, membership, TerminologyIndex } from '../validation/terminology.ts';
import type { Expansion } from '../validation/terminology.ts';
import { TERMINOLOGY_DATE } from './build.ts';
import { builtTerminology } from './catalog.ts';

/** A failed operation: 400 (bad or missing input), 404 (unknown CodeSystem, ValueSet or code), 422 (cannot be done here). */
export class TerminologyError extends Error {
  readonly status: 400 | 404 | 422;
  readonly code: OperationOutcomeIssue['code'];
  readonly expression: string | undefined;
  constructor(status: 400 | 404 | 422, code: OperationOutcomeIssue['code'], message: string, expression?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.expression = expression;
  }
}

export interface CodingInput {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface LookupInput {
  system?: string;
  code?: string;
  version?: string;
  coding?: CodingInput;
  /** Properties wanted in the answer; all when absent. */
  property?: string[];
}

export interface ValidateCodeInput {
  /** The ValueSet (ValueSet/$validate-code) or CodeSystem (CodeSystem/$validate-code) canonical URL. */
  url?: string;
  system?: string;
  code?: string;
  display?: string;
  coding?: CodingInput;
  codeableConcept?: { coding?: CodingInput[] };
}

export interface ExpandInput {
  url?: string;
  /** Case-insensitive text: a code whose code, display or any designation contains it. */
  filter?: string;
  count?: number;
  offset?: number;
}

export interface TerminologyServiceOptions {
  /** More CodeSystems and ValueSets, or Bundles of them (e.g. the R4 terminology bundles). */
  extra?: Iterable<unknown>;
  /**
   * An index that already holds the `extra` definitions (e.g. `getR4Index().terminology`): expansions are
   * layered on it instead of indexing them again. Without it, `extra` is indexed here.
   */
  extraIndex?: TerminologyIndex;
  /** The expansion timestamp (FHIR requires one); the terminology's date when absent. */
  now?: () => Date;
}

/** Expansions larger than this need `count` (a page). */
export const MAX_UNPAGED_EXPANSION = 10_000;

interface IndexedCodeSystem {
  resource: CodeSystem;
  /** Concepts in depth-first document order, with their parent. */
  concepts: Map<string, { concept: CodeSystemConcept; order: number; parent: string | undefined; children: string[] }>;
}

function flatten(resources: Iterable<unknown>): (CodeSystem | ValueSet)[] {
  const out: (CodeSystem | ValueSet)[] = [];
  for (const r of resources) {
    if (!r || typeof r !== 'object') continue;
    const t = (r as { resourceType?: unknown }).resourceType;
    if (t === 'CodeSystem' || t === 'ValueSet') out.push(r as CodeSystem | ValueSet);
    else if (t === 'Bundle') out.push(...flatten(((r as { entry?: { resource?: unknown }[] }).entry ?? []).map((e) => e?.resource)));
  }
  return out;
}

function indexConcepts(cs: CodeSystem): IndexedCodeSystem['concepts'] {
  const map: IndexedCodeSystem['concepts'] = new Map();
  let order = 0;
  const visit = (list: CodeSystemConcept[] | undefined, parent: string | undefined): void => {
    for (const c of list ?? []) {
      if (typeof c?.code !== 'string' || map.has(c.code)) continue;
      map.set(c.code, { concept: c, order: order++, parent, children: (c.concept ?? []).map((k) => k.code).filter((k) => typeof k === 'string') });
      visit(c.concept, c.code);
    }
  };
  visit(cs.concept, undefined);
  return map;
}

const isComplete = (cs: CodeSystem): boolean => cs.content === 'complete' || cs.content === undefined;

function codingOf(input: { system?: string; code?: string; display?: string; version?: string; coding?: CodingInput }): CodingInput {
  if (input.coding) return input.coding;
  const c: CodingInput = {};
  if (input.system !== undefined) c.system = input.system;
  if (input.code !== undefined) c.code = input.code;
  if (input.display !== undefined) c.display = input.display;
  if (input.version !== undefined) c.version = input.version;
  return c;
}

function displaysOf(concept: CodeSystemConcept): string[] {
  const out: string[] = [];
  if (concept.display) out.push(concept.display);
  for (const d of concept.designation ?? []) if (d.value) out.push(d.value);
  return out;
}

const param = (name: string, value: Omit<ParametersParameter, 'name'>): ParametersParameter => ({ name, ...value });

export class TerminologyService {
  readonly #codeSystems = new Map<string, CodeSystem>();
  readonly #valueSets = new Map<string, ValueSet>();
  readonly #byId = { CodeSystem: new Map<string, string>(), ValueSet: new Map<string, string>() };
  readonly #concepts = new Map<string, IndexedCodeSystem>();
  readonly #index: TerminologyIndex;
  readonly #now: () => Date;

  constructor(options: TerminologyServiceOptions = {}) {
    const built = builtTerminology();
    const own: (CodeSystem | ValueSet)[] = [...built.codeSystems, ...built.valueSets];
    const extra = flatten(options.extra ?? []);
    // Own definitions win over extras with the same URL.
    for (const r of [...extra, ...own]) this.#add(r);
    this.#index = options.extraIndex ? new TerminologyIndex(own, options.extraIndex) : new TerminologyIndex([...extra, ...own]);
    this.#now = options.now ?? (() => new Date(`${TERMINOLOGY_DATE}T00:00:00Z`));
  }

  #add(r: CodeSystem | ValueSet): void {
    if (typeof r.url !== 'string') return;
    const url = canonicalUrl(r.url);
    if (r.resourceType === 'CodeSystem') this.#codeSystems.set(url, r);
    else this.#valueSets.set(url, r);
    if (typeof r.id === 'string') this.#byId[r.resourceType].set(r.id, url);
  }

  /** The canonical URL of the CodeSystem or ValueSet with this id, or 404. */
  urlOfId(type: 'CodeSystem' | 'ValueSet', id: string): string {
    const url = this.#byId[type].get(id);
    if (!url) throw new TerminologyError(404, 'not-found', `${type}/${id} is not known to this server's terminology`);
    return url;
  }

  codeSystem(url: string): CodeSystem | undefined {
    return this.#codeSystems.get(canonicalUrl(url));
  }

  valueSet(url: string): ValueSet | undefined {
    return this.#valueSets.get(canonicalUrl(url));
  }

  #indexed(url: string): IndexedCodeSystem | undefined {
    const u = canonicalUrl(url);
    let ix = this.#concepts.get(u);
    if (ix) return ix;
    const cs = this.#codeSystems.get(u);
    if (!cs) return undefined;
    ix = { resource: cs, concepts: indexConcepts(cs) };
    this.#concepts.set(u, ix);
    return ix;
  }

  #requireCodeSystem(system: string | undefined, expression: string): IndexedCodeSystem {
    if (!system) throw new TerminologyError(400, 'required', `The "${expression}" parameter is required`, expression);
    const ix = this.#indexed(system);
    if (!ix) throw new TerminologyError(404, 'not-found', `CodeSystem ${system} is not known to this server`, expression);
    return ix;
  }

  /** CodeSystem/$lookup: name, version, display, definition, designations and properties of a code. */
  lookup(input: LookupInput): Parameters {
    const coding = codingOf(input);
    const expression = input.coding ? 'coding' : 'system';
    const ix = this.#requireCodeSystem(coding.system, expression);
    if (!coding.code) throw new TerminologyError(400, 'required', 'The "code" parameter is required', input.coding ? 'coding.code' : 'code');
    const entry = ix.concepts.get(coding.code);
    const cs = ix.resource;
    if (!entry) {
      if (!isComplete(cs)) {
        throw new TerminologyError(422, 'not-supported', `CodeSystem ${cs.url} is not held in full here (content ${cs.content}); code '${coding.code}' cannot be looked up`, 'code');
      }
      throw new TerminologyError(404, 'not-found', `Code '${coding.code}' is not in CodeSystem ${cs.url}`, 'code');
    }
    const { concept } = entry;
    const out: ParametersParameter[] = [param('name', { valueString: cs.title ?? cs.name ?? (cs.url as string) })];
    if (cs.version) out.push(param('version', { valueString: cs.version }));
    out.push(param('display', { valueString: concept.display ?? concept.code }));
    if (concept.definition) out.push(param('definition', { valueString: concept.definition }));
    for (const d of concept.designation ?? []) {
      const part: ParametersParameter[] = [];
      if (d.language) part.push(param('language', { valueCode: d.language }));
      if (d.use) part.push(param('use', { valueCoding: d.use }));
      part.push(param('value', { valueString: d.value }));
      out.push(param('designation', { part }));
    }
    const wanted = input.property && input.property.length > 0 ? new Set(input.property) : undefined;
    const addProperty = (code: string, value: Omit<ParametersParameter, 'name'>): void => {
      if (!wanted || wanted.has(code)) out.push(param('property', { part: [param('code', { valueCode: code }), param('value', value)] }));
    };
    if (concept.definition && wanted?.has('definition')) addProperty('definition', { valueString: concept.definition });
    if (entry.parent !== undefined) addProperty('parent', { valueCode: entry.parent });
    for (const child of entry.children) addProperty('child', { valueCode: child });
    for (const p of concept.property ?? []) {
      const { code, ...value } = p;
      addProperty(code, value);
    }
    return { resourceType: 'Parameters', parameter: out };
  }

  /** CodeSystem/$validate-code: is the code (and display, when given) in the CodeSystem? */
  validateCodeInCodeSystem(input: ValidateCodeInput): Parameters {
    const coding = codingOf(input);
    const url = input.url ?? coding.system;
    const ix = this.#requireCodeSystem(url, 'url');
    if (input.url && coding.system && canonicalUrl(coding.system) !== canonicalUrl(input.url)) {
      return result(false, `The coding's system ${coding.system} is not the CodeSystem ${input.url}`);
    }
    if (!coding.code) throw new TerminologyError(400, 'required', 'The "code" parameter (or a coding) is required', 'code');
    const entry = ix.concepts.get(coding.code);
    if (!entry) {
      if (!isComplete(ix.resource)) {
        throw new TerminologyError(422, 'not-supported', `CodeSystem ${ix.resource.url} is not held in full here; code '${coding.code}' cannot be checked`, 'code');
      }
      return result(false, `Code '${coding.code}' is not in CodeSystem ${ix.resource.url}`);
    }
    return displayResult(entry.concept, coding.display, ix.resource.url as string);
  }

  /** ValueSet/$validate-code: is the code (coding, or any coding of a CodeableConcept) in the ValueSet? */
  validateCodeInValueSet(input: ValidateCodeInput): Parameters {
    const url = input.url;
    if (!url) throw new TerminologyError(400, 'required', 'The "url" parameter (the ValueSet) is required', 'url');
    const exp = this.#expansion(url);
    const codings = input.codeableConcept ? (input.codeableConcept.coding ?? []) : [codingOf(input)];
    if (codings.length === 0 || codings.some((c) => !c.code)) {
      throw new TerminologyError(400, 'required', 'The "code" parameter (or a coding or codeableConcept with codes) is required', 'code');
    }
    const messages: string[] = [];
    let unknown: string | undefined;
    for (const c of codings) {
      const code = c.code as string;
      const m = membership(exp, c.system, code);
      if (m === 'member') {
        const system = c.system ?? this.#systemOf(exp, code);
        const concept = system ? this.#indexed(system)?.concepts.get(code)?.concept : undefined;
        if (!concept) return result(true, undefined, c.display);
        const r = displayResult(concept, c.display, system as string);
        if (input.codeableConcept && !isTrue(r)) {
          messages.push(messageOf(r));
          continue;
        }
        return r;
      }
      if (m === 'unknown') unknown = `${c.system ?? '(no system)'}|${code}`;
      else messages.push(`Code '${code}'${c.system ? ` of ${c.system}` : ''} is not in ValueSet ${canonicalUrl(url)}`);
    }
    if (unknown !== undefined && messages.length === codings.length - 1) {
      throw new TerminologyError(422, 'not-supported', `Membership of ${unknown} in ValueSet ${canonicalUrl(url)} cannot be decided here (its codes cannot all be enumerated)`, 'code');
    }
    return result(false, messages.join('; '));
  }

  /** ValueSet/$expand with an optional text filter and paging. */
  expand(input: ExpandInput): ValueSet {
    const url = input.url;
    if (!url) throw new TerminologyError(400, 'required', 'The "url" parameter (the ValueSet) is required', 'url');
    const exp = this.#expansion(url);
    if (exp.openAll || exp.openSystems.size > 0 || exp.grammars.size > 0) {
      const what = exp.openAll ? 'some of its definitions' : [...exp.openSystems, ...exp.grammars.keys()].join(', ');
      throw new TerminologyError(422, 'too-costly', `ValueSet ${canonicalUrl(url)} cannot be expanded here: the codes of ${what} cannot be enumerated`, 'url');
    }
    const offset = input.offset ?? 0;
    const count = input.count;
    if (!Number.isInteger(offset) || offset < 0) throw new TerminologyError(400, 'invalid', 'offset must be a non-negative integer', 'offset');
    if (count !== undefined && (!Number.isInteger(count) || count < 0)) throw new TerminologyError(400, 'invalid', 'count must be a non-negative integer', 'count');

    const vs = this.valueSet(url) as ValueSet;
    const listed = listedDisplays(vs);
    const needle = input.filter?.trim().toLowerCase();
    const all: ValueSetExpansionContains[] = [];
    for (const [system, codes] of this.#ordered(exp, vs)) {
      const ix = this.#indexed(system);
      for (const code of codes) {
        const concept = ix?.concepts.get(code)?.concept;
        const display = listed.get(`${system}|${code}`) ?? concept?.display;
        if (needle) {
          const texts = [code, ...(display ? [display] : []), ...(concept ? displaysOf(concept) : [])];
          if (!texts.some((t) => t.toLowerCase().includes(needle))) continue;
        }
        const item: ValueSetExpansionContains = { system, code };
        const version = ix?.resource.version;
        if (version) item.version = version;
        if (display) item.display = display;
        all.push(item);
      }
    }
    if (count === undefined && all.length > MAX_UNPAGED_EXPANSION) {
      throw new TerminologyError(422, 'too-costly', `ValueSet ${canonicalUrl(url)} has ${all.length} codes; ask for a page with count (at most ${MAX_UNPAGED_EXPANSION})`, 'count');
    }
    const page = all.slice(offset, count === undefined ? undefined : offset + count);
    const parameter: { name: string; valueString?: string; valueInteger?: number }[] = [];
    if (input.filter !== undefined) parameter.push({ name: 'filter', valueString: input.filter });
    if (input.count !== undefined) parameter.push({ name: 'count', valueInteger: input.count });
    if (input.offset !== undefined) parameter.push({ name: 'offset', valueInteger: input.offset });
    const { compose: _compose, expansion: _old, text: _text, meta: _meta, ...rest } = vs;
    return {
      ...rest,
      expansion: {
        timestamp: this.#now().toISOString(),
        total: all.length,
        offset,
        ...(parameter.length > 0 ? { parameter } : {}),
        ...(page.length > 0 ? { contains: page } : {}),
      },
    };
  }

  #expansion(url: string): Expansion {
    const u = canonicalUrl(url);
    if (!this.#valueSets.has(u) && !this.#index.hasValueSet(u)) {
      throw new TerminologyError(404, 'not-found', `ValueSet ${u} is not known to this server`, 'url');
    }
    const exp = this.#index.expand(u);
    if (!exp) throw new TerminologyError(404, 'not-found', `ValueSet ${u} is not known to this server`, 'url');
    if (!this.#valueSets.has(u)) {
      // Known to the layered index (e.g. the validator's R4 index) but not as a resource here.
      this.#valueSets.set(u, { resourceType: 'ValueSet', url: u, status: 'active' });
    }
    return exp;
  }

  #systemOf(exp: Expansion, code: string): string | undefined {
    for (const p of exp.pairs) {
      const bar = p.lastIndexOf('|');
      if (p.slice(bar + 1) === code) return p.slice(0, bar);
    }
    return undefined;
  }

  /** Members grouped by system; codes in the order the ValueSet lists them, else the CodeSystem's order. */
  #ordered(exp: Expansion, vs: ValueSet): Map<string, string[]> {
    const bySystem = new Map<string, string[]>();
    for (const p of exp.pairs) {
      const bar = p.indexOf('|');
      const system = p.slice(0, bar);
      const list = bySystem.get(system);
      if (list) list.push(p.slice(bar + 1));
      else bySystem.set(system, [p.slice(bar + 1)]);
    }
    const listed = new Map<string, number>();
    for (const inc of vs.compose?.include ?? []) for (const c of inc.concept ?? []) if (!listed.has(`${inc.system}|${c.code}`)) listed.set(`${inc.system}|${c.code}`, listed.size);
    for (const [system, codes] of bySystem) {
      const concepts = this.#indexed(system)?.concepts;
      const rank = (code: string): number => listed.get(`${system}|${code}`) ?? listed.size + (concepts?.get(code)?.order ?? Number.MAX_SAFE_INTEGER);
      codes.sort((a, b) => rank(a) - rank(b));
    }
    return bySystem;
  }
}

function listedDisplays(vs: ValueSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const inc of vs.compose?.include ?? []) {
    for (const c of inc.concept ?? []) if (inc.system && c.display) out.set(`${inc.system}|${c.code}`, c.display);
  }
  return out;
}

function result(ok: boolean, message?: string, display?: string): Parameters {
  const parameter: ParametersParameter[] = [param('result', { valueBoolean: ok })];
  if (message) parameter.push(param('message', { valueString: message }));
  if (display) parameter.push(param('display', { valueString: display }));
  return { resourceType: 'Parameters', parameter };
}

const isTrue = (p: Parameters): boolean => p.parameter?.[0]?.valueBoolean === true;
const messageOf = (p: Parameters): string => p.parameter?.find((x) => x.name === 'message')?.valueString ?? '';

/** True with the concept's display; false when a display was given that is neither it nor a designation. */
function displayResult(concept: CodeSystemConcept, display: string | undefined, system: string): Parameters {
  const preferred = concept.display ?? concept.code;
  if (display === undefined || displaysOf(concept).includes(display)) return result(true, undefined, preferred);
  return result(false, `Display '${display}' is wrong for code '${concept.code}' of ${system}: expected '${preferred}'`, preferred);
}

// ---- module-level functions over a default service ---------------------------------------------

let defaultService: { service: TerminologyService; parent: TerminologyIndex | undefined } | undefined;

/**
 * The service over the project's own terminology, layered on `parent` (pass the validator's R4 index,
 * `getR4Index()?.terminology`, to expand and validate against R4 ValueSets too). Rebuilt when `parent` changes.
 */
export function terminologyService(parent?: TerminologyIndex): TerminologyService {
  if (!defaultService || defaultService.parent !== parent) {
    defaultService = { service: new TerminologyService(parent ? { extraIndex: parent } : {}), parent };
  }
  return defaultService.service;
}

/** CodeSystem/$lookup over the project's terminology. Throws TerminologyError. */
export function lookup(system: string, code: string, service: TerminologyService = terminologyService()): Parameters {
  return service.lookup({ system, code });
}

/**
 * $validate-code: `urlOrSystem` names one of the project's ValueSets or CodeSystems (ValueSet first).
 * Throws TerminologyError for an unknown URL.
 */
export function validateCode(urlOrSystem: string, code: string, display?: string, service: TerminologyService = terminologyService()): Parameters {
  const base = display === undefined ? { code } : { code, display };
  if (service.valueSet(urlOrSystem)) return service.validateCodeInValueSet({ url: urlOrSystem, ...base });
  if (service.codeSystem(urlOrSystem)) return service.validateCodeInCodeSystem({ url: urlOrSystem, ...base });
  throw new TerminologyError(404, 'not-found', `No ValueSet or CodeSystem ${canonicalUrl(urlOrSystem)} is known to this server`, 'url');
}

/** ValueSet/$expand over the project's terminology. Throws TerminologyError. */
export function expand(valueSetUrl: string, filter?: string, count?: number, offset?: number, service: TerminologyService = terminologyService()): ValueSet {
  const input: ExpandInput = { url: valueSetUrl };
  if (filter !== undefined) input.filter = filter;
  if (count !== undefined) input.count = count;
  if (offset !== undefined) input.offset = offset;
  return service.expand(input);
}
