// `npm run bench`: samverkan-gateway side by side with the Medplum peer, in one run, same machine, same Node.
//
//   node bench/run.ts [--n 5000] [--c 16] [--targets peer,pglite,postgres] [--phases create,read,search,tx,idsearch]
//                     [--searches 200] [--tx 200] [--tx-size 10] [--identifier-searches 10] [--max-phase-s 120]
//                     [--repeat 1] [--validate-n 2000] [--validator-n 20000] [--validator-modes base,profile]
//                     [--no-validate] [--no-durability] [--quick] [--out bench/results] [--peer-dir ../shared/peer]
//                     [--ingest-n 3000] [--ingest-c 16] [--ingest-rate 200] [--ingest-s 20] [--ingest-warmup 300] [--no-ingest]
//                     [--settle-stays 300000] [--no-settle] [--validate-profiles-n 50] [--validate-profiles-rounds 5]
//                     [--no-validate-profiles]
//   node bench/run.ts --render bench/results/latest.json      (re-render the markdown of an earlier result)
//
// Per target, one after the other (never two at once): start the server on a free loopback port, wait until it
// is ready, run the peer's load.mjs against it (create, read, search, tx, idsearch), then for our gateway
// POST /fhir/Encounter/$validate at concurrency c and a SIGKILL + restart that counts the acknowledged writes,
// then the ingest end to end (synthetic episodes POSTed raw to /ingest/{source}: a closed loop for throughput, an
// open loop at a fixed rate for latency), then stop it and remove its data. Then the validator alone: the peer's
// validate-bench.mjs and ours in process, then ours vs @medplum/core on every project profile (bench/validate-profiles.ts).
// Then the settlement engine over a synthetic national year (bench/settle.ts).
// Writes <out>/latest.json and latest.md, and dated copies <out>/<YYYY-MM-DD>.json/.md.
// --quick is a smoke test (tiny counts); it writes to .bench/results/ unless --out says otherwise.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { crash, freePort, installCleanup, killAll, runNode, startNode, stop, waitReady, type Proc } from './lib/proc.ts';
import { Loader, median, type PhaseResult } from './lib/http-load.ts';
import { ingestAtRate, ingestThroughput, mergeAtRate, SyntheticIngest, warmUp, type IngestBatch, type IngestSummary } from './lib/ingest-load.ts';
import {
  computeGoals,
  renderMarkdown,
  type PhaseStats,
  type Result,
  type TargetId,
  type TargetSummary,
  type ProfileValidationBench,
  type SettlementBench,
  type ValidatorMode,
} from './lib/report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const t0 = performance.now();

