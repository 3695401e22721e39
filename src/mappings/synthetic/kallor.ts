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
  const carried = message.handelser.filter((h) => kinds.includes(h.kind));
  if (!carried.length) return undefined;
  return carried.map((h, seq) => ({ ...h, source, seq }));
}

type Renderer = Pick<SourceAdapter, 'id' | 'kinds' | 'render'>;

export function toSourceMessages(episode: SyntheticEpisode, adapter: Renderer): SourceMessage[] {
  const out: SourceMessage[] = [];
  for (const m of episode.messages) {
    const handelser = forSource(m, adapter.id, adapter.kinds);
    if (!handelser) continue;
    const { contentType, body } = adapter.render(handelser);
    out.push({ source: adapter.id, messageId: m.messageId, contentType, body, sentAt: handelser[0]!.sentAt, handelser });
  }
  return out;
}

/** Many episodes' messages in the order they were sent (ties keep episode order). */
export function monthInOrder(episodes: readonly SyntheticEpisode[], adapter: Renderer): SourceMessage[] {
  const all = episodes.flatMap((e) => toSourceMessages(e, adapter));
  const at = all.map((m) => instantMs(m.sentAt));
  return all
    .map((m, i) => i)
    .sort((a, b) => at[a]! - at[b]! || a - b)
    .map((i) => all[i]!);
}
