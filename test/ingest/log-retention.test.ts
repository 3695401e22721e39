// The ingest log does not keep personal data forever: discarding a dead letter (HTTP and CLI) and the retention
// purge (`samverkan ingest-log purge`), on both stores. What is erased is read back from the row itself.
import type { Encounter, OperationOutcome } from '@medplum/fhirtypes';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKey, mintToken } from '../../src/gateway/auth/dev-key.ts';
import { ingestLogCommand } from '../../src/gateway/cli/ingest-log.ts';
import { deadLettersCommand } from '../../src/gateway/cli/ingest.ts';
import { INGEST_WRITES } from '../../src/gateway/ingest/routes.ts';
import { IDENTIFIER_SYSTEM } from '../../src/mappings/common/keys.ts';
import { EXTENSION } from '../../src/profiles/definitions/urls.ts';
import type { Db } from '../../src/store/db.ts';
import { backends } from '../support/db.ts';
import { AVD, body, exampleEpisode, handelseJsonAdapter, type Message } from '../support/episodes.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { Fhir } from '../http/http.ts';

const adapters = new Map([['test', handelseJsonAdapter]]);
const BAD_PNR = '195009072554'; // wrong Luhn check digit: refused by validation

function io() {
  const out: string[] = [];
  let err = '';
  return { io: { out: (s: string) => void out.push(s), err: { write: (s: string) => (err += s), isTTY: false } }, out, err: () => err };
}

type Row = Record<string, unknown> & { body: string | null; status: string; handelser: unknown; outcome: unknown };