// ---------------------------------------------------------------- options
const { values: o } = parseArgs({
  options: {
    n: { type: 'string' },
    c: { type: 'string' },
    targets: { type: 'string' },
    phases: { type: 'string' },
    searches: { type: 'string' },
    tx: { type: 'string' },
    'tx-size': { type: 'string' },
    'identifier-searches': { type: 'string' },
    'max-phase-s': { type: 'string' },
    repeat: { type: 'string' },
    'validate-n': { type: 'string' },
    'validator-n': { type: 'string' },
    'validator-modes': { type: 'string' },
    'no-validate': { type: 'boolean' },
    'no-durability': { type: 'boolean' },
    'ingest-n': { type: 'string' },
    'ingest-c': { type: 'string' },
    'ingest-rate': { type: 'string' },
    'ingest-s': { type: 'string' },
    'ingest-warmup': { type: 'string' },
    'no-ingest': { type: 'boolean' },
    'no-settle': { type: 'boolean' },
    'validate-profiles-n': { type: 'string' },
    'validate-profiles-rounds': { type: 'string' },
    'no-validate-profiles': { type: 'boolean' },
    'settle-stays': { type: 'string' },
    quick: { type: 'boolean' },
    out: { type: 'string' },
    'peer-dir': { type: 'string' },
    'admin-url': { type: 'string' },
    verbose: { type: 'boolean' },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (o.help) {
  const lines = readFileSync(import.meta.filename, 'utf8').split('\n');
  console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).join('\n'));
  process.exit(0);
}
if (o.render) {
  // Re-renders the markdown of an earlier result (after a change to the report), next to its JSON.
  const file = path.resolve(o.render);
  const r = JSON.parse(readFileSync(file, 'utf8')) as Result;
  r.goals = computeGoals(r.targets);
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(file.replace(/\.json$/, '.md'), renderMarkdown(r));
  console.log(`wrote ${file.replace(/\.json$/, '.md')}`);
  process.exit(0);
}
const quick = o.quick ?? false;
const num = (v: string | undefined, full: number, small: number, name: string): number => {
  const x = v === undefined ? (quick ? small : full) : Number(v);
  if (!Number.isFinite(x) || x < 0) throw new Error(`--${name} must be a non-negative number`);
  return Math.floor(x);
};
const P = {
  n: num(o.n, 5000, 300, 'n'),
  c: Math.max(1, num(o.c, 16, 16, 'c')),
  searches: num(o.searches, 200, 30, 'searches'),
  tx: num(o.tx, 200, 20, 'tx'),
  txSize: Math.max(1, num(o['tx-size'], 10, 10, 'tx-size')),
  identifierSearches: num(o['identifier-searches'], 10, 3, 'identifier-searches'),
  maxPhaseS: Math.max(1, num(o['max-phase-s'], 120, 30, 'max-phase-s')),
  repeat: Math.max(1, num(o.repeat, 1, 1, 'repeat')),
  validateN: num(o['validate-n'], 2000, 100, 'validate-n'),
  validatorN: Math.max(1, num(o['validator-n'], 20000, 1000, 'validator-n')),
  validatorRounds: quick ? 2 : 5,
  validatorWarmup: quick ? 200 : 2000,
  profileN: quick ? 100 : 1000,
  profileRounds: quick ? 1 : 3,
  validatorModes: (o['validator-modes'] ?? 'base,profile').split(',').filter(Boolean),
  // bench/validate-profiles.ts: calls per profile and side in a round (cycling the profile's valid examples), rounds.
  validateProfiles: !o['no-validate-profiles'],
  validateProfilesN: Math.max(1, num(o['validate-profiles-n'], 50, 10, 'validate-profiles-n')),
  validateProfilesRounds: Math.max(1, num(o['validate-profiles-rounds'], 5, 2, 'validate-profiles-rounds')),
  validate: !o['no-validate'],
  durability: !o['no-durability'],
  ingest: !o['no-ingest'],
  settle: !o['no-settle'],
  settleStays: Math.max(1, num(o['settle-stays'], 300_000, 20_000, 'settle-stays')),
  ingestN: Math.max(1, num(o['ingest-n'], 3000, 200, 'ingest-n')),
  ingestC: Math.max(1, num(o['ingest-c'], 16, 16, 'ingest-c')),
  ingestRate: Math.max(1, num(o['ingest-rate'], 200, 200, 'ingest-rate')),
  ingestS: Math.max(1, num(o['ingest-s'], 20, 2, 'ingest-s')),
  ingestWarmup: num(o['ingest-warmup'], 300, 20, 'ingest-warmup'),
  // The synthetic episodes: one deterministic stream, cut into warm-up, throughput and fixed-rate batches.
  ingestSeed: 'bench',
  ingestMonth: '2025-03',
  phases: (o.phases ?? 'create,read,search,tx,idsearch').split(',').filter(Boolean),
  targets: (o.targets ?? 'peer,pglite,postgres').split(',').filter(Boolean) as TargetId[],
  quick,
  patients: 1000,
  timeoutMs: 60_000,
};
for (const t of P.targets) if (!['peer', 'pglite', 'postgres'].includes(t)) throw new Error(`unknown target ${t} (peer, pglite, postgres)`);
for (const ph of P.phases) if (!['create', 'read', 'search', 'tx', 'idsearch'].includes(ph)) throw new Error(`unknown phase ${ph}`);
if (P.phases.includes('read') && !P.phases.includes('create')) throw new Error('the read phase needs the create phase');

const OUT = path.resolve(ROOT, o.out ?? (quick ? '.bench/results' : 'bench/results'));
const PEER_SRC = path.resolve(ROOT, o['peer-dir'] ?? process.env.PEER_DIR ?? '../shared/peer');
const PEER = path.join(ROOT, '.bench', 'peer');
const ADMIN_URL = o['admin-url'] ?? process.env.BENCH_ADMIN_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The gateway's entry point (`<entry> serve`); BENCH_GATEWAY_ENTRY may point at another build of it.
const GATEWAY_ENTRY = process.env.BENCH_GATEWAY_ENTRY ?? 'src/gateway/cli.ts';
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const RUN_DIR = path.join(ROOT, '.bench', `run-${stamp}`);
mkdirSync(RUN_DIR, { recursive: true });
mkdirSync(OUT, { recursive: true });

// Cleanups that must also run on SIGINT (temporary data folders, the PostgreSQL database).
const cleanups = new Set<() => Promise<void>>();
async function runCleanups(): Promise<void> {
  for (const c of [...cleanups]) {
    cleanups.delete(c);
    try {
      await c();
    } catch (err) {
      console.error(`bench: cleanup failed: ${String(err)}`);
    }
  }
}
installCleanup(async () => {
  killAll();
  await runCleanups();
});

const log = (msg: string) => console.log(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

// ---------------------------------------------------------------- the peer, copied into .bench/peer
function preparePeer(): void {
  if (!existsSync(PEER_SRC)) throw new Error(`peer harness not found at ${PEER_SRC} (use --peer-dir)`);
  mkdirSync(PEER, { recursive: true });
  const files = readdirSync(PEER_SRC).filter((f) => f.endsWith('.mjs'));
  for (const f of files) cpSync(path.join(PEER_SRC, f), path.join(PEER, f));
  for (const need of ['load.mjs', 'server.mjs', 'validate-bench.mjs', 'fixtures.mjs', 'common.mjs']) {
    if (!files.includes(need)) throw new Error(`peer harness at ${PEER_SRC} lacks ${need}`);
  }
  if (!existsSync(path.join(ROOT, 'node_modules', '@medplum', 'fhir-router'))) {
    throw new Error('node_modules/@medplum/fhir-router is missing: run npm ci in the repository first');
  }
}

// ---------------------------------------------------------------- targets
interface Running {
  proc: Proc;
  base: string;
  readyMs: number;
}
interface TargetDef {
  id: TargetId;
  label: string;
  /** Prepares fresh storage and returns a start function (reusable for the restart) and the storage cleanup. */
  prepare(): Promise<{ start(): Promise<Running>; cleanup(): Promise<void> }>;
}

function peerTarget(): TargetDef {
  return {
    id: 'peer',
    label: 'peer: Medplum @medplum/fhir-router FhirRouter + MemoryRepository, VALIDATE=base (in memory, not durable)',
    async prepare() {
      return {
        async start() {
          const port = await freePort();
          const proc = startNode({
            name: 'peer',
            args: [path.join(PEER, 'server.mjs')],
            cwd: ROOT,
            env: { ...process.env, PORT: String(port), VALIDATE: 'base', MAX_LIFETIME_S: String(maxLifetimeS()) },
            logFile: path.join(RUN_DIR, 'peer.log'),
          });
          const base = `http://127.0.0.1:${port}/fhir/R4`;
          const readyMs = await waitReady(`${base}/metadata`, proc, 60_000);
          return { proc, base, readyMs };
        },
        async cleanup() {},
      };
    },
  };
}

function gatewayTarget(id: 'pglite' | 'postgres'): TargetDef {
  return {
    id,
    label:
      id === 'pglite'
        ? 'ours on PGlite: `samverkan serve`, embedded store in a fresh DATA_DIR'
        : 'ours on PostgreSQL: `samverkan serve`, DATABASE_URL = a fresh database on 127.0.0.1:5432',
    async prepare() {
      if (!existsSync(path.resolve(ROOT, GATEWAY_ENTRY))) throw new Error(`${GATEWAY_ENTRY} does not exist yet`);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `samverkan-bench-${id}-`));
      let dbUrl: string | undefined;
      let dbName: string | undefined;
      const cleanup = async () => {
        rmSync(dataDir, { recursive: true, force: true });
        if (dbName) await dropDatabase(dbName);
      };
      cleanups.add(cleanup);
      if (id === 'postgres') {
        dbName = `samverkan_bench_${process.pid}_${Date.now()}`;
        await adminQuery(`create database ${dbName}`);
        const u = new URL(ADMIN_URL);
        u.pathname = `/${dbName}`;
        dbUrl = u.toString();
      }
      let starts = 0;
      return {
        async start() {
          const port = await freePort();
          const env: NodeJS.ProcessEnv = {
            ...process.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATA_DIR: path.join(dataDir, 'data'),
            LOG_LEVEL: 'warn',
            AUTH_MODE: 'development',
            NODE_ENV: 'production',
          };
          delete env.DATABASE_URL;
          if (dbUrl) env.DATABASE_URL = dbUrl;
          const proc = startNode({
            name: `gateway (${id})`,
            args: [GATEWAY_ENTRY, 'serve'],
            cwd: ROOT,
            env,
            logFile: path.join(RUN_DIR, `${id}-${starts++}.log`),
            echo: o.verbose ?? false,
          });
          const readyMs = await waitReady(`http://127.0.0.1:${port}/readyz`, proc, 120_000);
          return { proc, base: `http://127.0.0.1:${port}/fhir`, readyMs };
        },
        async cleanup() {
          cleanups.delete(cleanup);
          await cleanup();
        },
      };
    },
  };
}

