// `samverkan package`: writes the project's StructureDefinitions, CodeSystems, ValueSets and SearchParameters
// as a FHIR NPM package (docs/package.md): DIR/package/ (package.json, .index.json, one file per resource)
// and DIR/<name>-<version>.tgz, the tarball validators load. The package itself is built by the pure
// src/profiles/package; this file only does the I/O.
// Exit codes: 0 written, 2 bad arguments.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './io.ts';
import { buildPackage, packageManifest, packageTarball, tarballName } from '../../profiles/package/index.ts';

export const PACKAGE_USAGE = `usage: samverkan package [--out DIR]

Writes the gateway's profiles, extensions, CodeSystems, ValueSets and SearchParameters as a FHIR NPM package
(docs/package.md), versioned as the gateway (package.json):
  DIR/package/                       package.json, .index.json and one <ResourceType>-<id>.json per resource
                                     (the folder is replaced: files from an older run are removed)
  DIR/se.samverkan.gateway-<v>.tgz   the same folder as a gzipped tarball, e.g. for the HL7 validator's -ig
  --out   the folder to write into (default dist/fhir-package)
Exit codes: 0 written, 2 bad arguments.`;

export interface WrittenPackage {
  folder: string;
  tarball: string;
  files: number;
}

/** The gateway's version, the package's version. */
async function gatewayVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Writes the package folder and tarball under `outDir`. */
export async function writePackage(outDir: string, version?: string): Promise<WrittenPackage> {
  const manifest = packageManifest(version ?? (await gatewayVersion()));
  const files = buildPackage(manifest);
  const folder = path.join(outDir, 'package');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const f of files) await writeFile(path.join(outDir, f.path), f.data);
  const tarball = path.join(outDir, tarballName(manifest));
  await writeFile(tarball, packageTarball(files));
  return { folder, tarball, files: files.length };
}

export async function packageCommand(argv: string[], io: CliIo): Promise<number> {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { out: { type: 'string', default: 'dist/fhir-package' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    io.err.write(`samverkan package: ${(err as Error).message}\n${PACKAGE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(PACKAGE_USAGE);
    return 0;
  }
  if (!values.out) {
    io.err.write(`samverkan package: --out needs a folder\n${PACKAGE_USAGE}\n`);
    return 2;
  }
  const written = await writePackage(values.out);
  io.out(`${written.folder}: ${written.files} files\n${written.tarball}`);
  return 0;
}
