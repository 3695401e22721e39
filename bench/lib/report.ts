// Turns the benchmark's JSON result into the markdown report: one table per phase (peer vs ours on PGlite
// vs ours on PostgreSQL, with the ratio ours/peer), the issue's targets marked met / not met, $validate and the
// ingest end to end.

import type { PhaseCore } from './http-load.ts';
import type { IngestSummary } from './ingest-load.ts';

export type TargetId = 'peer' | 'pglite' | 'postgres';

export interface PhaseStats extends PhaseCore {
  entriesPerSecond?: number;
  /** req/s of each repetition when --repeat > 1 (the figures above are medians). */
  perRun?: number[];
  /** Fixtures in this phase that violate R4 (per-1: period ends before it starts); see bench/run.ts. */
  expectedInvalid?: number;
  /** Failures explained by those fixtures: 400/422 on create and transaction, no match on identifier search. */
  refusedInvalid?: number;
  /** errors − refusedInvalid: what counts against the goals. */
  unexpectedErrors?: number;
}

export interface TargetSummary {
  id: TargetId;
  label: string;
  ok: boolean;
  error?: string;
  phases: PhaseStats[];
  validateHttp?: PhaseStats & { bodyForm?: string; invalid?: number; expectedInvalid?: number };
  durability?: { acknowledged: number; found: number | null; ok: boolean | null; note: string };
  ingest?: IngestSummary;
  server?: { errorLogLines: number; errorSamples: string[]; exits: string[]; readyMs: number[] };
}

export interface ValidatorMode {
  count: number;
  rpsMedian: number;
  usPerOpMedian: number;
  rounds: number[];
  errors: number;
  firstCallMs?: number;
}

export interface Result {
  date: string;
  node: string;
  machine: { cpus: number; cpuModel: string; totalMemGiB: number; platform: string; loadavgStart: number[]; loadavgEnd: number[] };
  git: { commit: string; dirty: boolean };
  params: Record<string, unknown>;
  targets: TargetSummary[];
  validator: {
    peer?: { ok: boolean; error?: string; modes: Record<string, ValidatorMode> };
    ours?: { ok: boolean; skipped?: string; error?: string; modes: Record<string, ValidatorMode>; api?: string };
  };
  goals: Goal[];
  /** The settlement engine over a synthetic national year (bench/settle.ts), issue #5. */
  settlement?: SettlementBench | { error: string };
  /** Every project profile with valid examples, ours vs @medplum/core with that profile (bench/validate-profiles.ts), issue #3. */
  validateProfiles?: ProfileValidationBench | { error: string };
  wallS: number;
}

export interface ProfileValidationSide {
  /** Resources per second, the median over the rounds. */
  rpsMedian: number;
  rounds: number[];
  /** How many of the profile's valid examples this side reported an error on (should be none). */
  invalidExamples: number;
  firstError?: string;
}

export interface ProfileValidationBench {
  node: string;
  /** Calls per pass (one profile, one side), cycling through the profile's valid examples. */
  n: number;
  rounds: number;
  warmup: number;
  /** The validation clock (the examples' times are in March 2025). */
  now: string;
  loadMs: number;
  warmupMs: number;
  measureMs: number;
  profiles: { profile: string; examples: number; ours: ProfileValidationSide; medplum: ProfileValidationSide; ratio: number }[];
  skipped: { profile: string; reason: string }[];
  /** The lowest ours ÷ medplum over the profiles, and which profile that is. */
  minRatio: number | null;
  minProfile: string | null;
  geomeanRatio: number | null;
}

/** Issue #3: profile validation at ≥ 10× the throughput of @medplum/core's validateResource with that profile. */
export const PROFILE_VALIDATION_FACTOR = 10;

export interface SettlementBench {
  stays: number;
  kommuner: number;
  year: number;
  indexMs: number;
  settleMs: number;
  /** Index + settle: the settlement's wall time (the input's generation is not part of it). */
  wallMs: number;
  cpuMs: number;
  /** Peak RSS of the process, the generated input included. */
  maxRssBytes: number;
  kommunMonths: number;
  settled: number;
  billableDays: number;
  amountSek: number;
}

/** Issue #5: a national year (300 000 stays) settled in under 2 s and 500 MB. */
export const SETTLEMENT_GOALS = { stays: 300_000, wallMs: 2000, rssMb: 500 } as const;

export interface Goal {
  goal: string;
  phase: string;
  /** The factor over the peer, or for an absolute goal its threshold (in `unit`). */
  factor: number;
  target: TargetId;
  /** ours ÷ peer; null for an absolute goal and when not measured. */
  ratio: number | null;
  /** An absolute goal's measured figure, in `unit`. */
  value?: number | null;
  unit?: string;
  met: boolean | null;
  note?: string;
}

