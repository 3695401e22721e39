// Profile validation, ours vs @medplum/core, for every project profile that has valid examples (issue #3:
// "validation against a profile runs at least 10× the throughput of @medplum/core's validateResource with that
// profile"). Run by bench/run.ts in its own process; alone it prints the same table.
//
//   node bench/validate-profiles.ts [--n 50] [--rounds 5] [--warmup 20] [--json out.json]
//
// Both sides are set up the way test/profiles/definitions/versus-medplum.test.ts sets them up:
//   ours:    createValidator() (src/gateway/validation.ts: R4 indexed, the project's terminology and profiles),
//            validate(resource, { now }, { profiles: [url] })
//   medplum: indexR4Definitions(), loadDataType(sd) for every project StructureDefinition (profiles and
//            extensions), then validateResource(resource, { profile: sd })
// A pass is --n calls on one profile, cycling through its valid examples (test/profiles/definitions/examples.ts).
// Each round runs one pass per profile per side, interleaved (ours then medplum on one profile, the next profile
// medplum first, and so on), so background load hits both alike; a profile's figure is the median over rounds.
// Prints a `RESULT {json}` line; --json writes the same object (a ProfileValidationBench) to a file.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { median } from './lib/http-load.ts';
import type { ProfileValidationBench, ProfileValidationSide } from './lib/report.ts';
import { indexR4Definitions } from '../src/gateway/r4-definitions.ts';
import { createValidator } from '../src/gateway/validation.ts';
import { structureDefinitions } from '../src/profiles/definitions/index.ts';
import { EXAMPLES } from '../test/profiles/definitions/examples.ts';

