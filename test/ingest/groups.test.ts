// Group commit for ingest: messages waiting while a group is written go together in the next transaction.
// The grouping must never change an answer or the store: a stay's messages keep their order, refused
// messages are refused alone, and a month of messages sent at once ends in the store one-at-a-time gives.
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestGroups, type Groupable } from '../../src/gateway/ingest/groups.ts';
import { mergeTransactions, NotGroupable } from '../../src/gateway/ingest/merge.ts';
import { openPgliteWorker } from '../../src/store/db.ts';
import { backends } from '../support/db.ts';
import { body, exampleEpisode, handelseJsonAdapter, type Message } from '../support/episodes.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { storeSnapshot } from '../support/store-snapshot.ts';
import { Fhir } from '../http/http.ts';

type Item = Groupable & { name: string };
const item = (name: string, stay: string, o: Partial<Item> = {}): Item => ({ name, locks: [`stay:${stay}`], groupKey: 'p', alone: false, ...o });

describe('IngestGroups', () => {
  /** Pushes items while a first one is being written, and records the groups that run. */
  async function groupsOf(first: Item, later: Item[], maxSize = 32, refuse = new Set<string>()) {
    const ran: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const groups = new IngestGroups<Item, string>(
      async (g) => {
        ran.push(g.map((i) => i.name));
        if (ran.length === 1) await held;
        return g.map((i) => (refuse.has(i.name) ? { status: 'rejected', reason: new Error(i.name) } : { status: 'fulfilled', value: i.name }));
      },
      { maxSize },
    );
    const answers = [first, ...later].map((i) => groups.push(i).then((v) => `ok ${v}`, (e: Error) => `refused ${e.message}`));
    release();
    return { ran, answers: await Promise.all(answers), stats: groups.stats };
  }

  it('groups what waited, keeps a stay\'s messages in arrival order, and puts replays and other principals apart', async () => {
    const { ran, stats } = await groupsOf(item('A', 's1'), [
      item('B', 's2'),
      item('C', 's1'),
      item('D', 's3', { alone: true }),
      item('E', 's4', { groupKey: 'other' }),
      item('F', 's5'),
      item('G', 's5'),
    ]);
    // G waits behind F (same stay); D (a replay) and E (another principal) wait for groups of their own.
    expect(ran).toEqual([['A'], ['B', 'C', 'F'], ['D'], ['E'], ['G']]);
    expect(stats).toEqual({ groups: 5, messages: 7, largest: 3 });
  });

  it('keeps groups within the size limit', async () => {
    const { ran } = await groupsOf(item('A', 's0'), ['B', 'C', 'D', 'E', 'F'].map((n, i) => item(n, `s${i + 1}`)), 2);
    expect(ran).toEqual([['A'], ['B', 'C'], ['D', 'E'], ['F']]);
  });

  it('answers each message with its own result or refusal', async () => {
    const { answers } = await groupsOf(item('A', 's0'), [item('B', 's1'), item('C', 's2')], 32, new Set(['B']));
    expect(answers).toEqual(['ok A', 'refused B', 'ok C']);
  });
});

describe('mergeTransactions', () => {
  const org = (url: string) => ({ fullUrl: url, resource: { resourceType: 'Organization' as const }, request: { method: 'POST' as const, url: 'Organization', ifNoneExist: `identifier=${url}` } });
  const put = (url: string) => ({ fullUrl: url, resource: { resourceType: 'Encounter' as const, status: 'planned' as const, class: { code: 'IMP' } }, request: { method: 'PUT' as const, url: `Encounter?identifier=${url}` } });
  const tx = (...entry: Bundle['entry'] & object): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry });

  it('makes an organisation two messages name once, and answers the later message as having found it', () => {
    const merged = mergeTransactions([tx(org('urn:uuid:o'), put('urn:uuid:e1')), tx(org('urn:uuid:o'), put('urn:uuid:e2'))]);
    expect(merged.bundle.entry?.map((e) => e.fullUrl)).toEqual(['urn:uuid:o', 'urn:uuid:e1', 'urn:uuid:e2']);
    const created = (status: string, loc: string) => ({ response: { status, location: loc } });
    const split = merged.split({ resourceType: 'Bundle', type: 'transaction-response', entry: [created('201 Created', 'Organization/1'), created('201 Created', 'Encounter/1'), created('200 OK', 'Encounter/2')] });
    expect(split.map((b) => b.entry?.map((e) => `${e.response?.status} ${e.response?.location}`))).toEqual([
      ['201 Created Organization/1', '201 Created Encounter/1'],
      ['200 OK Organization/1', '200 OK Encounter/2'],
    ]);
  });

  it('refuses to merge two messages that write the same resource', () => {
    expect(() => mergeTransactions([tx(put('urn:uuid:e')), tx(put('urn:uuid:e'))])).toThrow(NotGroupable);
  });
});

describe.each(backends())('grouped ingest on %s', (backend) => {
  const adapters = new Map([['test', handelseJsonAdapter]]);
  const patients = ['195009072553', '196101182803', '189002029800', '200302022389', '199002222397', '200001252386'];
  // Twelve stays of six patients, each stay's messages in order, the stays sent all at once.
  const episodes = Array.from({ length: 12 }, (_, i) => exampleEpisode(300 + i, patients[i % patients.length]));
  let oneByOne: TestGateway;
  let atOnce: TestGateway;
  const send = async (gw: TestGateway, m: Message) => {
    const res = await fetch(`${gw.root}/ingest/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(m) });
    await res.arrayBuffer();
    return { status: res.status, result: res.headers.get('x-ingest-result') };
  };

  beforeAll(async () => {
    // PGlite as the server runs it, on its worker thread: in process, its statements never let the event loop
    // take in the next requests while a group is written, so nothing would ever wait to be grouped.
    [oneByOne, atOnce] = await Promise.all([
      startTestGateway(backend, {}, { adapters }),
      startTestGateway(backend, {}, { adapters }, backend === 'pglite' ? await openPgliteWorker() : undefined),
    ]);
    for (const m of episodes.flat()) expect((await send(oneByOne, m)).result).toBe('accepted');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([oneByOne?.stop(), atOnce?.stop()]);
  });

  it('a burst of stays ends in the store one message at a time gives, with fewer transactions than messages', async () => {
    const bad = exampleEpisode(399, '201701012393')[0]!;
    bad.handelser[0]!.patient.identifier.value = '195009072554'; // wrong check digit: refused by the write, not the mapping
    const answers = await Promise.all([
      ...episodes.map(async (e) => {
        const out = [];
        for (const m of e) out.push(await send(atOnce, m));
        return out;
      }),
      send(atOnce, bad).then((a) => [a]),
    ]);
    const flat = answers.flat();
    expect(flat.filter((a) => a.result === 'accepted')).toHaveLength(episodes.flat().length);
    expect(flat.at(-1)).toMatchObject({ result: 'dead' });
    expect(flat.at(-1)!.status).toBeGreaterThanOrEqual(400);
    expect(flat.at(-1)!.status).toBeLessThan(500);
    expect(await storeSnapshot(new Fhir(atOnce.base))).toEqual(await storeSnapshot(new Fhir(oneByOne.base)));
    const stats = atOnce.running.gateway.ingest.groupStats;
    expect(stats.messages).toBe(episodes.flat().length + 1);
    expect(stats.groups).toBeLessThan(stats.messages);
    expect(stats.largest).toBeGreaterThan(1);
  }, 120_000);
});
