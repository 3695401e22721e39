// `samverkan demo` against a local HTTP server that records what it receives and refuses some messages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_IDS, type HandelseKind } from '../../../src/mappings/common/handelse.ts';
import { demoCommand } from '../../../src/gateway/cli/demo.ts';
import { jsonAdapter } from './json-adapter.ts';

type Received = { path: string; contentType: string; body: string };
let server: Server;
let url: string;
let received: Received[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** Bodies whose message id ends in this digit are refused with a 422 OperationOutcome. */
let refuseDigit: string | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      const id = (JSON.parse(body) as { messageId: string }[])[0]!.messageId;
      // Answer a little later, so that requests overlap.
      setTimeout(() => {
        inFlight--;
        if (refuseDigit !== null && id.endsWith(refuseDigit)) {
          res.writeHead(422, { 'content-type': 'application/fhir+json' });
          res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'refused by the test' } }] }));
        } else {
          res.writeHead(200, { 'content-type': 'application/fhir+json' });
          res.end('{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}');
        }
      }, 2);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ADT: HandelseKind[] = ['adt-inskrivning', 'adt-overflyttning', 'adt-utskrivning', 'adt-uppdatering'];
const NOTICES: HandelseKind[] = [
  'vardbegaran', 'inskrivningsmeddelande', 'samtycke', 'beraknad-utskrivning', 'kvittens', 'fast-vardkontakt', 'kallelse-svpl',
  'utskrivningsklar', 'aterkallad-utskrivningsklar', 'kallelse-sip', 'utskrivningsmeddelande', 'sip-status', 'kommentar',
];
const adapters = new Map(SOURCE_IDS.map((id) => [id, jsonAdapter(id, id === 'hl7v2' ? ADT : NOTICES)]));

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (s: string) => (chunks.push(s), true), text: () => chunks.join('') };
}

async function demo(args: string[], tty = false) {
  received = [];
  maxInFlight = 0;
  const out = sink();
  const err = sink(tty);
  const code = await demoCommand(['--url', url, '--month', '2025-03', ...args], out as unknown as NodeJS.WritableStream, { adapters, err });
  const summary = code === 2 ? undefined : (JSON.parse(out.text()) as Record<string, number | string>);
  return { code, summary, err: err.text() };
}

describe('samverkan demo', () => {
  it('posts whole episodes to /ingest/{source} with their content type, 8 at a time, and sums up', async () => {
    refuseDigit = null;
    const { code, summary, err } = await demo(['--messages', '300', '--seed', 'demo']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ month: '2025-03', seed: 'demo', source: 'own', sent: received.length, accepted: received.length, rejected: 0, failed: 0 });
    expect(received.length).toBeGreaterThanOrEqual(300);
    expect(received.length).toBeLessThan(340); // whole episodes: at most one more episode's worth
    expect(Number(summary!.messagesPerSecond)).toBeGreaterThan(0);
    const paths = new Set(received.map((r) => r.path));
    expect(paths).toContain('/ingest/hl7v2');
    for (const p of paths) expect(p).toMatch(/^\/ingest\/(cosmic-link|lifecare-sp|samsa|hl7v2)$/);
    for (const r of received) expect(r.contentType).toBe('application/json');
    for (const r of received.filter((x) => x.path === '/ingest/hl7v2')) expect(r.body).toMatch(/"kind":"adt-/);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    // Not a terminal: one plain closing line, no carriage returns.
    expect(err).not.toContain('\r');
    expect(err).toMatch(/\d+\/\d+/);
  });

  it('sends the same messages for the same seed, other ones for another', async () => {
    const bodies = async (seed: string) => {
      await demo(['--messages', '100', '--seed', seed]);
      return received.map((r) => r.body).sort();
    };
    const a = await bodies('same');
    expect(await bodies('same')).toEqual(a);
    expect(await bodies('other')).not.toEqual(a);
  });

  it('--source sends everything as that source, only the kinds it carries', async () => {
    const { code, summary } = await demo(['--messages', '120', '--source', 'hl7v2']);
    expect(code).toBe(0);
    expect(new Set(received.map((r) => r.path))).toEqual(new Set(['/ingest/hl7v2']));
    for (const r of received) for (const h of JSON.parse(r.body) as { kind: string }[]) expect(h.kind.startsWith('adt-')).toBe(true);
    expect(summary!.source).toBe('hl7v2');
  });

  it('counts refusals, names them, and exits 1', async () => {
    refuseDigit = '3';
    const { code, summary, err } = await demo(['--messages', '200', '--concurrency', '3']);
    refuseDigit = null;
    expect(code).toBe(1);
    const refused = received.filter((r) => (JSON.parse(r.body) as { messageId: string }[])[0]!.messageId.endsWith('3')).length;
    expect(refused).toBeGreaterThan(0);
    expect(summary).toMatchObject({ sent: received.length, rejected: refused, accepted: received.length - refused, failed: 0 });
    expect(err).toContain('refused by the test');
    expect(maxInFlight).toBeLessThanOrEqual(3);
  });

  it('draws a progress bar in place on a terminal', async () => {
    const { err } = await demo(['--messages', '50'], true);
    expect(err).toContain('\r[');
    expect(err).toMatch(/accepted \d+/);
  });

  it('an unreachable gateway is a failure, not a crash', async () => {
    const out = sink();
    const err = sink();
    const code = await demoCommand(['--url', 'http://127.0.0.1:9', '--month', '2025-03', '--messages', '20'], out as unknown as NodeJS.WritableStream, { adapters, err });
    expect(code).toBe(1);
    expect(JSON.parse(out.text())).toMatchObject({ accepted: 0, failed: expect.any(Number) });
  });

  it('bad arguments exit 2 with the usage', async () => {
    for (const args of [['--month', '2025-13'], ['--source', 'nope'], ['--messages', '0'], ['--concurrency', '1000'], ['--bogus']]) {
      const { code, err } = await demo(args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toContain('usage: samverkan demo');
    }
    expect(received).toEqual([]);
  });
});