const { values: o } = parseArgs({
  options: {
    n: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
const N = Math.max(1, Number(o.n));
const ROUNDS = Math.max(1, Number(o.rounds));
const WARMUP = Math.max(0, Number(o.warmup));
// The examples' times are in March 2025; the same clock as the versus-medplum test.
const NOW = '2025-03-10T12:00:00Z';
const ctx = { now: new Date(NOW) };

const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';

function medplum(resource: Resource, profile: StructureDefinition): OperationOutcomeIssue[] {
  try {
    return validateResource(resource, { profile });
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue ?? [];
    throw err;
  }
}

const t0 = performance.now();
indexR4Definitions();
const validator = createValidator();
const byUrl = new Map<string, StructureDefinition>();
for (const sd of structureDefinitions()) {
  loadDataType(sd); // the test passes sd.url too; @medplum/core 5.2.13 takes (and uses) only sd
  byUrl.set(sd.url!, sd);
}
const loadMs = performance.now() - t0;

type Validate = (r: Resource) => OperationOutcomeIssue[];
interface Case {
  profile: string;
  examples: Resource[];
  sides: { ours: Validate; medplum: Validate };
  rates: { ours: number[]; medplum: number[] };
  /** Examples (valid ones, so it should be none) each side reported an error on, and the first such issue. */
  invalid: { ours: Set<number>; medplum: Set<number> };
  firstError: { ours?: string; medplum?: string };
}
type Side = keyof Case['sides'];

// Per profile: some profiles have more than one group of examples (a later aspect of it, tested apart).
const validByProfile = new Map<string, Resource[]>();
for (const g of EXAMPLES) validByProfile.set(g.profile, [...(validByProfile.get(g.profile) ?? []), ...g.valid.map((e) => e.resource)]);
const skipped: ProfileValidationBench['skipped'] = [];
const cases: Case[] = [];
for (const [url, examples] of validByProfile) {
  const sd = byUrl.get(url);
  if (!examples.length) skipped.push({ profile: url, reason: 'no valid examples' });
  else if (!sd) skipped.push({ profile: url, reason: 'no StructureDefinition with this url in structureDefinitions()' });
  else {
    cases.push({
      profile: url,
      examples,
      sides: { ours: (r) => validator.validate(r, ctx, { profiles: [url] }), medplum: (r) => medplum(r, sd) },
      rates: { ours: [], medplum: [] },
      invalid: { ours: new Set(), medplum: new Set() },
      firstError: {},
    });
  }
}

/** `count` calls of one side on one profile, cycling its examples; resources per second. */
function pass(c: Case, side: Side, count: number): number {
  const fn = c.sides[side];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const k = i % c.examples.length;
    const errors = fn(c.examples[k]!).filter(isError);
    if (errors.length) {
      c.invalid[side].add(k);
      c.firstError[side] ??= JSON.stringify(errors[0]).slice(0, 300);
    }
  }
  return (count * 1000) / (performance.now() - start);
}

const order = (i: number): Side[] => (i % 2 ? ['medplum', 'ours'] : ['ours', 'medplum']);
const w0 = performance.now();
cases.forEach((c, i) => order(i).forEach((side) => pass(c, side, Math.max(1, Math.min(WARMUP, N)))));
const warmupMs = performance.now() - w0;
const m0 = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  cases.forEach((c, i) => order(i + round).forEach((side) => c.rates[side].push(pass(c, side, N))));
}
const measureMs = performance.now() - m0;

const sideOf = (c: Case, side: Side): ProfileValidationSide => ({
  rpsMedian: median(c.rates[side]),
  rounds: c.rates[side].map((x) => Math.round(x)),
  invalidExamples: c.invalid[side].size,
  ...(c.firstError[side] ? { firstError: c.firstError[side] } : {}),
});
const profiles = cases.map((c) => {
  const ours = sideOf(c, 'ours');
  const theirs = sideOf(c, 'medplum');
  return { profile: c.profile, examples: c.examples.length, ours, medplum: theirs, ratio: ours.rpsMedian / theirs.rpsMedian };
});
const slowest = profiles.reduce<(typeof profiles)[number] | undefined>((a, p) => (!a || p.ratio < a.ratio ? p : a), undefined);
const result: ProfileValidationBench = {
  node: process.version,
  n: N,
  rounds: ROUNDS,
  warmup: WARMUP,
  now: NOW,
  loadMs,
  warmupMs,
  measureMs,
  profiles,
  skipped,
  minRatio: slowest?.ratio ?? null,
  minProfile: slowest?.profile ?? null,
  geomeanRatio: profiles.length ? Math.exp(profiles.reduce((s, p) => s + Math.log(p.ratio), 0) / profiles.length) : null,
};

const short = (url: string) => url.split('/').pop() ?? url;
const w = Math.max(8, ...profiles.map((p) => short(p.profile).length));
const lines = [
  `profile validation, ours vs @medplum/core validateResource(r, { profile }): ${profiles.length} profiles, n=${N} per pass, ` +
    `${ROUNDS} rounds interleaved, medians; Node ${process.version}; set-up ${loadMs.toFixed(0)} ms, measured ${(measureMs / 1000).toFixed(1)} s`,
  `  ${'profile'.padEnd(w)} ${'ours r/s'.padStart(9)} ${'medplum r/s'.padStart(11)} ${'ratio'.padStart(7)}`,
  ...profiles.map(
    (p) =>
      `  ${short(p.profile).padEnd(w)} ${Math.round(p.ours.rpsMedian).toString().padStart(9)} ${Math.round(p.medplum.rpsMedian).toString().padStart(11)} ` +
      `${p.ratio.toFixed(1).padStart(6)}×${p.ours.invalidExamples ? `  ours reported errors on ${p.ours.invalidExamples} valid example(s): ${p.ours.firstError}` : ''}` +
      `${p.medplum.invalidExamples ? `  medplum reported errors on ${p.medplum.invalidExamples} valid example(s)` : ''}`,
  ),
  `  minimum ${result.minRatio?.toFixed(1) ?? '–'}× (${result.minProfile ? short(result.minProfile) : '–'}), geometric mean ${result.geomeanRatio?.toFixed(1) ?? '–'}×  (goal ≥ 10×)`,
  ...skipped.map((s) => `  skipped ${short(s.profile)}: ${s.reason}`),
];
console.log(lines.join('\n'));
console.log('RESULT ' + JSON.stringify(result));
if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
