// The committed StructureDefinitions are what the FSH sources generate (SUSHI, run offline), and every one
// has a snapshot that agrees with its differential.
import { describe, expect, it } from 'vitest';
import type { ElementDefinition } from '@medplum/fhirtypes';
import { staleFiles } from '../../../scripts/build-profiles.ts';
import { CANONICAL_BASE } from '../../../src/profiles/canonical.ts';
import { EXTENSION, PROFILE, structureDefinitions } from '../../../src/profiles/definitions/index.ts';

const sds = structureDefinitions();

describe('generated StructureDefinitions', () => {
  it('are exactly the declared profiles and extensions, under the canonical base', () => {
    expect(sds.map((sd) => sd.url).sort()).toEqual([...Object.values(PROFILE), ...Object.values(EXTENSION)].sort());
    for (const sd of sds) expect(sd.url?.startsWith(`${CANONICAL_BASE}/StructureDefinition/`)).toBe(true);
  });

  it.each(sds.map((sd) => [sd.id, sd] as const))('%s: the snapshot carries every differential constraint', (_id, sd) => {
    const snapshot = new Map((sd.snapshot?.element ?? []).map((e) => [e.id, e]));
    expect(snapshot.size).toBeGreaterThan(0);
    expect(sd.snapshot?.element?.[0]?.path).toBe(sd.type);
    for (const diff of sd.differential?.element ?? []) {
      const snap = snapshot.get(diff.id) as ElementDefinition;
      expect(snap, diff.id).toBeDefined();
      for (const key of Object.keys(diff) as (keyof ElementDefinition)[]) {
        if (key === 'min' || key === 'max' || key === 'slicing' || key === 'sliceName' || key === 'type' || key.startsWith('fixed') || key.startsWith('pattern')) {
          expect(snap[key], `${diff.id}.${key}`).toEqual(diff[key]);
        }
      }
      if (diff.binding) expect(snap.binding, `${diff.id}.binding`).toMatchObject(diff.binding);
      for (const c of diff.constraint ?? []) expect(snap.constraint, `${diff.id} ${c.key}`).toContainEqual(c);
    }
  });

  it('are up to date with profiles/fsh (node scripts/build-profiles.ts)', async () => {
    expect(await staleFiles()).toEqual([]);
  }, 120_000);
});