/** The ingest's absolute goals (issue #4): throughput at concurrency, and p99 at a fixed offered rate. */
export const INGEST_GOALS = { messagesPerSecond: 2000, rate: 200, p99Ms: 25 } as const;

const GOALS: { goal: string; phases: string[]; factor: number; durable?: boolean }[] = [
  { goal: 'create ≥ 1× peer, persisting durably', phases: ['create'], factor: 1, durable: true },
  { goal: 'search ≥ 50× peer', phases: ['search subject', 'search status', 'search identifier'], factor: 50 },
  { goal: 'transaction ≥ 2× peer', phases: ['tx'], factor: 2 },
];

const phaseKey = (name: string) => (name.startsWith('tx') ? 'tx' : name);

export function findPhase(t: TargetSummary | undefined, phase: string): PhaseStats | undefined {
  return t?.phases.find((p) => phaseKey(p.phase) === phase);
}

export function computeGoals(targets: TargetSummary[]): Goal[] {
  const peer = targets.find((t) => t.id === 'peer');
  const out: Goal[] = [];
  for (const g of GOALS) {
    for (const phase of g.phases) {
      for (const t of targets) {
        if (t.id === 'peer') continue;
        const ours = findPhase(t, phase);
        const theirs = findPhase(peer, phase);
        if (!ours || !theirs) {
          out.push({ goal: g.goal, phase, factor: g.factor, target: t.id, ratio: null, met: null, note: 'not measured' });
          continue;
        }
        const ratio = ours.rps / theirs.rps;
        const notes: string[] = [];
        let met = ratio >= g.factor;
        const errors = ours.unexpectedErrors ?? ours.errors;
        if (errors > 0) {
          met = false;
          notes.push(`${errors} errors`);
        }
        if (theirs.truncated) notes.push(`the peer's phase hit the time cap after ${theirs.requests} requests`);
        if (ours.refusedInvalid) notes.push(`${ours.refusedInvalid} refused as invalid R4 (per-1), as they should be`);
        if (ours.truncated) {
          met = false;
          notes.push('truncated by time cap');
        }
        if (g.durable) {
          if (t.durability?.ok === false) {
            met = false;
            notes.push(`durability check failed: ${t.durability.note}`);
          } else if (t.durability?.ok === true) notes.push('durable: every acknowledged write found after SIGKILL + restart');
          else notes.push('durability not checked');
        }
        out.push({ goal: g.goal, phase, factor: g.factor, target: t.id, ratio, met, ...(notes.length ? { note: notes.join('; ') } : {}) });
      }
    }
  }
  for (const t of targets) if (t.id !== 'peer') out.push(...ingestGoals(t));
  return out;
}

function ingestGoals(t: TargetSummary): Goal[] {
  const G = INGEST_GOALS;
  const thr = t.ingest?.throughput;
  const at = t.ingest?.atRate;
  const out: Goal[] = [];
  const base = { target: t.id, ratio: null };
  {
    const goal = `ingest ≥ ${fmtNum(G.messagesPerSecond, 0)} messages/s end to end`;
    if (!thr) out.push({ ...base, goal, phase: 'ingest', factor: G.messagesPerSecond, unit: 'msg/s', value: null, met: null, note: t.ingest?.error ?? 'not measured' });
    else {
      const notes: string[] = [`${thr.requests} messages at c=${thr.concurrency}`];
      let met = thr.rps >= G.messagesPerSecond;
      if (thr.errors) {
        met = false;
        notes.push(`${thr.errors} not accepted`);
      }
      if (thr.truncated) {
        met = false;
        notes.push('truncated by time cap');
      }
      out.push({ ...base, goal, phase: thr.phase, factor: G.messagesPerSecond, unit: 'msg/s', value: thr.rps, met, note: notes.join('; ') });
    }
  }
  {
    const goal = `ingest p99 < ${G.p99Ms} ms at ${G.rate} messages/s`;
    if (!at) out.push({ ...base, goal, phase: `ingest at ${G.rate} msg/s`, factor: G.p99Ms, unit: 'ms p99', value: null, met: null, note: t.ingest?.error ?? 'not measured' });
    else {
      const notes: string[] = [`${at.sent} messages in ${at.durationS} s, achieved ${fmtNum(at.achievedRate)} msg/s`];
      let met: boolean | null = at.p99 < G.p99Ms;
      if (at.offeredRate !== G.rate) {
        met = null;
        notes.push(`measured at ${at.offeredRate} msg/s, not ${G.rate}`);
      }
      if (at.errors) {
        met = met === null ? null : false;
        notes.push(`${at.errors} not accepted`);
      }
      if (at.achievedRate < 0.95 * at.offeredRate) {
        met = met === null ? null : false;
        notes.push('did not keep up with the offered rate');
      }
      if (at.truncated) {
        met = met === null ? null : false;
        notes.push('cut short');
      }
      out.push({ ...base, goal, phase: `ingest at ${at.offeredRate} msg/s`, factor: G.p99Ms, unit: 'ms p99', value: at.p99, met, note: notes.join('; ') });
    }
  }
  return out;
}