function maxLifetimeS(): number {
  // The peer exits by itself after this long even if we were SIGKILLed: every phase's cap, generously.
  return 600 + 6 * P.maxPhaseS;
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
}

// ---------------------------------------------------------------- load.mjs
interface LoadJson {
  results: (PhaseResult & { entriesPerSecond?: number })[];
}
async function runLoad(target: TargetId, rep: number, base: string): Promise<LoadJson> {
  const jsonFile = path.join(RUN_DIR, `load-${target}-${rep}.json`);
  const args = [
    path.join(PEER, 'load.mjs'),
    ...['--base', base, '--n', P.n, '--c', P.c, '--searches', P.searches, '--tx', P.tx, '--tx-size', P.txSize],
    ...['--identifier-searches', P.identifierSearches, '--phases', P.phases.join(','), '--patients', P.patients],
    ...['--max-phase-s', P.maxPhaseS, '--timeout-ms', P.timeoutMs, '--label', target, '--json', jsonFile],
  ].map(String);
  const r = await runNode({
    name: `load.mjs (${target})`,
    args,
    cwd: ROOT,
    env: { ...process.env },
    echo: true,
    logFile: path.join(RUN_DIR, `load-${target}-${rep}.log`),
    timeoutMs: (P.phases.length + 2) * (P.maxPhaseS + 10) * 1000 + 60_000,
  });
  if (r.timedOut) throw new Error(`load.mjs against ${target} exceeded its time limit and was killed`);
  if (r.code !== 0 || !existsSync(jsonFile)) throw new Error(`load.mjs against ${target} failed (code ${r.code}):\n${r.tail}`);
  const load = JSON.parse(readFileSync(jsonFile, 'utf8')) as LoadJson;
  // load.mjs prints the first failing request of a phase under the phase line, but not into its JSON.
  const lines = readFileSync(path.join(RUN_DIR, `load-${target}-${rep}.log`), 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = /^ {4}first error: (.*)$/.exec(lines[i] ?? '');
    const name = (lines[i - 1] ?? '').slice(0, 18).trim();
    const ph = m ? load.results.find((r) => r.phase === name) : undefined;
    if (m && ph) ph.firstError = m[1]?.slice(0, 600);
  }
  return load;
}

