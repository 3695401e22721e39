// Pure ValueSet expansion for required-binding checks: CodeSystems and ValueSets in, Sets of codes out.
// Expansions are computed once (at index or profile registration time) so that a membership test on the
// write path is a Set lookup. Anything this code cannot enumerate is marked "open" so that a code it has
// not seen is reported as unverifiable (a warning), never as a false error.
import type { CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';

export type Membership = 'member' | 'not-member' | 'unknown';

export interface Expansion {
  readonly url: string;
  /** `${system}|${code}` for every enumerated member. */
  readonly pairs: ReadonlySet<string>;
  /** Every enumerated code, for `code`-typed elements that carry no system. */
  readonly codes: ReadonlySet<string>;
  /** Systems with members this expansion cannot enumerate (external, fragment, unsupported filter). */
  readonly openSystems: ReadonlySet<string>;
  /** Nothing could be enumerated at all (no compose, unknown nested ValueSet, ...). */
  readonly openAll: boolean;
  /** Systems defined by a grammar rather than a list (BCP-13 MIME types), tested by syntax. */
  readonly grammars: ReadonlyMap<string, RegExp>;
}

// RFC 6838 type/subtype with optional parameters; the R4 `mimetypes` ValueSet is "all of BCP-13".
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$/;
const GRAMMARS: ReadonlyMap<string, RegExp> = new Map([['urn:ietf:bcp:13', MIME_TYPE]]);

/** Strips a `|version` suffix: R4 bindings are versioned (`...|4.0.1`), the definitions are not. */
export function canonicalUrl(url: string): string {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

/** Is `system|code` (or a bare code, when system is undefined) in the expansion? */
export function membership(exp: Expansion, system: string | undefined, code: string): Membership {
  if (system !== undefined) {
    if (exp.pairs.has(system + '|' + code)) return 'member';
    const grammar = exp.grammars.get(system);
    if (grammar) return grammar.test(code) ? 'member' : 'not-member';
    return exp.openAll || exp.openSystems.has(system) ? 'unknown' : 'not-member';
  }
  if (exp.codes.has(code)) return 'member';
  for (const grammar of exp.grammars.values()) if (grammar.test(code)) return 'member';
  return exp.openAll || exp.openSystems.size > 0 ? 'unknown' : 'not-member';
}

/** Mutable working form of an expansion while it is being built. */
interface Draft {
  members: Map<string, Set<string>>; // system -> codes
  open: Set<string>;
  openAll: boolean;
  grammars: Map<string, RegExp>;
}

const emptyDraft = (): Draft => ({ members: new Map(), open: new Set(), openAll: false, grammars: new Map() });

/** A CodeSystem flattened once: every code and the parent->children edges of its hierarchy. */
interface IndexedCodeSystem {
  readonly resource: CodeSystem;
  readonly codes: ReadonlySet<string>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly concepts: ReadonlyMap<string, CodeSystemConcept>;
  readonly enumerable: boolean;
}

function indexCodeSystem(cs: CodeSystem): IndexedCodeSystem {
  const codes = new Set<string>();
  const children = new Map<string, string[]>();
  const concepts = new Map<string, CodeSystemConcept>();
  const addEdge = (parent: string, child: string): void => {
    const list = children.get(parent);
    if (list) {
      if (!list.includes(child)) list.push(child);
    } else children.set(parent, [child]);
  };
  const stack: { c: CodeSystemConcept; parent?: string }[] = (cs.concept ?? []).map((c) => ({ c }));
  while (stack.length > 0) {
    const { c, parent } = stack.pop() as { c: CodeSystemConcept; parent?: string };
    if (typeof c?.code !== 'string') continue;
    codes.add(c.code);
    concepts.set(c.code, c);
    if (parent !== undefined) addEdge(parent, c.code);
    for (const p of c.property ?? []) {
      // Some terminologies express the hierarchy with properties instead of nesting.
      if ((p.code === 'parent' || p.code === 'subsumedBy') && typeof p.valueCode === 'string') addEdge(p.valueCode, c.code);
      if (p.code === 'child' && typeof p.valueCode === 'string') addEdge(c.code, p.valueCode);
    }
    for (const child of c.concept ?? []) stack.push({ c: child, parent: c.code });
  }
  // Only a complete CodeSystem lets us say "this code is not in it".
  const enumerable = (cs.content === 'complete' || cs.content === undefined) && codes.size > 0;
  return { resource: cs, codes, children, concepts, enumerable };
}

function descendants(cs: IndexedCodeSystem, code: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(cs.children.get(code) ?? [])];
  while (stack.length > 0) {
    const c = stack.pop() as string;
    if (out.has(c)) continue;
    out.add(c);
    stack.push(...(cs.children.get(c) ?? []));
  }
  return out;
}

function ancestors(cs: IndexedCodeSystem, code: string): Set<string> {
  const out = new Set<string>();
  for (const [parent, kids] of cs.children) if (kids.includes(code)) out.add(parent);
  for (const a of [...out]) for (const b of ancestors(cs, a)) out.add(b);
  return out;
}

function propertyMatches(concept: CodeSystemConcept, property: string, test: (v: string) => boolean): boolean {
  for (const p of concept.property ?? []) {
    if (p.code !== property) continue;
    const v = p.valueCode ?? p.valueString ?? p.valueCoding?.code ?? (p.valueBoolean === undefined ? undefined : String(p.valueBoolean));
    if (v !== undefined && test(v)) return true;
  }
  return false;
}

/**
 * Applies one ValueSet filter to a code set. Returns undefined for a filter this code does not implement,
 * which makes the caller mark the system as open (unverifiable) rather than guess.
 */
function applyFilter(
  cs: IndexedCodeSystem,
  current: Set<string>,
  f: { property?: string; op?: string; value?: string },
): Set<string> | undefined {
  const { property, op, value } = f;
  if (property === undefined || op === undefined || value === undefined) return undefined;
  const keep = (pred: (code: string) => boolean): Set<string> => new Set([...current].filter(pred));
  const isConcept = property === 'concept' || property === 'code';
  if (isConcept) {
    switch (op) {
      case 'is-a': {
        const sub = descendants(cs, value);
        return keep((c) => c === value || sub.has(c));
      }
      case 'descendent-of': {
        const sub = descendants(cs, value);
        return keep((c) => sub.has(c));
      }
      case 'is-not-a': {
        const sub = descendants(cs, value);
        return keep((c) => c !== value && !sub.has(c));
      }
      case 'generalizes': {
        const up = ancestors(cs, value);
        return keep((c) => c === value || up.has(c));
      }
      case '=':
        return keep((c) => c === value);
      case 'in': {
        const set = new Set(value.split(',').map((s) => s.trim()));
        return keep((c) => set.has(c));
      }
      case 'not-in': {
        const set = new Set(value.split(',').map((s) => s.trim()));
        return keep((c) => !set.has(c));
      }
      case 'regex': {
        const re = safeRegex(value);
        return re ? keep((c) => re.test(c)) : undefined;
      }
      default:
        return undefined;
    }
  }
  const concept = (c: string): CodeSystemConcept | undefined => cs.concepts.get(c);
  switch (op) {
    case '=':
      return keep((c) => {
        const k = concept(c);
        return !!k && propertyMatches(k, property, (v) => v === value);
      });
    case 'in': {
      const set = new Set(value.split(',').map((s) => s.trim()));
      return keep((c) => {
        const k = concept(c);
        return !!k && propertyMatches(k, property, (v) => set.has(v));
      });
    }
    case 'regex': {
      const re = safeRegex(value);
      return re
        ? keep((c) => {
            const k = concept(c);
            return !!k && propertyMatches(k, property, (v) => re.test(v));
          })
        : undefined;
    }
    case 'exists': {
      const want = value === 'true';
      return keep((c) => {
        const k = concept(c);
        return !!k && propertyMatches(k, property, () => true) === want;
      });
    }
    default:
      return undefined;
  }
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

/**
 * An index of CodeSystems and ValueSets by canonical URL that can expand ValueSets. Instances are
 * layered (`parent`) so that a Validator can add its own terminology on top of the shared R4 index
 * without copying it.
 */
export class TerminologyIndex {
  readonly #codeSystems = new Map<string, IndexedCodeSystem>();
  readonly #valueSets = new Map<string, ValueSet>();
  readonly #expansions = new Map<string, Expansion>();
  readonly #parent: TerminologyIndex | undefined;

  constructor(resources: Iterable<unknown>, parent?: TerminologyIndex) {
    this.#parent = parent;
    for (const r of resources) this.add(r);
  }

  /** Adds a CodeSystem or ValueSet; anything else is ignored. Later additions win. */
  add(resource: unknown): void {
    if (!resource || typeof resource !== 'object') return;
    const r = resource as CodeSystem | ValueSet;
    if (typeof r.url !== 'string') return;
    const url = canonicalUrl(r.url);
    if (r.resourceType === 'CodeSystem') this.#codeSystems.set(url, indexCodeSystem(r));
    else if (r.resourceType === 'ValueSet') this.#valueSets.set(url, r);
    else return;
    // A new definition can change any expansion that referred to it.
    this.#expansions.clear();
  }

  hasValueSet(url: string): boolean {
    const u = canonicalUrl(url);
    return this.#valueSets.has(u) || (this.#parent?.hasValueSet(u) ?? false);
  }

  #codeSystem(url: string): IndexedCodeSystem | undefined {
    return this.#codeSystems.get(url) ?? (this.#parent ? this.#parent.#codeSystem(url) : undefined);
  }

  #valueSet(url: string): ValueSet | undefined {
    return this.#valueSets.get(url) ?? (this.#parent ? this.#parent.#valueSet(url) : undefined);
  }

  /** The expansion of a ValueSet, or undefined when this index does not know the ValueSet. Memoised. */
  expand(url: string): Expansion | undefined {
    const u = canonicalUrl(url);
    const cached = this.#expansions.get(u);
    if (cached) return cached;
    // A parent's expansion is reusable only if nothing here shadows what it refers to; we keep it simple
    // and reuse it when this layer adds no terminology at all.
    if (this.#codeSystems.size === 0 && this.#valueSets.size === 0 && this.#parent) return this.#parent.expand(u);
    const vs = this.#valueSet(u);
    if (!vs) return undefined;
    const draft = this.#expandValueSet(vs, new Set([u]));
    const exp = freeze(u, draft);
    this.#expansions.set(u, exp);
    return exp;
  }

  #expandValueSet(vs: ValueSet, visiting: Set<string>): Draft {
    const out = emptyDraft();
    const compose = vs.compose;
    if (compose) {
      for (const inc of compose.include ?? []) union(out, this.#expandInclude(inc, visiting));
      for (const exc of compose.exclude ?? []) subtract(out, this.#expandInclude(exc, visiting));
      return out;
    }
    const contains = vs.expansion?.contains;
    if (contains) {
      const stack = [...contains];
      while (stack.length > 0) {
        const c = stack.pop();
        if (!c) continue;
        if (typeof c.system === 'string' && typeof c.code === 'string') addMember(out, c.system, c.code);
        stack.push(...(c.contains ?? []));
      }
      return out;
    }
    out.openAll = true;
    return out;
  }

  #expandInclude(inc: ValueSetComposeInclude, visiting: Set<string>): Draft {
    let result: Draft | undefined;
    if (typeof inc.system === 'string') result = this.#expandSystemPart(inc);
    for (const ref of inc.valueSet ?? []) {
      const u = canonicalUrl(ref);
      const vs = this.#valueSet(u);
      let part: Draft;
      if (!vs || visiting.has(u)) {
        part = emptyDraft();
        part.openAll = true;
      } else {
        visiting.add(u);
        part = this.#expandValueSet(vs, visiting);
        visiting.delete(u);
      }
      result = result ? intersect(result, part) : part;
    }
    return result ?? emptyDraft();
  }

  #expandSystemPart(inc: ValueSetComposeInclude): Draft {
    const system = inc.system as string;
    const out = emptyDraft();
    if (inc.concept) {
      // An explicit list is enumerable even when the CodeSystem itself (e.g. SNOMED CT) is not available.
      for (const c of inc.concept) if (typeof c.code === 'string') addMember(out, system, c.code);
      return out;
    }
    const grammar = GRAMMARS.get(system);
    if (grammar && !inc.filter?.length) {
      out.grammars.set(system, grammar);
      return out;
    }
    const cs = this.#codeSystem(system);
    if (!cs || !cs.enumerable) {
      out.open.add(system);
      if (cs) for (const c of cs.codes) if (!inc.filter?.length) addMember(out, system, c);
      return out;
    }
    let codes: Set<string> | undefined = new Set(cs.codes);
    for (const f of inc.filter ?? []) {
      codes = applyFilter(cs, codes, f);
      if (!codes) {
        out.open.add(system);
        return out;
      }
    }
    for (const c of codes) addMember(out, system, c);
    return out;
  }
}

