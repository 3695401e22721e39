// The MLLP listener over real TCP on loopback, with a fake `handle`: ACKs in order, one message at a
// time per connection, split and batched frames, handler failures and oversized frames answered with an
// AR, idle timeout, and close() waiting for the message in hand.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMllpListener, type MllpListener, type MllpListenerOptions } from '../../../src/gateway/ingest/mllp-listener.ts';
import { buildAck } from '../../../src/mappings/hl7v2/ack.ts';
import { parseEr7, valueAt } from '../../../src/mappings/hl7v2/er7.ts';
import { encodeFrame, MllpDecoder } from '../../../src/mappings/hl7v2/mllp.ts';

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);
const msg = (id: string, extra = '') => `MSH|^~\\&|EHR|SE2321000164-7381037590003|GW|GW|20250301120000||ADT^A01^ADT_A01|${id}|P|2.5${extra}\rEVN|A01\r`;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A fake ingest: AA for every message, after an optional delay, recording what it saw. */
function fakeHandle(delayMs = 0) {
  const seen: string[] = [];
  let active = 0;
  let maxActive = 0;
  const handle = async (message: string) => {
    active++;
    maxActive = Math.max(maxActive, active);
    seen.push(message);
    await new Promise((r) => setTimeout(r, delayMs));
    active--;
    if (message.includes('|FAIL|')) throw new Error('database down');
    return buildAck(message, 'AA', [], { now: NOW });
  };
  return { handle, seen, maxActive: () => maxActive };
}

let listener: MllpListener | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

async function start(overrides: Partial<MllpListenerOptions> & Pick<MllpListenerOptions, 'handle'>): Promise<MllpListener> {
  listener = await startMllpListener({ host: '127.0.0.1', port: 0, maxFrameBytes: 4096, logger: quiet, now: () => NOW, ...overrides });
  return listener;
}

