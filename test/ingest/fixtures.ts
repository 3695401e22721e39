// Every source's fixture messages (test/mappings/<source>/fixtures), as the raw texts a sender would POST.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { splitMessages } from '../../src/gateway/cli/ingest.ts';

export type RawMessage = { source: string; contentType: string; body: string; origin: string };

const FIXTURES = path.resolve(import.meta.dirname, '../mappings');

const CONTENT_TYPE: Record<string, string> = {
  'cosmic-link': 'application/json',
  'lifecare-sp': 'application/json',
  samsa: 'application/xml',
  kommun: 'application/json',
  hl7v2: 'x-application/hl7-v2+er7',
};

/** The fixture episodes of a source: each a list of messages in the order they were sent. */
export function fixtureEpisodes(source: string): { name: string; messages: RawMessage[] }[] {
  const dir = path.join(FIXTURES, source, 'fixtures');
  const contentType = CONTENT_TYPE[source]!;
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const raw = (body: string, i: number): RawMessage => ({ source, contentType, body, origin: `${source}/${name}#${i + 1}` });
      if (statSync(file).isDirectory()) {
        // One message per file, in name order (samsa, kommun).
        return { name, messages: readdirSync(file).sort().map((f, i) => raw(readFileSync(path.join(file, f), 'utf8'), i)) };
      }
      const text = readFileSync(file, 'utf8');
      // HL7v2 episode files: split as `samverkan ingest` splits them (each message starts with MSH).
      if (source === 'hl7v2') return { name, messages: splitMessages(text, '.hl7', source).map(raw) };
      // cosmic-link, lifecare-sp: { beskrivning, meddelanden: [...] }.
      const wrapped = JSON.parse(text) as { meddelanden: unknown[] };
      return { name, messages: wrapped.meddelanden.map((m, i) => raw(JSON.stringify(m), i)) };
    });
}

/** A fixed shuffle (seeded), so a failure can be replayed. */
export function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
