// The project's conformance resources as a standard FHIR NPM package (https://hl7.org/fhir/packages.html):
// a `package/` folder with `package.json`, one `<ResourceType>-<id>.json` per StructureDefinition,
// CodeSystem, ValueSet and SearchParameter, and `.index.json`; and the same folder as a gzipped tarball
// `<name>-<version>.tgz`, which is what the HL7 validator (`-ig`), SUSHI, Firely and HAPI load. Pure: files
// are returned as bytes, the CLI (src/gateway/cli/package.ts) writes them. `readPackage` is the way back,
// used by the load-back test to build a validator from nothing but the package's files.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CodeSystem, Resource, SearchParameter, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { CANONICAL_BASE } from '../canonical.ts';
import { structureDefinitions } from '../definitions/index.ts';
import { projectSearchParameters } from '../definitions/search-parameters.ts';
import { allCodeSystems, allValueSets } from '../terminology/index.ts';
import type { TarEntry } from './tar.ts';
import { tar, untar } from './tar.ts';

/** Reverse-domain of the canonical base (samverkan-gateway.se), without the hyphen, as FHIR package ids go. */
export const PACKAGE_NAME = 'se.samverkan.gateway';
export const FHIR_VERSION = '4.0.1';
export const PACKAGE_TYPES = ['StructureDefinition', 'CodeSystem', 'ValueSet', 'SearchParameter'] as const;

export type ConformanceResource = StructureDefinition | CodeSystem | ValueSet | SearchParameter;

/** `package/package.json`, the manifest of a FHIR package. */
export interface PackageManifest {
  name: string;
  version: string;
  description: string;
  type: 'fhir.ig';
  canonical: string;
  url: string;
  license: string;
  author: string;
  fhirVersions: string[];
  dependencies: Record<string, string>;
  [key: string]: unknown;
}

/** One entry of `.index.json`: what a loader needs to find a resource without parsing every file. */
export interface IndexEntry {
  filename: string;
  resourceType: string;
  id: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
  supplements?: string;
  content?: string;
}

export interface PackageIndex {
  'index-version': 2;
  files: IndexEntry[];
}

export interface PackageFile {
  /** Relative to the package root, e.g. `package/package.json` (the layout inside the tarball). */
  path: string;
  data: Uint8Array;
}

/** Every resource the package publishes, fresh copies, in a stable order (type, then id). */
export function conformanceResources(): ConformanceResource[] {
  const all: ConformanceResource[] = [...structureDefinitions(), ...allCodeSystems(), ...allValueSets(), ...projectSearchParameters()];
  const rank = (r: Resource) => (PACKAGE_TYPES as readonly string[]).indexOf(r.resourceType);
  return all.sort((a, b) => rank(a) - rank(b) || (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0));
}

export function packageManifest(version: string, name: string = PACKAGE_NAME): PackageManifest {
  return {
    name,
    version,
    description: 'FHIR R4 profiles, extensions, terminology and search parameters of samverkan-gateway: Swedish hospital-discharge coordination (Lag 2017:612)',
    type: 'fhir.ig',
    canonical: CANONICAL_BASE,
    url: CANONICAL_BASE,
    license: 'Apache-2.0',
    author: 'samverkan-gateway',
    fhirVersions: [FHIR_VERSION],
    dependencies: { 'hl7.fhir.r4.core': FHIR_VERSION },
    jurisdiction: 'urn:iso:std:iso:3166#SE',
  };
}

export const fileName = (r: Resource): string => `${r.resourceType}-${r.id}.json`;

export function indexEntry(r: ConformanceResource): IndexEntry {
  const e: IndexEntry = { filename: fileName(r), resourceType: r.resourceType, id: r.id! };
  if (r.url) e.url = r.url;
  if (r.version) e.version = r.version;
  if (r.resourceType === 'StructureDefinition') {
    if (r.kind) e.kind = r.kind;
    if (r.type) e.type = r.type;
  }
  if (r.resourceType === 'SearchParameter' && r.type) e.type = r.type;
  if (r.resourceType === 'CodeSystem') {
    if (r.supplements) e.supplements = r.supplements;
    if (r.content) e.content = r.content;
  }
  return e;
}