// ---------------------------------------------------------------- fixtures that are invalid R4
// Some of the peer's Encounters end before they start (makeEncounter caps the end day at 28 without looking at
// the hour), which breaks the R4 invariant per-1 on Period. Medplum's validator does not check invariants
// inside datatypes and stores them; a validating server must refuse them (and every transaction holding one,
// all-or-nothing), and an identifier search for a refused Encounter then finds nothing. Those failures are
// counted here as "refused as invalid" instead of errors, up to the number the fixtures predict.
function violatesPer1(i: number): boolean {
  const e = makeEncounter(i, { patients: P.patients }) as { period?: { start?: string; end?: string } };
  return !!e.period?.end && !!e.period.start && Date.parse(e.period.end) < Date.parse(e.period.start);
}
let invalidCache: { create: number; tx: number; idsearch: number } | undefined;
function expectedInvalid(): { create: number; tx: number; idsearch: number } {
  if (invalidCache) return invalidCache;
  const badCreate = new Set<number>();
  for (let i = 0; i < P.n; i++) if (violatesPer1(i)) badCreate.add(i);
  let tx = 0;
  for (let t = 0; t < P.tx; t++) {
    for (let k = 0; k < P.txSize; k++) {
      if (violatesPer1(10_000_000 + t * P.txSize + k)) {
        tx++;
        break;
      }
    }
  }
  let idsearch = 0;
  const created = Math.max(P.n, 1);
  // The identifier phase looks up V<(i*37) % n>; with the create phase skipped nothing is there anyway.
  if (P.phases.includes('create')) for (let i = 0; i < P.identifierSearches; i++) if (badCreate.has((i * 37) % created)) idsearch++;
  invalidCache = { create: badCreate.size, tx, idsearch };
  return invalidCache;
}
function countPer1(n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (violatesPer1(i)) c++;
  return c;
}
function annotateRefusals(ph: PhaseStats): PhaseStats {
  const exp = expectedInvalid();
  const [expected, statuses] = ph.phase === 'create' ? [exp.create, ['400', '422']] : ph.phase.startsWith('tx') ? [exp.tx, ['400', '422']] : ph.phase === 'search identifier' ? [exp.idsearch, ['200']] : [0, []];
  const withStatus = statuses.reduce((a, st) => a + (ph.statuses[st] ?? 0), 0);
  const refused = Math.min(expected, ph.errors, withStatus);
  return { ...ph, expectedInvalid: expected, refusedInvalid: refused, unexpectedErrors: ph.errors - refused };
}

// ---------------------------------------------------------------- POST {base}/Encounter/$validate
let makeEncounter: (i: number, opts?: { patients?: number }) => Record<string, unknown>;

