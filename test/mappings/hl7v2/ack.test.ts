// ACK/NACK contents: the code, the swapped header, MSA-2 echoing MSH-10, ERR segments naming the field,
// and an answer even to a message whose MSH is broken.
import { describe, expect, it } from 'vitest';
import { ackCodeFor, ackFor, buildAck } from '../../../src/mappings/hl7v2/ack.ts';
import { parseEr7, repetitions, valueAt, type Message } from '../../../src/mappings/hl7v2/er7.ts';
import { mapAdt } from '../../../src/mappings/hl7v2/map.ts';
import { VALID_A01, withField } from './support.ts';

const NOW = Date.UTC(2025, 1, 27, 13, 25, 1);
const read = (ack: string): Message => {
  const r = parseEr7(ack);
  if (!r.ok) throw new Error(r.error.message);
  return r.message;
};
const ackOf = (raw: string) => read(ackFor(raw, mapAdt(raw), { now: NOW }));
const seg = (m: Message, name: string) => m.segments.find((s) => s.name === name);
const errs = (m: Message) => m.segments.filter((s) => s.name === 'ERR');

describe('ACK for an accepted message', () => {
  const m = ackOf(VALID_A01.join('\r'));

  it('is AA with MSA-2 = MSH-10 and no ERR', () => {
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'MSA']);
    expect(valueAt(seg(m, 'MSA'), 1)).toBe('AA');
    expect(valueAt(seg(m, 'MSA'), 2)).toBe('ORB-1001');
  });

  it('swaps sender and receiver and names itself an ACK of the trigger', () => {
    const msh = seg(m, 'MSH');
    expect([3, 4, 5, 6].map((n) => valueAt(msh, n))).toEqual(['SAMVERKAN', 'SAMVERKAN', 'COSMIC', 'SE2321000164-7381037590003']);
    expect(repetitions(msh, 9)).toEqual([[['ACK'], ['A01'], ['ACK']]]);
    expect(valueAt(msh, 7)).toBe('20250227142501+0100');
    expect(valueAt(msh, 12)).toBe('2.5');
    expect(valueAt(msh, 10)).toMatch(/^ACK[0-9a-f]{17}$/);
  });

  it('is the same for the same message (a replay gets the same answer)', () => {
    expect(ackFor(VALID_A01.join('\r'), mapAdt(VALID_A01.join('\r')), { now: NOW })).toBe(ackFor(VALID_A01.join('\r'), mapAdt(VALID_A01.join('\r')), { now: NOW }));
    expect(valueAt(seg(read(buildAck(VALID_A01.join('\r'), 'AA', [], { now: NOW, controlId: 'MY-ID' })), 'MSH'), 10)).toBe('MY-ID');
  });
});

