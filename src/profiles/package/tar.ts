// The smallest tar that FHIR package loaders (and npm, and `tar`) read: POSIX ustar, regular files only,
// one 512-byte header per file then its bytes padded to 512, two zero blocks at the end. Gzipped by the
// caller (node:zlib is pure enough: no I/O). The reader reads what the writer writes, and plain ustar/npm
// tarballs (directories, pax headers and links are skipped), so a test can load a package from its .tgz.

export interface TarEntry {
  /** A relative path with `/` separators, e.g. `package/package.json`. */
  path: string;
  data: Uint8Array;
}

const BLOCK = 512;
/** 1985-10-26T08:15:00Z, the time npm gives every file of a tarball so that packing is reproducible. */
export const REPRODUCIBLE_MTIME = 499162500;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The ustar name (≤ 100 bytes) and prefix (≤ 155 bytes) of a path; throws when it does not fit. */
function splitName(path: string): { name: string; prefix: string } {
  if (encoder.encode(path).length <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { name, prefix };
  }
  throw new Error(`Path too long for a ustar header: ${path}`);
}

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`"${value}" does not fit in ${length} bytes`);
  block.set(bytes, offset);
}

/** An octal number, zero-padded, NUL-terminated, in a field of `length` bytes. */
function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  writeString(block, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

function header(path: string, size: number, mtime: number): Uint8Array {
  if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`Not a relative path: ${path}`);
  const block = new Uint8Array(BLOCK);
  const { name, prefix } = splitName(path);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, 0o644); // mode
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  block[156] = 0x30; // typeflag '0': regular file
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** The tar archive of `entries`, in their order; every file gets `mtime` (seconds since 1970). */
export function tar(entries: readonly TarEntry[], mtime: number = REPRODUCIBLE_MTIME): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const e of entries) {
    const h = header(e.path, e.data.length, mtime);
    const padded = Math.ceil(e.data.length / BLOCK) * BLOCK;
    const body = new Uint8Array(padded);
    body.set(e.data);
    parts.push(h, body);
    total += BLOCK + padded;
  }
  parts.push(new Uint8Array(2 * BLOCK));
  total += 2 * BLOCK;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`Not a tar archive: bad number "${text}" in a header`);
  return text ? parseInt(text, 8) : 0;
}

/** The regular files of a tar archive. Throws on a truncated archive or a header whose checksum is wrong. */
export function untar(archive: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  for (let at = 0; at + BLOCK <= archive.length; ) {
    const block = archive.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    if (sum !== readOctal(block, 148, 8)) throw new Error(`Not a tar archive: header checksum mismatch at byte ${at}`);
    const size = readOctal(block, 124, 12);
    const type = String.fromCharCode(block[156] || 0x30);
    const prefix = readString(block, 345, 155);
    const name = readString(block, 0, 100);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new Error(`Truncated tar archive: ${name} needs ${size} bytes`);
    if (type === '0') out.push({ path: prefix ? `${prefix}/${name}` : name, data: archive.slice(start, start + size) });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