async function validateOverHttp(base: string): Promise<PhaseStats & { bodyForm: string; invalid: number; expectedInvalid: number }> {
  const loader = new Loader(base, P.c, P.timeoutMs);
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const url = `${basePath}/Encounter/$validate`;
  try {
    const raw = Array.from({ length: 100 }, (_, i) => JSON.stringify(makeEncounter(i, { patients: P.patients })));
    const params = raw.map((r) => `{"resourceType":"Parameters","parameter":[{"name":"resource","resource":${r}}]}`);
    // The spec allows the resource as the body or inside Parameters; use whichever the server takes.
    let bodies = raw;
    let bodyForm = 'resource';
    const probe = await loader.request('POST', url, raw[0]);
    if (!isOutcome(probe.body) || probe.status >= 400) {
      const probe2 = await loader.request('POST', url, params[0]);
      if (probe2.status === 200 && isOutcome(probe2.body)) {
        bodies = params;
        bodyForm = 'Parameters';
      }
    }
    let invalid = 0;
    let firstInvalid: string | undefined;
    const res = await loader.phase(
      '$validate (HTTP)',
      P.validateN,
      (i) => ['POST', url, bodies[i % bodies.length]],
      (_i, r) => {
        if (r.status !== 200) return false;
        const oo = JSON.parse(r.body) as { resourceType?: string; issue?: { severity?: string }[] };
        if (oo.resourceType !== 'OperationOutcome') return false;
        // A correct answer either way: the fixtures include resources that break per-1 (see violatesPer1).
        if (oo.issue?.some((x) => x.severity === 'error' || x.severity === 'fatal')) {
          invalid++;
          firstInvalid ??= r.body.slice(0, 400);
        }
        return true;
      },
      P.maxPhaseS,
    );
    let expectedInvalid = 0;
    for (let i = 0; i < res.requests; i++) if (violatesPer1(i % bodies.length)) expectedInvalid++;
    return { ...res, bodyForm, invalid, expectedInvalid, ...(firstInvalid ? { firstInvalid } : {}) };
  } finally {
    loader.close();
  }
}
function isOutcome(body: string): boolean {
  try {
    return (JSON.parse(body) as { resourceType?: string }).resourceType === 'OperationOutcome';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- durability: SIGKILL, restart, count
async function countEncounters(base: string): Promise<number | null> {
  const loader = new Loader(base, 1, 120_000);
  try {
    for (const q of ['_count=0&_total=accurate', '_summary=count', '_total=accurate&_count=1']) {
      const r = await loader.request('GET', `${new URL(base).pathname}/Encounter?${q}`);
      if (r.status !== 200) continue;
      const b = JSON.parse(r.body) as { total?: number };
      if (typeof b.total === 'number') return b.total;
    }
    return null;
  } finally {
    loader.close();
  }
}

function acknowledgedWrites(load: LoadJson): number {
  let n = 0;
  for (const r of load.results) {
    if (r.phase === 'create') n += r.requests - r.errors;
    if (r.phase.startsWith('tx')) n += (r.requests - r.errors) * P.txSize;
  }
  return n;
}

// ---------------------------------------------------------------- ingest, end to end
// Generated once (before the first target) and sent to every gateway target: each starts on fresh storage,
// so the messages are new to it; the three batches hold different episodes, so each measurement's are new too.
let ingestBatches: { warmup: IngestBatch; throughput: IngestBatch; atRate: IngestBatch } | undefined;

function prepareIngest(): void {
  const t = performance.now();
  const gen = new SyntheticIngest(P.ingestSeed, P.ingestMonth);
  ingestBatches = { warmup: gen.take(P.ingestWarmup), throughput: gen.take(P.ingestN), atRate: gen.take(Math.round(P.ingestRate * P.ingestS)) };
  const b = ingestBatches;
  log(
    `ingest: ${b.warmup.messages.length} + ${b.throughput.messages.length} + ${b.atRate.messages.length} synthetic messages ` +
      `(warm-up, throughput, fixed rate; ${b.warmup.episodes + b.throughput.episodes + b.atRate.episodes} episodes) in ${(performance.now() - t).toFixed(0)} ms; ` +
      `throughput batch by source ${JSON.stringify(b.throughput.bySource)}`,
  );
}

async function runIngest(id: TargetId, root: string): Promise<IngestSummary> {
  const b = ingestBatches!;
  const out: IngestSummary = { warmup: 0 };
  try {
    if (b.warmup.messages.length) {
      const w = await warmUp(root, b.warmup, P.ingestC, P.timeoutMs, P.maxPhaseS);
      out.warmup = w.requests - w.errors;
      log(`${id}: ingest warm-up ${w.requests} messages, ${w.errors} not accepted${w.firstError ? ` (first: ${w.firstError.slice(0, 300)})` : ''}`);
    }
    log(`${id}: ingest throughput: ${b.throughput.messages.length} messages at c=${P.ingestC}, closed loop`);
    const t = await ingestThroughput(root, b.throughput, P.ingestC, P.timeoutMs, P.maxPhaseS);
    out.throughput = t;
    console.log(
      `ingest (c=${t.concurrency})  ${String(t.requests).padStart(6)} msg ${String(t.errors).padStart(4)} err ${t.rps.toFixed(0).padStart(7)} msg/s   ` +
        `p50 ${t.p50.toFixed(2)} ms  p90 ${t.p90.toFixed(2)} ms  p99 ${t.p99.toFixed(2)} ms  max ${t.max.toFixed(1)} ms${t.truncated ? '  (truncated)' : ''}`,
    );
    if (t.firstError) console.log(`    first error: ${t.firstError}`);
    log(`${id}: ingest at ${P.ingestRate} msg/s for ${P.ingestS} s, open loop`);
    // A server that falls behind builds a queue that takes a while to drain: give its answers time to come back
    // (they count, late), rather than cutting them off as errors.
    const r = await ingestAtRate(root, b.atRate, P.ingestRate, P.ingestS, Math.max(P.timeoutMs, 3 * P.ingestS * 1000 + 60_000));
    out.atRate = r;
    console.log(
      `ingest @${P.ingestRate}/s   ${String(r.answered).padStart(6)} msg ${String(r.errors).padStart(4)} err ${r.achievedRate.toFixed(0).padStart(7)} msg/s   ` +
        `p50 ${r.p50.toFixed(2)} ms  p90 ${r.p90.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(1)} ms (from the scheduled send; client lag max ${r.maxSendLagMs.toFixed(1)} ms)`,
    );
    if (r.firstError) console.log(`    first error: ${r.firstError}`);
  } catch (err) {
    out.error = String((err as Error).message ?? err).slice(0, 400);
    console.error(`bench: ${id} ingest failed: ${out.error}`);
  }
  return out;
}

// ---------------------------------------------------------------- one target, one repetition
interface Rep {
  phases: PhaseStats[];
  validateHttp?: PhaseStats & { bodyForm?: string; invalid?: number };
  durability?: TargetSummary['durability'];
  ingest?: IngestSummary;
  errorLogLines: number;
  errorSamples: string[];
  exits: string[];
  readyMs: number[];
}

async function runTarget(def: TargetDef, rep: number): Promise<Rep> {
  const storage = await def.prepare();
  const out: Rep = { phases: [], errorLogLines: 0, errorSamples: [], exits: [], readyMs: [] };
  const procs: Proc[] = [];
  const note = (p: Proc, how: { code: number | null; signal: string | null; forced?: boolean }, what: string) => {
    out.exits.push(`${what}: ${how.signal ?? `code ${how.code}`}${how.forced ? ' (did not stop within 10 s of SIGTERM)' : ''}`);
    out.errorLogLines += p.errorLines();
    out.errorSamples.push(...p.samples().slice(0, 5 - out.errorSamples.length));
  };
  try {
    let run = await storage.start();
    procs.push(run.proc);
    out.readyMs.push(run.readyMs);
    log(`${def.id}: ready at ${run.base} in ${run.readyMs.toFixed(0)} ms (pid ${run.proc.child.pid})`);
    const load = await runLoad(def.id, rep, run.base);
    out.phases = load.results.map((r) => annotateRefusals({ ...r }));
    if (!run.proc.isAlive()) {
      const how = await run.proc.exited;
      note(run.proc, how, 'died during the load');
      throw new Error(`${def.id} server died during the load (code ${how.code}, signal ${how.signal}):\n${run.proc.tail()}`);
    }

    if (def.id !== 'peer' && P.validate && P.validateN > 0) {
      log(`${def.id}: POST Encounter/$validate x ${P.validateN} at c=${P.c}`);
      const v = await validateOverHttp(run.base);
      out.validateHttp = v;
      console.log(
        `$validate (HTTP)   ${String(v.requests).padStart(6)} req ${String(v.errors).padStart(4)} err ${v.rps.toFixed(0).padStart(7)} req/s   ` +
          `p50 ${v.p50.toFixed(2)} ms  p99 ${v.p99.toFixed(2)} ms  (body: ${v.bodyForm})`,
      );
      if (v.firstError) console.log(`    first error: ${v.firstError}`);
      if (!run.proc.isAlive()) {
        const how = await run.proc.exited;
        note(run.proc, how, 'died during $validate');
        throw new Error(`${def.id} server died during $validate (code ${how.code}, signal ${how.signal}):\n${run.proc.tail()}`);
      }
    }

    if (def.id !== 'peer' && P.durability && P.phases.some((p) => p === 'create' || p === 'tx')) {
      const acknowledged = acknowledgedWrites(load);
      log(`${def.id}: SIGKILL, restart, count Encounters (acknowledged ${acknowledged})`);
      await crash(run.proc);
      note(run.proc, { code: null, signal: 'SIGKILL (deliberate)' }, 'after load');
      try {
        run = await storage.start();
        procs.push(run.proc);
        out.readyMs.push(run.readyMs);
        const found = await countEncounters(run.base);
        out.durability = {
          acknowledged,
          found,
          ok: found === null ? null : found >= acknowledged,
          note: found === null ? 'the server returned no Bundle.total for _total=accurate / _summary=count' : 'after SIGKILL + restart',
        };
      } catch (err) {
        out.durability = { acknowledged, found: null, ok: false, note: `restart failed: ${String((err as Error).message).slice(0, 300)}` };
      }
      log(`${def.id}: durability ${JSON.stringify(out.durability)}`);
    }

    // After the durability check (whose count must hold only the load's Encounters), on the restarted server.
    if (def.id !== 'peer' && ingestBatches) {
      if (run.proc.isAlive()) {
        out.ingest = await runIngest(def.id, new URL(run.base).origin);
        if (!run.proc.isAlive()) {
          const how = await run.proc.exited;
          note(run.proc, how, 'died during the ingest');
          throw new Error(`${def.id} server died during the ingest (code ${how.code}, signal ${how.signal}):\n${run.proc.tail()}`);
        }
      } else out.ingest = { warmup: 0, error: 'no running server after the durability check' };
    }
    const last = procs.at(-1);
    if (last?.isAlive()) {
      const how = await stop(last);
      note(last, how, 'shutdown');
    } else if (last && last !== procs[0]) note(last, await last.exited, 'died');
    return out;
  } finally {
    for (const p of procs) if (p.isAlive()) await stop(p, 3000);
    await storage.cleanup();
  }
}

// ---------------------------------------------------------------- validators in process
async function peerValidator(): Promise<NonNullable<Result['validator']['peer']>> {
  const jsonFile = path.join(RUN_DIR, 'validate-peer.json');
  const modes = P.validatorModes.filter((m) => ['base', 'profile', 'parse-profile'].includes(m));
  const r = await runNode({
    name: 'validate-bench.mjs',
    args: [
      path.join(PEER, 'validate-bench.mjs'),
      ...['--n', P.validatorN, '--rounds', P.validatorRounds, '--warmup', P.validatorWarmup],
      ...['--profile-n', P.profileN, '--profile-rounds', P.profileRounds, '--modes', modes.join(','), '--json', jsonFile],
    ].map(String),
    cwd: ROOT,
    env: { ...process.env },
    echo: true,
    timeoutMs: 600_000,
  });
  if (r.code !== 0 || !existsSync(jsonFile)) return { ok: false, error: `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${r.tail.slice(-300)}`, modes: {} };
  const j = JSON.parse(readFileSync(jsonFile, 'utf8')) as { modes: Record<string, ValidatorMode> };
  return { ok: true, modes: j.modes };
}

async function ourValidator(): Promise<NonNullable<Result['validator']['ours']>> {
  if (!existsSync(path.join(ROOT, 'src', 'profiles', 'validation', 'index.ts'))) {
    return { ok: false, skipped: 'src/profiles/validation/index.ts does not exist yet', modes: {} };
  }
  const jsonFile = path.join(RUN_DIR, 'validate-ours.json');
  const r = await runNode({
    name: 'validator-inproc.ts',
    args: [
      path.join(ROOT, 'bench', 'validator-inproc.ts'),
      ...['--fixtures', path.join(PEER, 'fixtures.mjs'), '--n', P.validatorN, '--rounds', P.validatorRounds],
      ...['--warmup', P.validatorWarmup, '--profile-n', P.profileN, '--profile-rounds', P.profileRounds],
      ...['--modes', P.validatorModes.join(','), '--json', jsonFile],
    ].map(String),
    cwd: ROOT,
    env: { ...process.env },
    echo: true,
    timeoutMs: 600_000,
  });
  if (!existsSync(jsonFile)) return { ok: false, error: `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${r.tail.slice(-400)}`, modes: {} };
  const j = JSON.parse(readFileSync(jsonFile, 'utf8')) as NonNullable<Result['validator']['ours']>;
  return j;
}

/** A script of bench/ in its own process (so its time and peak RSS are its own), read back from its --json file. */
async function benchScript<T>(script: string, args: (string | number)[]): Promise<T | { error: string }> {
  const jsonFile = path.join(RUN_DIR, script.replace(/\.ts$/, '.json'));
  const r = await runNode({
    name: script,
    args: [path.join(ROOT, 'bench', script), ...args.map(String), '--json', jsonFile],
    cwd: ROOT,
    env: { ...process.env },
    echo: true,
    timeoutMs: 600_000,
  });
  if (!existsSync(jsonFile)) return { error: `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${r.tail.slice(-400)}` };
  return JSON.parse(readFileSync(jsonFile, 'utf8')) as T;
}

// ---------------------------------------------------------------- aggregation
function mergePhases(runs: PhaseStats[][]): PhaseStats[] {
  const first = runs[0] ?? [];
  if (runs.length === 1) return first;
  return first.map((ph) => {
    const all = runs.map((r) => r.find((x) => x.phase === ph.phase)).filter((x): x is PhaseStats => !!x);
    const statuses: Record<string, number> = {};
    for (const a of all) for (const [k, v] of Object.entries(a.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    const med = (k: 'rps' | 'p50' | 'p90' | 'p99' | 'max') => median(all.map((a) => a[k]));
    const eps = all.map((a) => a.entriesPerSecond).filter((x): x is number => typeof x === 'number');
    return {
      ...ph,
      requests: all.reduce((s, a) => s + a.requests, 0),
      errors: all.reduce((s, a) => s + a.errors, 0),
      refusedInvalid: all.reduce((s, a) => s + (a.refusedInvalid ?? 0), 0),
      unexpectedErrors: all.reduce((s, a) => s + (a.unexpectedErrors ?? a.errors), 0),
      statuses,
      rps: med('rps'),
      p50: med('p50'),
      p90: med('p90'),
      p99: med('p99'),
      max: med('max'),
      truncated: all.some((a) => a.truncated),
      perRun: all.map((a) => a.rps),
      ...(eps.length ? { entriesPerSecond: median(eps) } : {}),
    };
  });
}

function gitInfo(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const loadavgStart = os.loadavg();
  preparePeer();
  ({ makeEncounter } = (await import(path.join(PEER, 'fixtures.mjs'))) as { makeEncounter: typeof makeEncounter });
  const defs = P.targets.map((t) => (t === 'peer' ? peerTarget() : gatewayTarget(t)));
  if (P.ingest && P.targets.some((t) => t !== 'peer')) prepareIngest();
  log(`node ${process.version}, ${os.cpus().length} CPU, load avg ${loadavgStart.map((x) => x.toFixed(2)).join(' ')}; run dir ${path.relative(ROOT, RUN_DIR)}`);
  log(`params ${JSON.stringify({ n: P.n, c: P.c, searches: P.searches, tx: P.tx, txSize: P.txSize, identifierSearches: P.identifierSearches, phases: P.phases, targets: P.targets, repeat: P.repeat })}`);

  const reps = new Map<TargetId, Rep[]>();
  const failures = new Map<TargetId, string>();
  for (let rep = 0; rep < P.repeat; rep++) {
    for (const def of defs) {
      if (failures.has(def.id)) continue;
      log(`---- ${def.id}${P.repeat > 1 ? ` (repetition ${rep + 1}/${P.repeat})` : ''}: ${def.label}`);
      try {
        const r = await runTarget(def, rep);
        reps.set(def.id, [...(reps.get(def.id) ?? []), r]);
      } catch (err) {
        const msg = String((err as Error).message ?? err);
        console.error(`bench: ${def.id} failed: ${msg}`);
        failures.set(def.id, msg.split('\n')[0]?.slice(0, 400) ?? msg);
      }
    }
  }

  const validator: Result['validator'] = {};
  if (P.validate && P.validatorModes.length) {
    log('---- validator in process: peer (@medplum/core validateResource)');
    validator.peer = await peerValidator();
    log('---- validator in process: ours');
    validator.ours = await ourValidator();
    if (validator.ours.skipped) log(`ours: skipped (${validator.ours.skipped})`);
  }

  let validateProfiles: Result['validateProfiles'];
  if (P.validate && P.validateProfiles) {
    log(`---- profile validation: ours vs @medplum/core on every project profile (bench/validate-profiles.ts)`);
    validateProfiles = await benchScript<ProfileValidationBench>('validate-profiles.ts', ['--n', P.validateProfilesN, '--rounds', P.validateProfilesRounds, '--warmup', P.quick ? 5 : 20]);
  }

  let settlement: Result['settlement'];
  if (P.settle) {
    log(`---- settlement: ${P.settleStays} stays, every agreement, twelve months (bench/settle.ts)`);
    settlement = await benchScript<SettlementBench>('settle.ts', ['--stays', P.settleStays]);
  }

  const targets: TargetSummary[] = defs.map((def) => {
    const rs = reps.get(def.id) ?? [];
    const fail = failures.get(def.id);
    const vs = rs.map((r) => r.validateHttp).filter((x): x is NonNullable<Rep['validateHttp']> => !!x);
    const durs = rs.map((r) => r.durability).filter((x): x is NonNullable<Rep['durability']> => !!x);
    const worstDur = durs.find((d) => d.ok === false) ?? durs.find((d) => d.ok === null) ?? durs[0];
    const ingests = rs.map((r) => r.ingest).filter((x): x is IngestSummary => !!x);
    const thr = ingests.map((x) => x.throughput).filter((x) => !!x);
    const atRate = mergeAtRate(ingests.map((x) => x.atRate).filter((x) => !!x));
    const ingestError = ingests.find((x) => x.error)?.error;
    return {
      id: def.id,
      label: def.label,
      ok: !fail,
      ...(fail ? { error: fail } : {}),
      phases: mergePhases(rs.map((r) => r.phases)),
      ...(vs.length
        ? {
            validateHttp: {
              ...(mergePhases(vs.map((v) => [v]))[0] as PhaseStats),
              bodyForm: vs[0]?.bodyForm,
              invalid: vs.reduce((s, v) => s + (v.invalid ?? 0), 0),
              expectedInvalid: vs.reduce((s, v) => s + (v.expectedInvalid ?? 0), 0),
            },
          }
        : {}),
      ...(worstDur ? { durability: worstDur } : {}),
      ...(ingests.length
        ? {
            ingest: {
              warmup: ingests[0]?.warmup ?? 0,
              ...(thr.length ? { throughput: { ...thr[0]!, ...mergePhases(thr.map((x) => [x]))[0]! } } : {}),
              ...(atRate ? { atRate } : {}),
              ...(ingestError ? { error: ingestError } : {}),
            },
          }
        : {}),
      server: {
        errorLogLines: rs.reduce((s, r) => s + r.errorLogLines, 0),
        errorSamples: rs.flatMap((r) => r.errorSamples).slice(0, 5),
        exits: rs.flatMap((r) => r.exits),
        readyMs: rs.flatMap((r) => r.readyMs),
      },
    };
  });

  const date = new Date().toISOString();
  const day = date.slice(0, 10);
  const cpus = os.cpus();
  const result: Result = {
    date,
    node: process.version,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadavgStart,
      loadavgEnd: os.loadavg(),
    },
    git: gitInfo(),
    params: {
      n: P.n,
      c: P.c,
      searches: P.searches,
      tx: P.tx,
      txSize: P.txSize,
      identifierSearches: P.identifierSearches,
      identifierC: 1,
      patients: P.patients,
      phases: P.phases.join(','),
      targets: P.targets.join(','),
      repeat: P.repeat,
      maxPhaseS: P.maxPhaseS,
      validateN: P.validate ? P.validateN : 0,
      validatorN: P.validatorN,
      validatorRounds: P.validatorRounds,
      validatorModes: P.validatorModes.join(','),
      profileN: P.profileN,
      profileRounds: P.profileRounds,
      validateProfilesN: validateProfiles ? P.validateProfilesN : 0,
      validateProfilesRounds: P.validateProfilesRounds,
      quick: P.quick,
      ingest: ingestBatches
        ? {
            n: ingestBatches.throughput.messages.length,
            c: P.ingestC,
            rate: P.ingestRate,
            durationS: P.ingestS,
            warmup: ingestBatches.warmup.messages.length,
            seed: P.ingestSeed,
            month: P.ingestMonth,
            afterRestart: P.durability && P.phases.some((p) => p === 'create' || p === 'tx'),
          }
        : null,
      peerValidate: 'base',
      peerVersions: peerVersions(),
      jsonName: `${day}.json`,
      fixturesViolatingPer1: invalidCache ?? null,
      validatorFixturesViolatingPer1: countPer1(P.validatorN),
      profileFixturesViolatingPer1: countPer1(Math.min(P.validatorN, P.profileN)),
    },
    targets,
    validator,
    goals: computeGoals(targets),
    ...(validateProfiles ? { validateProfiles } : {}),
    ...(settlement ? { settlement } : {}),
    wallS: (performance.now() - t0) / 1000,
  };
  const md = renderMarkdown(result);
  const json = JSON.stringify(result, null, 2) + '\n';
  for (const name of ['latest', day]) {
    writeFileSync(path.join(OUT, `${name}.json`), json);
    writeFileSync(path.join(OUT, `${name}.md`), md);
  }
  console.log('\n' + md);
  log(`wrote ${path.relative(ROOT, path.join(OUT, 'latest.md'))}, latest.json, ${day}.md, ${day}.json (logs in ${path.relative(ROOT, RUN_DIR)})`);
  if (failures.size) process.exitCode = 1;
}

function peerVersions(): Record<string, string> {
  const v: Record<string, string> = {};
  for (const p of ['core', 'definitions', 'fhir-router']) {
    try {
      v[`@medplum/${p}`] = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', '@medplum', p, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      v[`@medplum/${p}`] = 'missing';
    }
  }
  return v;
}

try {
  await main();
} catch (err) {
  console.error(`bench: ${String((err as Error).stack ?? err)}`);
  process.exitCode = 1;
} finally {
  killAll();
  await runCleanups();
}
