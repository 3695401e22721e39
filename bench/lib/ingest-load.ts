// End-to-end ingest load: synthetic episodes (src/mappings/synthetic) as their own source systems send them,
// each message POSTed raw to `{root}/ingest/{source}` with its content type. Two measurements:
//   * throughput: a closed loop, n messages over c connections (Loader.phase): messages per second and latency;
//   * latency at a fixed offered rate: an open loop that sends message i at start + i/rate whatever the answers
//     so far, for a fixed duration; latency is measured from the *scheduled* send time, so time spent queueing
//     (in the client's connection pool or in the server) counts.
// Success is a 200 with `X-Ingest-Result: accepted`; anything else (a duplicate, a dead letter, a 5xx, no answer)
// is an error. A stay's messages are sent in its sending order: a message waits until the stay's previous
// message has been answered (stays interleave freely).
import type { SourceAdapter } from '../../src/mappings/common/adapter.ts';
import type { SourceId } from '../../src/mappings/common/handelse.ts';
import { sourceAdapters } from '../../src/mappings/index.ts';
import { episodeStream, forSource, inSendingOrder, toOwnSources, toSourceMessages, type SourceMessage, type SyntheticEpisode } from '../../src/mappings/synthetic/index.ts';
import { Loader, median, pct, type HttpResult, type PhaseCore } from './http-load.ts';

export interface IngestMessage {
  source: string;
  messageId: string;
  contentType: string;
  body: string;
  /** The stay (episode id): its messages are sent one after the other. */
  stay: string;
}

export interface IngestBatch {
  messages: IngestMessage[];
  /** Episodes the batch draws on (the last few may be cut short: the batch holds exactly the messages asked for). */
  episodes: number;
  bySource: Record<string, number>;
}

/** The closed-loop measurement (the Loader's phase figures, plus what the ingest adds). */
export interface IngestThroughput extends PhaseCore {
  wallS: number;
  episodes: number;
  bySource: Record<string, number>;
  /** Messages that waited for their stay's previous message before being sent (not counted in their latency). */
  waitedForStay: number;
  perRun?: number[];
}

/** The open-loop measurement at a fixed offered rate. */
export interface IngestAtRate {
  offeredRate: number;
  durationS: number;
  /** Messages scheduled (rate × duration) and actually sent (fewer if the run was cut short). */
  scheduled: number;
  sent: number;
  answered: number;
  errors: number;
  statuses: Record<string, number>;
  /** Accepted messages per second, from the first scheduled send to the last answer. */
  achievedRate: number;
  /** Latency from the scheduled send time to the answer, in ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The latest the client itself was in sending a message (its own event loop), in ms: large means the load generator, not the server, fell behind. */
  maxSendLagMs: number;
  waitedForStay: number;
  episodes: number;
  bySource: Record<string, number>;
  truncated: boolean;
  firstError?: string;
  perRun?: { achievedRate: number; p50: number; p99: number }[];
}

export interface IngestSummary {
  warmup: number;
  throughput?: IngestThroughput;
  atRate?: IngestAtRate;
  error?: string;
}

// ---------------------------------------------------------------- messages
// A kommun unit's own messages (kvittens, vårdbegäran, ...) reach the gateway either through the region's
// coordination system (what toOwnSources gives) or from the kommun's record system (source `kommun`). No source
// says how many kommuner send from their record system; the benchmark assumes half (the even kommun codes),
// so every one of the five adapters is in the mix.
function kommunSends(episodeMessage: SyntheticEpisode['messages'][number], kommun: SourceAdapter): boolean {
  const carried = forSource(episodeMessage, 'kommun', kommun.kinds);
  if (!carried || carried.length !== episodeMessage.handelser.length) return false;
  const h = episodeMessage.handelser[0];
  const kod = h?.sender.kommunkod ?? h?.sender.hsaId?.slice(8, 12) ?? '';
  return /^\d{4}$/.test(kod) && Number(kod) % 2 === 0;
}

/**
 * Consecutive batches from one deterministic stream of synthetic episodes (seed, month): a batch is the messages
 * of the next episodes in sending order, cut to the number asked for; no episode is in two batches.
 */
export class SyntheticIngest {
  private readonly stream: Generator<SyntheticEpisode>;
  private readonly adapters: ReadonlyMap<string, SourceAdapter>;
  private readonly kommun: SourceAdapter | undefined;
  constructor(seed: string, month: string) {
    this.stream = episodeStream({ seed, month });
    this.adapters = sourceAdapters();
    this.kommun = this.adapters.get('kommun');
  }

