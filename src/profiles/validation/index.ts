// Public API of layer 1 of validation (FHIR R4 structure) and the seam layers 2 and 3 plug into.
export type { R4Definitions } from './r4-index.ts';
export { indexR4Definitions } from './r4-index.ts';
export type { ValidateOptions, ValidationContext, ValidationLayer } from './validator.ts';
export { Validator } from './validator.ts';
