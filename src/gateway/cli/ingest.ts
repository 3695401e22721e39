// `samverkan ingest FILE|DIR...`: backfills source messages, into the local database (default) or a
// running gateway (--url), with a progress bar. `samverkan dead-letters`: lists, shows, replays and
// discards the messages that were refused. Exit codes: 0 all accepted, 1 some became dead letters, 2 bad usage.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceAdapter } from '../../mappings/common/adapter.ts';
import { listIngestRecords, shownRecord } from '../../store/ingest-log.ts';
import type { Principal } from '../auth/principal.ts';
import { parseScopes } from '../auth/scopes.ts';
import { discard } from '../ingest/retention.ts';
import type { IngestService } from '../ingest/service.ts';
import { Progress, type ProgressStream } from './progress.ts';

export const INGEST_USAGE = `usage: samverkan ingest [--source ID] [--url URL] [--token TOKEN] [--concurrency N] FILE|DIR...

Sends source messages through the gateway's ingest: parsed, mapped, validated, stored, logged; a message
that is refused is kept as a dead letter (samverkan dead-letters). Re-sending is harmless (idempotent).
  --source       cosmic-link, lifecare-sp, samsa, kommun or hl7v2. Without it: .hl7/.er7 files are hl7v2,
                 .xml files samsa, and otherwise the nearest folder named after a source decides.
  --url          a running gateway (e.g. http://127.0.0.1:8080); without it the database of DATABASE_URL
                 or DATA_DIR is opened directly (stop the server first when it uses PGlite).
  --token        bearer token for --url (or SAMVERKAN_TOKEN)
  --concurrency  messages in flight (default 8)
Files: one message per file; a JSON array holds one message per element; .ndjson/.jsonl one per line;
.hl7/.er7 files may hold several messages, each starting with MSH. Directories are read recursively,
in name order.`;

export const DEAD_LETTERS_USAGE = `usage: samverkan dead-letters list [--source ID] [--limit N]
       samverkan dead-letters show ID
       samverkan dead-letters replay ID [--file CORRECTED] [--content-type TYPE]
       samverkan dead-letters discard ID --reason "why it will never be replayed"

discard closes a dead letter for good: status discarded, its body, händelser and issue texts erased; who
discarded it (samverkan-cli and $USER) and the reason are kept. Write no personal data in the reason.`;

export interface CliIo {
  out(s: string): void;
  err: ProgressStream;
}

export type SendOutcome = { status: number; result: string; recordId?: string; detail?: string };

/** Where messages go: the local ingest service or a gateway over HTTP. */
export interface IngestTarget {
  send(source: string, body: string, contentType: string): Promise<SendOutcome>;
  close(): Promise<void>;
}

export type SourceMessage = { source: string; contentType: string; body: string; origin: string };

/** The principal of local CLI work: whoever can open the database is the region's administrator. */
export const CLI_PRINCIPAL: Principal = {
  clientId: 'samverkan-cli',
  role: 'region-admin',
  scopes: parseScopes('system/*.cruds'),
  development: false,
};

/** Who did it, as recorded on a discarded dead letter: the CLI and the operating-system user running it. */
export function cliActor(env: Record<string, string | undefined> = process.env): string {
  const user = env.USER ?? env.LOGNAME;
  return user ? `${CLI_PRINCIPAL.clientId} (${user})` : CLI_PRINCIPAL.clientId;
}

