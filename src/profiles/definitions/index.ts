// The project's StructureDefinitions: profiles and extensions generated with SUSHI from profiles/fsh by
// scripts/build-profiles.ts (snapshots included). Pure: the generated JSON is imported as modules.
import type { StructureDefinition } from '@medplum/fhirtypes';
import { GENERATED } from './generated/index.ts';

export { EXTENSION, FSH_ALIASES, PROFILE, PROTECTED_IDENTITY_CODES, SE_SECURITY_LABEL, TERMINOLOGY } from './urls.ts';

/** Every StructureDefinition the project defines (profiles and extensions), for publication. Fresh copies. */
export function structureDefinitions(): StructureDefinition[] {
  return GENERATED.map((sd) => structuredClone(sd));
}

/** The profiles on resource types: what `Validator.registerProfile` takes (extensions are enforced through them). */
export function resourceProfiles(): StructureDefinition[] {
  return structureDefinitions().filter((sd) => sd.kind === 'resource');
}

/** The extension definitions (kind complex-type, type Extension). */
export function extensionDefinitions(): StructureDefinition[] {
  return structureDefinitions().filter((sd) => sd.type === 'Extension');
}
