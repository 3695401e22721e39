// Throughput sanity check for layer 1 of validation, against plain @medplum/core in the same run
// (the machines are noisy: compare the ratios, not the absolute numbers).
//   node bench/validate-lib.ts [--n 2000] [--rounds 5] [--profile-n 300]
// base:    new Validator().validate(enc)   vs  validateResource(enc)                 target: <= ~30% slower
// profile: validate(enc, {profiles:[url]}) vs  validateResource(enc, { profile: sd })  target: >= 10x faster
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import { indexR4Definitions } from '../src/gateway/r4-definitions.ts';
import { Validator } from '../src/profiles/validation/index.ts';
import { ENCOUNTER_PROFILE, encounterProfile, kommunTerminology } from '../test/validation/profile-fixtures.ts';

const FIXTURES = '/work/shared/peer/fixtures.mjs';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = arg('n', 2000);
const ROUNDS = arg('rounds', 5);
const PROFILE_N = arg('profile-n', 300);

const { makeEncounter } = (await import(FIXTURES)) as { makeEncounter: (i: number) => Resource };
const t0 = performance.now();
indexR4Definitions();
const loadMs = performance.now() - t0;
const resources = Array.from({ length: N }, (_, i) => makeEncounter(i));
const ctx = { now: new Date() };
const validator = new Validator();
validator.registerTerminology(kommunTerminology);
const profile: StructureDefinition = encounterProfile();
validator.registerProfile(profile);

function medplum(r: Resource, options?: { profile: StructureDefinition }): number {
  try {
    return validateResource(r, options).length;
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.outcome.issue?.length ?? 1;
    throw err;
  }
}

/** Median resources/second over `rounds` passes of `count` calls, after one warm-up pass. */
function measure(fn: (r: Resource) => number, count: number, rounds: number): { rps: number; issues: number } {
  let issues = 0;
  const pass = (): number => {
    const start = performance.now();
    for (let i = 0; i < count; i++) issues += fn(resources[i % N] as Resource);
    return (count * 1000) / (performance.now() - start);
  };
  pass();
  issues = 0;
  const rates = Array.from({ length: rounds }, pass).sort((a, b) => a - b);
  return { rps: rates[rates.length >> 1] as number, issues };
}

// Interleave the contenders so that background load hits both alike.
const base = { medplum: measure((r) => medplum(r), N, ROUNDS), ours: measure((r) => validator.validate(r, ctx).length, N, ROUNDS) };
const prof = {
  medplum: measure((r) => medplum(r, { profile }), PROFILE_N, 3),
  ours: measure((r) => validator.validate(r, ctx, { profiles: [ENCOUNTER_PROFILE] }).length, N, ROUNDS),
};

const line = (name: string, m: { rps: number; issues: number }) =>
  `  ${name.padEnd(44)} ${Math.round(m.rps).toString().padStart(7)} resources/s  (${(1e6 / m.rps).toFixed(0)} us each, ${m.issues} issues)`;
console.log(`node ${process.version}; ${N} peer Encounters; R4 definitions loaded and indexed in ${loadMs.toFixed(0)} ms`);
console.log('base validation');
console.log(line('@medplum/core validateResource', base.medplum));
console.log(line('Validator.validate (layer 1, all gaps closed)', base.ours));
console.log(`  ours / medplum: ${(base.ours.rps / base.medplum.rps).toFixed(2)}  (target >= 0.77, i.e. at most ~30% slower)`);
console.log('profile validation (test-encounter profile: slices, extension, binding)');
console.log(line('@medplum/core validateResource(r, {profile})', prof.medplum));
console.log(line('Validator.validate(r, {profiles: [url]})', prof.ours));
console.log(`  ours / medplum: ${(prof.ours.rps / prof.medplum.rps).toFixed(1)}x  (target >= 10x)`);