/** A client that collects the ACKs (decoded) and knows when the server closed. */
async function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const decoder = new MllpDecoder({ maxFrameBytes: 1 << 20 });
  const acks: string[] = [];
  const waiters: (() => void)[] = [];
  let closed = false;
  socket.on('data', (chunk) => {
    for (const e of decoder.push(chunk)) if (e.type === 'message') acks.push(e.payload.toString('latin1'));
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (test: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  return {
    socket,
    acks,
    isClosed: () => closed,
    send: (bytes: Uint8Array) => new Promise<void>((r) => socket.write(bytes, () => r())),
    waitForAcks: (n: number) => until(() => acks.length >= n),
    waitForClose: () => until(() => closed),
  };
}

const msa = (ack: string) => {
  const r = parseEr7(ack);
  if (!r.ok) throw new Error(r.error.message);
  const m = r.message.segments.find((s) => s.name === 'MSA');
  return [valueAt(m, 1), valueAt(m, 2)];
};

describe('MLLP listener', () => {
  it('answers each message with the handler\'s ACK, in order, one message at a time', async () => {
    const fake = fakeHandle(20);
    const { port } = await start({ handle: fake.handle });
    const c = await client(port);
    // Three messages in one chunk: they are handled one after another, not at once.
    await c.send(Buffer.concat(['M1', 'M2', 'M3'].map((id) => encodeFrame(msg(id)))));
    await c.waitForAcks(3);
    expect(c.acks.map(msa)).toEqual([['AA', 'M1'], ['AA', 'M2'], ['AA', 'M3']]);
    expect(fake.maxActive()).toBe(1);
    expect(fake.seen).toEqual([msg('M1'), msg('M2'), msg('M3')]);
  });

  it('answers what a sender sent before closing its side (half-close), then closes', async () => {
    const fake = fakeHandle(30);
    const { port } = await start({ handle: fake.handle });
    const c = await client(port);
    c.socket.end(Buffer.concat(['H1', 'H2'].map((id) => encodeFrame(msg(id)))));
    await c.waitForAcks(2);
    expect(c.acks.map(msa)).toEqual([['AA', 'H1'], ['AA', 'H2']]);
    await c.waitForClose();
  });

  it('reassembles a message split across chunks, byte by byte', async () => {
    const fake = fakeHandle();
    const { port } = await start({ handle: fake.handle });
    const c = await client(port);
    const frame = encodeFrame(msg('SPLIT'));
    for (const b of frame) {
      await c.send(Buffer.of(b));
      await new Promise((r) => setTimeout(r, 1));
    }
    await c.waitForAcks(1);
    expect(msa(c.acks[0]!)).toEqual(['AA', 'SPLIT']);
    expect(fake.seen).toEqual([msg('SPLIT')]);
  });

  it('handles connections in parallel, each in its own order', async () => {
    const fake = fakeHandle(10);
    const { port } = await start({ handle: fake.handle });
    const [a, b] = await Promise.all([client(port), client(port)]);
    await Promise.all([a!.send(Buffer.concat([encodeFrame(msg('A1')), encodeFrame(msg('A2'))])), b!.send(Buffer.concat([encodeFrame(msg('B1')), encodeFrame(msg('B2'))]))]);
    await Promise.all([a!.waitForAcks(2), b!.waitForAcks(2)]);
    expect(a!.acks.map((x) => msa(x)[1])).toEqual(['A1', 'A2']);
    expect(b!.acks.map((x) => msa(x)[1])).toEqual(['B1', 'B2']);
  });

  it('answers a handler failure with an AR and keeps the connection for the next message', async () => {
    const fake = fakeHandle();
    const { port } = await start({ handle: fake.handle });
    const c = await client(port);
    await c.send(Buffer.concat([encodeFrame(msg('FAIL')), encodeFrame(msg('OK'))]));
    await c.waitForAcks(2);
    expect(c.acks.map(msa)).toEqual([['AR', 'FAIL'], ['AA', 'OK']]);
    expect(c.acks[0]).toContain('207');
    expect(c.isClosed()).toBe(false);
  });

  it('decodes and answers in the character set MSH-18 declares', async () => {
    let received = '';
    const { port } = await start({
      handle: async (m) => {
        received = m;
        return buildAck(m, 'AA', [], { now: NOW });
      },
    });
    const c = await client(port);
    const text = msg('L1', '||||||8859/1') + 'PID|||||Åström\r';
    await c.send(encodeFrame(Buffer.from(text, 'latin1')));
    await c.waitForAcks(1);
    expect(received).toBe(text);
    expect(c.acks[0]).toContain('8859/1');
  });

  it('answers an oversized frame with an AR and closes the connection', async () => {
    const fake = fakeHandle();
    const { port } = await start({ handle: fake.handle, maxFrameBytes: 200 });
    const c = await client(port);
    await c.send(encodeFrame(msg('BIG') + 'NTE|' + 'x'.repeat(500) + '\r'));
    await c.waitForClose();
    expect(c.acks.map(msa)).toEqual([['AR', 'BIG']]);
    expect(c.acks[0]).toContain('larger than 200 bytes');
    expect(fake.seen).toEqual([]);
  });

  it('closes an idle connection, but not while its message is being handled', async () => {
    const { port } = await start({ handle: fakeHandle(300).handle, idleTimeoutMs: 100 });
    const busy = await client(port);
    await busy.send(encodeFrame(msg('SLOW')));
    await busy.waitForAcks(1);
    expect(msa(busy.acks[0]!)).toEqual(['AA', 'SLOW']);
    const idle = await client(port);
    await Promise.all([idle.waitForClose(), busy.waitForClose()]);
    expect(idle.acks).toEqual([]);
  });

  it('close() waits for the message in hand and answers it', async () => {
    const fake = fakeHandle(300);
    const l = await start({ handle: fake.handle });
    const c = await client(l.port);
    await c.send(encodeFrame(msg('INFLIGHT')));
    while (!fake.seen.length) await new Promise((r) => setTimeout(r, 10));
    await l.close();
    listener = undefined;
    await c.waitForClose();
    expect(c.acks.map(msa)).toEqual([['AA', 'INFLIGHT']]);
    // Nothing listens any more.
    await expect(client(l.port)).rejects.toThrow();
  });
});
