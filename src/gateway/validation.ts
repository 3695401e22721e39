// The gateway's validator: R4 structure (src/profiles/validation) with the Swedish identifier check as
// a layer, and the search parameters from the same R4 definitions. Definitions are read from disk once.
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { checkSwedishIdentifiers } from '../profiles/identifiers/index.ts';
import { allTerminology } from '../profiles/terminology/index.ts';
import { resourceProfiles } from '../profiles/definitions/index.ts';
import { Validator, type ValidationLayer } from '../profiles/validation/index.ts';
import { indexR4Definitions } from './r4-definitions.ts';

export interface LoadedDefinitions {
  searchParameters: SearchParameter[];
}

/** Indexes the R4 definitions (once per process) and returns the search parameters among them. */
export function loadDefinitions(): LoadedDefinitions {
  const defs = indexR4Definitions();
  return {
    searchParameters: defs.searchParameters.flatMap((b: Bundle) => (b.entry ?? []).map((e) => e.resource as SearchParameter)),
  };
}

/** Swedish identifiers are checked on every write, whatever profile the resource claims. */
const swedishIdentifiers: ValidationLayer = (resource, ctx) => checkSwedishIdentifiers(resource, { today: ctx.now.toISOString().slice(0, 10) });

export function createValidator(): Validator {
  loadDefinitions();
  const validator = new Validator([swedishIdentifiers]);
  // The project's CodeSystems and ValueSets, so required bindings to them are checked like R4's.
  validator.registerTerminology(allTerminology());
  // The Swedish profiles: a resource that claims one in meta.profile is validated against it.
  for (const sd of resourceProfiles()) validator.registerProfile(sd);
  return validator;
}
