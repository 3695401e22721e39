// HL7 v2 ER7 ("pipe and hat") parsing and serialising, with the separators a message declares in MSH-1
// and MSH-2 and the escape sequences of HL7 v2.5 chapter 2.7. Small and strict: what it cannot read with
// certainty is an error with a position, never a guess, because a mis-split field would put a value in
// the wrong place (a unit's HSA-id read as a room number) without anyone noticing.

/** The separators of one message (MSH-1, MSH-2). */
export type Separators = {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7's truncation character, when MSH-2 declares a fifth character. */
  truncation?: string;
};

export const DEFAULT_SEPARATORS: Separators = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** A field: repetitions of components of subcomponents, all unescaped. An empty field is []. */
export type Field = string[][][];

export type Segment = {
  name: string;
  /** fields[n] is field n (1-based; fields[0] is unused). For MSH, fields[1] and fields[2] hold MSH-1 and MSH-2 as text. */
  fields: Field[];
};

export type Message = { separators: Separators; charset: Charset; segments: Segment[] };

/** Character sets we read (MSH-18); anything else is refused rather than decoded wrongly. */
export type Charset = 'utf-8' | 'latin1' | 'ascii';

export type Er7Error = { path: string; message: string };
export type ParseResult = { ok: true; message: Message } | { ok: false; error: Er7Error };

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
const CHARSET_BY_NAME: ReadonlyMap<string, Charset> = new Map([
  ['', 'utf-8'],
  ['UNICODE UTF-8', 'utf-8'],
  ['8859/1', 'latin1'],
  ['ASCII', 'ascii'],
]);
export const CHARSET_NAME: Readonly<Record<Charset, string>> = { 'utf-8': 'UNICODE UTF-8', latin1: '8859/1', ascii: 'ASCII' };

class Er7Failure extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/** Splits on \r, \n or \r\n; blank lines (a trailing terminator, a file's last newline) are not segments. */
export function splitSegments(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((s) => s.length > 0);
}

/** The separators MSH-1 and MSH-2 declare, or why they cannot be used. */
export function readSeparators(firstSegment: string): { ok: true; separators: Separators } | { ok: false; error: Er7Error } {
  if (!firstSegment.startsWith('MSH')) return { ok: false, error: { path: 'MSH', message: 'the message does not begin with an MSH segment' } };
  const field = firstSegment[3];
  if (field === undefined || /[A-Za-z0-9\s]/.test(field)) {
    return { ok: false, error: { path: 'MSH-1', message: 'MSH-1 (field separator) must be one character that is not a letter, digit or white space' } };
  }
  const end = firstSegment.indexOf(field, 4);
  const enc = end < 0 ? firstSegment.slice(4) : firstSegment.slice(4, end);
  const chars = [...enc];
  if (chars.length < 4 || chars.length > 5 || new Set([field, ...chars]).size !== chars.length + 1 || chars.some((c) => /[A-Za-z0-9\s]/.test(c))) {
    return {
      ok: false,
      error: {
        path: 'MSH-2',
        message: 'MSH-2 (encoding characters) must be 4 or 5 distinct characters (component, repetition, escape, subcomponent[, truncation]), none a letter, digit, space or the field separator',
      },
    };
  }
  const [component, repetition, escape, subcomponent, truncation] = chars as [string, string, string, string, string?];
  return { ok: true, separators: { field, component, repetition, escape, subcomponent, ...(truncation ? { truncation } : {}) } };
}

/** The character set MSH-18 names (empty = UTF-8); undefined for one we do not read. */
export function charsetFor(msh18: string): Charset | undefined {
  return CHARSET_BY_NAME.get(msh18.trim().toUpperCase());
}

/** Parses an ER7 message. Never throws. */
export function parseEr7(text: string): ParseResult {
  try {
    return { ok: true, message: parseStrict(text) };
  } catch (e) {
    if (e instanceof Er7Failure) return { ok: false, error: { path: e.path, message: e.message } };
    throw e;
  }
}

function parseStrict(text: string): Message {
  const lines = splitSegments(text);
  const first = lines[0];
  if (first === undefined) throw new Er7Failure('MSH', 'the message is empty');
  const read = readSeparators(first);
  if (!read.ok) throw new Er7Failure(read.error.path, read.error.message);
  const seps = read.separators;
  // MSH-18 must be known before any \X..\ escape can be decoded: it is read from the raw first segment.
  // Split index n holds MSH-(n+1): MSH-1 is the separator itself.
  const msh18 = first.split(seps.field)[17]?.split(seps.component)[0] ?? '';
  const charset = charsetFor(msh18);
  if (!charset) throw new Er7Failure('MSH-18', `MSH-18 (character set) "${msh18.slice(0, 40)}" is not one we read: leave it empty (UTF-8) or send UNICODE UTF-8, 8859/1 or ASCII`);
  if (charset === 'ascii' && /[\u0080-\uffff]/.test(text)) throw new Er7Failure('MSH-18', 'the message has characters outside ASCII, which MSH-18 declares');
  const segments = lines.map((line, i) => parseSegment(line, i === 0, seps, charset));
  return { separators: seps, charset, segments };
}

