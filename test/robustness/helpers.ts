// Shared by the robustness tests: sending anything at a gateway and checking that the answer is a proper
// FHIR error (4xx, application/fhir+json, an OperationOutcome naming the problem, nothing internal).
import net from 'node:net';
import { expect } from 'vitest';

export const FHIR_JSON = 'application/fhir+json';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
  json?: unknown;
}

export async function send(url: string, init: RequestInit & { type?: string | null } = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.type !== undefined && init.type !== null) headers.set('content-type', init.type);
  else if (init.type === undefined && init.body !== undefined) headers.set('content-type', FHIR_JSON);
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, headers: res.headers, json };
}

interface Issue {
  severity?: string;
  code?: string;
  details?: { text?: string };
  diagnostics?: string;
  expression?: string[];
}

/** Nothing internal leaks: no stack frames, no source paths. */
export function expectNoInternals(text: string): void {
  expect(text, 'stack frame in the response').not.toMatch(/\n\s+at |\s{4}at \S/);
  expect(text, 'source path in the response').not.toMatch(/(?:\/|\\)[\w.-]+\.(?:ts|js|mjs|cjs)\b|node_modules|\/(?:work|home|tmp|usr|src)\//);
}

export interface Expectation {
  /** Exact status; otherwise any 4xx. */
  status?: number;
  /** Something an issue's text must say. */
  says: RegExp;
  /** An issue must carry this FHIRPath expression (exact, or matched by the RegExp). */
  expression?: string | RegExp;
}

/** The answer is a 4xx FHIR OperationOutcome whose issue names the problem. */
export function expectOutcome(a: Answer, want: Expectation): Issue[] {
  const context = `${a.status} ${a.text.slice(0, 400)}`;
  if (want.status !== undefined) expect(a.status, context).toBe(want.status);
  expect(a.status, context).toBeGreaterThanOrEqual(400);
  expect(a.status, context).toBeLessThan(500);
  expect(a.contentType, context).toContain(FHIR_JSON);
  expectNoInternals(a.text);
  const body = a.json as { resourceType?: string; issue?: Issue[] } | undefined;
  expect(body?.resourceType, context).toBe('OperationOutcome');
  const issues = body?.issue ?? [];
  expect(issues.length, context).toBeGreaterThan(0);
  const texts = issues.map((i) => `${i.details?.text ?? ''} ${i.diagnostics ?? ''}`);
  expect(texts.some((t) => want.says.test(t)), `no issue says ${want.says}: ${context}`).toBe(true);
  if (want.expression !== undefined) {
    const exprs = issues.flatMap((i) => i.expression ?? []);
    const hit = exprs.some((e) => (typeof want.expression === 'string' ? e === want.expression : want.expression!.test(e)));
    expect(hit, `no issue has expression ${String(want.expression)}: ${context}`).toBe(true);
  }
  for (const i of issues) expect(['fatal', 'error', 'warning', 'information']).toContain(i.severity);
  return issues;
}

/** Deterministic PRNG (mulberry32), so a failing fuzz case can be replayed from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Request bytes written before the response arrived. */
  sentBeforeResponse: number;
}

/**
 * A raw HTTP/1.1 exchange over a socket: writes `head`, then body chunks from `nextChunk` (until it
 * returns undefined or the response arrives), and resolves with the parsed response. Lets a test prove
 * that the server answered before the client finished sending.
 */
export function rawExchange(
  port: number,
  head: string,
  nextChunk: () => Buffer | undefined,
  timeoutMs = 30_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sent = 0;
    let sentAtFirstByte = -1;
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no complete response within ${timeoutMs} ms (sent ${sent} bytes)`)), timeoutMs);
    const finish = (err?: Error, r?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(r!);
    };
    const tryParse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const c = l.indexOf(':');
        headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
      }
      const length = Number(headers['content-length'] ?? NaN);
      const body = received.subarray(end + 4);
      if (Number.isFinite(length) && body.length < length) return;
      if (!Number.isFinite(length) && headers['transfer-encoding']) return; // not used by these tests
      finish(undefined, { status, headers, body: body.toString('utf8'), sentBeforeResponse: sentAtFirstByte });
    };
    socket.on('data', (d: Buffer) => {
      if (sentAtFirstByte < 0) sentAtFirstByte = sent;
      received = Buffer.concat([received, d]);
      tryParse();
    });
    socket.on('end', () => {
      tryParse();
      if (!done) {
        // Connection closed: whatever arrived is the answer (a response without a length ends with the connection).
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) finish(new Error(`connection closed without a response after ${sent} bytes sent`));
        else {
          const lines = received.subarray(0, end).toString('latin1').split('\r\n');
          finish(undefined, { status: Number(lines[0]!.split(' ')[1]), headers: {}, body: received.subarray(end + 4).toString('utf8'), sentBeforeResponse: sentAtFirstByte });
        }
      }
    });
    socket.on('error', (err) => {
      // A reset after the response arrived is the server closing an unread upload; the response counts.
      tryParse();
      if (!done) finish(err);
    });
    socket.on('connect', () => {
      socket.write(head);
      sent += Buffer.byteLength(head);
      const pump = () => {
        while (!done && sentAtFirstByte < 0) {
          const chunk = nextChunk();
          if (!chunk) return;
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
}
