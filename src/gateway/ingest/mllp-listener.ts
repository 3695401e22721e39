// The HL7v2 MLLP listener: hospital record systems keep a TCP connection open and send ADT messages in
// MLLP frames, each answered with an ACK before the next is taken (HL7 original mode). The listener only
// frames and orders: what a message means and what its ACK says is `handle`'s business (the ingest
// service), except when `handle` fails or a frame is too large, where it answers itself (ack.ts) so a
// sender is never left waiting.
import { createServer, type Server, type Socket } from 'node:net';
import { buildAck } from '../../mappings/hl7v2/ack.ts';
import { HL7_ERROR } from '../../mappings/hl7v2/contract.ts';
import { decodeBytes, encodeText } from '../../mappings/hl7v2/er7.ts';
import { encodeFrame, MllpDecoder, type MllpEvent } from '../../mappings/hl7v2/mllp.ts';

type LogFn = (obj: object, msg: string) => void;
export type MllpLogger = { info: LogFn; warn: LogFn; error: LogFn };

export type MllpListenerOptions = {
  host: string;
  /** 0 picks a free port (see the returned `port`). */
  port: number;
  maxFrameBytes: number;
  /** The ACK (ER7 text) for one message; a rejection is an AE/AR ACK, not a thrown error. */
  handle: (message: string) => Promise<string>;
  logger: MllpLogger;
  /** A connection with no traffic and nothing in progress for this long is closed. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** The ACK time, for tests. */
  now?: () => number;
};

export type MllpListener = { port: number; close(): Promise<void> };

export async function startMllpListener(options: MllpListenerOptions): Promise<MllpListener> {
  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const connections = new Set<Connection>();
  let closing = false;

  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const c = new Connection(socket, options, now, idleTimeoutMs, () => closing);
    connections.add(c);
    socket.once('close', () => connections.delete(c));
  });
  server.on('error', (err) => options.logger.error({ err }, 'MLLP listener error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info({ host: options.host, port }, 'MLLP listener started');

  return {
    port,
    async close() {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Messages already being handled are answered; nothing new is started.
      await Promise.all([...connections].map((c) => c.drainAndClose()));
      await stopped;
      options.logger.info({ port }, 'MLLP listener closed');
    },
  };
}

/** One sender's connection: its messages are handled one at a time, in the order they arrived. */
class Connection {
  readonly #socket: Socket;
  readonly #options: MllpListenerOptions;
  readonly #now: () => number;
  readonly #closing: () => boolean;
  readonly #decoder: MllpDecoder;
  readonly #queue: MllpEvent[] = [];
  #running: Promise<void> | undefined;
  #ended = false;
  #inputEnded = false;

  constructor(socket: Socket, options: MllpListenerOptions, now: () => number, idleTimeoutMs: number, closing: () => boolean) {
    this.#socket = socket;
    this.#options = options;
    this.#now = now;
    this.#closing = closing;
    this.#decoder = new MllpDecoder({ maxFrameBytes: options.maxFrameBytes });
    socket.setNoDelay(true);
    socket.setTimeout(idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.#running) return;
      options.logger.info({ remote: this.#remote() }, 'MLLP connection idle: closed');
      this.#end();
    });
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (err) => options.logger.warn({ err, remote: this.#remote() }, 'MLLP connection error'));
    // The sender closed its side: what it sent is still answered, then the connection ends (the server is
    // half-open, so our side stays writable until then).
    socket.on('end', () => {
      this.#inputEnded = true;
      if (!this.#running && !this.#queue.length) this.#end();
    });
  }

  #remote(): string {
    return `${this.#socket.remoteAddress}:${this.#socket.remotePort}`;
  }

  #receive(chunk: Buffer): void {
    if (this.#ended || this.#closing()) return;
    for (const event of this.#decoder.push(chunk)) {
      this.#queue.push(event);
      // Nothing after an oversized frame is read: the connection closes once it is answered.
      if (event.type === 'oversized') {
        this.#ended = true;
        break;
      }
    }
    // Back-pressure: a sender that pipelines is not read further until its queue is answered.
    if (this.#queue.length) this.#socket.pause();
    this.#pump();
  }

  #pump(): void {
    if (this.#running) return;
    this.#running = this.#run()
      .catch((err: unknown) => {
        this.#options.logger.error({ err, remote: this.#remote() }, 'MLLP connection failed');
        this.#end();
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#queue.length && !this.#ended) this.#pump();
        else if (this.#inputEnded && !this.#queue.length) this.#end();
      });
  }

  async #run(): Promise<void> {
    for (let event = this.#queue.shift(); event; event = this.#queue.shift()) {
      if (this.#closing() && event.type === 'message') {
        // Not started, so not answered: the sender sends it again to whoever listens next.
        this.#queue.length = 0;
        break;
      }
      if (event.type === 'oversized') {
        const head = decodeBytes(event.head);
        this.#options.logger.warn({ remote: this.#remote(), maxFrameBytes: this.#options.maxFrameBytes }, 'MLLP frame too large: rejected, connection closed');
        this.#write(buildAck(head, 'AR', [{ path: 'MSH', message: `the message is larger than ${this.#options.maxFrameBytes} bytes`, code: HL7_ERROR.internal }], { now: this.#now() }));
        this.#queue.length = 0;
        this.#end();
        return;
      }
      this.#write(await this.#answer(decodeBytes(event.payload)));
    }
    if (!this.#ended) this.#socket.resume();
  }

  async #answer(message: string): Promise<string> {
    try {
      return await this.#options.handle(message);
    } catch (err) {
      // An AR asks the sender to send it again later; the connection stays for the next message.
      this.#options.logger.error({ err, remote: this.#remote() }, 'MLLP message handler failed');
      return buildAck(message, 'AR', [{ path: 'MSH', message: 'the gateway could not process the message now; send it again', code: HL7_ERROR.internal }], { now: this.#now() });
    }
  }

  #write(ack: string): void {
    if (!this.#socket.destroyed && this.#socket.writable) this.#socket.write(encodeFrame(encodeText(ack)));
  }

  #end(): void {
    this.#ended = true;
    this.#queue.length = 0;
    // Once what was written is flushed the socket is destroyed: a peer that never closes its side must
    // not keep the listener open.
    if (!this.#socket.destroyed && !this.#socket.writableEnded) this.#socket.end(() => this.#socket.destroy());
  }

  /** Waits for the message in hand to be answered, then closes. */
  async drainAndClose(): Promise<void> {
    await this.#running;
    await new Promise<void>((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#end();
    });
  }
}
