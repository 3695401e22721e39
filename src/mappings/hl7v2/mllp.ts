// MLLP (HL7 Minimal Lower Layer Protocol, release 2) framing: a message travels as 0x0B, its bytes,
// 0x1C 0x0D. Pure: encoding, and a streaming decoder that turns chunks as TCP delivers them (a message
// split over many, several in one) into whole messages, and refuses a frame over a size limit before
// buffering it, so a sender that never ends a frame cannot exhaust memory.

export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;

export function encodeFrame(payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.of(START_BLOCK), body, Buffer.of(END_BLOCK, CARRIAGE_RETURN)]);
}

export type MllpEvent =
  /** One whole message (the bytes between the start and end of a frame). */
  | { type: 'message'; payload: Buffer }
  /** A frame passed maxFrameBytes; `head` is its first maxFrameBytes bytes (enough to read its MSH). Its rest is skipped. */
  | { type: 'oversized'; head: Buffer };

/**
 * Splits a byte stream into MLLP frames. Bytes outside a frame (stray CR/LF between frames) are
 * skipped; an end-block byte not followed by CR is taken as message content, as the protocol says a
 * frame ends only with 0x1C 0x0D.
 */
export class MllpDecoder {
  readonly maxFrameBytes: number;
  #inFrame = false;
  #skipping = false;
  #parts: Buffer[] = [];
  #size = 0;
  /** The last chunk ended with 0x1C: the next byte decides whether the frame ended. */
  #pendingEnd = false;

  constructor(options: { maxFrameBytes: number }) {
    if (!(options.maxFrameBytes > 0)) throw new Error('maxFrameBytes must be positive');
    this.maxFrameBytes = options.maxFrameBytes;
  }

  /** True while a frame has begun and not ended (a close now would cut a message). */
  get inFrame(): boolean {
    return this.#inFrame;
  }

  push(chunk: Uint8Array): MllpEvent[] {
    const events: MllpEvent[] = [];
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    if (this.#pendingEnd && buf.length) {
      this.#pendingEnd = false;
      if (buf[0] === CARRIAGE_RETURN) {
        this.#finish(events);
        i = 1;
      } else this.#append(Buffer.of(END_BLOCK), events);
    }
    while (i < buf.length) {
      if (!this.#inFrame) {
        const start = buf.indexOf(START_BLOCK, i);
        if (start < 0) break;
        this.#inFrame = true;
        i = start + 1;
        continue;
      }
      const end = buf.indexOf(END_BLOCK, i);
      if (end < 0) {
        this.#append(buf.subarray(i), events);
        break;
      }
      this.#append(buf.subarray(i, end), events);
      if (end + 1 === buf.length) {
        this.#pendingEnd = true;
        break;
      }
      if (buf[end + 1] === CARRIAGE_RETURN) {
        this.#finish(events);
        i = end + 2;
      } else {
        this.#append(Buffer.of(END_BLOCK), events);
        i = end + 1;
      }
    }
    return events;
  }

  #append(bytes: Buffer, events: MllpEvent[]): void {
    if (this.#skipping || !bytes.length) return;
    this.#parts.push(Buffer.from(bytes));
    this.#size += bytes.length;
    if (this.#size > this.maxFrameBytes) {
      events.push({ type: 'oversized', head: Buffer.concat(this.#parts).subarray(0, this.maxFrameBytes) });
      this.#parts = [];
      this.#size = 0;
      this.#skipping = true;
    }
  }

  #finish(events: MllpEvent[]): void {
    if (!this.#skipping) events.push({ type: 'message', payload: Buffer.concat(this.#parts) });
    this.#parts = [];
    this.#size = 0;
    this.#inFrame = false;
    this.#skipping = false;
  }
}
