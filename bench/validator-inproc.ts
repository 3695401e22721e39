// Our library validator in process, measured the way the peer's validate-bench.mjs measures
// @medplum/core validateResource: N deterministic Encounters (the peer's fixtures), a warm-up, then ROUNDS timed
// passes over all N, resources/second per pass and the median. Run by bench/run.ts in its own process.
//
//   node bench/validator-inproc.ts --fixtures .bench/peer/fixtures.mjs [--n 20000] [--rounds 5] [--warmup 2000]
//                                  [--profile-n 1000] [--profile-rounds 3] [--modes base,profile] [--json out.json]
//
// Writes {ok, skipped?, error?, api, modes: {base: {count, rpsMedian, usPerOpMedian, rounds, errors, firstCallMs}}}.
// "profile" mode validates against the peer's custom Encounter profile (subject 1..1, an identifier slice with a
// fixed system) when our validator takes a profile; otherwise it is left out with a note.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: o } = parseArgs({
  options: {
    fixtures: { type: 'string', default: path.join(ROOT, '.bench', 'peer', 'fixtures.mjs') },
    n: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2000' },
    'profile-n': { type: 'string', default: '1000' },
    'profile-rounds': { type: 'string', default: '3' },
    modes: { type: 'string', default: 'base,profile' },
    json: { type: 'string' },
  },
});
const N = Number(o.n);
const ROUNDS = Number(o.rounds);
const WARMUP = Number(o.warmup);
const PROFILE_N = Number(o['profile-n']);
const PROFILE_ROUNDS = Number(o['profile-rounds']);
const MODES = String(o.modes).split(',').filter(Boolean);

interface Mode {
  count: number;
  rpsMedian: number;
  usPerOpMedian: number;
  rounds: number[];
  errors: number;
  firstCallMs: number;
  firstError?: string;
}
interface Out {
  ok: boolean;
  skipped?: string;
  error?: string;
  api?: string;
  notes: string[];
  loadMs?: number;
  modes: Record<string, Mode>;
}
const out: Out = { ok: false, notes: [], modes: {} };
const finish = (): void => {
  console.log('RESULT ' + JSON.stringify(out));
  if (o.json) writeFileSync(o.json, JSON.stringify(out, null, 2));
};

type Validate = (resource: Record<string, unknown>) => unknown;
type AnyModule = Record<string, unknown>;

