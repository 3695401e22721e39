// What a source adapter is: a pure parser and mapper from one system's messages to händelser, and back
// (render) for the synthetic episodes and the fixtures. The gateway's ingest owns every side effect.
import type { Handelse, HandelseKind, SourceId } from './handelse.ts';

/** A problem with an inbound message, named by where it is in the source's own format. */
export type MappingIssue = {
  /** Where: a JSON path (`patient.personnummer`), an XML path (`SamsaMeddelande/Patient/Id`) or an HL7v2 field (`PID-3`). */
  path: string;
  message: string;
};

export type MappingResult =
  | { ok: true; messageId: string; handelser: Handelse[] }
  /** The message id when it could be read, so a rejected message can still be answered and deduplicated. */
  | { ok: false; messageId?: string; issues: MappingIssue[] };

export type RenderedMessage = { contentType: string; body: string };

export interface SourceAdapter {
  readonly id: SourceId;
  /** Human name of the source system(s). */
  readonly title: string;
  /** Media types POST /ingest/{id} accepts (the first is what render produces). */
  readonly contentTypes: readonly string[];
  /** The händelse kinds this source carries (and render accepts). */
  readonly kinds: readonly HandelseKind[];
  /** Parses, checks and maps one raw message. Pure: never throws for bad input, answers with issues. */
  map(raw: string, contentType: string): MappingResult;
  /**
   * The source's message for händelser that share one messageId (in seq order); the inverse of map:
   * map(render(h)) gives h back. Throws for a kind the source does not carry.
   */
  render(handelser: readonly Handelse[]): RenderedMessage;
}

/** Issues from a zod error, with paths as the contract names them. */
export function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix = ''): MappingIssue[] {
  return error.issues.map((i) => ({
    path: prefix + i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join(''),
    message: i.message,
  }));
}
