// MLLP framing: any chunking of a byte stream gives the same messages; stray bytes between frames are
// skipped; a frame over the limit is reported once, with its head, and its rest skipped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, MllpDecoder, type MllpEvent } from '../../../src/mappings/hl7v2/mllp.ts';

const decodeAll = (decoder: MllpDecoder, chunks: Uint8Array[]): MllpEvent[] => chunks.flatMap((c) => decoder.push(c));
const texts = (events: MllpEvent[]) => events.map((e) => (e.type === 'message' ? e.payload.toString('utf8') : `oversized:${e.head.length}`));

/** Splits bytes at the given cut points. */
function chunk(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('encodeFrame', () => {
  it('wraps a message in 0x0B … 0x1C 0x0D', () => {
    expect([...encodeFrame('MSH|x')]).toEqual([0x0b, ...Buffer.from('MSH|x'), 0x1c, 0x0d]);
    expect([...encodeFrame(Buffer.from('å'))]).toEqual([0x0b, 0xc3, 0xa5, 0x1c, 0x0d]);
  });
});

describe('MllpDecoder', () => {
  // Messages may contain anything but the frame bytes' problem pair; a lone 0x1C inside is content.
  const message = fc.string({ unit: fc.constantFrom('M', 'S', 'H', '|', '\r', '\n', 'å', '\u001c', '\u000b'), maxLength: 40 }).filter((s) => !s.includes('\u001c\r') && !s.endsWith('\u001c'));

  it('any chunking of a stream gives the same messages, in order', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), fc.constantFrom('', '\r\n', '\n'), (messages, cuts, between) => {
        const stream = Buffer.concat(messages.flatMap((m) => [encodeFrame(m), Buffer.from(between)]));
        const events = decodeAll(new MllpDecoder({ maxFrameBytes: 1000 }), chunk(stream, cuts));
        expect(texts(events)).toEqual(messages);
      }),
      { numRuns: 1000 },
    );
  });

  it('splits several messages in one chunk and one message over many', () => {
    const d = new MllpDecoder({ maxFrameBytes: 100 });
    expect(texts(d.push(Buffer.concat([encodeFrame('A'), encodeFrame('B'), encodeFrame('C').subarray(0, 2)])))).toEqual(['A', 'B']);
    expect(d.inFrame).toBe(true);
    expect(texts(d.push(Buffer.of(0x1c)))).toEqual([]);
    expect(texts(d.push(Buffer.of(0x0d)))).toEqual(['C']);
    expect(d.inFrame).toBe(false);
  });

  it('keeps a 0x1C not followed by CR as content, also across a chunk boundary', () => {
    const d = new MllpDecoder({ maxFrameBytes: 100 });
    expect(texts(decodeAll(d, [Buffer.of(0x0b, 0x41, 0x1c), Buffer.of(0x42, 0x1c, 0x0d)]))).toEqual(['A\u001cB']);
  });

  it('skips bytes outside frames', () => {
    const d = new MllpDecoder({ maxFrameBytes: 100 });
    expect(texts(d.push(Buffer.concat([Buffer.from('noise\r\n'), encodeFrame('A'), Buffer.from('\n'), encodeFrame('B')])))).toEqual(['A', 'B']);
  });

  it('reports a frame over the limit once, with its head, and carries on after it', () => {
    const d = new MllpDecoder({ maxFrameBytes: 10 });
    const big = encodeFrame('MSH|' + 'x'.repeat(50));
    const events = decodeAll(d, [...chunk(big, [3, 7, 12, 30]), encodeFrame('small')]);
    expect(texts(events)).toEqual(['oversized:10', 'small']);
    const first = events[0];
    expect(first?.type === 'oversized' && first.head.toString()).toBe('MSH|xxxxxx');
    // Exactly the limit is fine.
    expect(texts(new MllpDecoder({ maxFrameBytes: 5 }).push(encodeFrame('12345')))).toEqual(['12345']);
  });

  it('any chunking gives the same oversized report', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
        const stream = Buffer.concat([encodeFrame('a'.repeat(30)), encodeFrame('ok')]);
        expect(texts(decodeAll(new MllpDecoder({ maxFrameBytes: 20 }), chunk(stream, cuts)))).toEqual(['oversized:20', 'ok']);
      }),
    );
  });
});
