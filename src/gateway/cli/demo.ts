// `samverkan demo`: loads a month of synthetic discharge episodes into a running gateway through
// POST /ingest/{source}, as the source systems would send them, in the order they were sent.
// Exit codes: 0 every message accepted, 1 some refused or unreachable, 2 bad arguments.
import { parseArgs } from 'node:util';
import type { SourceAdapter } from '../../mappings/common/adapter.ts';
import { SOURCE_IDS, type SourceId } from '../../mappings/common/handelse.ts';
import { sourceAdapters } from '../../mappings/index.ts';
import { episodeStream, inSendingOrder, toOwnSources, toSourceMessages, type SourceMessage } from '../../mappings/synthetic/index.ts';
import { httpTarget } from './ingest.ts';
import { Progress, type ProgressStream } from './progress.ts';

export const DEMO_USAGE = `usage: samverkan demo [--month YYYY-MM] [--seed SEED] [--source ID] [--messages N] [--url URL]
         [--token TOKEN] [--concurrency N]

Generates a month of realistic synthetic discharge episodes (docs/mappings/synthetic.md) and posts each
message to a running gateway's POST /ingest/{source}, in the order the messages were sent.
  --month        the month whose discharges are generated (default: last month)
  --seed         any text; the same seed and month always give the same messages (default 1)
  --source       send everything as this source's messages (cosmic-link, lifecare-sp, samsa, kommun, hl7v2),
                 each with only the kinds it carries; default: each message through its own system
                 (HL7v2 ADT for admissions and discharges, the region's coordination system for notices)
  --messages     about how many messages: whole episodes are generated until there are this many (default 10000)
  --url          the gateway (default http://127.0.0.1:8080)
  --token        bearer token (or SAMVERKAN_TOKEN)
  --concurrency  messages in flight (default 8)
Exit codes: 0 every message accepted, 1 some refused or unreachable, 2 bad arguments.`;

export type DemoOptions = {
  /** The adapters to render with (default: the gateway's own, src/mappings/index.ts). */
  adapters?: ReadonlyMap<string, SourceAdapter>;
  /** Where progress goes (default stderr). */
  err?: ProgressStream;
};

export async function demoCommand(args: string[], out: NodeJS.WritableStream, options: DemoOptions = {}): Promise<number> {
  const err = options.err ?? process.stderr;
  const fail = (message: string) => {
    err.write(`samverkan demo: ${message}\n${DEMO_USAGE}\n`);
    return 2;
  };
  let values: { month?: string; seed?: string; source?: string; messages?: string; url?: string; token?: string; concurrency?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        month: { type: 'string' },
        seed: { type: 'string', default: '1' },
        source: { type: 'string' },
        messages: { type: 'string', default: '10000' },
        url: { type: 'string', default: 'http://127.0.0.1:8080' },
        token: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return fail((e as Error).message);
  }
  if (values.help) {
    out.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const month = values.month ?? lastMonth();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return fail(`--month must be YYYY-MM, not '${month}'`);
  const wanted = Number(values.messages);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(wanted) || wanted < 1) return fail(`--messages must be a positive integer, not '${values.messages}'`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) return fail(`--concurrency must be 1–256, not '${values.concurrency}'`);
  const adapters = options.adapters ?? sourceAdapters();
  const source = values.source;
  if (source !== undefined && !(SOURCE_IDS as readonly string[]).includes(source)) return fail(`unknown source '${source}'; sources: ${SOURCE_IDS.join(', ')}`);
  const only = source === undefined ? undefined : adapters.get(source);
  if (source !== undefined && !only) return fail(`the gateway has no adapter for '${source}' yet; it has ${[...adapters.keys()].join(', ') || 'none'}`);

  const messages = generate({ seed: values.seed!, month, wanted, adapters, only });
  if (!messages.length) return fail(`no message of ${source ?? 'any source'} to send`);
  const target = httpTarget(values.url!, values.token ?? process.env.SAMVERKAN_TOKEN);
  const progress = new Progress(err, messages.length, 1000);
  let accepted = 0;
  let rejected = 0;
  let failed = 0;
  const firstProblems: string[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++]!;
      const r = await target.send(m.source, m.body, m.contentType);
      const kind = r.status >= 200 && r.status < 300 ? 'accepted' : r.status >= 400 && r.status < 500 ? 'rejected' : 'failed';
      if (kind === 'accepted') accepted++;
      else if (kind === 'rejected') rejected++;
      else failed++;
      if (kind !== 'accepted' && firstProblems.length < 20) firstProblems.push(`${m.source} ${m.messageId}: ${r.status} ${r.detail ?? r.result}`);
      progress.tick(kind);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
  } finally {
    await target.close();
  }
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  for (const p of firstProblems) err.write(`not accepted: ${p}\n`);
  const summary = {
    month,
    seed: values.seed,
    source: source ?? 'own',
    sent: messages.length,
    accepted,
    rejected,
    failed,
    messagesPerSecond: Math.round(messages.length / Math.max(seconds, 0.001)),
  };
  out.write(`${JSON.stringify(summary)}\n`);
  return rejected || failed ? 1 : 0;
}

/** Whole episodes until there are `wanted` messages, in sending order. */
function generate(o: { seed: string; month: string; wanted: number; adapters: ReadonlyMap<string, SourceAdapter>; only: SourceAdapter | undefined }): SourceMessage[] {
  const all: SourceMessage[] = [];
  let empty = 0;
  for (const episode of episodeStream({ seed: o.seed, month: o.month })) {
    if (all.length >= o.wanted) break;
    const ms = o.only ? toSourceMessages(episode, o.only) : toOwnSources(episode, (s: SourceId) => o.adapters.get(s));
    all.push(...ms);
    // A source that carries nothing the episodes hold would loop for ever.
    if (!ms.length && ++empty > 1000 && !all.length) break;
  }
  return inSendingOrder(all);
}

/** 'YYYY-MM' of the month before today's (UTC; the demo's default only). */
function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
