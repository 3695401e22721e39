// The Prefer header (RFC 7240) as FHIR uses it: return=minimal|representation|OperationOutcome, handling=strict|lenient.
export interface Prefer {
  return: 'minimal' | 'representation' | 'OperationOutcome';
  handling: 'strict' | 'lenient';
}

export function parsePrefer(header: string | string[] | undefined): Prefer {
  const prefer: Prefer = { return: 'representation', handling: 'strict' };
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of text.split(/[,;]/)) {
    const [k, v] = part.split('=').map((x) => x.trim().replace(/^"|"$/g, ''));
    if (k === 'return' && (v === 'minimal' || v === 'representation' || v === 'OperationOutcome')) prefer.return = v;
    if (k === 'handling' && (v === 'strict' || v === 'lenient')) prefer.handling = v;
  }
  return prefer;
}
