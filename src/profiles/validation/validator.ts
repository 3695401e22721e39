// The validator the gateway runs on every write and on $validate: layer 1 (FHIR R4 structure, required
// bindings, nested invariants, profiles and their slices), then any extra layers (Swedish profiles,
// agreement rules). It returns every issue and never throws, whatever it is given.
import type { Bundle, CodeSystem, OperationOutcomeIssue, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import type { ExpansionLookup } from './bindings.ts';
import { checkTokens } from './bindings.ts';
import { finishIssues } from './issues.ts';
import type { CompiledProfile } from './profiles.ts';
import { compileProfile, R4_BASE_SD } from './profiles.ts';
import type { R4Index } from './r4-index.ts';
import { getR4Index, notIndexedIssue } from './r4-index.ts';
import { checkSlices } from './slices.ts';
import type { Tokens } from './structure.ts';
import { medplumPass } from './structure.ts';
import { canonicalUrl, TerminologyIndex } from './terminology.ts';
import { checkTypeSites } from './type-restrictions.ts';
import { walkResource } from './walker.ts';

export interface ValidateOptions {
  /** Canonical URLs to validate against in addition to the base type. */
  profiles?: string[];
}

export interface ValidationContext {
  /** The time the checks run at; layers that look at deadlines use it instead of a clock. */
  now: Date;
}

export type ValidationLayer = (resource: Resource, ctx: ValidationContext) => OperationOutcomeIssue[];

type Json = Record<string, unknown>;

export class Validator {
  readonly #layers: readonly ValidationLayer[];
  readonly #profiles = new Map<string, CompiledProfile>();
  readonly #ownTerminology: (CodeSystem | ValueSet)[] = [];
  // Our terminology layered over the R4 one; rebuilt if the R4 index it sits on is replaced.
  #terminology: { base: R4Index; index: TerminologyIndex } | undefined;

  constructor(layers: ValidationLayer[] = []) {
    this.#layers = [...layers];
  }

  /** Compiles and caches a profile (a StructureDefinition with a snapshot). Throws if it cannot be used. */
  registerProfile(sd: StructureDefinition): void {
    const r4 = requireIndex();
    const profile = compileProfile(sd, r4.resourceTypes);
    this.#profiles.set(profile.url, profile);
    const terminology = this.#terminologyFor(r4);
    for (const url of profile.requiredValueSets) terminology.expand(url);
  }

  hasProfile(url: string): boolean {
    return this.#profiles.has(canonicalUrl(url));
  }

  /** Adds CodeSystems and ValueSets (e.g. the Swedish ones) for required-binding checks. */
  registerTerminology(resources: (CodeSystem | ValueSet)[] | Bundle): void {
    const list = Array.isArray(resources) ? resources : (resources.entry ?? []).map((e) => e.resource);
    for (const r of list) {
      if (r && (r.resourceType === 'CodeSystem' || r.resourceType === 'ValueSet')) this.#ownTerminology.push(r);
    }
    this.#terminology = undefined;
    const r4 = getR4Index();
    if (!r4) return;
    // Expand now, not on the first write that needs it.
    const terminology = this.#terminologyFor(r4);
    for (const url of r4.requiredValueSets) terminology.expand(url);
    for (const p of this.#profiles.values()) for (const url of p.requiredValueSets) terminology.expand(url);
  }

  /**
   * The load seam for a FHIR package (src/profiles/package): registers its CodeSystems and ValueSets as
   * terminology and its profiles on resource types (StructureDefinitions of kind `resource` that constrain,
   * with a snapshot) as profiles; extension definitions and anything else are skipped, since extensions are
   * enforced through the profiles' snapshots. Returns the profiles' canonical URLs. Throws like registerProfile.
   */
  registerConformance(resources: readonly Resource[]): string[] {
    this.registerTerminology(resources.filter((r): r is CodeSystem | ValueSet => r.resourceType === 'CodeSystem' || r.resourceType === 'ValueSet'));
    const profiles = resources.filter(
      (r): r is StructureDefinition => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && r.derivation !== 'specialization',
    );
    for (const sd of profiles) this.registerProfile(sd);
    return profiles.map((sd) => canonicalUrl(sd.url!));
  }

  /** All issues (errors and warnings) for `resource`; an empty list means valid. Never throws. */
  validate(resource: unknown, ctx: ValidationContext, options?: ValidateOptions): OperationOutcomeIssue[] {
    try {
      return this.#validate(resource, ctx, options);
    } catch (err) {
      return [
        {
          severity: 'error',
          code: 'exception',
          details: { text: `Validation failed unexpectedly: ${err instanceof Error ? err.message : String(err)}` },
          expression: ['$this'],
        },
      ];
    }
  }

  #validate(resource: unknown, ctx: ValidationContext, options: ValidateOptions | undefined): OperationOutcomeIssue[] {
    const r4 = getR4Index();
    if (!r4) return [notIndexedIssue()];
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
      return [rootIssue('$this', 'A FHIR resource must be a JSON object')];
    }
    const rt = (resource as Json).resourceType;
    if (typeof rt !== 'string' || !r4.resourceTypes.has(rt)) {
      const text = rt === undefined ? 'The resource has no resourceType' : `Unknown resource type ${JSON.stringify(rt)}`;
      return [rootIssue('resourceType', text)];
    }
    const info = r4.types.get(rt);
    if (!info) return [rootIssue('resourceType', `No definition is loaded for resource type ${rt}`)];
    const res = resource as Resource;
    const issues: OperationOutcomeIssue[] = [];
    const profiles = this.#resolveProfiles(res, options, r4, issues);

    const blocked = walkResource(resource as Json, info, r4, issues);
    if (blocked) return finishIssues(issues, rt);

    const tokens: Tokens = {};
    // A profile's snapshot contains the whole base definition, so with profiles the base pass is redundant.
    if (profiles.length === 0) issues.push(...medplumPass(res, undefined, tokens));
    for (const p of profiles) issues.push(...medplumPass(res, p.schema, tokens));
    const lookup = this.#lookup(r4);
    checkTokens(tokens, lookup, issues);
    const root = { type: rt, value: resource, path: rt };
    for (const p of profiles) {
      checkSlices(root, p.sliceSites, lookup, issues);
      checkTypeSites(root, p.typeSites, issues);
    }

    this.#runLayers(res, ctx, issues);
    return finishIssues(issues, rt);
  }

  #resolveProfiles(resource: Resource, options: ValidateOptions | undefined, r4: R4Index, issues: OperationOutcomeIssue[]): CompiledProfile[] {
    const rt = resource.resourceType;
    const wanted: { url: string; path: string }[] = [];
    const claimed = resource.meta?.profile;
    if (Array.isArray(claimed)) {
      claimed.forEach((url, i) => {
        if (typeof url === 'string') wanted.push({ url, path: `${rt}.meta.profile[${i}]` });
      });
    }
    for (const url of options?.profiles ?? []) if (typeof url === 'string') wanted.push({ url, path: rt });

    const out = new Map<string, CompiledProfile>();
    for (const { url, path } of wanted) {
      const u = canonicalUrl(url);
      if (u === R4_BASE_SD + rt) continue; // the base type itself
      const profile = this.#profiles.get(u);
      if (!profile) {
        const other = u.startsWith(R4_BASE_SD) ? u.slice(R4_BASE_SD.length) : undefined;
        const text =
          other && r4.resourceTypes.has(other)
            ? `The profile ${u} is the base definition of ${other}, not of ${rt}`
            : `Unknown profile ${u}: it is not registered with this server, so the resource cannot be checked against it`;
        issues.push({ severity: 'error', code: 'not-found', details: { text }, expression: [path] });
        continue;
      }
      if (profile.type !== rt) {
        issues.push({
          severity: 'error',
          code: 'structure',
          details: { text: `The profile ${u} constrains ${profile.type}, not ${rt}` },
          expression: [path],
        });
        continue;
      }
      out.set(u, profile);
    }
    return [...out.values()];
  }

  #runLayers(resource: Resource, ctx: ValidationContext, issues: OperationOutcomeIssue[]): void {
    for (const layer of this.#layers) {
      try {
        issues.push(...layer(resource, ctx));
      } catch (err) {
        // On structurally broken input a later layer may trip over what layer 1 already reported.
        const broken = issues.some((i) => i.severity === 'error');
        issues.push({
          severity: broken ? 'warning' : 'error',
          code: broken ? 'incomplete' : 'exception',
          details: {
            text: `${broken ? 'Further checks were skipped because of the errors above' : 'A validation layer failed'}: ${
              err instanceof Error ? err.message : String(err)
            }`,
          },
          expression: [resource.resourceType],
        });
      }
    }
  }

  #terminologyFor(r4: R4Index): TerminologyIndex {
    if (this.#ownTerminology.length === 0) return r4.terminology;
    if (this.#terminology?.base !== r4) {
      this.#terminology = { base: r4, index: new TerminologyIndex(this.#ownTerminology, r4.terminology) };
    }
    return this.#terminology.index;
  }

  #lookup(r4: R4Index): ExpansionLookup {
    const terminology = this.#terminologyFor(r4);
    return (url) => terminology.expand(url);
  }
}

function requireIndex(): R4Index {
  const r4 = getR4Index();
  if (!r4) throw new Error('Index the R4 definitions (indexR4Definitions) before registering profiles');
  return r4;
}

const rootIssue = (expression: string, text: string): OperationOutcomeIssue => ({
  severity: 'error',
  code: 'structure',
  details: { text },
  expression: [expression],
});
