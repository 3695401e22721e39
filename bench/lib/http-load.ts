// A small bounded HTTP load loop (same shape as the peer's load.mjs: fixed count, fixed concurrency,
// wall-clock cap, keep-alive agent), used for `POST {base}/Encounter/$validate` and the ingest (ingest-load.ts).
import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
  ms: number;
  /** The response's headers (absent when there was no response). */
  headers?: http.IncomingHttpHeaders;
  error?: string;
}

/** One request of a phase: method, path, body, and headers (a `content-type` here replaces the FHIR JSON default). */
export type PhaseRequest = [string, string, string?, Record<string, string>?];

/** What every load phase reports (ours, the peer's load.mjs, and the report's medians). */
export interface PhaseCore {
  phase: string;
  concurrency: number;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  truncated: boolean;
  firstError?: string;
}

export interface PhaseResult extends PhaseCore {
  wallS: number;
  [k: string]: unknown;
}

export function pct(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

/** The median of the finite values (NaN when there are none). */
export function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export class Loader {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  constructor(base: string, concurrency: number, timeoutMs = 60_000) {
    this.concurrency = concurrency;
    this.timeoutMs = timeoutMs;
    this.url = new URL(base);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.url.hostname)) {
      throw new Error(`refusing non-loopback URL ${base}`);
    }
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  request(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<HttpResult> {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const headers: Record<string, string | number> = { accept: 'application/fhir+json', ...extra };
      if (body !== undefined) {
        headers['content-type'] ??= 'application/fhir+json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request(
        { host: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port || 80, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0, headers: res.headers }),
          );
          res.on('error', (err) => resolve({ status: 0, body: '', error: String(err), ms: performance.now() - t0 }));
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => resolve({ status: 0, body: '', error: String(err.message ?? err), ms: performance.now() - t0 }));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /**
   * `total` requests over `concurrency` workers, bounded by `maxS` seconds of wall time. `makeReq` may wait
   * (say, for an earlier request it must follow: not counted in the latency); `settled(i)` runs after request i
   * whatever its outcome.
   */
  async phase(
    name: string,
    total: number,
    makeReq: (i: number) => PhaseRequest | Promise<PhaseRequest>,
    check: (i: number, res: HttpResult) => boolean,
    maxS: number,
    settled?: (i: number) => void,
  ): Promise<PhaseResult> {
    const lat = new Float64Array(total);
    let next = 0;
    let done = 0;
    let errors = 0;
    const statuses: Record<string, number> = {};
    let firstError: string | undefined;
    const deadline = performance.now() + maxS * 1000;
    const t0 = performance.now();
    const worker = async () => {
      while (next < total && performance.now() < deadline) {
        const i = next++;
        const [method, path, body, headers] = await makeReq(i);
        let res: HttpResult;
        try {
          res = await this.request(method, path, body, headers);
        } finally {
          settled?.(i);
        }
        lat[done++] = res.ms;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        let ok: boolean;
        try {
          ok = res.status > 0 && check(i, res);
        } catch {
          ok = false;
        }
        if (!ok) {
          errors++;
          firstError ??= `${method} ${path} -> ${res.status} ${res.error ?? res.body.slice(0, 400)}`;
        }
      }
    };
    const conc = Math.min(this.concurrency, total);
    await Promise.all(Array.from({ length: conc }, worker));
    const wallS = (performance.now() - t0) / 1000;
    const sorted = Array.from(lat.subarray(0, done)).sort((a, b) => a - b);
    return {
      phase: name,
      concurrency: conc,
      requests: done,
      errors,
      statuses,
      wallS,
      rps: done / wallS,
      p50: pct(sorted, 50),
      p90: pct(sorted, 90),
      p99: pct(sorted, 99),
      max: sorted.at(-1) ?? NaN,
      truncated: done < total,
      ...(firstError ? { firstError } : {}),
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
