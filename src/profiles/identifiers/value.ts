// One entry point for "is this value valid under this kind of identifier?", used by the write-time
// check and by input normalisation. Returns the normalised value or a reason and a plain message.
import { parsePersonnummer } from './personnummer.ts';
import { parseReservnummer } from './reservnummer.ts';
import { parseHsaId } from './hsa-id.ts';
import { parseOrganisationsnummer } from './organisationsnummer.ts';
import { isKommunkodCode, isLanskod } from './kommun.ts';
import { SYSTEM } from './systems.ts';
import type { IdentifierKind } from './systems.ts';
import { invalid } from './result.ts';
import type { Result } from './result.ts';

export type IdentifierReason =
  | 'format'
  | 'checksum'
  | 'century'
  | 'date'
  | 'future'
  | 'length'
  | 'kind'
  | 'unknown-code';

export type ValueOptions = { today?: string };

export function checkIdentifierValue(
  kind: IdentifierKind,
  value: unknown,
  options: ValueOptions = {},
): Result<string, IdentifierReason> {
  switch (kind) {
    case 'personnummer':
    case 'samordningsnummer': {
      const r = parsePersonnummer(value, options);
      if (!r.ok) return r;
      if (r.value.kind !== kind) {
        const [is, use] =
          r.value.kind === 'samordningsnummer'
            ? ['a samordningsnummer (day + 60), not a personnummer', SYSTEM.samordningsnummer]
            : ['a personnummer, not a samordningsnummer (whose day is + 60)', SYSTEM.personnummer];
        return invalid('kind', `it is ${is}; use the system ${use}`);
      }
      return { ok: true, value: r.value.normalized };
    }
    case 'nationelltReservnummer': {
      const r = parseReservnummer(value, options);
      return r.ok ? { ok: true, value: r.value.normalized } : r;
    }
    case 'hsaId':
      return parseHsaId(value);
    case 'organisationsnummer':
      return parseOrganisationsnummer(value);
    case 'kommunkod':
      if (typeof value !== 'string' || !/^\d{4}$/.test(value)) {
        return invalid('format', 'the format is wrong: a kommunkod is 4 digits (e.g. 0180)');
      }
      return isKommunkodCode(value)
        ? { ok: true, value }
        : invalid('unknown-code', `${value} is not a kommunkod in SCB's list of kommuner`);
    case 'lanskod':
      if (typeof value !== 'string' || !/^\d{2}$/.test(value)) {
        return invalid('format', 'the format is wrong: a länskod is 2 digits (e.g. 18)');
      }
      return isLanskod(value) ? { ok: true, value } : invalid('unknown-code', `${value} is not a länskod in SCB's list of län`);
  }
}