export async function ingestCommand(
  argv: string[],
  io: CliIo,
  adapters: ReadonlyMap<string, SourceAdapter>,
  openTarget: (o: { url?: string; token?: string }) => Promise<IngestTarget>,
): Promise<number> {
  let values: { source?: string; url?: string; token?: string; concurrency?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.err.write(`samverkan ingest: ${(err as Error).message}\n${INGEST_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(INGEST_USAGE);
    return 0;
  }
  const concurrency = Number(values.concurrency);
  if (!positionals.length || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    io.err.write(`${INGEST_USAGE}\n`);
    return 2;
  }
  if (values.source && !adapters.has(values.source)) {
    io.err.write(`samverkan ingest: unknown source '${values.source}'; sources: ${[...adapters.keys()].join(', ')}\n`);
    return 2;
  }
  let messages: SourceMessage[];
  try {
    messages = [];
    for (const p of positionals) messages.push(...(await readMessages(p, adapters, values.source)));
  } catch (err) {
    io.err.write(`samverkan ingest: ${(err as Error).message}\n`);
    return 2;
  }
  const target = await openTarget({ url: values.url, token: values.token ?? process.env.SAMVERKAN_TOKEN });
  const progress = new Progress(io.err, messages.length);
  const refused: string[] = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const m = messages[next++]!;
        const r = await target.send(m.source, m.body, m.contentType);
        progress.tick(r.result);
        if (r.result === 'dead' || r.status >= 400) refused.push(`${m.origin}: ${r.status}${r.recordId ? ` (dead letter ${r.recordId})` : ''}${r.detail ? ` ${r.detail}` : ''}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
  } finally {
    await target.close();
  }
  const counts = progress.finish();
  for (const line of refused.slice(0, 50)) io.err.write(`refused ${line}\n`);
  if (refused.length > 50) io.err.write(`... and ${refused.length - 50} more (samverkan dead-letters list)\n`);
  io.out(JSON.stringify({ messages: messages.length, ...counts, perSecond: Math.round(progress.rate) }));
  return refused.length ? 1 : 0;
}

/** The messages in a file or directory tree, each with its source and media type. */
export async function readMessages(p: string, adapters: ReadonlyMap<string, SourceAdapter>, source?: string): Promise<SourceMessage[]> {
  const info = await stat(p);
  if (info.isDirectory()) {
    const out: SourceMessage[] = [];
    const names = (await readdir(p)).filter((n) => !n.startsWith('.')).sort();
    for (const n of names) out.push(...(await readMessages(path.join(p, n), adapters, source)));
    return out;
  }
  const ext = path.extname(p).toLowerCase();
  if (['.md', '.txt'].includes(ext) && !source) return [];
  const src = source ?? sourceOf(p, adapters);
  const adapter = adapters.get(src);
  if (!adapter) throw new Error(`${p}: cannot tell which source it is from; use --source`);
  const contentType = adapter.contentTypes[0]!;
  const text = await readFile(p, 'utf8');
  const bodies = splitMessages(text, ext, src);
  return bodies.map((body, i) => ({ source: src, contentType, body, origin: bodies.length > 1 ? `${p}#${i + 1}` : p }));
}

function sourceOf(file: string, adapters: ReadonlyMap<string, SourceAdapter>): string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.hl7' || ext === '.er7') return 'hl7v2';
  if (ext === '.xml') return 'samsa';
  const parts = path.resolve(file).split(path.sep).reverse();
  return parts.find((d) => adapters.has(d)) ?? '';
}

/** The messages of one file's text: HL7v2 by MSH (segments joined with CR), JSON arrays and NDJSON by element. */
export function splitMessages(text: string, ext: string, source: string): string[] {
  if (source === 'hl7v2') {
    // Each message starts with MSH; segments keep HL7's carriage-return separator.
    const segments = text.split(/\r\n|\r|\n/).filter((s) => s.trim().length);
    const out: string[][] = [];
    for (const s of segments) {
      if (s.startsWith('MSH') || !out.length) out.push([]);
      out.at(-1)!.push(s);
    }
    return out.map((m) => m.join('\r') + '\r');
  }
  if (ext === '.ndjson' || ext === '.jsonl') return text.split('\n').filter((l) => l.trim().length);
  if (ext === '.json') {
    try {
      const value = JSON.parse(text) as unknown;
      if (Array.isArray(value)) return value.map((v) => JSON.stringify(v));
    } catch {
      // Not JSON: sent as it is, and the gateway says what is wrong with it.
    }
  }
  return [text];
}

