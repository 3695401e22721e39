// The ER7 parser and writer: separators from MSH-1/MSH-2, escapes, repetitions, character sets, and
// the broken headers it must refuse with the field named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEPARATORS,
  decodeBytes,
  encodeText,
  escape,
  parseEr7,
  readMshLeniently,
  repetitions,
  serializeEr7,
  unescape,
  valueAt,
  type Message,
  type Separators,
} from '../../../src/mappings/hl7v2/er7.ts';

const parse = (text: string): Message => {
  const r = parseEr7(text);
  if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
  return r.message;
};
/** MSH up to the separator before MSH-18. */
const MSH17 = `MSH|^~\\&${'|'.repeat(16)}`;
const seg = (m: Message, name: string) => m.segments.find((s) => s.name === name);

describe('parseEr7', () => {
  it('reads fields, components, subcomponents and repetitions, numbering MSH as HL7 does', () => {
    const m = parse('MSH|^~\\&|APP|FAC|||20250101120000||ADT^A01^ADT_A01|X1|P|2.5\rPID|||1^^^A&1.2&ISO~2^^^B||Doe^John');
    const msh = seg(m, 'MSH');
    expect(valueAt(msh, 1)).toBe('|');
    expect(valueAt(msh, 2)).toBe('^~\\&');
    expect(valueAt(msh, 3)).toBe('APP');
    expect(valueAt(msh, 9, 2)).toBe('A01');
    expect(valueAt(msh, 10)).toBe('X1');
    const pid = seg(m, 'PID');
    expect(repetitions(pid, 3)).toEqual([
      [['1'], [''], [''], ['A', '1.2', 'ISO']],
      [['2'], [''], [''], ['B']],
    ]);
    expect(valueAt(pid, 3, 4, 2)).toBe('1.2');
    expect(valueAt(pid, 3, 1, 1, 1)).toBe('2');
    expect(valueAt(pid, 5, 2)).toBe('John');
    expect(valueAt(pid, 99)).toBe('');
  });

  it('accepts \\r, \\n and \\r\\n between segments and ignores blank lines', () => {
    for (const sep of ['\r', '\n', '\r\n']) {
      const m = parse(`MSH|^~\\&|A${sep}EVN|A01${sep}${sep}PID|||1${sep}`);
      expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID']);
    }
  });

  it('resolves every escape sequence', () => {
    const m = parse('MSH|^~\\&|A\rNTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|\\X48C3A5\\j|x\\.br\\y\\H\\z\\N\\');
    const nte = seg(m, 'NTE');
    expect(valueAt(nte, 3)).toBe('a|b^c&d~e\\f');
    expect(valueAt(nte, 4)).toBe('Håj');
    expect(valueAt(nte, 5)).toBe('x\nyz');
  });

  it('honours custom separators from MSH-1 and MSH-2, truncation included', () => {
    const m = parse('MSH#*@!$%#APP#FAC#####ADT*A01##\rPID###1*2*3$4@5##Doe!F!Smith!P!x!R!y!S!z!T!w!E!v');
    expect(m.separators).toEqual({ field: '#', component: '*', repetition: '@', escape: '!', subcomponent: '$', truncation: '%' });
    const pid = seg(m, 'PID');
    expect(repetitions(pid, 3)).toEqual([[['1'], ['2'], ['3', '4']], [['5']]]);
    expect(valueAt(pid, 5)).toBe('Doe#Smith%x@y*z$w!v');
    expect(valueAt(seg(m, 'MSH'), 9, 2)).toBe('A01');
  });

  it('decodes \\X..\\ by the charset of MSH-18', () => {
    expect(valueAt(seg(parse(`${MSH17}8859/1\rNTE|\\XE5\\`), 'NTE'), 1)).toBe('å');
    expect(valueAt(seg(parse(`${MSH17}UNICODE UTF-8\rNTE|\\XC3A5\\`), 'NTE'), 1)).toBe('å');
  });

  it.each([
    ['', 'MSH', 'empty'],
    ['PID|||1', 'MSH', 'does not begin with an MSH'],
    ['MSHX^~\\&|A', 'MSH-1', 'field separator'],
    ['MSH', 'MSH-1', 'field separator'],
    ['MSH|^~\\|A', 'MSH-2', 'encoding characters'],
    ['MSH|^~^&|A', 'MSH-2', 'distinct'],
    ['MSH|^~\\&ab|A', 'MSH-2', 'encoding characters'],
    ['MSH|^a\\&|A', 'MSH-2', 'encoding characters'],
    [`${MSH17}EBCDIC`, 'MSH-18', 'not one we read'],
    [`${MSH17}ASCII\rNTE|å`, 'MSH-18', 'outside ASCII'],
    ['MSH|^~\\&|A\rPI|1', 'PI', 'not a segment name'],
    ['MSH|^~\\&|A\rpid|1', 'pid', 'not a segment name'],
    ['MSH|^~\\&|A\rMSH|^~\\&|B', 'MSH', 'one MSH'],
    ['MSH|^~\\&|A\rNTE|a\\F', 'NTE-1', 'not closed'],
    ['MSH|^~\\&|A\rNTE|1|\\Q\\', 'NTE-2', 'not one we read'],
    ['MSH|^~\\&|A\rNTE|\\XZZ\\', 'NTE-1', 'hex'],
    ['MSH|^~\\&|A\rNTE|\\XC3\\', 'NTE-1', 'not UTF-8'],
    ['MSH|^~\\&|A\rNTE|\\P\\', 'NTE-1', 'not one we read'],
  ])('refuses %j at %s', (text, path, phrase) => {
    const r = parseEr7(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.path).toBe(path);
      expect(r.error.message).toContain(phrase);
    }
  });
});

