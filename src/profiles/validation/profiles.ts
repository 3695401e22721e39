// Profiles (StructureDefinitions with a snapshot) compiled once at registration: parsed into medplum's
// internal schema, with their slicing sites, narrowed types and required-binding ValueSets listed, so that validating a
// resource against a profile never touches the StructureDefinition again.
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import type { InternalTypeSchema } from '@medplum/core';
import { parseStructureDefinition } from '@medplum/core';
import type { SliceSite } from './slices.ts';
import { collectSliceSites } from './slices.ts';
import type { TypeSite } from './type-restrictions.ts';
import { collectTypeSites } from './type-restrictions.ts';
import { canonicalUrl } from './terminology.ts';

export const R4_BASE_SD = 'http://hl7.org/fhir/StructureDefinition/';

export interface CompiledProfile {
  readonly url: string;
  readonly type: string;
  readonly schema: InternalTypeSchema;
  readonly sliceSites: readonly SliceSite[];
  /** Elements outside slices whose types or reference targets the profile narrows. */
  readonly typeSites: readonly TypeSite[];
  readonly requiredValueSets: readonly string[];
}

/** Parses and checks a profile; throws an Error that says what is wrong with it (a configuration fault). */
export function compileProfile(sd: StructureDefinition, resourceTypes: ReadonlySet<string>): CompiledProfile {
  const name = typeof sd?.url === 'string' ? sd.url : '(no url)';
  if (sd?.resourceType !== 'StructureDefinition') throw new Error(`Not a StructureDefinition: ${name}`);
  if (typeof sd.url !== 'string' || !sd.url) throw new Error('A profile needs a canonical url');
  if (!sd.snapshot?.element?.length) throw new Error(`Profile ${name} has no snapshot; generate one before registering it`);
  if (!sd.type || !resourceTypes.has(sd.type)) throw new Error(`Profile ${name} constrains "${sd.type}", which is not an R4 resource type`);
  const root = sd.snapshot.element[0];
  if (root?.path !== sd.type) throw new Error(`Profile ${name}: the snapshot's first element must be "${sd.type}"`);

  let schema: InternalTypeSchema;
  try {
    schema = parseStructureDefinition(withExtensionSliceUrls(sd));
  } catch (err) {
    throw new Error(`Profile ${name} cannot be used: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const requiredValueSets = new Set<string>();
  for (const el of sd.snapshot.element) {
    if (el.binding?.strength === 'required' && el.binding.valueSet) requiredValueSets.add(canonicalUrl(el.binding.valueSet));
  }
  return {
    url: canonicalUrl(sd.url),
    type: sd.type,
    schema,
    sliceSites: collectSliceSites(schema),
    typeSites: collectTypeSites(schema),
    requiredValueSets: [...requiredValueSets],
  };
}

/**
 * Extension slices are told apart by `url`, but a snapshot often leaves the slice's `url` child out and
 * names the extension only in `type.profile`. Medplum matches slices on the child's fixed value, so we add
 * the implied `url` child (fixedUri = the extension's canonical) to a copy of the snapshot.
 */
function withExtensionSliceUrls(sd: StructureDefinition): StructureDefinition {
  const elements = sd.snapshot?.element ?? [];
  const out: ElementDefinition[] = [];
  let changed = false;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i] as ElementDefinition;
    out.push(el);
    const extensionUrl = el.sliceName && el.type?.length === 1 && el.type[0]?.code === 'Extension' ? el.type[0].profile?.[0] : undefined;
    if (!extensionUrl || !el.id || !el.path) continue;
    const urlId = `${el.id}.url`;
    let hasUrl = false;
    for (let j = i + 1; j < elements.length && (elements[j]?.id ?? '').startsWith(el.id + '.'); j++) {
      if (elements[j]?.id === urlId) hasUrl = true;
    }
    if (hasUrl) continue;
    out.push({
      id: urlId,
      path: `${el.path}.url`,
      min: 1,
      max: '1',
      base: { path: 'Extension.url', min: 1, max: '1' },
      type: [{ code: 'uri' }],
      fixedUri: canonicalUrl(extensionUrl),
    });
    changed = true;
  }
  return changed ? { ...sd, snapshot: { ...sd.snapshot, element: out } } : sd;
}