export function fmtNum(x: number | null | undefined, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }).replace(/,/g, ' ');
}

const fmtRatio = (r: number | null | undefined) => (r === null || r === undefined || !Number.isFinite(r) ? '–' : `${fmtNum(r, r >= 100 ? 0 : r >= 10 ? 1 : 2)}×`);
const mark = (m: boolean | null) => (m === null ? 'n/a' : m ? '**met**' : '**not met**');

export function renderMarkdown(r: Result): string {
  const L: string[] = [];
  const p = r.params;
  L.push(`# Benchmark: samverkan-gateway vs the Medplum peer (${r.date.slice(0, 10)})`);
  L.push('');
  L.push(
    `${r.node} · ${r.machine.cpus} CPU (${r.machine.cpuModel}) · load average at start ${r.machine.loadavgStart.map((x) => x.toFixed(2)).join(' ')}, ` +
      `at end ${r.machine.loadavgEnd.map((x) => x.toFixed(2)).join(' ')} · commit ${r.git.commit.slice(0, 10)}${r.git.dirty ? ' (dirty tree)' : ''} · ` +
      `run took ${fmtNum(r.wallS, 0)} s`,
  );
  L.push('');
  L.push(
    `Load (the peer's \`load.mjs\`, same parameters for every target): n=${p.n} creates and reads, c=${p.c}, ` +
      `${p.searches} requests per search query, ${p.tx} transactions × ${p.txSize} entries, ` +
      `${p.identifierSearches} identifier searches at c=1, phases ${String(p.phases)}` +
      `${Number(p.repeat) > 1 ? `; ${p.repeat} repetitions per target, interleaved, medians shown` : '; one run per target'}` +
      `${p.quick ? ' · **--quick smoke run: too small to quote**' : ''}.`,
  );
  L.push('');
  L.push('Targets, run one after the other on the same machine:');
  L.push('');
  for (const t of r.targets) L.push(`* **${t.label}**${t.ok ? '' : ` (FAILED: ${t.error ?? 'see JSON'})`}`);
  L.push('');
  L.push('The machine is shared and noisy: read the ratios, not the absolute figures.');
  if (Math.max(...r.machine.loadavgStart.slice(0, 1), ...r.machine.loadavgEnd.slice(0, 1)) > r.machine.cpus) {
    L.push('');
    L.push(
      `**Warning:** the load average (${r.machine.loadavgStart[0]?.toFixed(1)} at the start, ${r.machine.loadavgEnd[0]?.toFixed(1)} at the end) was above the ${r.machine.cpus} CPUs: ` +
        'other work was running, so even the ratios carry a lot of noise (targets run minutes apart). Rerun on a quiet machine, or with `--repeat 3`, before quoting.',
    );
  }
  L.push('');

  L.push('## Targets from the issue');
  L.push('');
  L.push('| goal | phase | ours on | ours/peer (or measured) | result | note |');
  L.push('|---|---|---|---:|---|---|');
  for (const g of r.goals) {
    const figure = g.unit ? (g.value === null || g.value === undefined ? '–' : `${fmtNum(g.value, g.unit === 'msg/s' ? 0 : 2)} ${g.unit}`) : fmtRatio(g.ratio);
    L.push(`| ${g.goal} | ${g.phase} | ${labelShort(g.target)} | ${figure} | ${mark(g.met)} | ${g.note ?? ''} |`);
  }
  for (const g of profileValidationGoals(r)) L.push(`| ${g.goal} | ${g.phase} | validator, in process | ${fmtRatio(g.ratio)} | ${mark(g.met)} | ${g.note} |`);
  const s = r.settlement;
  if (s && !('error' in s)) {
    const G = SETTLEMENT_GOALS;
    const full = s.stays >= G.stays;
    const note = full ? `${fmtNum(s.stays, 0)} stays, 6 agreements × 12 months` : `only ${fmtNum(s.stays, 0)} stays`;
    L.push(`| settle a national year < ${fmtNum(G.wallMs, 0)} ms | settlement | engine, in process | ${fmtNum(s.wallMs, 0)} ms | ${full ? mark(s.wallMs < G.wallMs) : 'n/a'} | ${note} |`);
    L.push(`| … in < ${G.rssMb} MB | settlement | engine, in process | ${fmtNum(s.maxRssBytes / 1024 / 1024, 0)} MB peak RSS | ${full ? mark(s.maxRssBytes / 1024 / 1024 < G.rssMb) : 'n/a'} | ${note} |`);
  }
  L.push('');

  const peer = r.targets.find((t) => t.id === 'peer');
  const phases: string[] = [];
  for (const t of r.targets) for (const ph of t.phases) if (!phases.includes(phaseKey(ph.phase))) phases.push(phaseKey(ph.phase));
  let footnote = false;
  for (const ph of phases) {
    const sample = r.targets.map((t) => findPhase(t, ph)).find(Boolean);
    const title = ph === 'tx' ? `transaction (${String(p.txSize)} entries per Bundle)` : ph;
    L.push(`## ${title} (concurrency ${sample?.concurrency ?? '?'})`);
    L.push('');
    const isTx = ph === 'tx';
    L.push(`| target | req/s |${isTx ? ' entries/s |' : ''} p50 ms | p99 ms | errors | ours/peer (req/s) |`);
    L.push(`|---|---:|${isTx ? '---:|' : ''}---:|---:|---:|---:|`);
    const base = findPhase(peer, ph);
    for (const t of r.targets) {
      const s = findPhase(t, ph);
      if (!s) {
        L.push(`| ${labelShort(t.id)} | – |${isTx ? ' – |' : ''} – | – | – | – |`);
        continue;
      }
      const ratio = t.id === 'peer' ? null : base ? s.rps / base.rps : null;
      const unexpected = s.unexpectedErrors ?? s.errors;
      const errs =
        (unexpected ? `${unexpected} (${statusList(s.statuses)})` : '0') + (s.refusedInvalid ? ` + ${s.refusedInvalid} refused as invalid¹` : '');
      if (s.refusedInvalid) footnote = true;
      L.push(
        `| ${labelShort(t.id)} | ${fmtNum(s.rps)}${s.perRun && s.perRun.length > 1 ? ` (${s.perRun.map((x) => fmtNum(x)).join(', ')})` : ''} |` +
          `${isTx ? ` ${fmtNum(s.entriesPerSecond)} |` : ''} ${fmtNum(s.p50, 2)} | ${fmtNum(s.p99, 2)} | ${errs}${s.truncated ? ' (truncated)' : ''} | ${t.id === 'peer' ? '1×' : fmtRatio(ratio)} |`,
      );
    }
    L.push('');
  }

  if (footnote) {
    const inv = p.fixturesViolatingPer1 as { create: number; tx: number; idsearch: number } | null;
    L.push(
      `¹ The peer's fixtures are not all valid R4: ${inv ? `${inv.create} of the ${String(p.n)} created Encounters, and one entry in ${inv.tx} of the ${String(p.tx)} transactions,` : 'some Encounters'} ` +
        'have a period that ends before it starts (invariant per-1 on Period, in `Encounter.period` and `Encounter.location.period`). ' +
        "The peer stores them (@medplum/core does not evaluate invariants inside datatypes); ours refuses them, and a transaction holding one, as it should, and the identifier searches for those Encounters then find nothing" +
        `${inv ? ` (${inv.idsearch} of them)` : ''}. These are counted apart and not as errors.`,
    );
    L.push('');
  }
  L.push('## $validate');
  L.push('');
  L.push('| what | ops/s | p50 ms | p99 ms | failed requests | reported invalid (fixtures breaking per-1) | vs peer validateResource, base | vs peer, same mode |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  const pv = r.validator.peer;
  const peerRps = (mode: string) => pv?.modes[mode]?.rpsMedian ?? NaN;
  const perPass = (m: ValidatorMode) => `${fmtNum(m.errors / Math.max(1, m.rounds.length), 0)} of ${m.count} per pass`;
  if (pv) {
    if (!pv.ok) L.push(`| peer: @medplum/core validateResource | failed: ${pv.error ?? ''} | | | | | | |`);
    for (const [mode, m] of Object.entries(pv.modes)) {
      L.push(`| peer: @medplum/core validateResource, ${mode}, in process | ${fmtNum(m.rpsMedian)} | – | – | – | ${perPass(m)} | ${mode === 'base' ? '1×' : fmtRatio(m.rpsMedian / peerRps('base'))} | 1× |`);
    }
  }
  const ov = r.validator.ours;
  if (ov) {
    if (ov.skipped) L.push(`| ours: library validator, in process | skipped: ${ov.skipped} | | | | | | |`);
    else if (!ov.ok) L.push(`| ours: library validator, in process | failed: ${(ov.error ?? '').split('\n')[0]} | | | | | | |`);
    for (const [mode, m] of Object.entries(ov.modes)) {
      L.push(
        `| ours: \`${ov.api ?? 'Validator'}\`, ${mode}, in process | ${fmtNum(m.rpsMedian)} | – | – | – | ${perPass(m)} | ${fmtRatio(m.rpsMedian / peerRps('base'))} | ${fmtRatio(m.rpsMedian / peerRps(mode))} |`,
      );
    }
  }
  for (const t of r.targets) {
    const v = t.validateHttp;
    if (!v) continue;
    L.push(
      `| ${labelShort(t.id)}: POST /fhir/Encounter/$validate over HTTP, c=${v.concurrency}, ${v.requests} requests | ${fmtNum(v.rps)} | ${fmtNum(v.p50, 2)} | ${fmtNum(v.p99, 2)} | ` +
        `${v.errors ? `${v.errors} (${statusList(v.statuses)})` : '0'} | ${v.invalid ?? '–'} (${v.expectedInvalid ?? '?'}) | ${fmtRatio(v.rps / peerRps('base'))} | ${fmtRatio(v.rps / peerRps('base'))} |`,
    );
  }
  L.push('');
  if (pv?.modes.base || ov?.modes.base) {
    L.push(
      `"Reported invalid" is how many resources a validator rejected. Of the ${String(p.validatorN)} Encounters in a base pass, ` +
        `${String(p.validatorFixturesViolatingPer1)} break the R4 invariant per-1 (period ends before it starts); of the ${String(Math.min(Number(p.validatorN), Number(p.profileN)))} in a profile pass, ` +
        `${String(p.profileFixturesViolatingPer1)}. A validator that checks invariants inside datatypes rejects exactly those; @medplum/core accepts them.`,
    );
    L.push('');
  }
  L.push(
    "The peer has no HTTP `$validate` (FhirRouter does not route it), so its figure is the library call in process; ours over HTTP includes parsing, routing and the response. " +
      '"Same mode" compares like with like: base with base, the peer\'s Encounter profile with that profile (issue #3\'s 10× goal); `$validate` over HTTP validates without a profile.',
  );
  L.push('');
  renderProfileValidation(L, r);

  renderIngest(L, r);
  renderSettlement(L, r);

  const ours = r.targets.filter((t) => t.id !== 'peer');
  if (ours.length) {
    L.push('## Server health during the run');
    L.push('');
    L.push('| target | ready in ms | error log lines | acknowledged writes found after SIGKILL + restart | exits |');
    L.push('|---|---:|---:|---|---|');
    for (const t of r.targets) {
      const d = t.durability;
      L.push(
        `| ${labelShort(t.id)} | ${t.server?.readyMs.map((x) => fmtNum(x, 0)).join(', ') ?? '–'} | ${t.server?.errorLogLines ?? '–'} | ` +
          `${d ? `${d.found ?? '?'} / ${d.acknowledged} ${d.ok === null ? '' : d.ok ? '(ok)' : '(**MISSING**)'} ${d.note}` : t.id === 'peer' ? 'in memory, not durable' : '–'} | ${t.server?.exits.join('; ') ?? '–'} |`,
      );
    }
    L.push('');
    const ingestErrors = (t: TargetSummary) => (t.ingest?.throughput?.errors ?? 0) + (t.ingest?.atRate?.errors ?? 0) + (t.ingest?.error ? 1 : 0);
    const problems = r.targets.filter((t) => t.phases.some((ph) => (ph.unexpectedErrors ?? ph.errors) > 0) || (t.validateHttp?.errors ?? 0) > 0 || ingestErrors(t) > 0 || !t.ok);
    if (problems.length) {
      L.push('### Errors seen');
      L.push('');
      for (const t of problems) {
        if (!t.ok) L.push(`* ${labelShort(t.id)}: ${t.error ?? 'failed'}`);
        for (const ph of [...t.phases, ...(t.validateHttp ? [t.validateHttp] : [])]) {
          if ((ph.unexpectedErrors ?? ph.errors) > 0) L.push(`* ${labelShort(t.id)}, ${ph.phase}: ${ph.unexpectedErrors ?? ph.errors} errors, statuses ${statusList(ph.statuses)}; first: \`${(ph.firstError ?? '').replace(/`/g, "'").slice(0, 300)}\``);
        }
        const ing = t.ingest;
        if (ing?.error) L.push(`* ${labelShort(t.id)}, ingest: ${ing.error}`);
        for (const [what, x] of [['ingest throughput', ing?.throughput], [`ingest at ${String(ing?.atRate?.offeredRate)} msg/s`, ing?.atRate]] as const) {
          if (x && x.errors > 0) L.push(`* ${labelShort(t.id)}, ${what}: ${x.errors} not accepted, statuses ${statusList(x.statuses)}; first: \`${oneLine(x.firstError ?? '').slice(0, 600)}\``);
        }
        for (const s of t.server?.errorSamples ?? []) L.push(`  * log: \`${s.replace(/`/g, "'").slice(0, 300)}\``);
      }
      L.push('');
    }
  }
  L.push(`Full data: \`${String(p.jsonName ?? 'latest.json')}\`. How to run and read this: \`docs/benchmarks.md\`.`);
  L.push('');
  return L.join('\n');
}