describe('serializeEr7 and escape', () => {
  const separators = fc.constantFrom<Separators>(DEFAULT_SEPARATORS, { field: '#', component: '*', repetition: '@', escape: '!', subcomponent: '$', truncation: '%' });
  const text = fc.string({ unit: fc.constantFrom('a', 'Å', '|', '^', '~', '\\', '&', '#', '*', '@', '!', '$', '%', '\r', '\n', ' ', '1') });

  it('escape then unescape is the identity, whatever the separators and text', () => {
    fc.assert(fc.property(separators, text, (seps, t) => unescape(escape(t, seps), 'X-1', seps, 'utf-8') === t));
  });

  it('a serialised message parses back to the same values', () => {
    fc.assert(
      fc.property(separators, fc.array(fc.array(fc.array(fc.array(text, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }), { maxLength: 4 }), (seps, fields) => {
        const out = serializeEr7({ separators: seps, segments: [{ name: 'MSH', fields: [[], [], [], [[['A']]]] }, { name: 'ZZZ', fields: [[], ...fields] }] });
        const back = parseEr7(out);
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        const z = back.message.segments[1]!;
        fields.forEach((f, i) =>
          f.forEach((rep, r) => rep.forEach((comp, c) => comp.forEach((sub, s) => expect(valueAt(z, i + 1, c + 1, s + 1, r)).toBe(sub)))),
        );
      }),
    );
  });

  it('ends every segment with \\r and leaves out trailing empty fields and components', () => {
    const out = serializeEr7({ separators: DEFAULT_SEPARATORS, segments: [{ name: 'MSH', fields: [[], [], [], [[['A'], ['']]], [], []] }, { name: 'PID', fields: [[], [], [[['x'], [''], ['']]], []] }] });
    expect(out).toBe('MSH|^~\\&|A\rPID||x\r');
  });
});

describe('bytes and lenient header reading', () => {
  it('decodes and encodes by the charset MSH-18 declares', () => {
    const latin = `MSH|^~\\&|Åre${'|'.repeat(15)}8859/1\rNTE|ö`;
    const bytes = encodeText(latin);
    expect(bytes.length).toBe(latin.length);
    expect(decodeBytes(bytes)).toBe(latin);
    const utf = 'MSH|^~\\&|Åre\rNTE|ö';
    expect(encodeText(utf).length).toBe(utf.length + 2);
    expect(decodeBytes(encodeText(utf))).toBe(utf);
  });

  it('reads what it can of a broken MSH', () => {
    const msh = readMshLeniently('MSH|^~\\&|APP|FAC|||20250101||ADT^A01|ID\\1|P|2.5\rPID|bad\\');
    expect(valueAt(msh, 3)).toBe('APP');
    expect(valueAt(msh, 10)).toBe('ID\\1');
    expect(valueAt(msh, 9, 2)).toBe('A01');
    expect(readMshLeniently('garbage')).toBeUndefined();
    expect(valueAt(readMshLeniently('MSH|^^^^|A|B'), 4)).toBe('B');
  });
});
