// Child processes for the benchmark: every process started here is tracked and killed when the run ends,
// also on error, SIGINT or SIGTERM, so a benchmark never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';

const live = new Set<ChildProcess>();

/** Kills every child still alive (SIGKILL; synchronous, so it is safe inside an 'exit' handler). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

let installed = false;
/** Makes sure children die with us: on normal exit, on uncaught errors and on SIGINT/SIGTERM/SIGHUP. */
export function installCleanup(onSignal?: () => Promise<void>): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      console.error(`\nbench: ${sig}, stopping children`);
      const done = () => {
        killAll();
        process.exit(130);
      };
      if (onSignal) {
        const t = setTimeout(done, 5000);
        t.unref();
        onSignal().then(done, done);
      } else done();
    });
  }
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Last lines of stdout/stderr, for error reports. */
  tail(): string;
  /** Number of log lines that look like errors (pino level >= 50, or 'Error'). */
  errorLines(): number;
  samples(): string[];
  isAlive(): boolean;
}

export interface StartOptions {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile?: string;
  /** Echo the child's output to our stdout. */
  echo?: boolean;
}

/** Starts `node <args>` (same Node binary as ours) and tracks it. */
export function startNode(opts: StartOptions): Proc {
  const child = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const log: WriteStream | undefined = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  const lines: string[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let partial = '';
  const onData = (chunk: Buffer) => {
    log?.write(chunk);
    if (opts.echo) process.stdout.write(chunk);
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 60) lines.shift();
      if (looksLikeError(line)) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(line.slice(0, 600));
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Resolves once the process has exited and its output is flushed to the log (stdio closed, or 2 s later).
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let closed = false;
    const stdioClosed = new Promise<void>((r) => child.on('close', () => ((closed = true), r())));
    let finishing = false;
    const finish = async (how: { code: number | null; signal: NodeJS.Signals | null }) => {
      if (finishing) return;
      finishing = true;
      live.delete(child);
      if (!closed) await Promise.race([stdioClosed, new Promise((r) => setTimeout(r, 2000).unref())]);
      if (partial) lines.push(partial);
      partial = '';
      if (log) await new Promise<void>((r) => log.end(r));
      resolve(how);
    };
    child.on('exit', (code, signal) => void finish({ code, signal }));
    child.on('error', (err) => {
      lines.push(`spawn error: ${String(err)}`);
      void finish({ code: -1, signal: null });
    });
  });
  return {
    name: opts.name,
    child,
    exited,
    tail: () => [...lines, partial].filter(Boolean).slice(-25).join('\n'),
    errorLines: () => errors,
    samples: () => [...errorSamples],
    isAlive: () => child.exitCode === null && child.signalCode === null,
  };
}

function looksLikeError(line: string): boolean {
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as { level?: unknown };
      return typeof j.level === 'number' ? j.level >= 50 : j.level === 'error' || j.level === 'fatal';
    } catch {
      // not JSON
    }
  }
  return /\b(Error|FATAL|Unhandled|uncaught)\b/.test(line);
}

/** Stops a process: SIGTERM, then SIGKILL after `graceMs`. Resolves with how it ended. */
export async function stop(p: Proc, graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
  if (!p.isAlive()) return { ...(await p.exited), forced: false };
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const forced = await Promise.race([
    p.exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (forced) p.child.kill('SIGKILL');
  return { ...(await p.exited), forced };
}

/** Kills a process with SIGKILL (crash simulation) and waits for it to be gone. */
export async function crash(p: Proc): Promise<void> {
  if (p.isAlive()) p.child.kill('SIGKILL');
  await p.exited;
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, the process dies, or `timeoutMs` passes. */
export async function waitReady(url: string, p: Proc, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  let last = '';
  while (performance.now() - t0 < timeoutMs) {
    if (!p.isAlive()) {
      const how = await p.exited;
      throw new Error(`${p.name} exited before it was ready (code ${how.code}, signal ${how.signal}):\n${p.tail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - t0;
      last = `status ${res.status}`;
    } catch (err) {
      last = String((err as Error).message ?? err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${p.name} not ready at ${url} after ${timeoutMs} ms (last: ${last}):\n${p.tail()}`);
}

/** Runs `node <args>` to completion with a hard time limit; resolves with its exit and output tail. */
export async function runNode(
  opts: StartOptions & { timeoutMs: number },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; tail: string }> {
  const p = startNode(opts);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    p.exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), opts.timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) await stop(p, 2000);
  const how = await p.exited;
  return { ...how, timedOut, tail: p.tail() };
}