const shortUrl = (url: string) => url.split('/').pop() ?? url;

/**
 * Issue #3's profile goal, twice: on the peer's Encounter profile (ours "profile" mode against the peer's, each in
 * its own process over the same Encounters), and on the project's profiles (bench/validate-profiles.ts, the lowest
 * ratio). A side that refuses a valid example is measuring something else: ours doing so fails the goal.
 */
export function profileValidationGoals(r: Result): { goal: string; phase: string; ratio: number | null; met: boolean | null; note: string }[] {
  const goal = `profile validation ≥ ${PROFILE_VALIDATION_FACTOR}× @medplum/core with that profile`;
  const out: ReturnType<typeof profileValidationGoals> = [];
  const ours = r.validator.ours?.modes.profile;
  const theirs = r.validator.peer?.modes.profile;
  if (ours || theirs) {
    const ratio = ours && theirs ? ours.rpsMedian / theirs.rpsMedian : null;
    out.push({
      goal,
      phase: "the peer's Encounter profile",
      ratio,
      met: ratio === null ? null : ratio >= PROFILE_VALIDATION_FACTOR,
      note:
        ours && theirs
          ? `ours ${fmtNum(ours.rpsMedian)}/s, @medplum/core ${fmtNum(theirs.rpsMedian)}/s; ${ours.count} of the peer's Encounters × ${ours.rounds.length} rounds, each in its own process`
          : `not measured on ${ours ? 'the peer' : 'ours'}`,
    });
  }
  const v = r.validateProfiles;
  if (v && 'error' in v) out.push({ goal, phase: "the project's profiles", ratio: null, met: null, note: `not measured: ${oneLine(v.error).slice(0, 200)}` });
  else if (v) {
    const slow = v.profiles.find((p) => p.profile === v.minProfile);
    const refused = v.profiles.filter((p) => p.ours.invalidExamples > 0);
    const notes = [
      slow ? `slowest: ${shortUrl(slow.profile)} (ours ${fmtNum(slow.ours.rpsMedian)}/s, @medplum/core ${fmtNum(slow.medplum.rpsMedian)}/s)` : 'no profile measured',
      `geometric mean ${fmtRatio(v.geomeanRatio)}`,
    ];
    if (refused.length) notes.push(`ours reported errors on valid examples of ${refused.map((p) => shortUrl(p.profile)).join(', ')}`);
    out.push({
      goal,
      phase: `the project's profiles (${v.profiles.length}, the lowest)`,
      ratio: v.minRatio,
      met: v.minRatio === null ? null : v.minRatio >= PROFILE_VALIDATION_FACTOR && !refused.length,
      note: notes.join('; '),
    });
  }
  return out;
}