describe.each(backends())('ingest-log retention on %s', (backend) => {
  let gw: TestGateway;
  let db: Db;
  const row = async (id: string) => (await db.query<Row>('select * from ingest_message where id = $1', [id])).rows[0]!;
  const send = async (m: Message | string, contentType = 'application/json') => {
    const res = await fetch(`${gw.root}/ingest/test`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof m === 'string' ? m : body(m) });
    await res.body?.cancel();
    return { status: res.status, result: res.headers.get('x-ingest-result'), record: res.headers.get('x-ingest-record')! };
  };
  const discardOver = (id: string, payload?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${gw.root}/ingest/dead-letters/${id}/discard`, { method: 'POST', headers, ...(payload === undefined ? {} : { body: payload }) });
  const getJson = async <T>(p: string) => (await (await fetch(`${gw.root}${p}`)).json()) as T;
  /** A dead letter holding a patient's name and personnummer (refused for the check digit). */
  const deadLetter = async (n: number) => {
    const bad = exampleEpisode(n, BAD_PNR)[0]!;
    const r = await send(bad);
    expect(r.result).toBe('dead');
    return { id: r.record, message: bad };
  };
  const purge = async (...args: string[]) => {
    const c = io();
    const code = await ingestLogCommand(['purge', ...args], c.io, async () => ({ queryable: gw.running.gateway.ingest.queryable, close: async () => {} }));
    return { code, json: c.out[0] ? (JSON.parse(c.out[0]) as { total: number; rows: Record<string, number>; batches: number }) : undefined, err: c.err() };
  };

  beforeAll(async () => {
    gw = await startTestGateway(backend, {}, { adapters });
    db = gw.running.gateway.db;
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
  });

  it('discards a dead letter over HTTP: status discarded, body, händelser and issue texts gone from the row, who and why kept', async () => {
    const { id } = await deadLetter(1);
    const before = await row(id);
    expect(before.body).toContain(BAD_PNR);

    const res = await discardOver(id, JSON.stringify({ reason: 'test message from the integration team' }));
    expect(res.status).toBe(200);
    const shown = (await res.json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ id, status: 'discarded', body: null, handelser: null, discardedBy: 'development', discardReason: 'test message from the integration team' });

    const after = await row(id);
    expect(after.body).toBeNull();
    expect(after.handelser).toBeNull();
    expect(after.stay_key).toBeNull();
    expect(after.status).toBe('discarded');
    // Kept: what identifies the delivery, not what it said.
    for (const k of ['id', 'source', 'sender', 'message_id', 'received_at', 'body_sha256', 'content_type', 'http_status']) expect(after[k], k).toEqual(before[k]);
    const text = JSON.stringify(after);
    expect(text).not.toContain(BAD_PNR);
    expect(text).not.toContain('Tolvansson');
    // The outcome keeps each issue's code and path, not its text.
    const issues = (after.outcome as OperationOutcome).issue!;
    expect(issues.length).toBe((before.outcome as OperationOutcome).issue!.length);
    expect(issues.every((i) => i.code && !i.details)).toBe(true);

    const listed = await getJson<{ items: { id: string; discardReason: string }[] }>('/ingest/messages?status=discarded');
    expect(listed.items.find((i) => i.id === id)?.discardReason).toBe('test message from the integration team');
    expect((await getJson<{ items: { id: string }[] }>('/ingest/dead-letters')).items.map((i) => i.id)).not.toContain(id);
    expect((await getJson<{ body: unknown }>(`/ingest/messages/${id}`)).body).toBeNull();
  });

  it('a discarded letter is not replayed or discarded again (409); an accepted record is not discarded (409); an unknown one is 404', async () => {
    const { id } = await deadLetter(2);
    expect((await discardOver(id, JSON.stringify({ reason: 'sent to the wrong region' }))).status).toBe(200);
    const replay = await fetch(`${gw.root}/ingest/dead-letters/${id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as OperationOutcome).issue?.[0]?.details?.text).toMatch(/discarded/);
    expect((await discardOver(id, JSON.stringify({ reason: 'again' }))).status).toBe(409);

    const ok = await send(exampleEpisode(3)[0]!);
    expect(ok.result).toBe('accepted');
    const accepted = await discardOver(ok.record, JSON.stringify({ reason: 'no' }));
    expect(accepted.status).toBe(409);
    expect((await row(ok.record)).status).toBe('accepted');
    expect((await discardOver('999999999', JSON.stringify({ reason: 'gone' }))).status).toBe(404);
  });

  it('a discard without a reason is 400 with an OperationOutcome naming reason, and changes nothing', async () => {
    const { id } = await deadLetter(4);
    for (const payload of [undefined, '{}', '{"reason": "   "}', '{"reason": 42}', 'not json', 'null', JSON.stringify({ reason: 'x'.repeat(1001) })]) {
      const res = await discardOver(id, payload);
      expect(res.status, String(payload)).toBe(400);
      const outcome = (await res.json()) as OperationOutcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue?.[0]?.expression, String(payload)).toEqual(['reason']);
    }
    expect((await discardOver(id, 'reason=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await row(id)).status).toBe('dead');
    expect((await row(id)).body).toContain(BAD_PNR);
  });

  it('only who may replay may discard: region-admin with the ingest scopes', async () => {
    const { id } = await deadLetter(5);
    const key = loadOrCreateDevKey(path.join(gw.dataDir, 'dev-signing-key.json'));
    const ingestScopes = INGEST_WRITES.map((t) => `system/${t}.cu`).join(' ');
    const tokens = [
      await mintToken({ clientId: 'auditor', role: 'auditor', scopes: 'system/*.rs' }, key),
      await mintToken({ clientId: 'ward', role: 'inpatient-unit', organizationHsaId: AVD.hsaId!, scopes: ingestScopes }, key),
      await mintToken({ clientId: 'admin-no-scopes', role: 'region-admin', scopes: 'system/*.rs' }, key),
    ];
    for (const token of tokens) {
      const res = await discardOver(id, JSON.stringify({ reason: 'test' }), { 'content-type': 'application/json', authorization: `Bearer ${token}` });
      expect(res.status).toBe(403);
    }
    const admin = await mintToken({ clientId: 'forvaltning', role: 'region-admin', scopes: ingestScopes }, key);
    const res = await discardOver(id, JSON.stringify({ reason: 'test' }), { 'content-type': 'application/json', authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    expect((await row(id)).discarded_by).toBe('forvaltning');
  });

  it('samverkan dead-letters discard ID --reason: discards; without a reason 400, not a dead letter 409', async () => {
    const { id } = await deadLetter(6);
    const service = gw.running.gateway.ingest;
    await expect(deadLettersCommand(['discard', id], io().io, service)).rejects.toMatchObject({ status: 400 });
    expect((await row(id)).status).toBe('dead');
    const c = io();
    expect(await deadLettersCommand(['discard', id, '--reason', 'duplicate test delivery'], c.io, service)).toBe(0);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ result: 'discarded', record: id });
    const after = await row(id);
    expect(after).toMatchObject({ status: 'discarded', body: null, discard_reason: 'duplicate test delivery' });
    expect(after.discarded_by).toMatch(/^samverkan-cli/);
    await expect(deadLettersCommand(['discard', id, '--reason', 'again'], io().io, service)).rejects.toMatchObject({ status: 409 });
    const show = io();
    await deadLettersCommand(['show', id], show.io, service);
    expect(JSON.parse(show.out.join('\n'))).toMatchObject({ status: 'discarded', body: null });
  });

  it('purge: dry run counts what the real run erases; accepted händelser are never erased, so the stay still projects', async () => {
    // A stay half sent (its later messages come after the purge), a resolved, a superseded and a dead letter.
    const episode = exampleEpisode(20, '196101182803');
    for (const m of episode.slice(0, 3)) expect((await send(m)).result).toBe('accepted');
    const resolved = await deadLetter(21);
    const fixed = exampleEpisode(21)[0]!;
    const fixedReplay = await fetch(`${gw.root}/ingest/dead-letters/${resolved.id}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(fixed) });
    expect(fixedReplay.status).toBe(200);
    const superseded = await deadLetter(22);
    const again = await fetch(`${gw.root}/ingest/dead-letters/${superseded.id}/replay`, { method: 'POST' });
    const dead = again.headers.get('x-ingest-record')!;
    await again.body?.cancel();
    expect((await row(superseded.id)).status).toBe('superseded');
    const accepted = (await db.query<{ id: string }>(`select id::text as id from ingest_message where status = 'accepted' order by id`)).rows.map((r) => r.id);
    const acceptedBefore = await Promise.all(accepted.map(row));
    await new Promise((r) => setTimeout(r, 5)); // every row is now strictly older than "0 days ago"

    // Nothing is that old; bad arguments are refused.
    expect((await purge('--older-than', '90d', '--status', 'resolved,superseded,discarded,dead,accepted')).json?.total).toBe(0);
    for (const bad of [[], ['--older-than', '90'], ['--older-than', '0d', '--status', 'lost'], ['--older-than', '0d', '--batch', '0']]) {
      expect((await purge(...bad)).code, bad.join(' ')).toBe(2);
    }

    const all = ['--older-than', '0d', '--status', 'resolved,superseded,discarded,dead,accepted', '--batch', '2'];
    const dry = await purge(...all, '--dry-run');
    expect(dry.code).toBe(0);
    const counts = (await db.query<{ status: string; n: string | number }>('select status, count(*) as n from ingest_message where erased_at is null group by status')).rows;
    expect(dry.json!.rows).toEqual(Object.fromEntries(['accepted', 'dead', 'resolved', 'superseded', 'discarded'].map((s) => [s, Number(counts.find((c) => c.status === s)?.n ?? 0)])));
    expect(dry.json!.rows.resolved).toBeGreaterThanOrEqual(1);
    expect(dry.json!.rows.superseded).toBeGreaterThanOrEqual(1);
    expect(dry.json!.rows.dead).toBeGreaterThanOrEqual(1);
    expect(dry.json!.batches).toBe(0);
    expect((await row(resolved.id)).body).toContain(BAD_PNR); // the dry run erased nothing

    // The default statuses leave dead letters and accepted rows alone.
    const settled = await purge('--older-than', '0d');
    expect(settled.json!.total).toBe(dry.json!.rows.resolved! + dry.json!.rows.superseded! + dry.json!.rows.discarded!);
    expect((await row(dead)).body).toContain(BAD_PNR);
    expect((await row(accepted[0]!)).body).not.toBeNull();

    const real = await purge(...all);
    expect(real.json!.total).toBe(dry.json!.total - settled.json!.total);
    expect(real.json!.batches).toBe(Math.ceil(real.json!.total / 2));
    expect((await purge(...all, '--dry-run')).json!.total).toBe(0);

    for (const id of [resolved.id, superseded.id, dead]) {
      const r = await row(id);
      expect(r.body, id).toBeNull();
      expect(JSON.stringify(r), id).not.toContain(BAD_PNR);
      expect(r.erased_at, id).not.toBeNull();
    }
    // A dead letter without its body cannot be replayed: the purge discarded it, saying why.
    expect(await row(dead)).toMatchObject({ status: 'discarded', discard_reason: expect.stringMatching(/^retention/) });
    expect((await fetch(`${gw.root}/ingest/dead-letters/${dead}/replay`, { method: 'POST' })).status).toBe(409);

    // Accepted rows lost their raw body only.
    for (const [i, id] of accepted.entries()) {
      const r = await row(id);
      expect(r.body).toBeNull();
      for (const k of ['status', 'handelser', 'stay_key', 'patient_key', 'outcome', 'resources', 'body_sha256']) expect(r[k], `${id} ${k}`).toEqual(acceptedBefore[i]![k]);
    }
    // ... so a repeat is still a duplicate, and the rest of the stay projects over the kept händelser.
    expect((await send(episode[0]!)).result).toBe('duplicate');
    for (const m of episode.slice(3)) expect((await send(m)).result).toBe('accepted');
    const fhir = new Fhir(gw.base);
    const found = await fhir.search(`Encounter?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM.vardtillfalle}|SE2321000164:V20`)}`);
    const enc = found.entry![0]!.resource as Encounter;
    expect(enc.status).toBe('finished');
    expect(enc.period).toEqual({ start: '2025-03-03T08:10:00+01:00', end: '2025-03-07T11:30:00+01:00' });
    expect(enc.extension?.find((x) => x.url === EXTENSION.estimatedDischarge)?.valueDateTime).toBe('2025-03-06');
  }, 60_000);
});
