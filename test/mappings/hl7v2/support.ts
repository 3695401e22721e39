// Fixture reading shared by the HL7v2 tests: an episode file holds its messages in order, separated by a
// blank line, segments one a line (the mapping accepts \n as well as \r).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const EXPECTED = join(import.meta.dirname, 'expected');

export function episodes(): { name: string; messages: string[] }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.hl7'))
    .sort()
    .map((f) => ({
      name: f.slice(0, -'.hl7'.length),
      messages: readFileSync(join(FIXTURES, f), 'utf8')
        .split(/\n\s*\n/)
        .map((m) => m.trim())
        .filter(Boolean),
    }));
}

/** A valid A01 to break field by field: segments as lines, joined with \r. */
export const VALID_A01 = [
  'MSH|^~\\&|COSMIC|SE2321000164-7381037590003|SAMVERKAN|SAMVERKAN|20250227142500||ADT^A01^ADT_A01|ORB-1001|P|2.5',
  'EVN|A01|20250227142400',
  'PID|||195009072553^^^&1.2.752.129.2.1.3.1&ISO^NNSWE||Tolvansson^Tolvan^^^^^L||19500907|M|||Storgatan 1^^Örebro^^70210^SE^L^^1880',
  'PV1||I|SE2321000164-1ORB7100^^^^^^^^Avd 71 Medicin|||||||SOM|||||||||V2025-0001|||||||||||||||||||||||||20250227142000',
];

/** VALID_A01 with field `n` of segment `seg` (MSH counted as HL7 numbers it) set to `value`. */
export function withField(seg: string, n: number, value: string, base: readonly string[] = VALID_A01): string {
  return base
    .map((line) => {
      if (!line.startsWith(seg + '|')) return line;
      const parts = line.split('|');
      const index = seg === 'MSH' ? n - 1 : n;
      while (parts.length <= index) parts.push('');
      parts[index] = value;
      return parts.join('|');
    })
    .join('\r');
}

/** VALID_A01 as another event (MSH-9 and EVN-1), as lines. */
export function asEvent(type: string): string[] {
  return withField('EVN', 1, type.split('^')[1] ?? '', withField('MSH', 9, type).split('\r')).split('\r');
}
