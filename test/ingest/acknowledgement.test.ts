// A kvittens names the notice it answers (Communication.inResponseTo, by that notice's business identifier),
// and what is stored does not depend on whether the reply or the notice arrived first: on both stores, a
// Cosmic Link reply to a Cosmic Link admission notice and a kommun reply (Treserva) to a SAMSA one.
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFIER_SYSTEM, noticeKey } from '../../src/mappings/common/keys.ts';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { fixtureEpisodes, type RawMessage } from './fixtures.ts';

const message = (source: string, episode: string, i: number): RawMessage => fixtureEpisodes(source).find((e) => e.name === episode)!.messages[i]!;

/** Each reply with the admission notice it answers. */
const PAIRS = [
  { name: 'Cosmic Link reply to a Cosmic Link notice', notice: message('cosmic-link', 'somatisk-hoftfraktur.json', 1), reply: message('cosmic-link', 'somatisk-hoftfraktur.json', 3) },
  { name: 'kommun (Treserva) reply to a SAMSA notice', notice: message('samsa', 'somatisk-goteborg', 1), reply: message('kommun', 'treserva-goteborg', 0) },
];

const adapters = sourceAdapters();

/** The business identifier of a message's first notice, as the gateway writes it. */
function noticeIdentifier(m: RawMessage) {
  const r = adapters.get(m.source)!.map(m.body, m.contentType);
  if (!r.ok) throw new Error(`${m.origin} refused: ${JSON.stringify(r.issues)}`);
  const h = r.handelser[0]!;
  return { system: IDENTIFIER_SYSTEM.meddelande(h.source), value: noticeKey(h.sender, h.messageId, h.seq) };
}

async function send(gw: TestGateway, m: RawMessage) {
  const res = await fetch(`${gw.root}/ingest/${m.source}`, { method: 'POST', headers: { 'content-type': m.contentType }, body: m.body });
  expect(res.status, `${m.origin}: ${await res.clone().text()}`).toBe(200);
  expect(res.headers.get('x-ingest-result')).toBe('accepted');
}

async function byIdentifier(gw: TestGateway, i: { system: string; value: string }): Promise<Communication[]> {
  const res = await fetch(`${gw.base}/Communication?identifier=${encodeURIComponent(`${i.system}|${i.value}`)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Bundle).entry?.map((e) => e.resource as Communication) ?? [];
}

describe.each(backends())('acknowledgement on %s', (backend) => {
  let replyFirst: TestGateway;
  let noticeFirst: TestGateway;

  beforeAll(async () => {
    [replyFirst, noticeFirst] = await Promise.all([startTestGateway(backend), startTestGateway(backend)]);
    for (const p of PAIRS) {
      await send(replyFirst, p.reply);
      await send(replyFirst, p.notice);
      await send(noticeFirst, p.notice);
      await send(noticeFirst, p.reply);
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([replyFirst?.stop(), noticeFirst?.stop()]);
  });

  it.each(PAIRS.map((p) => [p.name, p] as const))('%s: the same inResponseTo whichever arrived first', async (_n, p) => {
    const answered = noticeIdentifier(p.notice);
    const [before] = await byIdentifier(replyFirst, noticeIdentifier(p.reply));
    const [after] = await byIdentifier(noticeFirst, noticeIdentifier(p.reply));
    expect(before?.inResponseTo).toEqual([{ type: 'Communication', identifier: answered }]);
    expect(after?.inResponseTo).toEqual(before?.inResponseTo);
    // The notice's arrival does not rewrite the reply: it depends only on its own message.
    expect(before?.meta?.versionId).toBe('1');
    expect(after?.meta?.versionId).toBe('1');
  });

  it.each(PAIRS.map((p) => [p.name, p] as const))('%s: the identifier finds the notice answered, once stored', async (_n, p) => {
    for (const gw of [replyFirst, noticeFirst]) {
      const [reply] = await byIdentifier(gw, noticeIdentifier(p.reply));
      const found = await byIdentifier(gw, reply!.inResponseTo![0]!.identifier as { system: string; value: string });
      expect(found.map((c) => c.category?.[0]?.coding?.[0]?.code)).toEqual(['inskrivningsmeddelande']);
    }
  });
});
