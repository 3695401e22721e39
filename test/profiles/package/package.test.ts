// The FHIR package writer's parts: the tar writer and reader, the index, the manifest and what readPackage refuses.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectSearchParameters } from '../../../src/profiles/definitions/search-parameters.ts';
import {
  buildPackage,
  conformanceResources,
  packageManifest,
  packageTarball,
  readPackage,
  tar,
  unpackTarball,
  untar,
  type PackageFile,
} from '../../../src/profiles/package/index.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('tar', () => {
  it('reads back what it writes, long paths (ustar prefix) and empty files included', () => {
    const long = `package/${'a'.repeat(60)}/${'b'.repeat(80)}.json`;
    const entries = [
      { path: 'package/x.json', data: bytes('{"a":1}') },
      { path: long, data: bytes('x'.repeat(1500)) },
      { path: 'package/empty', data: new Uint8Array(0) },
    ];
    const archive = tar(entries);
    expect(archive.length % 512).toBe(0);
    expect(untar(archive).map((e) => [e.path, text(e.data)])).toEqual(entries.map((e) => [e.path, text(e.data)]));
  });

  it('refuses absolute paths, .. and paths no ustar header holds; reads no corrupt header', () => {
    expect(() => tar([{ path: '/etc/x', data: new Uint8Array(0) }])).toThrow(/relative/);
    expect(() => tar([{ path: 'package/../x', data: new Uint8Array(0) }])).toThrow(/relative/);
    expect(() => tar([{ path: 'x'.repeat(101), data: new Uint8Array(0) }])).toThrow(/too long/);
    const archive = tar([{ path: 'package/x.json', data: bytes('{}') }]);
    archive[10] = 0x41;
    expect(() => untar(archive)).toThrow(/checksum/);
    expect(() => untar(tar([{ path: 'a', data: bytes('abc') }]).slice(0, 513))).toThrow(/Truncated/);
  });

  it('is reproducible: the same package gives the same bytes', () => {
    const files = buildPackage(packageManifest('1.2.3'));
    expect(Buffer.from(packageTarball(files)).equals(Buffer.from(packageTarball(buildPackage(packageManifest('1.2.3')))))).toBe(true);
  });
});

describe('package', () => {
  const manifest = packageManifest('1.2.3');
  const files = buildPackage(manifest);

  it('holds every StructureDefinition, CodeSystem, ValueSet and SearchParameter, indexed with kind and type', () => {
    const loaded = readPackage(unpackTarball(packageTarball(files)));
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.resources).toEqual(conformanceResources());
    const sp = projectSearchParameters()[0]!;
    expect(loaded.index.files).toContainEqual({
      filename: `SearchParameter-${sp.id}.json`,
      resourceType: 'SearchParameter',
      id: sp.id,
      url: sp.url,
      version: sp.version,
      type: sp.type,
    });
    const cs = loaded.index.files.find((e) => e.resourceType === 'CodeSystem')!;
    expect(cs.content).toBe('complete');
    const ext = loaded.index.files.find((e) => e.resourceType === 'StructureDefinition' && e.type === 'Extension')!;
    expect(ext.kind).toBe('complex-type');
  });

  it('refuses two resources that would share a file, and a resource without an id', () => {
    const [first] = conformanceResources();
    expect(() => buildPackage(manifest, [first!, first!])).toThrow(/Two resources/);
    expect(() => buildPackage(manifest, [{ ...first!, id: undefined }])).toThrow(/no valid id/);
  });

  it('readPackage says what is missing or inconsistent', () => {
    const without = (p: string) => files.filter((f) => f.path !== p);
    const replace = (p: string, data: string): PackageFile[] => files.map((f) => (f.path === p ? { path: p, data: bytes(data) } : f));
    expect(() => readPackage(without('package/package.json'))).toThrow('The package has no package/package.json');
    expect(() => readPackage(without('package/.index.json'))).toThrow('The package has no package/.index.json');
    expect(() => readPackage(replace('package/package.json', '{"name":"x","version":"1"}'))).toThrow(/fhirVersions/);
    expect(() => readPackage(replace('package/.index.json', 'not json'))).toThrow(/not JSON/);
    const victim = files[2]!.path;
    expect(() => readPackage(without(victim))).toThrow(`The package has no ${victim}`);
    expect(() => readPackage(replace(victim, '{"resourceType":"Patient"}'))).toThrow(/does not hold/);
  });

  it('unpacks a package tarball made by the system tar (GNU or bsdtar, ustar format)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-tar-'));
    try {
      mkdirSync(path.join(dir, 'package'));
      writeFileSync(path.join(dir, 'package', 'package.json'), '{"name":"x"}');
      try {
        execFileSync('tar', ['--format=ustar', '-czf', path.join(dir, 'p.tgz'), '-C', dir, 'package/package.json']);
      } catch {
        return; // no tar here
      }
      const files = unpackTarball(new Uint8Array(readFileSync(path.join(dir, 'p.tgz'))));
      expect(files.map((f) => [f.path, text(f.data)])).toEqual([['package/package.json', '{"name":"x"}']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