function parseSegment(line: string, isMsh: boolean, seps: Separators, charset: Charset): Segment {
  const raw = line.split(seps.field);
  const name = raw[0] ?? '';
  if (!SEGMENT_NAME.test(name)) throw new Er7Failure(name.slice(0, 3) || 'segment', `"${name.slice(0, 20)}" is not a segment name (three capital letters or digits, starting with a letter)`);
  if (!isMsh && name === 'MSH') throw new Er7Failure('MSH', 'a message has one MSH segment, at the start (two messages in one?)');
  const fields: Field[] = [[]];
  if (isMsh) {
    // MSH-1 is the separator itself, so every later field number is one more than its split index.
    fields.push([[[seps.field]]], [[[raw[1] ?? '']]]);
    for (let i = 2; i < raw.length; i++) fields.push(parseField(raw[i] ?? '', `${name}-${i + 1}`, seps, charset));
  } else {
    for (let i = 1; i < raw.length; i++) fields.push(parseField(raw[i] ?? '', `${name}-${i}`, seps, charset));
  }
  return { name, fields };
}

function parseField(text: string, path: string, seps: Separators, charset: Charset): Field {
  if (text === '') return [];
  return text.split(seps.repetition).map((rep) => rep.split(seps.component).map((comp) => comp.split(seps.subcomponent).map((sub) => unescape(sub, path, seps, charset))));
}

/** Resolves \F\ \S\ \T\ \R\ \E\ (\P\ for truncation), \Xhh..\ (bytes in the message's charset) and the formatting escapes. */
export function unescape(text: string, path: string, seps: Separators, charset: Charset): string {
  const esc = seps.escape;
  if (!text.includes(esc)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf(esc, i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    const end = text.indexOf(esc, start + 1);
    if (end < 0) throw new Er7Failure(path, `${path}: an escape sequence is not closed (a lone ${esc}; write ${esc}E${esc} for the escape character itself)`);
    out += escapeValue(text.slice(start + 1, end), path, seps, charset);
    i = end + 1;
  }
  return out;
}

function escapeValue(code: string, path: string, seps: Separators, charset: Charset): string {
  switch (code) {
    case 'F':
      return seps.field;
    case 'S':
      return seps.component;
    case 'T':
      return seps.subcomponent;
    case 'R':
      return seps.repetition;
    case 'E':
      return seps.escape;
    case 'P':
      if (seps.truncation) return seps.truncation;
      break;
    // Highlighting on/off carries no text; a line break (formatted text) is a newline.
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
    default:
      if (code.startsWith('X')) return hexValue(code.slice(1), path, charset);
  }
  throw new Er7Failure(path, `${path}: the escape sequence ${seps.escape}${code.slice(0, 12)}${seps.escape} is not one we read (F, S, T, R, E, Xhh…, H, N, .br)`);
}

function hexValue(hex: string, path: string, charset: Charset): string {
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) throw new Er7Failure(path, `${path}: \\X…\\ must hold an even number of hex digits`);
  const bytes = Buffer.from(hex, 'hex');
  if (charset === 'ascii' && bytes.some((b) => b > 0x7f)) throw new Er7Failure(path, `${path}: \\X${hex}\\ is not ASCII, which MSH-18 declares`);
  if (charset !== 'utf-8') return bytes.toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Er7Failure(path, `${path}: \\X${hex}\\ is not UTF-8, which MSH-18 declares`);
  }
}

// ---- access --------------------------------------------------------------------------------------

/** The text at field/repetition/component/subcomponent (1-based component and subcomponent; 0-based repetition), '' if absent. */
export function valueAt(seg: Segment | undefined, field: number, component = 1, subcomponent = 1, repetition = 0): string {
  return seg?.fields[field]?.[repetition]?.[component - 1]?.[subcomponent - 1] ?? '';
}

/** The repetitions of a field (each a list of components of subcomponents). */
export function repetitions(seg: Segment | undefined, field: number): string[][][] {
  return seg?.fields[field] ?? [];
}

// ---- writing -------------------------------------------------------------------------------------

/** A value to write: a string is one component; arrays give repetitions, components and subcomponents. */
export type FieldValue = string | Field;

