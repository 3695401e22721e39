// Every source's fixture episodes through the real ingest (HTTP on loopback, both stores): accepted,
// and sending every message twice in shuffled order ends in the same store as once in order.
// HL7v2 also over MLLP, answered with ACKs.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { encodeFrame, MllpDecoder } from '../../src/mappings/hl7v2/mllp.ts';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { storeSnapshot } from '../support/store-snapshot.ts';
import { Fhir } from '../http/http.ts';
import { fixtureEpisodes, shuffled, type RawMessage } from './fixtures.ts';

const SOURCES = [...sourceAdapters().keys()];
const ALL: RawMessage[] = SOURCES.flatMap((s) => fixtureEpisodes(s).flatMap((e) => e.messages));

async function post(gw: TestGateway, m: RawMessage) {
  const res = await fetch(`${gw.root}/ingest/${m.source}`, { method: 'POST', headers: { 'content-type': m.contentType }, body: m.body });
  return { status: res.status, result: res.headers.get('x-ingest-result'), text: await res.text(), type: res.headers.get('content-type') };
}

describe.each(backends())('source fixtures through ingest on %s', (backend) => {
  let inOrder: TestGateway;
  let twiceShuffled: TestGateway;

  beforeAll(async () => {
    [inOrder, twiceShuffled] = await Promise.all([startTestGateway(backend, { MLLP_PORT: '0' }), startTestGateway(backend)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inOrder?.stop(), twiceShuffled?.stop()]);
  });

  it('has fixtures for every registered source', () => {
    for (const s of SOURCES) expect(fixtureEpisodes(s).length, s).toBeGreaterThanOrEqual(3);
  });

  it('accepts every fixture message, in order', async () => {
    for (const m of ALL) {
      const r = await post(inOrder, m);
      expect(r.status, `${m.origin}: ${r.text.slice(0, 600)}`).toBe(200);
      expect(r.result).toBe('accepted');
    }
  }, 300_000);

  it('every message twice, in shuffled order, gives the same store contents', async () => {
    const answers = [];
    for (const m of shuffled([...ALL, ...ALL], 11)) answers.push({ m, r: await post(twiceShuffled, m) });
    const failed = answers.filter((a) => a.r.status !== 200);
    expect(failed.map((f) => `${f.m.origin}: ${f.r.text.slice(0, 300)}`)).toEqual([]);
    expect(answers.filter((a) => a.r.result === 'duplicate')).toHaveLength(ALL.length);
    const [a, b] = await Promise.all([storeSnapshot(new Fhir(inOrder.base)), storeSnapshot(new Fhir(twiceShuffled.base))]);
    expect(Object.keys(a).length).toBeGreaterThan(ALL.length);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const key of Object.keys(a)) expect(b[key], key).toEqual(a[key]);
  }, 300_000);

  it('answers HL7v2 over HTTP with an ACK: AA for a repeat, AE naming the field for refused content', async () => {
    const m = fixtureEpisodes('hl7v2')[0]!.messages[0]!;
    const again = await post(inOrder, m);
    expect(again.status).toBe(200);
    expect(again.type).toMatch(/hl7-v2/);
    expect(again.text).toMatch(/^MSH\|.*\rMSA\|AA\|/s);
    const broken = { ...m, body: m.body.replace(/\rPID\|[^\r]*/, '\rPID|1||19500907255X^^^^PN||Tolvansson^Tolvan') };
    const refused = await post(inOrder, broken);
    expect(refused.status).toBe(400);
    expect(refused.result).toBe('dead');
    expect(refused.text).toMatch(/\rMSA\|AE\|/);
    expect(refused.text).toMatch(/\rERR\|/);
    // The same control id with other content: AE, HL7 error 205 (duplicate key) at MSH-10.
    const reused = { ...m, body: m.body.replace(/\rPID\|([^\r]*)/, (_all, rest: string) => `\rPID|${rest.replace(/\|[A-ZÅÄÖ][a-zåäö]+\^/, '|Annorlunda^')}`) };
    expect(reused.body).not.toBe(m.body);
    const conflict = await post(inOrder, reused);
    expect(conflict.status).toBe(409);
    expect(conflict.text).toMatch(/\rMSA\|AE\|/);
    expect(conflict.text).toMatch(/\rERR\|[^\r]*MSH\^1\^10[^\r]*\|205\^/);
  });

  it('takes HL7v2 over MLLP: one ACK per framed message, in order', async () => {
    const port = inOrder.running.mllpPort!;
    expect(port).toBeGreaterThan(0);
    const episode = fixtureEpisodes('hl7v2')[1]!.messages;
    const socket = net.connect(port, '127.0.0.1');
    const acks: string[] = [];
    const decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
    const done = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        for (const ev of decoder.push(chunk)) if (ev.type === 'message') acks.push(ev.payload.toString('utf8'));
        if (acks.length === episode.length + 1) resolve();
      });
      socket.on('error', reject);
    });
    // All frames in one write: the listener must split them and answer each, in order.
    socket.write(Buffer.concat([...episode.map((m) => encodeFrame(m.body)), encodeFrame('MSH|^~\\&|broken')]));
    await done;
    socket.end();
    expect(acks.slice(0, -1).every((a) => /\rMSA\|AA\|/.test(a))).toBe(true);
    const controlIds = episode.map((m) => m.body.split('\r')[0]!.split('|')[9]);
    expect(acks.slice(0, -1).map((a) => /\rMSA\|AA\|([^|\r]*)/.exec(a)?.[1])).toEqual(controlIds);
    expect(acks.at(-1)).toMatch(/\rMSA\|AR\|/);
  }, 60_000);
});
