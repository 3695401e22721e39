// Crash safety: the real server (`node src/gateway/cli.ts serve`) as a child process, a stream of writes at
// concurrency (single creates, updates, transaction bundles), SIGKILL after a random number of
// acknowledgements while requests are in flight, restart on the same data, and check: every
// acknowledged write is there with its content, and every transaction is all there or not at all.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, postgresUrl } from '../support/db.ts';
import { freePort } from '../support/gateway.ts';
import { rng } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CYCLES = Number(process.env.CRASH_CYCLES ?? 3);
const CONCURRENCY = 8;
const SINGLE = 'urn:test:crash-single';
const TX = 'urn:test:crash-tx';
const PNR_SYSTEM = 'http://electronichealth.se/identifier/personnummer';
const PERSONNUMMER = ['195009072553', '196101182803', '189002029800', '200302022389', '199002222397', '200001252386', '189602029812', '201701012393'];

interface Server {
  child: ChildProcess;
  base: string;
  root: string;
  log: string[];
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(process.execPath, ['src/gateway/cli.ts', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_MODE: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const root = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    if (dead) throw new Error(`server exited during start-up:\n${log.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 180 s:\n${log.join('')}`);
    }
    try {
      const r = await fetch(`${root}/readyz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, base: `${root}/fhir`, root, log, exited };
}

async function sigkill(s: Server): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

// ---- what was written -------------------------------------------------------------------------

interface AckedVersion {
  type: string;
  id: string;
  versionId: string;
  content: unknown;
  what: string;
}

interface SentTransaction {
  tag: string;
  acked: boolean;
  /** Acknowledged entries (from the response), when acked. */
  entries: AckedVersion[];
}

interface Ledger {
  acked: AckedVersion[];
  singles: Map<string, boolean>; // tag -> acknowledged
  transactions: SentTransaction[];
  /** Per updated id, the highest acknowledged version. */
  latest: Map<string, number>;
}

const json = (v: unknown) => JSON.stringify(v);
const FHIR = { 'content-type': 'application/fhir+json' };

function patient(system: string, tag: string, n: number) {
  return {
    resourceType: 'Patient',
    identifier: [
      { system: PNR_SYSTEM, value: PERSONNUMMER[n % PERSONNUMMER.length] },
      { system, value: tag },
    ],
    name: [{ family: `Krasch-${tag}`, given: [`n${n}`] }],
    birthDate: '1950-09-07',
    active: n % 2 === 0,
  };
}

function encounter(system: string, tag: string, subject: string) {
  return {
    resourceType: 'Encounter',
    identifier: [{ system, value: tag }],
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: subject },
    period: { start: '2024-03-01T10:15:00+01:00' },
  };
}

function transaction(tag: string, n: number) {
  const a = `urn:uuid:${crypto.randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: a, resource: patient(TX, tag, n), request: { method: 'POST', url: 'Patient' } },
      { resource: encounter(TX, tag, a), request: { method: 'POST', url: 'Encounter' } },
      { resource: patient(TX, tag, n + 1), request: { method: 'POST', url: 'Patient' } },
      { resource: encounter(TX, tag, a), request: { method: 'POST', url: 'Encounter' } },
    ],
  };
}
const TX_PATIENTS = 2;
const TX_ENCOUNTERS = 2;

/**
 * Writes at CONCURRENCY until `killAfter` acknowledgements, then SIGKILLs the server while requests are
 * in flight. Returns how many requests were in flight at the kill.
 */
async function streamAndKill(s: Server, ledger: Ledger, cycle: number, killAfter: number, timeLimitMs: number): Promise<{ inFlight: number; acks: number }> {
  let acks = 0;
  let inFlight = 0;
  let killed = false;
  let seq = 0;
  let inFlightAtKill = 0;
  let resolveKill!: () => void;
  const killDone = new Promise<void>((r) => (resolveKill = r));
  const kill = () => {
    if (killed) return;
    killed = true;
    inFlightAtKill = inFlight;
    void sigkill(s).then(resolveKill);
  };
  const ack = () => {
    acks++;
    if (acks >= killAfter) kill();
  };
  const timer = setTimeout(kill, timeLimitMs);

  const worker = async (w: number) => {
    const updateId = `crash-c${cycle}-w${w}`;
    let version = 0;
    while (!killed) {
      const n = seq++;
      const kind = n % 5 === 0 ? 'update' : n % 5 === 1 || n % 5 === 3 ? 'transaction' : 'create';
      inFlight++;
      try {
        if (kind === 'create') {
          const tag = `c${cycle}-${n}`;
          const type = n % 2 ? 'Patient' : 'Encounter';
          const body = type === 'Patient' ? patient(SINGLE, tag, n) : encounter(SINGLE, tag, `Patient/crash-c${cycle}-w${w}`);
          ledger.singles.set(`${type}|${tag}`, false);
          const res = await fetch(`${s.base}/${type}`, { method: 'POST', headers: FHIR, body: json(body) });
          const text = await res.text();
          if (res.status !== 201) throw new Error(`create answered ${res.status}: ${text.slice(0, 300)}`);
          const r = JSON.parse(text) as { id: string; meta: { versionId: string } };
          ledger.acked.push({ type, id: r.id, versionId: r.meta.versionId, content: JSON.parse(text), what: `create ${type} ${tag}` });
          ledger.singles.set(`${type}|${tag}`, true);
          ack();
        } else if (kind === 'update') {
          const body = { ...patient(SINGLE, `${updateId}-v${version + 1}`, n), id: updateId };
          const res = await fetch(`${s.base}/Patient/${updateId}`, { method: 'PUT', headers: FHIR, body: json(body) });
          const text = await res.text();
          if (res.status !== 200 && res.status !== 201) throw new Error(`update answered ${res.status}: ${text.slice(0, 300)}`);
          const r = JSON.parse(text) as { id: string; meta: { versionId: string } };
          version = Number(r.meta.versionId);
          ledger.acked.push({ type: 'Patient', id: updateId, versionId: r.meta.versionId, content: JSON.parse(text), what: `update ${updateId} v${version}` });
          ledger.latest.set(updateId, Math.max(ledger.latest.get(updateId) ?? 0, version));
          ack();
        } else {
          const tag = `t${cycle}-${n}`;
          const sent: SentTransaction = { tag, acked: false, entries: [] };
          ledger.transactions.push(sent);
          const res = await fetch(s.base, { method: 'POST', headers: FHIR, body: json(transaction(tag, n)) });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`transaction answered ${res.status}: ${text.slice(0, 300)}`);
          const b = JSON.parse(text) as { entry: { resource: { resourceType: string; id: string; meta: { versionId: string } } }[] };
          sent.entries = b.entry.map((e) => ({ type: e.resource.resourceType, id: e.resource.id, versionId: e.resource.meta.versionId, content: e.resource, what: `transaction ${tag}` }));
          sent.acked = true;
          ledger.acked.push(...sent.entries);
          ack();
        }
      } catch (err) {
        // After the kill, failures are expected (connection reset or refused); before it, they are a bug.
        if (!killed) throw err;
      } finally {
        inFlight--;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  } finally {
    clearTimeout(timer);
    kill();
    await killDone;
  }
  return { inFlight: inFlightAtKill, acks };
}

async function fetchAll(url: string): Promise<{ resourceType: string; id: string; identifier?: { system?: string; value?: string }[] }[]> {
  const out: { resourceType: string; id: string; identifier?: { system?: string; value?: string }[] }[] = [];
  let next: string | undefined = url;
  while (next) {
    const res = await fetch(next);
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(200);
    const b = JSON.parse(text) as { entry?: { resource: (typeof out)[number] }[]; link?: { relation: string; url: string }[] };
    out.push(...(b.entry ?? []).map((e) => e.resource));
    next = b.link?.find((l) => l.relation === 'next')?.url;
  }
  return out;
}

async function verify(s: Server, ledger: Ledger): Promise<{ checked: number; txComplete: number; txAbsent: number }> {
  // 1. Every acknowledged version is there with its content.
  const batchSize = 16;
  for (let i = 0; i < ledger.acked.length; i += batchSize) {
    await Promise.all(
      ledger.acked.slice(i, i + batchSize).map(async (a) => {
        const res = await fetch(`${s.base}/${a.type}/${a.id}/_history/${a.versionId}`);
        const text = await res.text();
        expect(res.status, `${a.what}: acknowledged ${a.type}/${a.id} v${a.versionId} is missing after the crash: ${text.slice(0, 200)}`).toBe(200);
        expect(JSON.parse(text), `${a.what}: content differs`).toEqual(a.content);
      }),
    );
  }
  // 2. Updated resources are at least at their last acknowledged version.
  for (const [id, version] of ledger.latest) {
    const res = await fetch(`${s.base}/Patient/${id}`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as { meta: { versionId: string } };
    expect(Number(r.meta.versionId), `Patient/${id} went back below its acknowledged version ${version}`).toBeGreaterThanOrEqual(version);
  }
  // 3. Single creates: acknowledged ones exist exactly once, none exists twice.
  for (const type of ['Patient', 'Encounter']) {
    const found = await fetchAll(`${s.base}/${type}?identifier=${encodeURIComponent(SINGLE + '|')}&_count=1000`);
    const byTag = new Map<string, number>();
    for (const r of found) {
      const tag = r.identifier?.find((i) => i.system === SINGLE)?.value ?? '';
      if (/-v\d+$/.test(tag)) continue; // updates carry their version in the tag
      byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
    }
    for (const [tag, count] of byTag) expect(count, `${type} ${tag} stored ${count} times`).toBe(1);
    for (const [key, acked] of ledger.singles) {
      const [t, tag] = key.split('|') as [string, string];
      if (t === type && acked) expect(byTag.get(tag), `acknowledged ${key} missing`).toBe(1);
    }
  }
  // 4. Transactions: all entries or none, whether acknowledged or not.
  const patients = await fetchAll(`${s.base}/Patient?identifier=${encodeURIComponent(TX + '|')}&_count=1000`);
  const encounters = await fetchAll(`${s.base}/Encounter?identifier=${encodeURIComponent(TX + '|')}&_count=1000`);
  const count = (list: typeof patients) => {
    const m = new Map<string, string[]>();
    for (const r of list) {
      const tag = r.identifier?.find((i) => i.system === TX)?.value ?? '';
      m.set(tag, [...(m.get(tag) ?? []), r.id]);
    }
    return m;
  };
  const p = count(patients);
  const e = count(encounters);
  let txComplete = 0;
  let txAbsent = 0;
  const sentTags = new Set(ledger.transactions.map((t) => t.tag));
  for (const tag of [...p.keys(), ...e.keys()]) expect(sentTags.has(tag), `unknown transaction tag ${tag}`).toBe(true);
  for (const t of ledger.transactions) {
    const np = p.get(t.tag)?.length ?? 0;
    const ne = e.get(t.tag)?.length ?? 0;
    const complete = np === TX_PATIENTS && ne === TX_ENCOUNTERS;
    const absent = np === 0 && ne === 0;
    expect(complete || absent, `transaction ${t.tag} half-written: ${np} Patients, ${ne} Encounters (acknowledged: ${t.acked})`).toBe(true);
    if (t.acked) {
      expect(complete, `acknowledged transaction ${t.tag} is missing`).toBe(true);
      expect([...(p.get(t.tag) ?? []), ...(e.get(t.tag) ?? [])].sort()).toEqual(t.entries.map((x) => x.id).sort());
    }
    if (complete) txComplete++;
    else txAbsent++;
  }
  return { checked: ledger.acked.length, txComplete, txAbsent };
}

// ---- the tests ----------------------------------------------------------------------------------

describe.each(backends())('crash safety on %s (SIGKILL of the real server)', (backend) => {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let dbName: string | undefined;
  let current: Server | undefined;

  beforeAll(async () => {
    if (backend === 'pglite') {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-crash-'));
      env = { DATA_DIR: dataDir };
    } else {
      dbName = `samverkan_crash_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: postgresUrl() });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
      const url = new URL(postgresUrl());
      url.pathname = `/${dbName}`;
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-crash-'));
      env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir };
    }
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    if (current) await current.exited;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: postgresUrl() });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  });

  it(`keeps every acknowledged write and no half transaction across ${CYCLES} kills`, async () => {
    const r = rng(Number(process.env.CRASH_SEED ?? 7) + (backend === 'postgres' ? 1000 : 0));
    const ledger: Ledger = { acked: [], singles: new Map(), transactions: [], latest: new Map() };
    const report: string[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      current = await startServer(env);
      if (cycle > 1) {
        const v = await verify(current, ledger);
        report.push(`restart ${cycle - 1}: ${v.checked} acknowledged versions verified, transactions ${v.txComplete} complete / ${v.txAbsent} absent`);
      }
      const killAfter = 40 + r.int(160);
      const { inFlight, acks } = await streamAndKill(current, ledger, cycle, killAfter, 60_000);
      report.push(`cycle ${cycle}: SIGKILL after ${acks} acks (target ${killAfter}) with ${inFlight} requests in flight`);
      expect(inFlight, 'the kill must land while requests are in flight').toBeGreaterThan(0);
      expect(acks).toBeGreaterThanOrEqual(Math.min(killAfter, 10));
      current = undefined;
    }
    current = await startServer(env);
    const v = await verify(current, ledger);
    report.push(`final: ${v.checked} acknowledged versions verified, transactions ${v.txComplete} complete / ${v.txAbsent} absent (${ledger.transactions.length} sent)`);
    // Some transactions were cut off by a kill; the check above proves they left nothing behind.
    expect(v.txComplete).toBeGreaterThan(0);
    // And the restarted server still takes writes.
    const res = await fetch(`${current.base}/Patient`, { method: 'POST', headers: FHIR, body: json(patient(SINGLE, 'after', 0)) });
    expect(res.status).toBe(201);
    console.log(`[crash ${backend}]\n  ${report.join('\n  ')}`);
    await sigkill(current);
    current = undefined;
  }, 900_000);
});