  take(wanted: number): IngestBatch {
    const stayOf = new Map<SourceMessage, string>();
    const all: SourceMessage[] = [];
    let episodes = 0;
    while (all.length < wanted) {
      const next = this.stream.next();
      if (next.done) break;
      const e = next.value;
      episodes++;
      for (const m of e.messages) {
        const one = { ...e, messages: [m] };
        const rendered = this.kommun && kommunSends(m, this.kommun) ? toSourceMessages(one, this.kommun) : toOwnSources(one, (s: SourceId) => this.adapters.get(s));
        for (const r of rendered) {
          stayOf.set(r, e.id);
          all.push(r);
        }
      }
    }
    const messages = spread(
      inSendingOrder(all)
        .slice(0, wanted)
        .map((m) => ({ source: m.source, messageId: m.messageId, contentType: m.contentType, body: m.body, stay: stayOf.get(m) ?? m.messageId })),
      STAY_GAP,
    );
    const bySource: Record<string, number> = {};
    for (const m of messages) bySource[m.source] = (bySource[m.source] ?? 0) + 1;
    return { messages, episodes, bySource };
  }
}

// A month of messages sent in seconds puts a stay's messages of one moment (a notice to three recipients, its
// kvittenser) back to back, where a real sender's would be seconds to days apart; with a stay's messages sent one
// after the other, the benchmark would then measure its own waiting. So the stays are interleaved: a stay's
// messages keep their order, and each is placed at least STAY_GAP positions after the stay's previous one where
// the sending order allows (a message is held back at most LOOKAHEAD positions).
const STAY_GAP = 64;
const LOOKAHEAD = 4 * STAY_GAP;

/** `ms` (in sending order) with each stay's messages, in their order, at least `gap` positions apart where possible. */
export function spread<M extends { stay: string }>(ms: readonly M[], gap: number): M[] {
  const out: M[] = [];
  const lastAt = new Map<string, number>();
  const held: M[] = []; // passed over, in sending order
  let next = 0;
  const place = (m: M) => {
    lastAt.set(m.stay, out.length);
    out.push(m);
  };
  while (out.length < ms.length) {
    const free = (m: M) => (lastAt.get(m.stay) ?? -Infinity) <= out.length - gap;
    // The earliest held message whose stay is free (a stay's held messages are in order, so its first comes first).
    const h = held.length >= LOOKAHEAD ? 0 : held.findIndex(free);
    if (h >= 0) {
      place(held.splice(h, 1)[0]!);
      continue;
    }
    let placed = false;
    while (next < ms.length && held.length < LOOKAHEAD) {
      const m = ms[next++]!;
      // No held message of a free stay exists here, so a free stay's new message is its next one.
      if (free(m)) {
        place(m);
        placed = true;
        break;
      }
      held.push(m);
    }
    if (!placed) place(held.shift()!); // nothing free within reach: the earliest held one, closer than `gap`
  }
  return out;
}

// ---------------------------------------------------------------- per-stay order
/** Makes a stay's messages go one after the other: `turn(stay)` resolves when the stay's previous message is answered. */
class StayOrder {
  private readonly tail = new Map<string, Promise<void>>();
  waited = 0;
  async turn(stay: string): Promise<() => void> {
    const before = this.tail.get(stay);
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.tail.set(stay, mine);
    if (before) {
      this.waited++;
      await before;
    }
    return () => {
      release();
      if (this.tail.get(stay) === mine) this.tail.delete(stay);
    };
  }
}

const accepted = (res: HttpResult) => res.status === 200 && res.headers?.['x-ingest-result'] === 'accepted';
const request = (m: IngestMessage): [string, string, string, Record<string, string>] => [
  'POST',
  `/ingest/${encodeURIComponent(m.source)}`,
  m.body,
  { 'content-type': m.contentType, accept: '*/*' },
];
function describe(m: IngestMessage, res: HttpResult): string {
  const result = res.headers?.['x-ingest-result'];
  return `POST /ingest/${m.source} (${m.messageId}) -> ${res.status}${result ? ` X-Ingest-Result: ${String(result)}` : ''} ${res.error ?? res.body.slice(0, 1000)}`;
}

// ---------------------------------------------------------------- warm-up
/** Sends a batch at concurrency c, not reported as a measurement (the ingest path is not yet compiled by the JIT). */
export async function warmUp(root: string, batch: IngestBatch, c: number, timeoutMs: number, maxS: number): Promise<IngestThroughput> {
  const loader = new Loader(root, c, timeoutMs);
  try {
    return await runClosed(loader, batch, maxS, 'ingest warm-up');
  } finally {
    loader.close();
  }
}