function renderProfileValidation(L: string[], r: Result): void {
  const v = r.validateProfiles;
  if (!v) return;
  L.push(`## Profile validation on the project's profiles (issue #3)`);
  L.push('');
  if ('error' in v) {
    L.push(`Not measured: ${oneLine(v.error)}`);
    L.push('');
    return;
  }
  L.push(
    "`bench/validate-profiles.ts`, in its own process: for each of the project's profiles with valid examples (`test/profiles/definitions/examples.ts`), " +
      `ours (\`createValidator().validate(r, { now }, { profiles: [url] })\`) and @medplum/core (\`validateResource(r, { profile: sd })\`, after \`loadDataType\` of every project StructureDefinition), ` +
      `${v.n} calls per pass cycling through the profile's valid examples, ${v.rounds} rounds, the two interleaved profile by profile; medians of the rounds. Clock ${v.now}.`,
  );
  L.push('');
  L.push(`| profile | valid examples | ours r/s | @medplum/core r/s | ours/@medplum | note |`);
  L.push('|---|---:|---:|---:|---:|---|');
  for (const p of v.profiles) {
    const notes = [
      p.ours.invalidExamples ? `ours reported errors on ${p.ours.invalidExamples}: \`${oneLine(p.ours.firstError ?? '').slice(0, 200)}\`` : '',
      p.medplum.invalidExamples ? `@medplum/core reported errors on ${p.medplum.invalidExamples}` : '',
    ].filter(Boolean);
    const ratio = p.profile === v.minProfile ? `**${fmtRatio(p.ratio)}**` : fmtRatio(p.ratio);
    L.push(`| ${shortUrl(p.profile)} | ${p.examples} | ${fmtNum(p.ours.rpsMedian)} | ${fmtNum(p.medplum.rpsMedian)} | ${ratio} | ${notes.join('; ')} |`);
  }
  L.push('');
  L.push(
    `Lowest ratio ${fmtRatio(v.minRatio)}${v.minProfile ? ` (${shortUrl(v.minProfile)})` : ''}, geometric mean ${fmtRatio(v.geomeanRatio)}; the goal is ≥ ${PROFILE_VALIDATION_FACTOR}× on every profile.` +
      (v.skipped.length ? ` Not measured: ${v.skipped.map((s) => `${shortUrl(s.profile)} (${s.reason})`).join(', ')}.` : ''),
  );
  L.push('');
}

