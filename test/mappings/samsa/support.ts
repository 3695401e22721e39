// Shared by the SAMSA and kommun adapter tests: fixture episodes read in order, the transaction Bundle of
// each message (with every earlier händelse of the stay), the expected-Bundle files, and a validator
// with all the project's profiles. UPDATE_EXPECTED=1 rewrites the expected files (review the diff).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { expect } from 'vitest';
import type { MappingResult } from '../../../src/mappings/common/adapter.ts';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { buildTransaction } from '../../../src/mappings/common/transaktion.ts';
import { createValidator } from '../../../src/gateway/validation.ts';

export type Message = { file: string; raw: string; handelser: Handelse[] };
export type Episode = { name: string; messages: Message[] };

export function loadEpisodes(dir: string, map: (raw: string) => MappingResult): Episode[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({
      name,
      messages: readdirSync(join(dir, name))
        .sort()
        .map((file) => {
          const raw = readFileSync(join(dir, name, file), 'utf8');
          const r = map(raw);
          if (!r.ok) throw new Error(`${name}/${file}: ${JSON.stringify(r.issues)}`);
          return { file, raw, handelser: r.handelser };
        }),
    }));
}

/** Each message's transaction, the stay being every händelse of it and the messages before it. */
export function episodeBundles(e: Episode): { file: string; bundle: Bundle }[] {
  const stay: Handelse[] = [];
  return e.messages.map((m) => {
    stay.push(...m.handelser);
    return { file: m.file, bundle: buildTransaction(stay, m.handelser) };
  });
}

/** The committed expected Bundles of an episode; rewritten (and the test passing) when UPDATE_EXPECTED is set. */
export function expectBundles(expectedDir: string, e: Episode): void {
  const actual = episodeBundles(e);
  const file = join(expectedDir, `${e.name}.json`);
  if (process.env.UPDATE_EXPECTED) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  expect(existsSync(file), `${file} is missing; run with UPDATE_EXPECTED=1 and review it`).toBe(true);
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

export function readExpected(expectedDir: string, name: string): { file: string; bundle: Bundle }[] {
  return JSON.parse(readFileSync(join(expectedDir, `${name}.json`), 'utf8'));
}

let validator: ReturnType<typeof createValidator> | undefined;

/** Errors (not warnings) of the resource against the profile it claims, with the Swedish identifier check. */
export function profileErrors(resource: Resource): string[] {
  validator ??= createValidator();
  return validator
    .validate(resource, { now: new Date('2026-01-01T12:00:00Z') })
    .filter((i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${resource.resourceType} ${i.expression?.join(',')}: ${i.details?.text}`);
}

/** Every resource of type `type` in the Bundles, in order. */
export function resourcesOf<T extends Resource>(bundles: { bundle: Bundle }[], type: T['resourceType']): T[] {
  return bundles.flatMap((b) => (b.bundle.entry ?? []).map((x) => x.resource).filter((r): r is T => r?.resourceType === type));
}
