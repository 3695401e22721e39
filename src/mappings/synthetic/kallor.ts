// An episode as one source system's raw messages: every adapter renders only the händelse kinds it
// carries, so the same episode becomes HL7v2 ADT (admission, transfer, update, discharge) or Cosmic
// Link / Lifecare SP / SAMSA notices, and a message with nothing the source carries is not sent at all.
import type { SourceAdapter } from '../common/adapter.ts';
import type { Handelse, SourceId } from '../common/handelse.ts';
import { instantMs } from '../common/tid.ts';
import type { SyntheticEpisode, SyntheticMessage } from './generator.ts';

export type SourceMessage = {
  source: SourceId;
  messageId: string;
  contentType: string;
  body: string;
  /** When it was sent (the first händelse's sentAt), for sending a month in order. */
  sentAt: string;
  /** What the message means, as the adapter was given it (source set to the adapter's id, seq renumbered). */
  handelser: Handelse[];
};

/** The händelser of `message` that `source` carries, re-addressed to that source; undefined when none. */
export function forSource(message: SyntheticMessage, source: SourceId, kinds: readonly string[]): Handelse[] | undefined {
  const carried = message.handelser.filter((h) => kinds.includes(h.kind) && (source !== 'kommun' || KOMMUN_SENDERS.has(h.sender.kind)));
  if (!carried.length) return undefined;
  return carried.map((h, seq) => (source === 'kommun' ? asKommunRecord({ ...h, source, seq }) : { ...h, source, seq }));
}

// A kommun's record system sends only the kommun's own messages, names itself in the message id
// (`treserva:<id>`, docs/mappings/kommun.md) and holds neither the address nor a ViSam track.
const KOMMUN_SENDERS: ReadonlySet<string> = new Set(['socialtjanst', 'kommunal-hsl', 'kommun']);
const KOMMUN_SYSTEMS = ['treserva', 'pulsen-combine', 'lifecare-voo'] as const;

function asKommunRecord(h: Handelse): Handelse {
  const kod = h.sender.kommunkod ?? h.sender.hsaId?.slice(8, 12) ?? '';
  // Each kommun keeps one system: a fixed choice by its code.
  const system = KOMMUN_SYSTEMS[Number(kod) % KOMMUN_SYSTEMS.length] ?? KOMMUN_SYSTEMS[0];
  const { folkbokforingsadress: _address, ...patient } = h.patient;
  const { visamTrack: _visam, ...stay } = h.stay;
  return { ...h, messageId: `${system}:${h.messageId}`, patient, stay };
}

/** What rendering needs of an adapter. */
export type Renderer = Pick<SourceAdapter, 'id' | 'kinds' | 'render'>;

/**
 * The episode's messages as `adapter` renders them. A source whose messages hold one händelse each
 * (the adapter contract cannot say so; its render refuses more) gets a message per händelse, with
 * the message id `<id>.<seq>`.
 */
export function toSourceMessages(episode: SyntheticEpisode, adapter: Renderer): SourceMessage[] {
  const out: SourceMessage[] = [];
  const emit = (messageId: string, handelser: Handelse[]) => {
    let rendered;
    try {
      rendered = adapter.render(handelser);
    } catch (e) {
      throw new Error(`${adapter.id} cannot render ${messageId} (${handelser.map((h) => h.kind).join(', ')}): ${(e as Error).message}`, { cause: e });
    }
    out.push({ source: adapter.id, messageId, contentType: rendered.contentType, body: rendered.body, sentAt: handelser[0]!.sentAt, handelser });
  };
  for (const m of episode.messages) {
    const handelser = forSource(m, adapter.id, adapter.kinds);
    if (!handelser) continue;
    if (handelser.length > 1 && !rendersTogether(adapter, handelser)) {
      for (const h of handelser) {
        const messageId = `${h.messageId}.${h.seq}`;
        emit(messageId, [{ ...h, messageId, seq: 0 }]);
      }
    } else emit(handelser[0]!.messageId, handelser);
  }
  return out;
}

function rendersTogether(adapter: Renderer, handelser: Handelse[]): boolean {
  try {
    adapter.render(handelser);
    return true;
  } catch {
    return false;
  }
}

/**
 * The episode as its own systems send it: each message through the adapter of the source it was
 * generated for (hl7v2 for ADT events, the region's coordination system for notices). A message whose
 * source has no adapter is left out, as a source the gateway does not ingest from would be.
 */
export function toOwnSources(episode: SyntheticEpisode, adapterFor: (source: SourceId) => Renderer | undefined): SourceMessage[] {
  const out: SourceMessage[] = [];
  for (const m of episode.messages) {
    const adapter = adapterFor(m.handelser[0]!.source);
    if (adapter) out.push(...toSourceMessages({ ...episode, messages: [m] }, adapter));
  }
  return out;
}

/** Many episodes' messages in the order they were sent (ties keep episode order). */
export function inSendingOrder(messages: readonly SourceMessage[]): SourceMessage[] {
  const at = messages.map((m) => instantMs(m.sentAt));
  return messages
    .map((_m, i) => i)
    .sort((a, b) => at[a]! - at[b]! || a - b)
    .map((i) => messages[i]!);
}
