// Mutation fuzz of ingest: 10 000 mutated source messages across all five sources, over real HTTP.
// Every answer is a 2xx or a 4xx with an OperationOutcome (or an HL7 ACK), never a 5xx; the server
// stays up; and no message is lost: every answer names an ingest-log row holding exactly what was sent
// (or, for a repeat, the accepted row with the same content). Seeded: a failure names its case.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { generateEpisodes, toOwnSources } from '../../src/mappings/synthetic/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { fixtureEpisodes, type RawMessage } from '../ingest/fixtures.ts';
import { expectNoInternals, rng } from './helpers.ts';
import { mutate } from './ingest-mutations.ts';

const SEED = 20261122;
const CASES = Number(process.env.INGEST_FUZZ_CASES ?? 10_000);
const CONCURRENCY = 16;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('ingest under 10 000 mutated messages', () => {
  let gw: TestGateway;
  const adapters = sourceAdapters();
  const bases: RawMessage[] = [
    ...[...adapters.keys()].flatMap((s) => fixtureEpisodes(s).flatMap((e) => e.messages)),
    ...generateEpisodes({ seed: 'fuzz', count: 30, month: '2025-03' }).flatMap((e) =>
      toOwnSources(e, (s) => adapters.get(s)).map((m) => ({ source: m.source, contentType: m.contentType, body: m.body, origin: m.messageId })),
    ),
  ];

  beforeAll(async () => {
    gw = await startTestGateway('pglite');
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
  });

  it('answers every one with 2xx or 4xx, stays up, and loses none', async () => {
    const r = rng(SEED);
    const cases = Array.from({ length: CASES }, (_, n) => ({ n, m: mutate(r.pick(bases), r) }));
    const answers: { n: number; status: number; record: string | null; result: string | null; sha: string; text: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const { n, m } = cases[next++]!;
        const res = await fetch(`${gw.root}/ingest/${m.source}`, { method: 'POST', headers: { 'content-type': m.contentType }, body: m.body });
        const text = await res.text();
        answers.push({ n, status: res.status, record: res.headers.get('x-ingest-record'), result: res.headers.get('x-ingest-result'), sha: sha256(m.body), text });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const serverErrors = answers.filter((a) => a.status >= 500 || a.status < 200 || (a.status >= 300 && a.status < 400));
    expect(serverErrors.map((a) => `seed ${SEED} case ${a.n}: ${a.status} ${a.text.slice(0, 300)}`)).toEqual([]);
    for (const a of answers.filter((x) => x.status >= 400)) {
      expectNoInternals(a.text);
      expect(a.text, `case ${a.n}: ${JSON.stringify(a.text)}`).toMatch(/OperationOutcome|\rMSA\|A[ER](\||\r|$)/);
    }
    // Nothing lost: every answer names the row that holds what was sent.
    expect(answers.every((a) => a.record !== null && a.result !== null)).toBe(true);
    const { rows } = await gw.running.gateway.db.query<{ id: string | number; body_sha256: string; status: string }>(
      'select id, body_sha256, status from ingest_message',
    );
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    const lost = answers.filter((a) => byId.get(a.record!)?.body_sha256 !== a.sha);
    expect(lost.map((a) => `case ${a.n} → record ${a.record}`)).toEqual([]);
    const recorded = answers.filter((a) => a.result !== 'duplicate').length;
    expect(rows.length).toBe(recorded);
    // The mutations reach every outcome: refused, accepted and repeated.
    const results = new Set(answers.map((a) => a.result));
    expect([...results].sort()).toEqual(['accepted', 'dead', 'duplicate']);
    expect((await fetch(`${gw.root}/healthz`)).status).toBe(200);
  }, 900_000);
});
