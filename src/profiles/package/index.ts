// Public API of the FHIR package writer and reader (docs/package.md).
export type { ConformanceResource, IndexEntry, LoadedPackage, PackageFile, PackageIndex, PackageManifest } from './package.ts';
export {
  buildPackage,
  conformanceResources,
  FHIR_VERSION,
  PACKAGE_NAME,
  PACKAGE_TYPES,
  packageManifest,
  packageTarball,
  readPackage,
  tarballName,
  unpackTarball,
} from './package.ts';
export type { TarEntry } from './tar.ts';
export { tar, untar } from './tar.ts';
