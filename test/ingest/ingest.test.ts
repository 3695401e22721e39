// Ingest over real HTTP on both stores: order-independence, idempotency, dead letters and replay,
// with händelser sent as JSON by a test adapter (each source's own format is tested in test/mappings).
import type { Bundle, Encounter, OperationOutcome } from '@medplum/fhirtypes';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKey, mintToken } from '../../src/gateway/auth/dev-key.ts';
import { EXTENSION } from '../../src/profiles/definitions/urls.ts';
import { IDENTIFIER_SYSTEM } from '../../src/mappings/common/keys.ts';
import { backends } from '../support/db.ts';
import { AVD, body, exampleEpisode, handelseJsonAdapter, notices, VC, type Message } from '../support/episodes.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { storeSnapshot } from '../support/store-snapshot.ts';
import { shuffled } from './fixtures.ts';
import { Fhir } from '../http/http.ts';

const adapters = new Map([['test', handelseJsonAdapter]]);

async function send(gw: TestGateway, m: Message | string, contentType = 'application/json', source = 'test') {
  const res = await fetch(`${gw.root}/ingest/${source}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof m === 'string' ? m : body(m) });
  const text = await res.text();
  return { status: res.status, result: res.headers.get('x-ingest-result'), record: res.headers.get('x-ingest-record'), body: JSON.parse(text) as OperationOutcome & { entry?: Bundle['entry'] } };
}

async function getJson<T>(gw: TestGateway, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${gw.root}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

describe.each(backends())('ingest on %s', (backend) => {
  let inOrder: TestGateway;
  let shuffledTwice: TestGateway;
  const episodes = [exampleEpisode(1), exampleEpisode(2, '196101182803'), exampleEpisode(3, '200302022389')];
  const messages = episodes.flat();

  beforeAll(async () => {
    [inOrder, shuffledTwice] = await Promise.all([
      startTestGateway(backend, {}, { adapters }),
      startTestGateway(backend, {}, { adapters }),
    ]);
    for (const m of messages) {
      const r = await send(inOrder, m);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.result).toBe('accepted');
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all([inOrder?.stop(), shuffledTwice?.stop()]);
  });

  it('projects the stay from its notices: finished, ready time, estimated discharge, liable kommun', async () => {
    const fhir = new Fhir(inOrder.base);
    const found = await fhir.search(`Encounter?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM.vardtillfalle}|SE2321000164:V1`)}`);
    expect(found.entry).toHaveLength(1);
    const e = found.entry![0]!.resource as Encounter;
    expect(e.status).toBe('finished');
    expect(e.period).toEqual({ start: '2025-03-03T08:10:00+01:00', end: '2025-03-07T11:30:00+01:00' });
    const ext = (url: string) => e.extension?.find((x) => x.url === url);
    expect(ext(EXTENSION.readyForDischarge)?.valueDateTime).toBe('2025-03-05T10:15:00+01:00');
    expect(ext(EXTENSION.estimatedDischarge)?.valueDateTime).toBe('2025-03-06');
    expect(ext(EXTENSION.liableKommun)?.valueCoding?.code).toBe('1880');
    const comms = await fhir.search(`Communication?encounter=Encounter/${e.id}&_count=100`);
    expect(comms.entry).toHaveLength(notices(episodes[0]!));
  });

  it('writes a new version only when a message changes something (no-op updates are suppressed)', async () => {
    const fhir = new Fhir(inOrder.base);
    const enc = (await fhir.search(`Encounter?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM.vardtillfalle}|SE2321000164:V1`)}`)).entry![0]!.resource!;
    // Created by the admission notice; changed by the new estimate, the readiness and the discharge.
    expect(enc.meta?.versionId).toBe('4');
    const patient = (await fhir.search('Patient?identifier=http://electronichealth.se/identifier/personnummer|195009072553')).entry![0]!.resource!;
    expect(patient.meta?.versionId).toBe('1');
  });

  it('creates each organisation once, however many messages name it', async () => {
    const fhir = new Fhir(inOrder.base);
    const kommun = await fhir.search('Organization?identifier=urn:oid:1.2.752.129.2.2.1.17|1880');
    expect(kommun.entry).toHaveLength(1);
    const all = await fhir.search('Organization?_count=100');
    expect(all.entry).toHaveLength(4);
  });

  it('sending every message twice, in shuffled order, gives the same store as once in order', async () => {
    const order = shuffled([...messages, ...messages], 7);
    const answers = [];
    for (const m of order) answers.push(await send(shuffledTwice, m));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.result === 'duplicate')).toHaveLength(messages.length);
    const [a, b] = await Promise.all([storeSnapshot(new Fhir(inOrder.base)), storeSnapshot(new Fhir(shuffledTwice.base))]);
    // 3 × (8 notices, stay, patient, consent, care team, plan) + 4 organisations.
    expect(Object.keys(a)).toHaveLength(43);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b).toEqual(a);
  }, 120_000);

  it('a repeated message id with other content is refused (409) and kept as a dead letter', async () => {
    const m = structuredClone(messages[0]!);
    m.handelser[0]!.patient.family = 'Annorlunda';
    const r = await send(inOrder, m);
    expect(r.status).toBe(409);
    expect(r.result).toBe('dead');
    expect(r.body.issue?.[0]?.details?.text).toMatch(/accepted before/);
    const dead = await getJson<{ status: string; body: string }>(inOrder, `/ingest/dead-letters/${r.record}`);
    expect(dead.status).toBe(200);
    expect(dead.body.status).toBe('dead');
    expect(dead.body.body).toBe(body(m));
  });

  it('refused content is a dead letter that names the field; a corrected replay resolves it', async () => {
    const bad = exampleEpisode(9)[0]!;
    bad.handelser[0]!.patient.identifier.value = '195009072554'; // wrong Luhn check digit
    const r = await send(inOrder, bad);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.result).toBe('dead');
    expect(JSON.stringify(r.body.issue)).toMatch(/identifier/);
    const list = await getJson<{ items: { id: string; messageId: string }[] }>(inOrder, '/ingest/dead-letters?source=test');
    expect(list.body.items.map((i) => i.id)).toContain(r.record);
    // Nothing of the refused message was written.
    const fhir = new Fhir(inOrder.base);
    expect((await fhir.search('Patient?identifier=http://electronichealth.se/identifier/personnummer|195009072554')).entry ?? []).toHaveLength(0);

    const again = await fetch(`${inOrder.root}/ingest/dead-letters/${r.record}/replay`, { method: 'POST' });
    expect(again.status).toBe(r.status);
    expect(again.headers.get('x-ingest-result')).toBe('dead');
    // The failed replay is the dead letter now; the first is superseded.
    const first = await getJson<{ status: string; resolvedBy: string }>(inOrder, `/ingest/messages/${r.record}`);
    expect(first.body.status).toBe('superseded');

    bad.handelser[0]!.patient.identifier.value = '189002029800';
    const fixed = await fetch(`${inOrder.root}/ingest/dead-letters/${first.body.resolvedBy}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(bad),
    });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('x-ingest-result')).toBe('accepted');
    const settled = await getJson<{ status: string; resolvedBy: string }>(inOrder, `/ingest/messages/${first.body.resolvedBy}`);
    expect(settled.body).toMatchObject({ status: 'resolved', resolvedBy: fixed.headers.get('x-ingest-record') });
    const replayOnce = await fetch(`${inOrder.root}/ingest/dead-letters/${first.body.resolvedBy}/replay`, { method: 'POST' });
    expect(replayOnce.status).toBe(409);
  });

  it('unreadable input, a wrong media type and an unknown source get 4xx OperationOutcomes; the first two are kept', async () => {
    const notJson = await send(inOrder, '{"messageId": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.resourceType).toBe('OperationOutcome');
    expect(notJson.result).toBe('dead');
    const wrongType = await send(inOrder, body(messages[0]!), 'text/csv');
    expect(wrongType.status).toBe(415);
    expect(wrongType.result).toBe('dead');
    const unknown = await send(inOrder, body(messages[0]!), 'application/json', 'no-such-system');
    expect(unknown.status).toBe(404);
    expect(unknown.body.issue?.[0]?.details?.text).toMatch(/No source/);
  });

  it('concurrent messages of different stays naming the same parties create each party once', async () => {
    const fresh = await startTestGateway(backend, {}, { adapters });
    try {
      const firsts = Array.from({ length: 12 }, (_, i) => exampleEpisode(100 + i)[0]!);
      const answers = await Promise.all(firsts.map((m) => send(fresh, m)));
      expect(answers.map((a) => a.status)).toEqual(firsts.map(() => 200));
      const fhir = new Fhir(fresh.base);
      expect((await fhir.search('Organization?_count=100')).entry).toHaveLength(3);
      expect((await fhir.search('Encounter?_count=100')).entry).toHaveLength(12);
      expect((await fhir.search('Patient?_count=100')).entry).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
  }, 60_000);

  it('a stay whose patient is first named by reservnummer, later by personnummer, refers to one Patient whatever the order', async () => {
    const [first, , , , ready] = exampleEpisode(50, '196101182803');
    const early = structuredClone(first!);
    early.handelser[0]!.patient.identifier = { kind: 'nationelltReservnummer', value: '20210325K069' };
    // The later message (by when it happened) names the personnummer, and arrives first.
    expect((await send(inOrder, ready!)).status).toBe(200);
    const r = await send(inOrder, early);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const fhir = new Fhir(inOrder.base);
    const enc = (await fhir.search(`Encounter?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM.vardtillfalle}|SE2321000164:V50`)}`)).entry![0]!.resource as Encounter;
    expect(enc.subject?.reference).toMatch(/^Patient\/[\w-]+$/);
    const patient = await fhir.get(enc.subject!.reference!);
    expect(patient.status).toBe(200);
    expect(JSON.stringify(patient.body)).toContain('196101182803');
  });

  it('scopes message ids by sender: two senders may use the same id', async () => {
    const [fromWard, , , fromVc] = exampleEpisode(70);
    for (const m of [fromWard!, fromVc!]) {
      m.messageId = 'SHARED-1';
      m.handelser[0]!.messageId = 'SHARED-1';
    }
    expect((await send(inOrder, fromWard!)).result).toBe('accepted');
    expect((await send(inOrder, fromVc!)).result).toBe('accepted');
    expect((await send(inOrder, fromVc!)).result).toBe('duplicate');
    // Two notices, neither overwriting the other.
    const fhir = new Fhir(inOrder.base);
    for (const sender of [AVD.hsaId, VC.hsaId]) {
      const found = await fhir.search(`Communication?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM.meddelande('cosmic-link')}|${sender}:SHARED-1`)}`);
      expect(found.entry, sender).toHaveLength(1);
    }
  });

  it('one message id sent at once about two different stays: one accepted, one 409, never a 5xx', async () => {
    for (let round = 0; round < 5; round++) {
      const [a] = exampleEpisode(80 + 2 * round);
      const [b] = exampleEpisode(81 + 2 * round);
      for (const m of [a!, b!]) {
        m.messageId = `RACE-${round}`;
        m.handelser[0]!.messageId = `RACE-${round}`;
      }
      const statuses = (await Promise.all([send(inOrder, a!), send(inOrder, b!)])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
    }
  });

  it('a token acting for one organisation may send only that organisation\'s messages (403 and a dead letter otherwise)', async () => {
    const key = loadOrCreateDevKey(path.join(inOrder.dataDir, 'dev-signing-key.json'));
    const scopes = 'system/Organization.cu system/Patient.cu system/Encounter.cu system/Communication.cu system/Consent.cu system/CareTeam.cu system/CarePlan.cu';
    const ward = await mintToken({ clientId: 'avd71', role: 'inpatient-unit', organizationHsaId: AVD.hsaId!, scopes }, key);
    const [fromWard, , , fromVc] = exampleEpisode(90);
    const as = (m: Message, token: string) =>
      fetch(`${inOrder.root}/ingest/test`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body(m) });
    const own = await as(fromWard!, ward);
    expect(own.status).toBe(200);
    const other = await as(fromVc!, ward);
    expect(other.status).toBe(403);
    expect(other.headers.get('x-ingest-result')).toBe('dead');
    const outcome = (await other.json()) as OperationOutcome;
    expect(outcome.issue?.[0]?.expression).toEqual(['sender']);
    expect(outcome.issue?.[0]?.details?.text).toContain(VC.hsaId!);
  });

  it('lists the log newest first with paging', async () => {
    const page = await getJson<{ items: { id: string }[]; next?: string }>(inOrder, '/ingest/messages?_count=3&status=accepted');
    expect(page.body.items).toHaveLength(3);
    const ids = page.body.items.map((i) => Number(i.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.body.next).toBeDefined();
    const next = await getJson<{ items: { id: string }[] }>(inOrder, page.body.next!);
    expect(Number(next.body.items[0]!.id)).toBeLessThan(ids.at(-1)!);
    const bad = await getJson<OperationOutcome>(inOrder, '/ingest/messages?status=lost');
    expect(bad.status).toBe(400);
  });
});
