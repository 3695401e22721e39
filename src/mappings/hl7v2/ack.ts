// The HL7 v2 original-mode acknowledgement for a message: MSA-1 AA (accepted), AE (application error:
// the content is wrong, ERR says where; sending it again unchanged will not help) or AR (application
// reject: the message could not be read, its type/version/processing id is not taken, or the gateway
// failed, so sending it again later may help). Pure: the time and the ACK's own control id come in.
// It answers whatever arrives, a broken MSH included: a sender waiting for an ACK must always get one.
import { createHash } from 'node:crypto';
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import { stockholmIso } from '../common/tid.ts';
import { HL7_ERROR, VERSIONS } from './contract.ts';
import { CHARSET_NAME, charsetFor, DEFAULT_SEPARATORS, readMshLeniently, serializeEr7, valueAt, type Field, type Segment } from './er7.ts';

export type AckCode = 'AA' | 'AE' | 'AR';
/** An issue for ERR: the HL7 field (`PID-3`, `PV1-3.1`, or a segment), the text, and the table 0357 code. */
export type AckIssue = MappingIssue & { code?: string };

export type AckOptions = {
  /** The ACK's time (MSH-7). */
  now: Date | number;
  /** The ACK's own message control id (MSH-10); by default derived from the message, so a replay gets the same one. */
  controlId?: string;
  /** MSH-3 of the ACK when the message names no receiving application. */
  application?: string;
};

/** The ERR codes that mean the message as a whole is not taken (HL7: AR, not AE). */
const REJECT_CODES: ReadonlySet<string> = new Set([
  HL7_ERROR.unsupportedType,
  HL7_ERROR.unsupportedEvent,
  HL7_ERROR.unsupportedProcessingId,
  HL7_ERROR.unsupportedVersion,
  HL7_ERROR.internal,
]);
/**
 * Issues with these fields are MSH validation failures (HL7: AR): the header itself (MSH, MSH-1, MSH-2), the control id (MSH-10),
 * the character set, the message type, processing id and version. Judged by the path as well as the
 * code, so an issue that lost its code on the way (e.g. through an OperationOutcome) is judged the same.
 */
const REJECT_PATH = /^MSH(-(1|2|9|10|11|12|18)(\.\d+)?)?$/;

/**
 * AA, AE or AR for a mapping result: AR when the message cannot be read at all (no usable MSH or no
 * control id) or its header is not taken; AE for everything wrong in its content, a bad escape in a
 * PID field included (the header was read, so ERR can point at the field).
 */
export function ackCodeFor(result: MappingResult): AckCode {
  if (result.ok) return 'AA';
  const issues = result.issues as readonly AckIssue[];
  if (!result.messageId || issues.some((i) => (i.code && REJECT_CODES.has(i.code)) || REJECT_PATH.test(i.path))) return 'AR';
  return 'AE';
}

/** The ACK for a mapping result. */
export function ackFor(incoming: string, result: MappingResult, options: AckOptions): string {
  return buildAck(incoming, ackCodeFor(result), result.ok ? [] : result.issues, options);
}

export function buildAck(incoming: string, code: AckCode, issues: readonly AckIssue[], options: AckOptions): string {
  const msh = readMshLeniently(incoming);
  const trigger = valueAt(msh, 9, 2);
  const controlId = valueAt(msh, 10).slice(0, 199);
  const version = valueAt(msh, 12);
  const processing = valueAt(msh, 11);
  // The ACK is written in the charset the message declared (the listener encodes by it), and says so.
  const declared = valueAt(msh, 18);
  const charset = declared ? charsetFor(declared) : undefined;
  const field = (n: number): Field => msh?.fields[n] ?? [];
  const ownId = options.controlId ?? `ACK${createHash('sha1').update(incoming).digest('hex').slice(0, 17)}`;
  const segments: Segment[] = [
    {
      name: 'MSH',
      // Sender and receiver swap: the ACK comes from the application and facility the message was sent to.
      fields: [
        [],
        [],
        [],
        valueAt(msh, 5) ? field(5) : [[[options.application ?? 'SAMVERKAN-GATEWAY']]],
        field(6),
        field(3),
        field(4),
        [[[hl7Now(options.now)]]],
        [],
        [[['ACK'], [/^[A-Z][A-Z0-9]{2}$/.test(trigger) ? trigger : ''], ['ACK']]],
        [[[ownId]]],
        [[[['P', 'T', 'D'].includes(processing) ? processing : 'P']]],
        [[[(VERSIONS as readonly string[]).includes(version) ? version : VERSIONS[0]]]],
        ...(charset ? [[], [], [], [], [], [[[CHARSET_NAME[charset]]]]] : []),
      ],
    },
    // MSA-3 (text) is withdrawn in v2.5 but many receivers still only show it: the first issue's text.
    { name: 'MSA', fields: [[], [[[code]]], [[[controlId]]], [[[issues[0]?.message.slice(0, 80) ?? '']]]] },
    ...issues.map((i) => errSegment(i, code)),
  ];
  return serializeEr7({ separators: DEFAULT_SEPARATORS, segments });
}

/** ERR-2 location (segment^sequence^field^repetition^component), ERR-3 code (table 0357), ERR-4 severity, ERR-8 text. */
function errSegment(issue: AckIssue, ack: AckCode): Segment {
  const m = /^([A-Z][A-Z0-9]{2})(?:-(\d+)(?:\.(\d+))?)?/.exec(issue.path);
  const location: Field = m ? [[[m[1]!], ['1'], [m[2] ?? ''], [m[2] ? '1' : ''], [m[3] ?? '']]] : [];
  const code = issue.code ?? inferCode(issue, ack);
  return {
    name: 'ERR',
    fields: [[], [], location, [[[code], [ERROR_TEXT[code] ?? ''], ['HL70357']]], [[['E']]], [], [], [], [[[issue.message]]]],
  };
}

/** The table 0357 code of an issue that came without one, from where it is. */
function inferCode(issue: AckIssue, ack: AckCode): string {
  if (/^[A-Z][A-Z0-9]{2}$/.test(issue.path)) return HL7_ERROR.segmentSequence;
  if (/ is required/.test(issue.message)) return HL7_ERROR.requiredMissing;
  if (issue.path.startsWith('MSH-9')) return HL7_ERROR.unsupportedType;
  if (issue.path.startsWith('MSH-11')) return HL7_ERROR.unsupportedProcessingId;
  if (issue.path.startsWith('MSH-12')) return HL7_ERROR.unsupportedVersion;
  return ack === 'AR' ? HL7_ERROR.internal : HL7_ERROR.dataType;
}

const ERROR_TEXT: Readonly<Record<string, string>> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '207': 'Application internal error',
};

function hl7Now(now: Date | number): string {
  return stockholmIso(typeof now === 'number' ? now : now.getTime()).replace(/[-:T]/g, '');
}