function renderSettlement(L: string[], r: Result): void {
  const s = r.settlement;
  if (!s) return;
  L.push('## Settlement (issue #5)');
  L.push('');
  if ('error' in s) {
    L.push(`Not measured: ${s.error}`);
    L.push('');
    return;
  }
  const G = SETTLEMENT_GOALS;
  const rssMb = s.maxRssBytes / 1024 / 1024;
  const full = s.stays >= G.stays;
  const goal = (met: boolean) => (full ? mark(met) : `n/a (${fmtNum(s.stays, 0)} stays, not ${fmtNum(G.stays, 0)})`);
  L.push(
    `\`bench/settle.ts\`: ${fmtNum(s.stays, 0)} synthetic stays over ${s.kommuner} kommuner in ${s.year}, indexed once (every time parsed, ` +
      'readiness and days counted, the governing agreement decided), then settled for each of the six agreements and twelve months, in one process.',
  );
  L.push('');
  L.push('| measure | figure | goal | result |');
  L.push('|---|---:|---|---|');
  L.push(`| wall time (index ${fmtNum(s.indexMs, 0)} ms + settle ${fmtNum(s.settleMs, 0)} ms) | ${fmtNum(s.wallMs, 0)} ms | < ${fmtNum(G.wallMs, 0)} ms | ${goal(s.wallMs < G.wallMs)} |`);
  L.push(`| CPU time (all threads, GC included) | ${fmtNum(s.cpuMs, 0)} ms | | |`);
  L.push(`| peak RSS (the generated input included) | ${fmtNum(rssMb, 0)} MB | < ${G.rssMb} MB | ${goal(rssMb < G.rssMb)} |`);
  L.push('');
  L.push(`Settled ${fmtNum(s.settled, 0)} stays in ${fmtNum(s.kommunMonths, 0)} kommun-months: ${fmtNum(s.billableDays, 2)} billable days, ${fmtNum(s.amountSek, 2)} SEK at 9 300/day.`);
  L.push('');
}

