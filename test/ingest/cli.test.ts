// `samverkan ingest` and `samverkan dead-letters` against a real store (PGlite), in process.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway/app.ts';
import { deadLettersCommand, ingestCommand, localTarget, readMessages } from '../../src/gateway/cli/ingest.ts';
import { loadConfig } from '../../src/gateway/config.ts';
import { createLogger } from '../../src/gateway/logger.ts';
import { countIngestRecords } from '../../src/store/ingest-log.ts';
import { freshDb } from '../support/db.ts';
import { exampleEpisode, handelseJsonAdapter } from '../support/episodes.ts';

const adapters = new Map([['test', handelseJsonAdapter]]);

function io() {
  const out: string[] = [];
  let err = '';
  return { io: { out: (s: string) => void out.push(s), err: { write: (s: string) => (err += s), isTTY: false } }, out, err: () => err };
}

describe('samverkan ingest and dead-letters', () => {
  let gateway: Gateway;
  let dir: string;
  const run = (args: string[], c = io()) =>
    ingestCommand(args, c.io, adapters, async () => localTarget(gateway.ingest, async () => {})).then((code) => ({ code, ...c }));

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'samverkan-cli-')), LOG_LEVEL: 'silent', AUTH_MODE: 'development' });
    gateway = await createGateway(config, createLogger('silent'), await freshDb('pglite'), { adapters });
    dir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-ingest-'));
    mkdirSync(path.join(dir, 'test'));
    const [first, ...rest] = exampleEpisode(1);
    writeFileSync(path.join(dir, 'test', 'a-first.json'), JSON.stringify(first));
    writeFileSync(path.join(dir, 'test', 'b-rest.json'), JSON.stringify(rest));
    writeFileSync(path.join(dir, 'test', 'README.md'), 'not a message');
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
  });

  it('reads one message per file, one per array element, and takes the source from the folder', async () => {
    const messages = await readMessages(dir, adapters);
    expect(messages).toHaveLength(8);
    expect(new Set(messages.map((m) => m.source))).toEqual(new Set(['test']));
    expect(messages[1]!.origin).toMatch(/b-rest\.json#1$/);
  });

  it('ingests a directory, then again as duplicates; exit 0', async () => {
    const first = await run([dir]);
    expect(first.code, first.err()).toBe(0);
    expect(JSON.parse(first.out[0]!)).toMatchObject({ messages: 8, accepted: 8 });
    expect(first.err()).toMatch(/\[#{30}\] 8\/8/);
    const again = await run([dir, '--concurrency', '3']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out[0]!)).toMatchObject({ messages: 8, duplicate: 8 });
    expect((await countIngestRecords(gateway.ingest.queryable)).accepted).toBe(8);
  });

  it('a refused message exits 1, is listed as a dead letter, and a corrected replay accepts it', async () => {
    const bad = exampleEpisode(2)[0]!;
    bad.handelser[0]!.patient.identifier.value = '196101182804';
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await run([file, '--source', 'test']);
    expect(r.code).toBe(1);
    expect(r.err()).toMatch(/refused .*bad\.json: 4\d\d \(dead letter \d+\)/);

    const list = io();
    expect(await deadLettersCommand(['list', '--source', 'test'], list.io, gateway.ingest)).toBe(0);
    expect(list.out).toHaveLength(1);
    const id = list.out[0]!.split('\t')[0]!;

    bad.handelser[0]!.patient.identifier.value = '196101182803';
    const fixedFile = path.join(dir, 'fixed.json');
    writeFileSync(fixedFile, JSON.stringify(bad));
    const replay = io();
    expect(await deadLettersCommand(['replay', id, '--file', fixedFile], replay.io, gateway.ingest)).toBe(0);
    expect(JSON.parse(replay.out[0]!)).toMatchObject({ result: 'accepted', status: 200 });
    const after = io();
    await deadLettersCommand(['list'], after.io, gateway.ingest);
    expect(after.out).toHaveLength(0);
  });

  it('bad usage exits 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([dir, '--source', 'nope'])).code).toBe(2);
    expect((await run([path.join(dir, 'missing')])).code).toBe(2);
    expect(await deadLettersCommand(['frobnicate'], io().io, gateway.ingest)).toBe(2);
    expect(await deadLettersCommand(['discard', '--reason', 'no id'], io().io, gateway.ingest)).toBe(2);
  });
});
