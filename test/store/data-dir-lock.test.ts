import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/store/data-dir-lock.ts';

describe('PGlite data folder lock', () => {
  it('refuses a folder held by another live process, naming it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    writeFileSync(path.join(dir, 'samverkan.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`process ${process.ppid}`));
  });

  it('takes over a lock left by a process that no longer runs, and releases it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    const file = path.join(dir, 'samverkan.lock');
    writeFileSync(file, '4194000'); // above Linux's default pid_max: no such process
    const release = lockDataDir(dir);
    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  });
});
