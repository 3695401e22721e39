// Identifier and code systems for Swedish identifiers. We emit the HL7 Sweden base (hl7se.fhir.base)
// URIs; on input we also accept the RIVTA OIDs (as urn:oid: and as the bare OID RIVTA `root`
// attributes carry) and map them to what we emit.

export const SYSTEM = {
  personnummer: 'http://electronichealth.se/identifier/personnummer',
  samordningsnummer: 'http://electronichealth.se/identifier/samordningsnummer',
  nationelltReservnummer: 'http://electronichealth.se/identifier/nationelltReservnummer',
  hsaId: 'urn:oid:1.2.752.29.4.19',
  organisationsnummer: 'urn:oid:2.5.4.97',
  kommunkod: 'urn:oid:1.2.752.129.2.2.1.17',
  lanskod: 'urn:oid:1.2.752.129.2.2.1.18',
} as const;

export type IdentifierKind = keyof typeof SYSTEM;
export type CanonicalSystem = (typeof SYSTEM)[IdentifierKind];

/** Input aliases → the system we emit. A Map, so no input string can reach Object.prototype. */
export const SYSTEM_ALIASES: ReadonlyMap<string, CanonicalSystem> = new Map<string, CanonicalSystem>([
  ['urn:oid:1.2.752.129.2.1.3.1', SYSTEM.personnummer], // RIVTA personnummer
  ['urn:oid:1.2.752.129.2.1.3.3', SYSTEM.samordningsnummer], // RIVTA samordningsnummer
  ['urn:oid:1.2.752.129.2.1.4.1', SYSTEM.hsaId], // RIVTA HSA-id
  ['1.2.752.129.2.1.3.1', SYSTEM.personnummer],
  ['1.2.752.129.2.1.3.3', SYSTEM.samordningsnummer],
  ['1.2.752.129.2.1.4.1', SYSTEM.hsaId],
  ['1.2.752.29.4.19', SYSTEM.hsaId],
  ['2.5.4.97', SYSTEM.organisationsnummer],
  ['1.2.752.129.2.2.1.17', SYSTEM.kommunkod],
  ['1.2.752.129.2.2.1.18', SYSTEM.lanskod],
]);

/** Swedish terms for messages, by kind. */
export const SWEDISH_TERM: Readonly<Record<IdentifierKind, string>> = {
  personnummer: 'personnummer',
  samordningsnummer: 'samordningsnummer',
  nationelltReservnummer: 'nationellt reservnummer',
  hsaId: 'HSA-id',
  organisationsnummer: 'organisationsnummer',
  kommunkod: 'kommunkod',
  lanskod: 'länskod',
};

const KIND_BY_SYSTEM: ReadonlyMap<string, IdentifierKind> = new Map(
  (Object.keys(SYSTEM) as IdentifierKind[]).map((kind) => [SYSTEM[kind], kind]),
);

/** The system to emit for `system`: an alias becomes its canonical URI; anything else is returned unchanged. */
export function canonicalSystem(system: string): string {
  return SYSTEM_ALIASES.get(system) ?? system;
}

/** Which Swedish identifier a system (canonical or alias) denotes, or undefined if none. */
export function identifierKind(system: string): IdentifierKind | undefined {
  return KIND_BY_SYSTEM.get(SYSTEM_ALIASES.get(system) ?? system);
}