const encoder = new TextEncoder();
const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value, null, 2) + '\n');

/**
 * The package's files: manifest first (loaders that stream the tarball look for it), then the index, then
 * the resources. Throws on a resource without an id or with an id that two resources of a type share.
 */
export function buildPackage(manifest: PackageManifest, resources: readonly ConformanceResource[] = conformanceResources()): PackageFile[] {
  const seen = new Set<string>();
  for (const r of resources) {
    if (!r.id || !/^[A-Za-z0-9\-.]{1,64}$/.test(r.id)) throw new Error(`${r.resourceType} ${r.url ?? ''} has no valid id`);
    if (seen.has(fileName(r))) throw new Error(`Two resources would be written to ${fileName(r)}`);
    seen.add(fileName(r));
  }
  const index: PackageIndex = { 'index-version': 2, files: resources.map(indexEntry) };
  return [
    { path: 'package/package.json', data: json(manifest) },
    { path: 'package/.index.json', data: json(index) },
    ...resources.map((r) => ({ path: `package/${fileName(r)}`, data: json(r) })),
  ];
}

/** The tarball's file name, as npm and the FHIR package registries name it. */
export const tarballName = (m: Pick<PackageManifest, 'name' | 'version'>): string => `${m.name}-${m.version}.tgz`;

/** The gzipped tarball of the package's files (reproducible: fixed mtimes, no gzip timestamp). */
export function packageTarball(files: readonly PackageFile[]): Uint8Array {
  return gzipSync(tar(files as TarEntry[]), { level: 9 });
}

/** The files of a `.tgz` package (regular files only). */
export function unpackTarball(tgz: Uint8Array): PackageFile[] {
  return untar(gunzipSync(tgz));
}

export interface LoadedPackage {
  manifest: PackageManifest;
  index: PackageIndex;
  /** The resources the index lists, read from their files, in index order. */
  resources: ConformanceResource[];
}

/**
 * Reads a package from its files (paths relative to the package root, as in the tarball). Checks what a
 * loader relies on: a manifest with name, version and fhirVersions, an index whose every entry names a
 * file holding a resource of that type, id and url. Throws an Error saying what is wrong.
 */
export function readPackage(files: readonly PackageFile[]): LoadedPackage {
  const decoder = new TextDecoder();
  const byPath = new Map(files.map((f) => [f.path, f.data]));
  const parse = (path: string): unknown => {
    const data = byPath.get(path);
    if (!data) throw new Error(`The package has no ${path}`);
    try {
      return JSON.parse(decoder.decode(data));
    } catch (err) {
      throw new Error(`${path} is not JSON: ${(err as Error).message}`, { cause: err });
    }
  };
  const manifest = parse('package/package.json') as PackageManifest;
  for (const key of ['name', 'version'] as const) if (typeof manifest[key] !== 'string') throw new Error(`package/package.json has no ${key}`);
  if (!Array.isArray(manifest.fhirVersions) || !manifest.fhirVersions.length) throw new Error('package/package.json has no fhirVersions');
  const index = parse('package/.index.json') as PackageIndex;
  if (!Array.isArray(index?.files)) throw new Error('package/.index.json has no files');
  const resources = index.files.map((entry) => {
    const r = parse(`package/${entry.filename}`) as ConformanceResource;
    if (r?.resourceType !== entry.resourceType || r.id !== entry.id || r.url !== entry.url) {
      throw new Error(`package/${entry.filename} does not hold the ${entry.resourceType}/${entry.id} (${entry.url}) that .index.json lists`);
    }
    return r;
  });
  return { manifest, index, resources };
}
