// HSA-id (Inera Katalogtjänst HSA): "SE", the 10-digit organisationsnummer of the organisation that
// issued it (no hyphen), "-", then one or more ASCII letters or digits; at most 31 characters in all.
// Example: SE2321000131-P000000123457. Only the form is checked: the prefix's own check digit is not,
// since an HSA-id is issued whole by the catalogue and we must not refuse one it has issued.
// Letters keep their case (HSA decides what they mean); surrounding whitespace is dropped.
import { invalid } from './result.ts';
import type { Result } from './result.ts';

export type HsaIdReason = 'format' | 'length';

const SHAPE = /^SE\d{10}-[A-Za-z0-9]+$/;
const MAX_LENGTH = 31;

export function parseHsaId(input: unknown): Result<string, HsaIdReason> {
  if (typeof input !== 'string') return formatError();
  const value = input.trim();
  if (!SHAPE.test(value)) return formatError();
  if (value.length > MAX_LENGTH) {
    return invalid('length', `it is ${value.length} characters; an HSA-id has at most ${MAX_LENGTH}`);
  }
  return { ok: true, value };
}

function formatError(): Result<string, HsaIdReason> {
  return invalid(
    'format',
    'the format is wrong: an HSA-id is SE, a 10-digit organisationsnummer, - and letters or digits (e.g. SE2321000131-P000000123457)',
  );
}
