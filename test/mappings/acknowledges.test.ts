// A reply (kvittens) names the message it answers, in each source's own words: mapped to `acknowledges`, a
// sender given as an HSA-id or a kommunkod (anything else refused at its path), rendered back, and a reference
// the contract cannot say (a message of another source) refused by render.
import { describe, expect, it } from 'vitest';
import type { MappingResult } from '../../src/mappings/common/adapter.ts';
import type { Handelse } from '../../src/mappings/common/handelse.ts';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { fixtureEpisodes } from '../ingest/fixtures.ts';

const HSA = {
  ryhov5: 'SE2321000057-E000000000105',
  sahlgrenska33: 'SE2321000131-E000000011033',
  geriatrik: 'SE2321000016-E000000005201',
};

const CASES = [
  { source: 'cosmic-link', episode: 'somatisk-hoftfraktur.json', i: 3, sender: HSA.ryhov5, path: 'handelser[0].avserMeddelande.avsandare', answered: { source: 'cosmic-link', messageId: 'CL-142-02' } },
  { source: 'lifecare-sp', episode: 'somatisk-geriatrik.json', i: 3, sender: HSA.geriatrik, path: 'innehall.svarPa.fran', answered: { source: 'lifecare-sp', messageId: 'LSP-11873-02' } },
  { source: 'samsa', episode: 'somatisk-goteborg', i: 2, sender: HSA.sahlgrenska33, path: 'SamsaMeddelande/Innehall/AvserMeddelande/AvsandareId', answered: { source: 'samsa', messageId: 'SAMSA-7f3a1c02' } },
  { source: 'kommun', episode: 'treserva-goteborg', i: 0, sender: HSA.sahlgrenska33, path: 'innehall.avserMeddelande.avsandare', answered: { source: 'samsa', messageId: 'SAMSA-7f3a1c02' } },
] as const;

const adapters = sourceAdapters();
/** The reference comes last in every fixture reply (the sender also names the stay's unit earlier). */
const replaceLast = (s: string, a: string, b: string) => {
  const i = s.lastIndexOf(a);
  return s.slice(0, i) + b + s.slice(i + a.length);
};

describe.each(CASES.map((c) => [c.source, c] as const))('%s: the message a reply answers', (_s, c) => {
  const adapter = adapters.get(c.source)!;
  const raw = fixtureEpisodes(c.source).find((e) => e.name === c.episode)!.messages[c.i]!;
  const map = (body: string): MappingResult => adapter.map(body, raw.contentType);
  const reply = (r: MappingResult): Handelse & { kind: 'kvittens' } => {
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const h = r.handelser[0]!;
    if (h.kind !== 'kvittens') throw new Error(h.kind);
    return h;
  };

  it('maps it to acknowledges: the source it came through, its sender and its message id', () => {
    expect(reply(map(raw.body)).acknowledges).toEqual({ source: c.answered.source, sender: { hsaId: c.sender }, messageId: c.answered.messageId });
  });

  it('takes a kommun as a whole by its kommunkod, and renders it back', () => {
    const h = reply(map(replaceLast(raw.body, c.sender, '1880')));
    expect(h.acknowledges?.sender).toEqual({ kommunkod: '1880' });
    expect(reply(map(adapter.render([h]).body))).toEqual(h);
  });

  it('refuses a sender that is neither an HSA-id nor a kommunkod, at its path', () => {
    const r = map(replaceLast(raw.body, c.sender, '0699'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toEqual([c.path]);
  });

  it('without it, the reply has no acknowledges (older senders)', () => {
    const h = reply(map(raw.body));
    const { acknowledges: _a, ...without } = h;
    expect(reply(map(adapter.render([without]).body)).acknowledges).toBeUndefined();
  });

  it('render refuses a message the contract cannot name', () => {
    const h = reply(map(raw.body));
    expect(() => adapter.render([{ ...h, acknowledges: { ...h.acknowledges!, source: 'hl7v2' } }])).toThrow(/hl7v2/);
  });
});
