// The one canonical base for everything this project defines: StructureDefinitions, extensions,
// CodeSystems, ValueSets, SearchParameters, Measures, and the claims in our tokens.
export const CANONICAL_BASE = 'https://samverkan-gateway.se/fhir';

export const canonical = {
  structureDefinition: (name: string) => `${CANONICAL_BASE}/StructureDefinition/${name}`,
  codeSystem: (name: string) => `${CANONICAL_BASE}/CodeSystem/${name}`,
  valueSet: (name: string) => `${CANONICAL_BASE}/ValueSet/${name}`,
  searchParameter: (name: string) => `${CANONICAL_BASE}/SearchParameter/${name}`,
  measure: (name: string) => `${CANONICAL_BASE}/Measure/${name}`,
  namingSystem: (name: string) => `${CANONICAL_BASE}/NamingSystem/${name}`,
} as const;