function addMember(d: Draft, system: string, code: string): void {
  const set = d.members.get(system);
  if (set) set.add(code);
  else d.members.set(system, new Set([code]));
}

function union(into: Draft, from: Draft): void {
  for (const [s, codes] of from.members) for (const c of codes) addMember(into, s, c);
  for (const s of from.open) into.open.add(s);
  for (const [s, g] of from.grammars) into.grammars.set(s, g);
  into.openAll ||= from.openAll;
}

function subtract(from: Draft, exc: Draft): void {
  for (const [s, codes] of exc.members) {
    const set = from.members.get(s);
    if (set) for (const c of codes) set.delete(c);
  }
  // An exclusion we cannot enumerate makes the whole system's membership uncertain.
  const uncertain = exc.openAll ? [...from.members.keys()] : [...exc.open, ...exc.grammars.keys()];
  for (const s of uncertain) {
    from.members.delete(s);
    from.grammars.delete(s);
    from.open.add(s);
  }
}

function intersect(a: Draft, b: Draft): Draft {
  const out = emptyDraft();
  const side = (x: Draft, s: string): 'all' | 'open' | Set<string> | undefined => {
    if (x.openAll) return 'open';
    if (x.open.has(s) || x.grammars.has(s)) return 'open';
    return x.members.get(s);
  };
  const systems = new Set([...a.members.keys(), ...a.open, ...a.grammars.keys(), ...b.members.keys(), ...b.open, ...b.grammars.keys()]);
  for (const s of systems) {
    const x = side(a, s);
    const y = side(b, s);
    if (!x || !y) continue;
    if (x === 'open' || y === 'open') {
      out.open.add(s);
      continue;
    }
    for (const c of x as Set<string>) if ((y as Set<string>).has(c)) addMember(out, s, c);
  }
  out.openAll = a.openAll && b.openAll;
  return out;
}

function freeze(url: string, d: Draft): Expansion {
  const pairs = new Set<string>();
  const codes = new Set<string>();
  for (const [s, set] of d.members) {
    for (const c of set) {
      pairs.add(s + '|' + c);
      codes.add(c);
    }
  }
  return { url, pairs, codes, openSystems: new Set(d.open), openAll: d.openAll, grammars: new Map(d.grammars) };
}