async function runClosed(loader: Loader, batch: IngestBatch, maxS: number, name: string): Promise<IngestThroughput> {
  const order = new StayOrder();
  const releases: ((() => void) | undefined)[] = [];
  let firstError: string | undefined;
  const res = await loader.phase(
    name,
    batch.messages.length,
    async (i) => {
      const m = batch.messages[i]!;
      releases[i] = await order.turn(m.stay);
      return request(m);
    },
    (i, r) => {
      const ok = accepted(r);
      if (!ok) firstError ??= describe(batch.messages[i]!, r);
      return ok;
    },
    maxS,
    (i) => {
      releases[i]?.();
      releases[i] = undefined;
    },
  );
  // The Loader's own first error is cut at 400 characters and lacks the message id.
  if (firstError) res.firstError = firstError;
  return { ...res, episodes: batch.episodes, bySource: batch.bySource, waitedForStay: order.waited };
}

// ---------------------------------------------------------------- (1) throughput, closed loop
export async function ingestThroughput(root: string, batch: IngestBatch, c: number, timeoutMs: number, maxS: number): Promise<IngestThroughput> {
  const loader = new Loader(root, c, timeoutMs);
  try {
    return await runClosed(loader, batch, maxS, `ingest (c=${c})`);
  } finally {
    loader.close();
  }
}

// ---------------------------------------------------------------- (2) latency at a fixed offered rate, open loop
export async function ingestAtRate(root: string, batch: IngestBatch, rate: number, durationS: number, timeoutMs: number): Promise<IngestAtRate> {
  // Enough sockets that the client's pool is not what queues (a server that falls behind still shows up:
  // the latency is counted from the scheduled time).
  const loader = new Loader(root, 512, timeoutMs);
  const scheduled = Math.min(batch.messages.length, Math.max(1, Math.round(rate * durationS)));
  const order = new StayOrder();
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let maxSendLagMs = 0;
  let lastAnswer = 0;
  let firstError: string | undefined;
  const inFlight: Promise<void>[] = [];
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const hardStop = start + (durationS + timeoutMs / 1000) * 1000;
  try {
    for (let i = 0; i < scheduled; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (performance.now() > hardStop) break;
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      const m = batch.messages[i]!;
      sent++;
      inFlight.push(
        (async () => {
          const release = await order.turn(m.stay);
          let res: HttpResult;
          try {
            const [method, path, body, headers] = request(m);
            res = await loader.request(method, path, body, headers);
          } finally {
            release();
          }
          const now = performance.now();
          lastAnswer = Math.max(lastAnswer, now);
          lat.push(now - due);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (!accepted(res)) {
            errors++;
            firstError ??= describe(m, res);
          }
        })(),
      );
    }
    await Promise.all(inFlight);
  } finally {
    loader.close();
  }
  const sorted = lat.sort((a, b) => a - b);
  const ok = sorted.length - errors;
  return {
    offeredRate: rate,
    durationS,
    scheduled,
    sent,
    answered: sorted.length,
    errors,
    statuses,
    achievedRate: lastAnswer > start ? ok / ((lastAnswer - start) / 1000) : 0,
    p50: pct(sorted, 50),
    p90: pct(sorted, 90),
    p99: pct(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    maxSendLagMs,
    waitedForStay: order.waited,
    episodes: batch.episodes,
    bySource: batch.bySource,
    truncated: sent < scheduled || scheduled < Math.round(rate * durationS),
    ...(firstError ? { firstError } : {}),
  };
}

// ---------------------------------------------------------------- repetitions

/** Several repetitions' open-loop figures as one: counts summed, rates and percentiles the medians. */
export function mergeAtRate(runs: IngestAtRate[]): IngestAtRate | undefined {
  const first = runs[0];
  if (!first || runs.length === 1) return first;
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const sum = (k: 'scheduled' | 'sent' | 'answered' | 'errors' | 'waitedForStay') => runs.reduce((s, r) => s + r[k], 0);
  const med = (k: 'achievedRate' | 'p50' | 'p90' | 'p99' | 'max') => median(runs.map((r) => r[k]));
  return {
    ...first,
    scheduled: sum('scheduled'),
    sent: sum('sent'),
    answered: sum('answered'),
    errors: sum('errors'),
    waitedForStay: sum('waitedForStay'),
    statuses,
    achievedRate: med('achievedRate'),
    p50: med('p50'),
    p90: med('p90'),
    p99: med('p99'),
    max: med('max'),
    maxSendLagMs: Math.max(...runs.map((r) => r.maxSendLagMs)),
    truncated: runs.some((r) => r.truncated),
    perRun: runs.map((r) => ({ achievedRate: r.achievedRate, p50: r.p50, p99: r.p99 })),
  };
}