/** Number of error/fatal issues in whatever the validator returns (issues, an OperationOutcome, a result object). */
function errorCount(result: unknown): number {
  if (result === undefined || result === null || result === true) return 0;
  if (result === false) return 1;
  if (Array.isArray(result)) return result.filter((i) => isError(i)).length;
  if (typeof result === 'object') {
    const r = result as { issue?: unknown[]; issues?: unknown[]; valid?: boolean; ok?: boolean; outcome?: unknown };
    if (Array.isArray(r.issue)) return r.issue.filter((i) => isError(i)).length;
    if (Array.isArray(r.issues)) return r.issues.filter((i) => isError(i)).length;
    if (r.outcome) return errorCount(r.outcome);
    if (r.valid === false || r.ok === false) return 1;
  }
  return 0;
}
function isError(issue: unknown): boolean {
  const s = (issue as { severity?: string } | null)?.severity;
  return s === 'error' || s === 'fatal';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const validationPath = path.join(ROOT, 'src', 'profiles', 'validation', 'index.ts');
  if (!existsSync(validationPath)) {
    out.skipped = 'src/profiles/validation/index.ts does not exist yet';
    return;
  }
  const fixtures = (await import(path.resolve(String(o.fixtures)))) as {
    makeEncounter: (i: number) => Record<string, unknown>;
  };
  const t0 = performance.now();
  const validation = (await import(validationPath)) as AnyModule;
  const defsPath = path.join(ROOT, 'src', 'gateway', 'r4-definitions.ts');
  const defs = existsSync(defsPath) ? ((await import(defsPath)) as AnyModule) : {};
  const index = (defs.indexR4Definitions ?? validation.indexR4Definitions) as (() => unknown) | undefined;
  if (typeof index === 'function') await index();
  else out.notes.push('no indexR4Definitions export found; validator used as constructed');
  const Validator = validation.Validator as (new (...a: unknown[]) => AnyModule) | undefined;
  if (typeof Validator !== 'function') {
    out.error = `src/profiles/validation/index.ts exports no Validator class (exports: ${Object.keys(validation).join(', ')})`;
    return;
  }
  const v = new Validator();
  if (typeof v.validate !== 'function') {
    out.error = 'Validator has no validate method';
    return;
  }
  // validate(resource, ctx: { now }, options?: { profiles: string[] }) -> OperationOutcomeIssue[]
  const validate = (v.validate as (r: unknown, ctx: unknown, opts?: unknown) => unknown).bind(v);
  const ctx = { now: new Date() };
  out.api = 'new Validator().validate(resource, { now })';
  out.loadMs = performance.now() - t0;

  const resources = Array.from({ length: N }, (_, i) => fixtures.makeEncounter(i));
  const fns: Record<string, Validate | undefined> = { base: (r) => validate(r, ctx) };
  if (MODES.includes('profile')) {
    const common = (await import(path.join(path.dirname(path.resolve(String(o.fixtures))), 'common.mjs'))) as {
      buildPeerEncounterProfile: () => Record<string, unknown>;
      PROFILE_URL: string;
    };
    if (typeof v.registerProfile === 'function') {
      (v.registerProfile as (sd: unknown) => void).call(v, common.buildPeerEncounterProfile());
      fns.profile = (r) => validate(r, ctx, { profiles: [common.PROFILE_URL] });
      out.notes.push("profile mode: registerProfile(the peer's Encounter profile), then validate(resource, ctx, { profiles: [url] })");
    } else {
      out.notes.push('profile mode skipped: the Validator has no registerProfile method');
    }
  }

  const isAsync = validate(resources[0], ctx) instanceof Promise;
  for (const mode of MODES) {
    const fn = fns[mode];
    if (!fn) continue;
    const count = mode === 'base' ? N : Math.min(N, PROFILE_N);
    const nRounds = mode === 'base' ? ROUNDS : PROFILE_ROUNDS;
    let firstError: string | undefined;
    const pass = async (c: number) => {
      let errors = 0;
      const ts = performance.now();
      for (let i = 0; i < c; i++) {
        const r = resources[i % N] as Record<string, unknown>;
        try {
          const res = isAsync ? await fn(r) : fn(r);
          if (errorCount(res) > 0) {
            errors++;
            firstError ??= JSON.stringify(res).slice(0, 500);
          }
        } catch (e) {
          errors++;
          firstError ??= String((e as Error).message ?? e).slice(0, 500);
        }
      }
      const ms = performance.now() - ts;
      return { rps: (c * 1000) / ms, errors };
    };
    const f0 = performance.now();
    await pass(1);
    const firstCallMs = performance.now() - f0;
    await pass(Math.min(WARMUP, mode === 'base' ? count : 200));
    firstError = undefined;
    const rounds: { rps: number; errors: number }[] = [];
    for (let k = 0; k < nRounds; k++) rounds.push(await pass(count));
    const rpsMedian = median(rounds.map((x) => x.rps));
    out.modes[mode] = {
      count,
      rpsMedian,
      usPerOpMedian: 1e6 / rpsMedian,
      rounds: rounds.map((x) => Math.round(x.rps)),
      errors: rounds.reduce((s, x) => s + x.errors, 0),
      firstCallMs,
      ...(firstError ? { firstError } : {}),
    };
    console.log(
      `ours ${mode.padEnd(9)} ${Math.round(rpsMedian).toString().padStart(7)} ops/s median  (${(1e6 / rpsMedian).toFixed(1)} us/op; ` +
        `rounds: ${rounds.map((x) => Math.round(x.rps)).join(', ')}; count=${count}; errors=${out.modes[mode].errors})`,
    );
    if (firstError) console.log(`    first error: ${firstError}`);
  }
  out.ok = true;
}

try {
  await main();
} catch (err) {
  out.ok = false;
  out.error = String((err as Error).stack ?? err).slice(0, 1500);
}
finish();
