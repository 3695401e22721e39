// The package `samverkan package` writes, loaded back from disk into a fresh validator built from nothing but
// the package's files and R4: every example of every profile gets the same issues as from the project's own
// validator (built from the in-memory definitions), and the verdict examples.ts states.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePackage } from '../../../src/gateway/cli/package.ts';
import { indexR4Definitions } from '../../../src/gateway/r4-definitions.ts';
import { PROFILE, resourceProfiles } from '../../../src/profiles/definitions/index.ts';
import { PACKAGE_NAME, readPackage, unpackTarball, type LoadedPackage, type PackageFile } from '../../../src/profiles/package/index.ts';
import { allTerminology } from '../../../src/profiles/terminology/index.ts';
import { Validator } from '../../../src/profiles/validation/index.ts';
import { EXAMPLES } from '../definitions/examples.ts';

const ctx = { now: new Date('2025-03-01T12:00:00Z') };
const dir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-package-'));
let tarball: string;
let loaded: LoadedPackage;
let fromPackage: Validator;
let project: Validator;

/** Every file under `root`, as package files (paths relative to `root`, `/`-separated). */
function filesUnder(root: string): PackageFile[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return { path: path.relative(root, full).split(path.sep).join('/'), data: new Uint8Array(readFileSync(full)) };
    });
}

beforeAll(async () => {
  const written = await writePackage(dir, '0.1.0-test');
  tarball = written.tarball;
  indexR4Definitions();
  // Only what was read back from the .tgz on disk.
  loaded = readPackage(unpackTarball(new Uint8Array(readFileSync(tarball))));
  fromPackage = new Validator();
  fromPackage.registerConformance(loaded.resources);
  project = new Validator();
  project.registerTerminology(allTerminology());
  for (const sd of resourceProfiles()) project.registerProfile(sd);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errors = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('the written package', () => {
  it('is a FHIR package: manifest, index, one file per resource; the folder and the tarball hold the same files', () => {
    expect(path.basename(tarball)).toBe(`${PACKAGE_NAME}-0.1.0-test.tgz`);
    expect(loaded.manifest).toMatchObject({
      name: PACKAGE_NAME,
      version: '0.1.0-test',
      fhirVersions: ['4.0.1'],
      dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
      canonical: 'https://samverkan-gateway.se/fhir',
      type: 'fhir.ig',
    });
    expect(loaded.index['index-version']).toBe(2);
    const types = new Set(loaded.resources.map((r) => r.resourceType));
    expect([...types].sort()).toEqual(['CodeSystem', 'SearchParameter', 'StructureDefinition', 'ValueSet']);
    for (const e of loaded.index.files) expect(e.filename).toBe(`${e.resourceType}-${e.id}.json`);
    expect(loaded.index.files.filter((e) => e.kind === 'resource').map((e) => e.url).sort()).toEqual(Object.values(PROFILE).sort());

    const fromTar = unpackTarball(new Uint8Array(readFileSync(tarball)));
    const fromFolder = filesUnder(dir).filter((f) => f.path.startsWith('package/'));
    const asText = (files: PackageFile[]) => Object.fromEntries(files.map((f) => [f.path, Buffer.from(f.data).toString('utf8')]));
    expect(asText(fromFolder)).toEqual(asText(fromTar));
    expect(fromTar.length).toBe(loaded.index.files.length + 2);
  });

  it('is a tarball the system tar reads, files under package/', () => {
    let listing: string;
    try {
      listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    } catch {
      return; // no tar on this machine: the reader above has checked the archive
    }
    const names = listing.trim().split('\n');
    expect(names).toContain('package/package.json');
    expect(names).toContain('package/.index.json');
    expect(names.every((n) => n.startsWith('package/'))).toBe(true);
  });

  it('registers every profile of the project in the fresh validator', () => {
    for (const url of Object.values(PROFILE)) expect(fromPackage.hasProfile(url), url).toBe(true);
  });
});

describe('examples through a validator loaded from the package', () => {
  for (const group of EXAMPLES) {
    const name = group.profile.slice(group.profile.lastIndexOf('/') + 1);
    const all = [...group.valid.map((e) => ['valid', e] as const), ...group.invalid.map((e) => ['invalid', e] as const)];
    it.each(all.map(([kind, e]) => [`${name} ${kind}: ${e.name}`, kind, e] as const))('%s', (_n, kind, e) => {
      const issues = fromPackage.validate(e.resource, ctx);
      expect(issues).toEqual(project.validate(e.resource, ctx));
      if (kind === 'valid') {
        expect(issues).toEqual([]);
      } else {
        const found = errors(issues);
        expect(found).toHaveLength(1);
        expect(found[0]?.expression).toEqual([(e as { expression: string }).expression]);
        expect(found[0]?.details?.text).toContain((e as { message: string }).message);
      }
    });
  }
});
