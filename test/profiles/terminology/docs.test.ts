// docs/terminology.md is generated from the terminology: it must match. UPDATE_DOCS=1 rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTerminologyDoc } from '../../../src/profiles/terminology/docs.ts';
import { MAX_UNPAGED_EXPANSION, TERMINOLOGY_VERSION, allTerminology } from '../../../src/profiles/terminology/index.ts';

const PATH = new URL('../../../docs/terminology.md', import.meta.url);

describe('docs/terminology.md', () => {
  const expected = renderTerminologyDoc(TERMINOLOGY_VERSION, MAX_UNPAGED_EXPANSION);
  if (process.env.UPDATE_DOCS === '1') writeFileSync(PATH, expected);

  it('is up to date with src/profiles/terminology (UPDATE_DOCS=1 npx vitest run test/profiles/terminology/docs.test.ts)', () => {
    expect(readFileSync(PATH, 'utf8')).toBe(expected);
  });

  it('names every URL and every code', () => {
    for (const r of allTerminology()) {
      expect(expected).toContain(r.url as string);
      if (r.resourceType === 'CodeSystem') for (const c of r.concept ?? []) expect(expected).toContain(`\`${c.code}\``);
    }
  });
});