/** Escapes a value so it reads back as itself; CR and LF become \X0D\ and \X0A\ (UTF-8 and Latin-1 agree on them). */
export function escape(text: string, seps: Separators): string {
  let out = '';
  for (const ch of text) {
    if (ch === seps.escape) out += `${seps.escape}E${seps.escape}`;
    else if (ch === seps.field) out += `${seps.escape}F${seps.escape}`;
    else if (ch === seps.component) out += `${seps.escape}S${seps.escape}`;
    else if (ch === seps.subcomponent) out += `${seps.escape}T${seps.escape}`;
    else if (ch === seps.repetition) out += `${seps.escape}R${seps.escape}`;
    else if (ch === seps.truncation) out += `${seps.escape}P${seps.escape}`;
    else if (ch === '\r') out += `${seps.escape}X0D${seps.escape}`;
    else if (ch === '\n') out += `${seps.escape}X0A${seps.escape}`;
    else out += ch;
  }
  return out;
}

function writeField(value: FieldValue, seps: Separators): string {
  if (typeof value === 'string') return escape(value, seps);
  return value
    .map((rep) => trimEnd(rep.map((comp) => trimEnd(comp.map((s) => escape(s, seps))).join(seps.subcomponent))).join(seps.component))
    .join(seps.repetition);
}

/** Trailing empty components are left out, as HL7 recommends. */
function trimEnd(parts: string[]): string[] {
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  return parts.slice(0, n);
}

/**
 * One segment as ER7: `fields[n]` is field n (fields[0] ignored). For MSH, fields 1 and 2 are written
 * from the separators, whatever they hold.
 */
export function writeSegment(name: string, fields: readonly (FieldValue | undefined)[], seps: Separators = DEFAULT_SEPARATORS): string {
  if (!SEGMENT_NAME.test(name)) throw new Error(`not a segment name: ${name}`);
  const out: string[] = [];
  if (name === 'MSH') {
    out.push(`MSH${seps.field}${seps.component}${seps.repetition}${seps.escape}${seps.subcomponent}${seps.truncation ?? ''}`);
    for (let i = 3; i < fields.length; i++) out.push(writeField(fields[i] ?? '', seps));
  } else {
    out.push(name);
    for (let i = 1; i < fields.length; i++) out.push(writeField(fields[i] ?? '', seps));
  }
  return trimEnd(out).join(seps.field);
}

/** A message from its segments, each ended by \r (the HL7 segment terminator). */
export function serializeEr7(message: Pick<Message, 'separators' | 'segments'>): string {
  return message.segments.map((s) => writeSegment(s.name, s.fields, message.separators) + '\r').join('');
}

// ---- bytes ---------------------------------------------------------------------------------------

/** The charset a message's bytes declare in MSH-18 (read as ASCII; the separators are ASCII in practice). */
export function charsetOfBytes(bytes: Uint8Array): Charset | undefined {
  const end = bytes.findIndex((b) => b === 0x0d || b === 0x0a);
  const head = Buffer.from(bytes.subarray(0, end < 0 ? bytes.length : end)).toString('latin1');
  const read = readSeparators(head);
  if (!read.ok) return 'utf-8';
  return charsetFor(head.split(read.separators.field)[17]?.split(read.separators.component)[0] ?? '');
}

/**
 * The text of a message's bytes in the charset it declares. UTF-8 when it declares none or one we do not
 * read (the parser then names MSH-18); bytes that are not valid UTF-8 become U+FFFD, which the mapping
 * never mistakes for a valid identifier.
 */
export function decodeBytes(bytes: Uint8Array): string {
  const charset = charsetOfBytes(bytes) ?? 'utf-8';
  return charset === 'utf-8' ? new TextDecoder('utf-8').decode(bytes) : Buffer.from(bytes).toString('latin1');
}

/** A message's bytes in the charset its own MSH-18 declares. */
export function encodeText(text: string): Buffer {
  const charset = charsetOfBytes(Buffer.from(splitSegments(text)[0] ?? '', 'latin1')) ?? 'utf-8';
  return Buffer.from(text, charset === 'utf-8' ? 'utf8' : 'latin1');
}

/**
 * The MSH segment read as far as it can be, for answering a message that does not parse: the declared
 * separators when they are usable (else the defaults), and a field that does not unescape kept as its
 * raw text. Undefined when the text does not begin with MSH.
 */
export function readMshLeniently(text: string): Segment | undefined {
  const first = splitSegments(text.slice(0, 65_536))[0];
  if (!first?.startsWith('MSH')) return undefined;
  const read = readSeparators(first);
  const seps = read.ok ? read.separators : DEFAULT_SEPARATORS;
  const raw = first.split(seps.field);
  const fields: Field[] = [[], [[[seps.field]]], [[[raw[1] ?? '']]]];
  for (let i = 2; i < raw.length; i++) {
    const text = raw[i] ?? '';
    try {
      fields.push(parseField(text, `MSH-${i + 1}`, seps, 'utf-8'));
    } catch {
      fields.push([[[text]]]);
    }
  }
  return { name: 'MSH', fields };
}
