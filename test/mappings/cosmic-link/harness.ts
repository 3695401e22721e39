// What the Cosmic Link and Lifecare SP tests share: reading the fixture episodes, building the expected
// Bundles (regenerated with UPDATE_EXPECTED=1, then reviewed by eye), FHIR validation of every resource,
// the round trip, and the table of broken messages.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { MappingResult, SourceAdapter } from '../../../src/mappings/common/adapter.ts';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { buildTransaction } from '../../../src/mappings/common/transaktion.ts';
import { createValidator } from '../../../src/gateway/validation.ts';

export type Episode = { name: string; beskrivning: string; meddelanden: Record<string, unknown>[] };

const root = (source: string) => join(import.meta.dirname, '..', source);

export function loadEpisodes(source: string): Episode[] {
  const dir = join(root(source), 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<Episode, 'name'>) }));
}

export function mapOk(adapter: SourceAdapter, message: unknown): Handelse[] {
  const r = adapter.map(typeof message === 'string' ? message : JSON.stringify(message), 'application/json');
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.issues)}`);
  return r.handelser;
}

/** The Bundle of each message in order, each built with every händelse so far as the stay. */
export function episodeBundles(adapter: SourceAdapter, episode: Episode): Bundle[] {
  const stay: Handelse[] = [];
  return episode.meddelanden.map((m) => {
    const nya = mapOk(adapter, m);
    stay.push(...nya);
    return buildTransaction(stay, nya);
  });
}

const errors = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

/** The tests every JSON source gets from its fixtures. */
export function describeEpisodes(adapter: SourceAdapter) {
  const episodes = loadEpisodes(adapter.id);

  it('has at least four complete episodes', () => {
    expect(episodes.length).toBeGreaterThanOrEqual(4);
  });

  it('the fixtures use every kind the adapter carries', () => {
    const seen = new Set(episodes.flatMap((e) => e.meddelanden.flatMap((m) => mapOk(adapter, m).map((h) => h.kind))));
    expect([...seen].sort()).toEqual([...adapter.kinds].sort());
  });

  describe.each(episodes.map((e) => [e.name, e] as const))('episode %s', (name, episode) => {
    const file = join(root(adapter.id), 'expected', `${name}.json`);
    it('maps every message, each händelse of one stay, numbered in its message', () => {
      const all = episode.meddelanden.map((m) => mapOk(adapter, m));
      const stays = new Set(all.flat().map((h) => `${h.stay.issuer}:${h.stay.id}`));
      expect(stays.size).toBe(1);
      for (const hs of all) {
        expect(hs.map((h) => h.seq)).toEqual(hs.map((_, i) => i));
        expect(new Set(hs.map((h) => h.messageId)).size).toBe(1);
        for (const h of hs) expect(h.source).toBe(adapter.id);
      }
    });

    it('builds the expected transaction Bundles', () => {
      const bundles = episodeBundles(adapter, episode);
      if (process.env.UPDATE_EXPECTED === '1') {
        mkdirSync(join(root(adapter.id), 'expected'), { recursive: true });
        writeFileSync(file, JSON.stringify(bundles, null, 2) + '\n');
      }
      expect(bundles).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });

    it('round trip: map(render(h)) gives h back for every message', () => {
      for (const m of episode.meddelanden) {
        const hs = mapOk(adapter, m);
        const rendered = adapter.render(hs);
        expect(rendered.contentType).toBe(adapter.contentTypes[0]);
        expect(mapOk(adapter, rendered.body)).toEqual(hs);
      }
    });
  });

  it('every resource of every expected Bundle validates against its profile (no errors)', () => {
    const validator = createValidator();
    const ctx = { now: new Date('2026-01-15T12:00:00Z') };
    let checked = 0;
    for (const episode of episodes) {
      const bundles = JSON.parse(readFileSync(join(root(adapter.id), 'expected', `${episode.name}.json`), 'utf8')) as Bundle[];
      for (const b of bundles) {
        for (const e of b.entry ?? []) {
          const r = e.resource as Resource;
          const found = errors(validator.validate(r, ctx)).map((i) => `${episode.name} ${r.resourceType} ${i.expression?.join(',')}: ${i.details?.text}`);
          expect(found).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
}

/** `message`: the raw text, a change to a copy of the base message, or (`text`) the raw text made from that copy when JSON.stringify cannot say it. */
export type BadCase = {
  name: string;
  message: string | ((m: Record<string, unknown>) => unknown) | { text: (m: Record<string, unknown>) => string };
  path: string;
  phrase?: string;
  idUnread?: true;
};

/** Each broken message is refused with an issue at the expected path (and the message id when it was readable). */
export function describeBadInput(adapter: SourceAdapter, base: Record<string, unknown>, idOf: (m: Record<string, unknown>) => unknown, cases: BadCase[]) {
  it.each(cases.map((c) => [c.name, c] as const))('refuses %s', (_n, c) => {
    let raw: string;
    let id: unknown;
    if (typeof c.message === 'string') raw = c.message;
    else {
      const m = structuredClone(base);
      if (typeof c.message === 'function') {
        c.message(m);
        raw = JSON.stringify(m);
      } else raw = c.message.text(m);
      // A message refused before it is parsed (too large) has no id to answer with.
      id = c.idUnread ? undefined : idOf(m);
    }
    const r = adapter.map(raw, 'application/json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toContain(c.path);
    if (c.phrase) expect(r.issues.find((i) => i.path === c.path)?.message).toContain(c.phrase);
    expect(r.messageId).toBe(typeof id === 'string' ? id : undefined);
  });

  it('never throws, on arbitrary strings, arbitrary JSON, or a fixture message with one field replaced by anything', () => {
    const check = (raw: string) => {
      const r: MappingResult = adapter.map(raw, 'application/json');
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => check(JSON.stringify(v) ?? 'null')), { numRuns: 300 });
    const paths = leafPaths(base);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, v) => {
        const m = structuredClone(base);
        setAt(m, path, v);
        check(JSON.stringify(m));
      }),
      { numRuns: 500 },
    );
  });
}

/** Every path to a value in `o` (objects and arrays included), for mutation. */
function leafPaths(o: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof o !== 'object' || o === null) return [at];
  const kids = Array.isArray(o) ? o.map((v, i) => leafPaths(v, [...at, i])) : Object.entries(o).map(([k, v]) => leafPaths(v, [...at, k]));
  return [at, ...kids.flat()].filter((p) => p.length > 0);
}

function setAt(o: unknown, path: (string | number)[], v: unknown): void {
  let cur = o as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path.at(-1)!] = v;
}

/** A Bundle's resource of one type (the first). */
export function resourceOf<T extends Resource>(b: Bundle, type: T['resourceType']): T | undefined {
  return b.entry?.find((e) => e.resource?.resourceType === type)?.resource as T | undefined;
}
