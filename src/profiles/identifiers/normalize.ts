// Input normalisation for one Identifier: alias system → the URI we emit, value → its normal form
// (12-digit personnummer, 10-digit organisationsnummer, …). A value that does not pass is left as it
// came, so the identifier check reports it against what the sender actually wrote.
import type { Identifier } from '@medplum/fhirtypes';
import { canonicalSystem, identifierKind } from './systems.ts';
import { checkIdentifierValue } from './value.ts';
import type { ValueOptions } from './value.ts';

/** A new Identifier with canonical system and normalised value; other elements are kept. Never throws. */
export function normalizeIdentifier(identifier: Identifier, options: ValueOptions = {}): Identifier {
  if (typeof identifier?.system !== 'string') return identifier;
  const kind = identifierKind(identifier.system);
  if (kind === undefined) return identifier;
  const out: Identifier = { ...identifier, system: canonicalSystem(identifier.system) };
  if (identifier.value !== undefined) {
    const r = checkIdentifierValue(kind, identifier.value, options);
    if (r.ok) out.value = r.value;
  }
  return out;
}
