// Public API of the project's terminology: the CodeSystems and ValueSets (URLs in CS and VS), the external
// code systems held in full (EXTERNAL_CS: ISO 4217 currencies) and the local operations ($lookup,
// $validate-code, $expand). Kommunkod and länskod have no CodeSystem here: they are identifier systems
// (urn:oid:1.2.752.129.2.2.1.17 / .18) validated by src/profiles/identifiers.
export { CS, VS, CODE_SYSTEM_SPECS, EXTERNAL_CS, EXTERNAL_CODE_SYSTEM_SPECS, allCodeSystems, allTerminology, allValueSets } from './catalog.ts';
export { TERMINOLOGY_DATE, TERMINOLOGY_VERSION } from './build.ts';
export type { CodeSystemSpec, ConceptSpec, ExternalCodeSystemSpec, PropertySpec } from './build.ts';
export { EXCLUSION_REASON_CODES } from './settlement.ts';
export type { ExclusionReasonCode } from './settlement.ts';
export { NOTICE_KINDS } from './notices.ts';
export {
  MAX_UNPAGED_EXPANSION,
  TerminologyError,
  TerminologyService,
  expand,
  lookup,
  terminologyService,
  validateCode,
} from './operations.ts';
export type { CodingInput, ExpandInput, LookupInput, TerminologyServiceOptions, ValidateCodeInput } from './operations.ts';