describe('NACKs', () => {
  it('AE for rejected content, one ERR per problem naming the field, code and text', () => {
    const raw = withField('PV1', 19, '', withField('PID', 3, '195009072554^^^1.2.752.129.2.1.3.1').split('\r'));
    const m = ackOf(raw);
    expect(valueAt(seg(m, 'MSA'), 1)).toBe('AE');
    expect(valueAt(seg(m, 'MSA'), 2)).toBe('ORB-1001');
    const e = errs(m);
    expect(e.map((s) => repetitions(s, 2)[0]!.map((c) => c[0]))).toEqual([
      ['PV1', '1', '19', '1'],
      ['PID', '1', '3', '1'],
    ]);
    expect(e.map((s) => valueAt(s, 3))).toEqual(['101', '102']);
    expect(e.map((s) => valueAt(s, 3, 3))).toEqual(['HL70357', 'HL70357']);
    expect(e.map((s) => valueAt(s, 4))).toEqual(['E', 'E']);
    expect(valueAt(e[1], 8)).toContain('check digit');
    expect(valueAt(seg(m, 'MSA'), 3)).toContain('PV1-19');
  });

  it('ERR-2 names the component of a component-level field', () => {
    const m = ackOf(withField('PV1', 3, 'AVD71^^^^^^^^Avd 71'));
    expect(repetitions(errs(m)[0], 2)).toEqual([[['PV1'], ['1'], ['3'], ['1'], ['1']]]);
  });

  it.each([
    ['an unsupported event', withField('MSH', 9, 'ADT^A04^ADT_A01'), '201'],
    ['an unsupported message type', withField('MSH', 9, 'ORU^R01^ORU_R01'), '200'],
    ['an unsupported version', withField('MSH', 12, '2.3'), '203'],
    ['an unknown character set', withField('MSH', 18, 'EBCDIC'), '102'],
    ['no message control id', withField('MSH', 10, ''), '101'],
  ])('AR for %s', (_n, raw, code) => {
    const m = ackOf(raw);
    expect(valueAt(seg(m, 'MSA'), 1)).toBe('AR');
    expect(errs(m).map((s) => valueAt(s, 3))).toContain(code);
  });

  it('AE naming the field for a bad escape in the body: the header was read', () => {
    const raw = 'MSH|^~\\&|COSMIC|SE2321000164-7381037590003|SAMVERKAN|GW|20250227142500||ADT^A01^ADT_A01|ORB-9|P|2.5\rPID|||\\Q\\';
    const m = ackOf(raw);
    expect(valueAt(seg(m, 'MSA'), 1)).toBe('AE');
    expect(valueAt(seg(m, 'MSA'), 2)).toBe('ORB-9');
    expect(valueAt(seg(m, 'MSH'), 4)).toBe('GW');
    expect(repetitions(errs(m)[0], 2)[0]![0]).toEqual(['PID']);
  });

  it('answers garbage and broken headers with a readable AR', () => {
    for (const raw of ['', 'hello world', 'MSH', 'MSH|^~', 'MSH|^~\\&|A|B|C|D|20250101||ADT^A01|\\bad|P|9.9', '\u0000\u0001']) {
      const ack = ackFor(raw, mapAdt(raw), { now: NOW });
      const m = read(ack);
      expect(valueAt(seg(m, 'MSA'), 1)).toBe('AR');
      expect(valueAt(seg(m, 'MSH'), 12)).toBe('2.5');
      expect(errs(m).length).toBeGreaterThan(0);
    }
  });

  it('AR for a gateway failure: sending again later may help', () => {
    const m = read(buildAck(VALID_A01.join('\r'), 'AR', [{ path: 'MSH', message: 'try later', code: '207' }], { now: NOW }));
    expect([valueAt(seg(m, 'MSA'), 1), valueAt(errs(m)[0], 3), valueAt(errs(m)[0], 8)]).toEqual(['AR', '207', 'try later']);
  });

  it('echoes a declared character set so the listener writes the ACK in it', () => {
    const raw = withField('MSH', 18, '8859/1');
    expect(valueAt(seg(ackOf(raw), 'MSH'), 18)).toBe('8859/1');
    expect(valueAt(seg(ackOf(VALID_A01.join('\r')), 'MSH'), 18)).toBe('');
  });

  it('ackCodeFor: AA, AE, AR', () => {
    expect(ackCodeFor({ ok: true, messageId: 'x', handelser: [] })).toBe('AA');
    expect(ackCodeFor({ ok: false, messageId: 'x', issues: [{ path: 'PID-3', message: 'm' }] })).toBe('AE');
    expect(ackCodeFor({ ok: false, issues: [{ path: 'PID-3', message: 'm' }] })).toBe('AR');
    expect(ackCodeFor({ ok: false, messageId: 'x', issues: [{ path: 'MSH-2', message: 'm' }] })).toBe('AR');
    expect(ackCodeFor(mapAdt(withField('PID', 5, 'Tolv\\Q\\ansson')))).toBe('AE');
  });

  it('judges issues that lost their codes (as through an OperationOutcome) the same, and infers ERR-3', () => {
    const strip = (raw: string) => {
      const r = mapAdt(raw);
      return r.ok ? r : { ...r, issues: r.issues.map(({ path, message }) => ({ path, message })) };
    };
    for (const [raw, code, err3] of [
      [withField('MSH', 9, 'ADT^A04^ADT_A01'), 'AR', '200'],
      [withField('MSH', 12, '2.3'), 'AR', '203'],
      [withField('MSH', 18, 'EBCDIC'), 'AR', '207'],
      [withField('PV1', 19, ''), 'AE', '101'],
      [VALID_A01.filter((l) => !l.startsWith('EVN')).join('\r'), 'AE', '100'],
      [withField('PV1', 10, 'MED'), 'AE', '102'],
    ] as const) {
      const m = read(ackFor(raw, strip(raw), { now: NOW }));
      expect([valueAt(seg(m, 'MSA'), 1), valueAt(errs(m)[0], 3)]).toEqual([code, err3]);
    }
  });
});
