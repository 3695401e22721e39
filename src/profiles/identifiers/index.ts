// Swedish identifiers: parsing, normalisation, systems, kommun/län/region look-ups and the write-time check.
export { parsePersonnummer } from './personnummer.ts';
export type {
  ParsedPersonnummer,
  PersonnummerKind,
  PersonnummerOptions,
  PersonnummerReason,
  PersonnummerResult,
  Sex,
} from './personnummer.ts';
export { parseReservnummer } from './reservnummer.ts';
export type { ParsedReservnummer, ReservnummerReason, ReservnummerSex } from './reservnummer.ts';
export { parseHsaId } from './hsa-id.ts';
export type { HsaIdReason } from './hsa-id.ts';
export { parseOrganisationsnummer } from './organisationsnummer.ts';
export type { OrganisationsnummerReason } from './organisationsnummer.ts';
export {
  ASYLUM_SEEKERS_KOMMUNKOD,
  allKommuner,
  allLan,
  isKommunkod,
  isKommunkodCode,
  isLanskod,
  kommunByKod,
  lanByKod,
  regionForKommun,
  regionForLan,
} from './kommun.ts';
export type { KommunRecord, LanRecord, Region } from './kommun.ts';
export { SYSTEM, SYSTEM_ALIASES, SWEDISH_TERM, canonicalSystem, identifierKind } from './systems.ts';
export type { CanonicalSystem, IdentifierKind } from './systems.ts';
export { checkIdentifierValue } from './value.ts';
export type { IdentifierReason, ValueOptions } from './value.ts';
export { normalizeIdentifier } from './normalize.ts';
export { checkSwedishIdentifiers } from './check.ts';
export type { CheckOptions } from './check.ts';
export { luhnCheckDigit } from './luhn.ts';
export type { Result, Valid, Invalid } from './result.ts';