function renderIngest(L: string[], r: Result): void {
  const ours = r.targets.filter((t) => t.id !== 'peer');
  const p = r.params.ingest as { n: number; c: number; rate: number; durationS: number; warmup: number; seed: string; month: string; afterRestart?: boolean } | null | undefined;
  if (!ours.length || !p) return;
  const G = INGEST_GOALS;
  L.push('## Ingest (end to end)');
  L.push('');
  L.push(
    `Synthetic episodes (\`src/mappings/synthetic\`, seed \`${p.seed}\`, month ${p.month}) as their own systems send them, each message POSTed raw to ` +
      '`/ingest/{source}` with its content type; a kommun unit\'s messages come from its record system (`kommun`) for the even kommun codes, ' +
      "through the region's coordination system otherwise. A 200 with `X-Ingest-Result: accepted` counts as success, anything else as an error. " +
      "Each request goes from the raw message to stored, validated FHIR (mapping, validation, the transaction, the ingest log) and back. " +
      "A stay's messages are sent in its sending order, each after the previous one's answer; stays are interleaved so that a stay's messages are at least 64 apart where the sending order allows " +
      '(a month sent in seconds would otherwise put them back to back and measure the waiting). ' +
      `Run after the other phases${p.afterRestart ? " (on the server restarted by the durability check, whose count must hold only the load's writes)" : ''}, ` +
      `following a warm-up of ${p.warmup} other messages that is not measured.`,
  );
  L.push('');
  const sources = (b: Record<string, number> | undefined) =>
    b ? Object.entries(b).map(([k, v]) => `${k} ${v}`).join(', ') : '–';
  L.push(`### Throughput: ${p.n} messages, closed loop at concurrency ${p.c}`);
  L.push('');
  L.push('| target | messages/s | p50 ms | p90 ms | p99 ms | max ms | errors | goal ≥ ' + `${fmtNum(G.messagesPerSecond, 0)}/s |`);
  L.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const t of ours) {
    const x = t.ingest?.throughput;
    const g = r.goals.find((g) => g.target === t.id && g.unit === 'msg/s');
    if (!x) {
      L.push(`| ${labelShort(t.id)} | – | – | – | – | – | ${t.ingest?.error ?? 'not measured'} | ${mark(g?.met ?? null)} |`);
      continue;
    }
    L.push(
      `| ${labelShort(t.id)} | ${fmtNum(x.rps)}${x.perRun && x.perRun.length > 1 ? ` (${x.perRun.map((v) => fmtNum(v)).join(', ')})` : ''} | ${fmtNum(x.p50, 2)} | ${fmtNum(x.p90, 2)} | ` +
        `${fmtNum(x.p99, 2)} | ${fmtNum(x.max, 1)} | ${x.errors ? `${x.errors} (${statusList(x.statuses)})` : '0'}${x.truncated ? ' (truncated)' : ''} | ${mark(g?.met ?? null)} |`,
    );
  }
  const thr = ours.map((t) => t.ingest?.throughput).find(Boolean);
  if (thr) {
    L.push(
      '',
      `Messages by source: ${sources(thr.bySource)} (${thr.episodes} episodes). Latency here is from sending to the answer; ` +
        `${thr.waitedForStay} message(s) first waited for their stay's previous answer (not counted in their latency).`,
    );
  }
  L.push('');
  L.push(`### Latency at a fixed offered rate: ${p.rate} messages/s for ${p.durationS} s, open loop`);
  L.push('');
  L.push(
    `Message i is sent at start + i/${p.rate} s whatever the answers so far, on as many connections as it takes. **Latency is measured from the ` +
      "scheduled send time**, so any queueing (in the server, or a client that fell behind) counts in it. " +
      'Fresh messages: later episodes than the throughput batch.',
  );
  L.push('');
  L.push(`| target | sent | achieved msg/s | p50 ms | p90 ms | p99 ms | max ms | errors | client lag max ms | goal p99 < ${G.p99Ms} ms |`);
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const t of ours) {
    const x = t.ingest?.atRate;
    const g = r.goals.find((g) => g.target === t.id && g.unit === 'ms p99');
    if (!x) {
      L.push(`| ${labelShort(t.id)} | – | – | – | – | – | – | ${t.ingest?.error ?? 'not measured'} | – | ${mark(g?.met ?? null)} |`);
      continue;
    }
    L.push(
      `| ${labelShort(t.id)} | ${x.sent} | ${fmtNum(x.achievedRate)} | ${fmtNum(x.p50, 2)} | ${fmtNum(x.p90, 2)} | ${fmtNum(x.p99, 2)} | ${fmtNum(x.max, 1)} | ` +
        `${x.errors ? `${x.errors} (${statusList(x.statuses)})` : '0'}${x.truncated ? ' (cut short)' : ''} | ${fmtNum(x.maxSendLagMs, 1)} | ${mark(g?.met ?? null)} |`,
    );
  }
  const at = ours.map((t) => t.ingest?.atRate).find(Boolean);
  if (at) L.push('', `Messages by source: ${sources(at.bySource)} (${at.episodes} episodes); ${at.waitedForStay} message(s) waited for their stay's previous answer (counted).`);
  L.push('');
  L.push('Goals (issue #4):');
  L.push('');
  for (const g of r.goals.filter((g) => g.unit)) {
    const figure = g.value === null || g.value === undefined ? 'not measured' : `${fmtNum(g.value, g.unit === 'msg/s' ? 0 : 2)} ${g.unit}`;
    L.push(`* ${g.goal}, ${labelShort(g.target)}: ${figure}: ${mark(g.met)}${g.note ? ` (${g.note})` : ''}`);
  }
  L.push('');
}

function oneLine(s: string): string {
  return s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ⏎ ');
}

function statusList(s: Record<string, number>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k === '0' ? 'no response' : k}: ${v}`)
    .join(', ');
}

export function labelShort(id: TargetId): string {
  return id === 'peer' ? 'peer (Medplum, in memory)' : id === 'pglite' ? 'ours, PGlite' : 'ours, PostgreSQL';
}
