// The same facts sent through different sources yield the same timeline. Synthetic episodes are rendered
// as Cosmic Link, Lifecare SP and SAMSA messages, each source into its own gateway; the settlement
// timeline read back from each store (src/rules/fhir/timeline.ts) is the same, and is what the händelser
// mean. HL7v2 ADT carries only the stay, so its Encounters must agree on admission and discharge.
import type { Encounter, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { generateEpisodes, inSendingOrder, toSourceMessages, type SyntheticEpisode } from '../../src/mappings/synthetic/index.ts';
import { episodesFromResources } from '../../src/rules/fhir/timeline.ts';
import type { Episode } from '../../src/rules/episode.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { INGESTED_TYPES } from '../support/store-snapshot.ts';
import { Fhir } from '../http/http.ts';
import { toSettlementEpisode } from '../mappings/synthetic/expected-episode.ts';

const NOTICE_SOURCES = ['cosmic-link', 'lifecare-sp', 'samsa'] as const;
const adapters = sourceAdapters();

async function ingestAll(gw: TestGateway, source: string, episodes: SyntheticEpisode[]): Promise<string[]> {
  const messages = inSendingOrder(episodes.flatMap((e) => toSourceMessages(e, adapters.get(source)!)));
  const refused: string[] = [];
  for (const m of messages) {
    const res = await fetch(`${gw.root}/ingest/${source}`, { method: 'POST', headers: { 'content-type': m.contentType }, body: m.body });
    const text = await res.text();
    if (res.status !== 200) refused.push(`${m.messageId}: ${res.status} ${text.slice(0, 400)}`);
  }
  return refused;
}

async function stored(gw: TestGateway): Promise<Resource[]> {
  const fhir = new Fhir(gw.base);
  const out: Resource[] = [];
  for (const type of INGESTED_TYPES) out.push(...((await fhir.search(`${type}?_count=1000`)).entry ?? []).map((e) => e.resource!));
  return out;
}

/**
 * What the settlement reads. The hospital's region is left out: a unit carries no länskod in the
 * adapters' data. With the notice history present it decides readiness and ready_at is only a cross-check
 * (src/rules/episode.ts), which the timeline leaves empty.
 */
function comparable(e: Episode): Omit<Episode, 'hospital_lanskod'> {
  const { hospital_lanskod: _h, ...rest } = e;
  return rest.readiness_notices?.length ? { ...rest, ready_at: null } : rest;
}

const byId = (episodes: Episode[]) => Object.fromEntries(episodes.map((e) => [e.episode_id, e]));

describe('the same facts through different sources', () => {
  const episodes = generateEpisodes({ seed: 'same-facts', count: 12, month: '2025-03', regions: ['06', '14', '23'] });
  const gateways = new Map<string, TestGateway>();

  beforeAll(async () => {
    for (const s of [...NOTICE_SOURCES, 'hl7v2']) gateways.set(s, await startTestGateway('pglite'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...gateways.values()].map((g) => g.stop()));
  });

  it('are accepted by every source', async () => {
    for (const [source, gw] of gateways) expect(await ingestAll(gw, source, episodes), source).toEqual([]);
  }, 300_000);

  it('give the same settlement timeline from every notice source, equal to what the händelser mean', async () => {
    const expected = byId(episodes.map(toSettlementEpisode));
    for (const source of NOTICE_SOURCES) {
      const read = episodesFromResources((await stored(gateways.get(source)!)).map((resource) => ({ resource })));
      expect(read.skipped.filter((s) => expected[s.episodeId]), source).toEqual([]);
      const got = byId(read.episodes);
      expect(Object.keys(got).sort(), source).toEqual(Object.keys(expected).sort());
      for (const id of Object.keys(expected)) {
        expect(comparable(got[id]!), `${source} ${id}`).toEqual(comparable(expected[id]!));
      }
    }
  });

  it('give the same admission and discharge through HL7v2 ADT as through the notices', async () => {
    const encounters = async (source: string) =>
      Object.fromEntries(
        (await stored(gateways.get(source)!))
          .filter((r): r is Encounter => r.resourceType === 'Encounter')
          .map((e) => [e.identifier![0]!.value, { status: e.status, period: e.period, careType: e.extension?.find((x) => x.url.endsWith('/care-type'))?.valueCoding?.code }]),
      );
    const adt = await encounters('hl7v2');
    const notices = await encounters('cosmic-link');
    expect(Object.keys(adt).length).toBe(episodes.length);
    expect(adt).toEqual(notices);
  });
});