/** Sends to the ingest service of an open gateway in this process. */
export function localTarget(service: IngestService, close: () => Promise<void>): IngestTarget {
  return {
    async send(source, body, contentType) {
      try {
        const r = await service.ingest({ source, body, contentType, principal: CLI_PRINCIPAL });
        return { status: r.status, result: r.result, recordId: r.recordId, ...(r.result === 'dead' ? { detail: firstIssue(r.response) } : {}) };
      } catch (err) {
        return { status: 500, result: 'error', detail: (err as Error).message };
      }
    },
    close,
  };
}

/** Sends to a running gateway's POST /ingest/{source}. */
export function httpTarget(url: string, token?: string): IngestTarget {
  const base = url.replace(/\/+$/, '');
  return {
    async send(source, body, contentType) {
      try {
        const res = await fetch(`${base}/ingest/${encodeURIComponent(source)}`, {
          method: 'POST',
          headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body,
        });
        const text = await res.text();
        const result = res.headers.get('x-ingest-result') ?? (res.ok ? 'accepted' : 'refused');
        let detail: string | undefined;
        if (!res.ok) {
          try {
            detail = firstIssue(JSON.parse(text));
          } catch {
            detail = text.slice(0, 200);
          }
        }
        return { status: res.status, result, recordId: res.headers.get('x-ingest-record') ?? undefined, ...(detail ? { detail } : {}) };
      } catch (err) {
        return { status: 0, result: 'unreachable', detail: (err as Error).message };
      }
    },
    close: async () => {},
  };
}

function firstIssue(outcome: unknown): string | undefined {
  const i = (outcome as { issue?: { details?: { text?: string }; expression?: string[] }[] })?.issue?.[0];
  return i ? `${i.expression?.[0] ? `${i.expression[0]}: ` : ''}${i.details?.text ?? ''}` : undefined;
}

export async function deadLettersCommand(argv: string[], io: CliIo, service: IngestService): Promise<number> {
  const [action, ...rest] = argv;
  let values: { source?: string; limit?: string; file?: string; 'content-type'?: string; reason?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        source: { type: 'string' },
        limit: { type: 'string', default: '50' },
        file: { type: 'string' },
        'content-type': { type: 'string' },
        reason: { type: 'string' },
      },
    }));
  } catch (err) {
    io.err.write(`samverkan dead-letters: ${(err as Error).message}\n${DEAD_LETTERS_USAGE}\n`);
    return 2;
  }
  switch (action) {
    case 'list': {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        io.err.write(`${DEAD_LETTERS_USAGE}\n`);
        return 2;
      }
      const rows = await listIngestRecords(service.queryable, { status: 'dead', limit, ...(values.source ? { source: values.source } : {}) });
      for (const r of rows) io.out(`${r.id}\t${r.receivedAt}\t${r.source}\t${r.messageId ?? '-'}\t${r.httpStatus}\t${firstIssue(r.outcome) ?? ''}`);
      return 0;
    }
    case 'show': {
      const id = positionals[0];
      if (!id) break;
      io.out(JSON.stringify(shownRecord(await service.record(id)), null, 2));
      return 0;
    }
    case 'replay': {
      const id = positionals[0];
      if (!id) break;
      const original = await service.record(id);
      const corrected = values.file
        ? { body: await readFile(values.file, 'utf8'), contentType: values['content-type'] ?? original.contentType }
        : undefined;
      const r = await service.replay(id, CLI_PRINCIPAL, corrected);
      io.out(JSON.stringify({ result: r.result, status: r.status, record: r.recordId, ...(r.result === 'dead' ? { issue: firstIssue(r.response) } : {}) }));
      return r.result === 'dead' ? 1 : 0;
    }
    case 'discard': {
      const id = positionals[0];
      if (!id) break;
      const r = await discard(service, id, cliActor(), values.reason);
      io.out(JSON.stringify({ result: 'discarded', record: r.id, discardedAt: r.discardedAt, discardedBy: r.discardedBy }));
      return 0;
    }
    default:
      break;
  }
  io.err.write(`${DEAD_LETTERS_USAGE}\n`);
  return 2;
}
