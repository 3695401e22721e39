// PGlite in a worker thread, so the WASM database runs on its own core while the main thread parses
// HTTP, validates and indexes. One connection: while a transaction is open, requests that do not
// belong to it wait in a queue; everything else runs in arrival order.
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { queryPrepared } from './prepared.ts';
import { PGLITE_SESSION } from './db.ts';

interface Request {
  id: number;
  kind: 'query' | 'exec' | 'begin' | 'commit' | 'rollback' | 'close';
  sql?: string;
  params?: unknown[];
  tx?: number;
}

const port = parentPort!;
const { dataDir, schema } = workerData as { dataDir?: string; schema?: string };
const db = await PGlite.create(dataDir ? { dataDir } : {});
if (schema) await db.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
await db.exec(PGLITE_SESSION);

const prepared = new Set<string>();
let activeTx: number | undefined;
let nextTx = 1;
const waiting: Request[] = [];

function reply(id: number, result: unknown) {
  port.postMessage({ id, result });
}

function fail(id: number, err: unknown) {
  const e = err as { message?: string; code?: string; detail?: string };
  port.postMessage({ id, error: { message: e.message ?? String(err), code: e.code, detail: e.detail } });
}

async function run(req: Request): Promise<void> {
  try {
    switch (req.kind) {
      case 'query': {
        const r = await queryPrepared(db, prepared, req.sql!, req.params);
        reply(req.id, { rows: r.rows, affectedRows: r.affectedRows });
        return;
      }
      case 'exec':
        await db.exec(req.sql!);
        reply(req.id, null);
        return;
      case 'begin':
        activeTx = nextTx++;
        await db.exec('begin');
        reply(req.id, activeTx);
        return;
      case 'commit':
      case 'rollback':
        try {
          await db.exec(req.kind);
        } finally {
          activeTx = undefined;
          drain();
        }
        reply(req.id, null);
        return;
      case 'close':
        await db.close();
        reply(req.id, null);
        return;
    }
  } catch (err) {
    fail(req.id, err);
  }
}

function admissible(req: Request): boolean {
  return activeTx === undefined ? true : req.tx === activeTx;
}

function drain() {
  while (waiting.length && activeTx === undefined) {
    const next = waiting.shift()!;
    void run(next);
    if (next.kind === 'begin') return;
  }
}

port.on('message', (req: Request) => {
  if (admissible(req) && !(req.kind === 'begin' && activeTx !== undefined)) {
    void run(req);
  } else {
    waiting.push(req);
  }
});
port.postMessage({ ready: true });
